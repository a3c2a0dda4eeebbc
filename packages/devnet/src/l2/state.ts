import type { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import type { MerkleStateManagerOpts } from "@ethereumjs/statemanager";
import { AccountCache, Caches, CODEHASH_PREFIX, MerkleStateManager } from "@ethereumjs/statemanager";
import {
  Account,
  type Address,
  bytesToUnprefixedHex,
  concatBytes,
  createAccountFromRLP,
  createAddressFromString,
  equalsBytes,
  KECCAK256_NULL,
  KECCAK256_RLP,
  unpadBytes,
  unprefixedHexToBytes,
} from "@ethereumjs/util";
import { keccak256 as jsKeccak256 } from "ethereum-cryptography/keccak.js";
import { bytesToHex } from "../hex.js";
import { RememberedReads, type StateTransition, TransitionLog } from "./remembered-reads.js";
import { applyTrieWrites, readTrieValue, type TrieWrite } from "./trie-batch.js";

/** RLP of the empty string: how the storage cache records a slot read as zero. */
const RLP_EMPTY_STRING = Uint8Array.of(0x80);

/** Most storage trie objects one state manager keeps (see `_getStorageTrie`). */
const MAX_STORAGE_TRIE_OBJECTS = 1024;

/** The EVM's message events (only what `asCodeFreeSender` needs). */
export interface MessageEvents {
  on(event: "beforeMessage", listener: () => void): unknown;
  off(event: "beforeMessage", listener: () => void): unknown;
}

/**
 * An account cache entry whose RLP is made when something first reads it. The library's cache encodes an account on
 * every write, and a transaction writes its sender, recipient and fee recipient several times; the flush reads only
 * the last entry of each account, once per block. `account` is a copy taken at the write, never changed.
 */
class LazyAccountEntry {
  private rlp: Uint8Array | undefined;
  constructor(readonly account: Account) {}
  get accountRLP(): Uint8Array {
    this.rlp ??= this.account.serialize();
    return this.rlp;
  }
}

/** The library's account cache, with entries that encode on first read (`LazyAccountEntry`). */
class LazyAccountCache extends AccountCache {
  override put(address: Address, account: Account | undefined, couldBePartialAccount = false): void {
    if (account === undefined || couldBePartialAccount) {
      super.put(address, account, couldBePartialAccount);
      return;
    }
    // As the library's put, with the entry made here.
    const key = bytesToUnprefixedHex(address.bytes);
    this._saveCachePreState(key);
    const entry = new LazyAccountEntry(new Account(account.nonce, account.balance, account.storageRoot, account.codeHash));
    if (this._lruCache) this._lruCache.set(key, entry);
    else this._orderedMapCache?.setElement(key, entry);
    this._stats.writes += 1;
  }
}

/** `caches` with its account cache replaced by a `LazyAccountCache` of the same settings (it must be empty). */
function withLazyAccounts(caches: Caches | undefined): Caches | undefined {
  if (caches?.account && caches.account.size() === 0) caches.account = new LazyAccountCache(caches.settings.account);
  return caches;
}

/**
 * The merkle state manager, with caches (state root once per block, not per
 * write) and a record of every address and storage key written, because the
 * trie stores only their hashes and a state dump needs the originals.
 */
export class DevnetStateManager extends MerkleStateManager {
  readonly addresses: Set<string>;
  readonly storageKeys: Map<string, Set<string>>;
  /** What flushes wrote, shared with the copies (see `RememberedReads`). */
  private readonly transitions: TransitionLog;
  private readonly reads: RememberedReads;

  constructor(
    opts: MerkleStateManagerOpts = {},
    preimages?: { addresses: Set<string>; storageKeys: Map<string, Set<string>> },
    transitions?: TransitionLog,
  ) {
    super({ ...opts, caches: withLazyAccounts("caches" in opts ? opts.caches : new Caches()) });
    this.addresses = preimages?.addresses ?? new Set();
    this.storageKeys = preimages?.storageKeys ?? new Map();
    this.transitions = transitions ?? new TransitionLog();
    this.reads = new RememberedReads(this.transitions);
  }

  /** Checkpoints open now: a reused VM is only clean again when its own one is all that is left. */
  get checkpointDepth(): number {
    return this._checkpointCount;
  }

  /** See `asCodeFreeSender`. */
  private codeSender: { address: string; codeHash: Uint8Array } | undefined;

  /**
   * Runs `fn` with `sender` reading as an account without code until the transaction's first
   * message starts (`messages` emits "beforeMessage"), so that runTx's EIP-3607 check lets it
   * send (Hardhat lets impersonated contracts send and any address call), while the execution
   * itself sees the code: a contract sending to itself runs. Writes to it keep its real code hash.
   */
  async asCodeFreeSender<T>(sender: Address, fn: () => Promise<T>, messages?: MessageEvents): Promise<T> {
    const account = await this.getAccount(sender); // no code sender is set outside this call
    if (!account?.isContract()) return fn();
    this.codeSender = { address: sender.toString(), codeHash: account.codeHash };
    const reveal = () => {
      this.codeSender = undefined;
      messages?.off("beforeMessage", reveal);
    };
    messages?.on("beforeMessage", reveal);
    try {
      return await fn();
    } finally {
      reveal();
    }
  }

  /** The library's, reading the cache's entries without decoding them (`LazyAccountEntry`). */
  override async getAccount(address: Address): Promise<Account | undefined> {
    const cached = this._caches?.account?.get(address);
    let account: Account | undefined;
    if (cached === undefined) {
      // What the library does on a miss (read the trie, cache what it found), with the faster read, remembered.
      const rlp = this._caches?.account ? await this.readAccount(address) : undefined;
      if (rlp === undefined) account = await super.getAccount(address);
      else {
        account = rlp === null ? undefined : createAccountFromRLP(rlp);
        this._caches?.account?.put(address, account);
      }
    } else if (cached instanceof LazyAccountEntry) {
      // A copy: callers change the account they get before writing it back.
      const written = cached.account;
      account = new Account(written.nonce, written.balance, written.storageRoot, written.codeHash);
    } else if (cached.accountRLP !== undefined) {
      account = createAccountFromRLP(cached.accountRLP);
    }
    if (account && this.codeSender && this.codeSender.address === address.toString()) {
      return new Account(account.nonce, account.balance, account.storageRoot, KECCAK256_NULL);
    }
    return account;
  }

  /** The account's RLP in the trie (null: none), remembered across reverts (see `RememberedReads`). */
  private async readAccount(address: Address): Promise<Uint8Array | null> {
    const root = this._trie.root();
    const key = bytesToUnprefixedHex(address.bytes);
    const known = this.reads.account(root, key);
    if (known !== undefined) return known;
    const rlp = await readTrieValue(this._trie, address.bytes);
    this.reads.rememberAccount(root, key, rlp);
    return rlp;
  }

  /** The library's getStorage, with the faster trie read on a cache miss, remembered across reverts. */
  override async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const storage = this._caches?.storage;
    if (key.length !== 32 || !storage) return super.getStorage(address, key);
    const cached = storage.get(address, key);
    if (cached !== undefined) return RLP.decode(cached) as Uint8Array;
    const account = await this.getAccount(address);
    if (!account) return new Uint8Array();
    const root = this._trie.root();
    const [addressKey, slotKey] = [bytesToUnprefixedHex(address.bytes), bytesToUnprefixedHex(key)];
    let value = this.reads.slot(root, addressKey, account.storageRoot, slotKey);
    if (value === undefined) {
      // An account whose storage root is empty (a new contract's, until its first flush) has no slot in the trie:
      // no storage trie object is made to find that out (see `clearStorage`).
      value = equalsBytes(account.storageRoot, KECCAK256_RLP) ? null : await readTrieValue(this._getStorageTrie(address, account), key);
      this.reads.rememberSlot(root, addressKey, account.storageRoot, slotKey, value);
    }
    storage.put(address, key, value ?? RLP_EMPTY_STRING);
    return RLP.decode(value ?? new Uint8Array(0)) as Uint8Array;
  }

  override async putAccount(address: Address, account?: Account): Promise<void> {
    const addr = address.toString();
    this.addresses.add(addr);
    if (account && this.codeSender?.address === addr) account.codeHash = this.codeSender.codeHash;
    await super.putAccount(address, account);
  }

  override async putCode(address: Address, value: Uint8Array): Promise<void> {
    this.addresses.add(address.toString());
    return super.putCode(address, value);
  }

  /**
   * The library's putStorage writes the slot to the cache and, because the cache's `put` returns nothing
   * (`put(…) ?? write(…)`), through to the storage trie too: every SSTORE re-hashed the slot's path and wrote the
   * account's new storage root, and the flush wrote it all again. Here a write goes to the cache only, which `flush`
   * writes into the trie once per block. The storage root of an account is then the one of its last flush until the
   * next; nothing reads it in between (EIP-7610's collision check looks at accounts without code, which no SSTORE
   * writes, and proofs are read from flushed states).
   */
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const addr = address.toString();
    this.addresses.add(addr);
    let keys = this.storageKeys.get(addr);
    if (!keys) {
      keys = new Set();
      this.storageKeys.set(addr, keys);
    }
    keys.add(bytesToHex(key));
    const storage = this._caches?.storage;
    // The library's checks and errors for the rest (a bad key or value, no account, no cache).
    if (!storage || key.length !== 32 || value.length > 32 || !(await this.getAccount(address))) {
      return super.putStorage(address, key, value);
    }
    storage.put(address, key, RLP.encode(unpadBytes(value)));
  }

  /**
   * The cache's clearStorage drops the account's slots without recording them for a revert; with writes kept in the
   * cache until the flush, a reverted clear would lose the slots written since. Each cached slot is first deleted the
   * way a write is (its value before is recorded), then the library clears as before.
   */
  override async clearStorage(address: Address): Promise<void> {
    this.recordStorageClear(address);
    const storage = this._caches?.storage;
    const account = await this.getAccount(address);
    // Every CREATE clears its new address, whose storage is empty: the library would make a storage trie object
    // (~130 µs: a trie, its database wrapper, a debug logger) only to set it to the empty root it already has. Here
    // the account is written as the library writes it (made if missing), and its stale trie object, if any, dropped.
    if (storage && (account === undefined || equalsBytes(account.storageRoot, KECCAK256_RLP))) {
      storage.clearStorage(address);
      delete this._storageTries[bytesToUnprefixedHex(this.keccak(address.bytes))];
      await this.putAccount(address, account ?? new Account());
      return;
    }
    return super.clearStorage(address);
  }

  override async deleteAccount(address: Address): Promise<void> {
    this.recordStorageClear(address);
    return super.deleteAccount(address);
  }

  /** The chain's Keccak-256 (the library keeps its own private). */
  private keccak(bytes: Uint8Array): Uint8Array {
    return (this.common.customCrypto.keccak256 ?? jsKeccak256)(bytes);
  }

  private recordStorageClear(address: Address): void {
    const storage = this._caches?.storage;
    const slots = storage?.dump(address);
    if (!storage || !slots) return;
    for (const keyHex of [...slots.keys()]) storage.del(address, unprefixedHexToBytes(keyHex));
  }

  /** Storage trie objects by address, kept for the life of the state manager (see `_getStorageTrie`). */
  private readonly storageTrieObjects = new Map<string, MerklePatriciaTrie>();

  /**
   * The library keeps one trie object per account at the root it had when first asked for, and reuses it: after the
   * account was deleted and made again, or its storage root changed another way, reads and the flush would go to the
   * old root. The account's storage root is where its storage is, so the object is moved to it on every use.
   *
   * Moved that way, an object stays right for good: they all read one database. The library drops them all on every
   * revert (every reverted call frame, every eth_call) and every new root, and making one costs ~50 µs (a trie, its
   * database wrapper, a debug logger, a hash of the empty root); they are kept here instead.
   */
  protected override _getStorageTrie(addressOrHash: Address | { bytes: Uint8Array } | Uint8Array, rootAccount?: Account) {
    // Keyed by the address's bytes (an Address of another copy of @ethereumjs/util is one too).
    if (!rootAccount || addressOrHash instanceof Uint8Array) return super._getStorageTrie(addressOrHash, rootAccount);
    const key = bytesToHex(addressOrHash.bytes);
    let trie = this.storageTrieObjects.get(key);
    if (!trie) {
      trie = super._getStorageTrie(addressOrHash, rootAccount);
      // A bound on what the chain's own state keeps over its life (a few KB an object).
      if (this.storageTrieObjects.size >= MAX_STORAGE_TRIE_OBJECTS) this.storageTrieObjects.clear();
      this.storageTrieObjects.set(key, trie);
    }
    // Also a new one: the library may hand back an object of its own at an older root.
    if (!equalsBytes(trie.root(), rootAccount.storageRoot)) trie.root(rootAccount.storageRoot);
    return trie;
  }

  /**
   * Writes the caches into the tries, as the library's flush does (code, then storage, then accounts), but each trie
   * takes all its writes at once (`applyTrieWrites`): one storage-root update per contract and one pass over the
   * account trie, rather than a walk from the root, re-hashing its path, for every account and every slot.
   */
  override async flush(): Promise<void> {
    const from = this._trie.root();
    const caches = this._caches;
    for (const [addressHex, { code }] of caches?.code?.flush() ?? []) {
      if (code === undefined) continue;
      const address = createAddressFromString(`0x${addressHex}`);
      const codeHash = this.keccak(code);
      await this._getCodeDB().put(this._prefixCodeHashes ? concatBytes(CODEHASH_PREFIX, codeHash) : codeHash, code);
      if ((await this.getAccount(address)) === undefined) await this.putAccount(address, new Account());
      await this.modifyAccountFields(address, { codeHash });
    }
    // Each contract's written slots (key hex to the trie's value; null deletes the slot).
    const slots = new Map<string, Map<string, Uint8Array | null>>();
    for (const [addressHex, keyHex, value] of caches?.storage?.flush() ?? []) {
      // A slot's value is cached RLP-encoded; zero (0x80) deletes the slot.
      const decoded = RLP.decode(value ?? new Uint8Array(0));
      let written = slots.get(addressHex);
      if (!written) {
        written = new Map();
        slots.set(addressHex, written);
      }
      written.set(keyHex, decoded instanceof Uint8Array && decoded.length > 0 ? RLP.encode(decoded) : null);
    }
    const storage: StateTransition["storage"] = new Map();
    for (const [addressHex, written] of slots) {
      const address = createAddressFromString(`0x${addressHex}`);
      const account = await this.getAccount(address);
      if (!account) continue;
      const trie = this._getStorageTrie(address, account);
      const before = account.storageRoot;
      await applyTrieWrites(
        trie,
        [...written].map(([keyHex, value]): TrieWrite => [unprefixedHexToBytes(keyHex), value]),
      );
      account.storageRoot = trie.root();
      storage.set(addressHex, { before, after: account.storageRoot, slots: written });
      await this.putAccount(address, account);
    }
    const accounts = new Map<string, Uint8Array | null>();
    for (const [addressHex, { accountRLP }] of caches?.account?.flush() ?? []) accounts.set(addressHex, accountRLP ?? null);
    await applyTrieWrites(
      this._trie,
      [...accounts].map(([addressHex, rlp]): TrieWrite => [unprefixedHexToBytes(addressHex), rlp]),
    );
    // What this flush wrote, for the reads of this state manager and its copies (see `RememberedReads`).
    const to = this._trie.root();
    if (!equalsBytes(from, to)) this.transitions.record(from, { to, accounts, storage });
  }

  /** A view of the same trie database at another root, sharing the preimage record. */
  override shallowCopy(downlevelCaches = true): DevnetStateManager {
    const copy = new DevnetStateManager(
      { common: this.common, trie: this._trie.shallowCopy(false), caches: this._caches?.shallowCopy(downlevelCaches) },
      { addresses: this.addresses, storageKeys: this.storageKeys },
      this.transitions,
    );
    return copy;
  }
}
