import { bytesToUnprefixedHex, equalsBytes } from "@ethereumjs/util";

/**
 * What one flush wrote into the tries: every account (its RLP, null when deleted) and, per contract, every slot
 * (the trie's value, null when deleted) with the storage root before and after. It is everything that differs
 * between the state root before the flush and the one after: each trie write of the flush is in it.
 */
export interface StateTransition {
  to: Uint8Array;
  accounts: Map<string, Uint8Array | null>;
  storage: Map<string, { before: Uint8Array; after: Uint8Array; slots: Map<string, Uint8Array | null> }>;
}

/** Transitions recorded at most (the latest); and the most writes one may hold to be recorded. */
const MAX_TRANSITIONS = 64;
const MAX_TRANSITION_WRITES = 4096;
/** Most transitions followed to move remembered reads from one root to another. */
const MAX_PATH = 32;

/**
 * Transitions recorded by a state manager and its copies, by the root they start from. A transition is a fact about
 * two roots of the one trie database the copies share (tries are content-addressed), true whatever happens to the
 * state managers afterwards: a revert, another root set, a copy. Bounded: the latest are kept.
 */
export class TransitionLog {
  private readonly byFrom = new Map<string, StateTransition>();

  record(from: Uint8Array, transition: StateTransition): void {
    let writes = transition.accounts.size;
    for (const { slots } of transition.storage.values()) writes += slots.size;
    if (writes > MAX_TRANSITION_WRITES) return;
    const key = bytesToUnprefixedHex(from);
    this.byFrom.delete(key);
    this.byFrom.set(key, transition);
    if (this.byFrom.size > MAX_TRANSITIONS) this.byFrom.delete(this.byFrom.keys().next().value as string);
  }

  /** The transitions that lead from `from` to `to`, in order; undefined when the log does not know the way. */
  path(from: Uint8Array, to: Uint8Array): StateTransition[] | undefined {
    const path: StateTransition[] = [];
    let at = from;
    while (!equalsBytes(at, to)) {
      const next = path.length < MAX_PATH ? this.byFrom.get(bytesToUnprefixedHex(at)) : undefined;
      if (!next) return undefined;
      path.push(next);
      at = next.to;
    }
    return path;
  }
}

/**
 * Most accounts and slots one state manager remembers; past either, everything is forgotten. ~290 bytes an entry: at
 * most ~8 MB for each of the chain's state, the VM that runs calls and the watcher's.
 */
export const MAX_REMEMBERED_ACCOUNTS = 10_000;
export const MAX_REMEMBERED_SLOTS = 20_000;

/**
 * Trie reads of one state manager, kept across reverts. The library's caches record a read like a write, in the
 * checkpoint open at the time, so an eth_call's revert (or an estimate's) drops every account and slot it read, and
 * every call walks the tries again; and a new root (every block) clears the caches. Here a value read from the trie
 * is kept for the root it was read at: accounts for the state root, slots for their contract's storage root. When the
 * state manager is at a new root, the reads are moved there along the recorded transitions (the accounts and slots
 * the block wrote take their new values, the rest stay) or, when the log does not know the way (a snapshot reverted
 * to, a state loaded), the accounts are forgotten.
 *
 * Only what the tries hold is kept: the caches still take every write, and are read first.
 */
export class RememberedReads {
  /** The state root the remembered accounts are at. */
  private root: Uint8Array | undefined;
  private readonly accounts = new Map<string, Uint8Array | null>();
  private readonly storage = new Map<string, { root: Uint8Array; slots: Map<string, Uint8Array | null> }>();
  private slotCount = 0;

  constructor(private readonly log: TransitionLog) {}

  /** The account's RLP at `root` (null: no account), or undefined when not known. */
  account(root: Uint8Array, address: string): Uint8Array | null | undefined {
    this.moveTo(root);
    return this.accounts.get(address);
  }

  rememberAccount(root: Uint8Array, address: string, rlp: Uint8Array | null): void {
    this.moveTo(root);
    if (this.accounts.size >= MAX_REMEMBERED_ACCOUNTS) this.forget();
    this.accounts.set(address, rlp);
  }

  /** The slot's trie value in the storage trie at `storageRoot` (null: empty), or undefined when not known. */
  slot(root: Uint8Array, address: string, storageRoot: Uint8Array, key: string): Uint8Array | null | undefined {
    this.moveTo(root);
    const entry = this.storage.get(address);
    return entry && equalsBytes(entry.root, storageRoot) ? entry.slots.get(key) : undefined;
  }

  rememberSlot(root: Uint8Array, address: string, storageRoot: Uint8Array, key: string, value: Uint8Array | null): void {
    this.moveTo(root);
    if (this.slotCount >= MAX_REMEMBERED_SLOTS) this.forget();
    let entry = this.storage.get(address);
    if (!entry || !equalsBytes(entry.root, storageRoot)) {
      if (entry) this.slotCount -= entry.slots.size;
      entry = { root: storageRoot, slots: new Map() };
      this.storage.set(address, entry);
    }
    if (!entry.slots.has(key)) this.slotCount++;
    entry.slots.set(key, value);
  }

  private moveTo(root: Uint8Array): void {
    if (this.root !== undefined && equalsBytes(this.root, root)) return;
    const path = this.root === undefined ? undefined : this.log.path(this.root, root);
    // Slots stay: each is kept for its contract's storage root, where its value is the same whatever the state root.
    if (!path) this.accounts.clear();
    for (const t of path ?? []) {
      for (const [address, rlp] of t.accounts) this.accounts.set(address, rlp);
      for (const [address, { before, after, slots }] of t.storage) {
        const entry = this.storage.get(address);
        // Slots not written keep their values only where the contract's storage was where the writes started.
        if (entry && !equalsBytes(entry.root, before)) {
          this.slotCount -= entry.slots.size;
          this.storage.delete(address);
          continue;
        }
        const kept = entry ?? { root: after, slots: new Map() };
        for (const [key, value] of slots) {
          if (!kept.slots.has(key)) this.slotCount++;
          kept.slots.set(key, value);
        }
        kept.root = after;
        this.storage.set(address, kept);
      }
    }
    this.root = root;
    if (this.accounts.size > MAX_REMEMBERED_ACCOUNTS || this.slotCount > MAX_REMEMBERED_SLOTS) this.forget();
  }

  private forget(): void {
    this.accounts.clear();
    this.storage.clear();
    this.slotCount = 0;
  }
}
