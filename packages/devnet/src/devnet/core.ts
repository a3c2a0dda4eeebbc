import { EventEmitter } from "node:events";
import { type ClockState, VirtualClock } from "../clock/clock.js";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import type { CallTarget } from "../l2/call.js";
import { L2Chain } from "../l2/chain.js";
import { canRestoreL2Snapshot, type L2Snapshot, restoreL2Snapshot, takeL2Snapshot } from "../l2/snapshot.js";
import type { StoredBlock } from "../l2/types.js";
import type { HaltInfo } from "../rollup/types.js";
import type { RequestSource } from "../rpc/context.js";
import { FilterManager } from "../rpc/filters.js";
import type { MethodRegistry } from "../rpc/registry.js";
import type { BlockTagValue } from "../rpc/schemas.js";
import { SubscriptionRegistry } from "../rpc/subscriptions.js";
import { type DevnetOptions, resolveOptions } from "./options.js";
import { Settlement, type SettlementSnapshot } from "./settlement.js";

interface Snapshot {
  l2: L2Snapshot;
  clock: ClockState;
  settlement: SettlementSnapshot;
}

/** The error every refused transaction or block gets while the L2 is halted. */
export function haltError(halt: HaltInfo): DevnetError {
  return new DevnetError(
    "L2_HALTED",
    `the L2 is halted: ${halt.reason}, in Bitcoin block ${halt.bitcoinHeight} (${halt.bitcoinBlock}). bitlayer_recover rolls back to ${
      halt.forced === undefined ? "the last valid batch" : `the last hard-final block (${halt.rollbackTo})`
    } and resumes`,
    {
      data:
        halt.forced === undefined
          ? { batch: halt.batch, bitcoinHeight: halt.bitcoinHeight, bitcoinBlock: halt.bitcoinBlock }
          : { forced: halt.forced, rollbackTo: halt.rollbackTo, bitcoinHeight: halt.bitcoinHeight, bitcoinBlock: halt.bitcoinBlock },
    },
  );
}

/**
 * The engine behind a devnet: one clock, the L2 chain, finality levels,
 * filters and snapshots, and the method registry that serves them all.
 */
export class DevnetCore extends EventEmitter {
  readonly clock: VirtualClock;
  readonly chain: L2Chain;
  /** Bitcoin and the rollup: batches, claims, watcher, finality levels. */
  readonly settlement: Settlement;
  readonly filters: FilterManager;
  readonly registry: MethodRegistry;
  /** Live eth_subscribe subscriptions, each kept with its connection. */
  readonly subscriptions: SubscriptionRegistry;
  private readonly snapshots = new Map<bigint, Snapshot>();
  /** Blocks a recovery dropped, by hash: a snapshot taken before it can bring them back. */
  private readonly orphans = new Map<string, StoredBlock>();
  private nextSnapshotId = 1n;
  private closed = false;

  private timer: NodeJS.Timeout | undefined;

  private constructor(
    clock: VirtualClock,
    chain: L2Chain,
    registry: MethodRegistry,
    settlement: ReturnType<typeof resolveOptions>["settlement"],
  ) {
    super();
    this.clock = clock;
    this.chain = chain;
    this.settlement = new Settlement(settlement, clock, chain, (halt) => {
      chain.halted = halt ? haltError(halt) : undefined;
      this.emit("halt", halt);
    });
    this.filters = new FilterManager(chain);
    this.subscriptions = new SubscriptionRegistry(chain);
    this.registry = registry;
  }

  /**
   * The registry is handed in (createDevnet composes it from every part's methods), so the core
   * does not import the methods that import the core.
   */
  static async create(options: DevnetOptions, registry: MethodRegistry): Promise<DevnetCore> {
    const resolved = resolveOptions(options);
    const clock = new VirtualClock(resolved.clock);
    const chain = await L2Chain.create(resolved.chain, clock);
    const core = new DevnetCore(clock, chain, registry, resolved.settlement);
    core.schedule();
    return core;
  }

  /**
   * Dispatches one JSON-RPC call through the registry, after the block being sealed is in the chain (a
   * send may have been answered before, see L2Chain's `sealed`) and whatever the clock made due (Bitcoin
   * blocks, claims, windows closing) has happened.
   */
  async request(method: string, params: unknown, source: RequestSource = {}): Promise<unknown> {
    if (this.closed) throw new DevnetError("DEVNET_CLOSED", "the devnet is closed");
    for (let sealing = this.chain.sealed(); sealing; sealing = this.chain.sealed()) await sealing;
    await this.catchUp();
    return this.registry.call({ core: this, ...source }, method, params);
  }

  /**
   * Work for a moment when no request waits (the server calls it between requests): the watcher keeps up
   * with the chain, a block at a time (Settlement.keepUp). Whether there is more of it.
   */
  async idle(): Promise<boolean> {
    if (this.closed || this.chain.sealed() || !this.settlement.loaded) return false;
    return this.chain.exclusive(() => this.settlement.keepUp());
  }

  /** Produces the Bitcoin blocks (and their settlement steps) the clock has made due. */
  async catchUp(): Promise<void> {
    if (!this.settlement.due()) return;
    await this.chain.exclusive(() => this.settlement.catchUp());
    this.schedule();
  }

  /**
   * On a devnet that follows the wall clock, Bitcoin blocks come on their own: a timer wakes up when
   * the next one is due (requests catch up by themselves, so the timer only matters when idle).
   */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || !this.clock.followsWallClock) return;
    const delayMs = Math.max(0, (this.settlement.nextDue() - this.clock.now()) * 1000);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.catchUp().then(
          () => this.schedule(),
          (error) => this.emit("error", error),
        );
      },
      Math.min(delayMs, 2 ** 31 - 1),
    );
    this.timer.unref();
  }

  /** Resolves a block tag to a block; throws UNKNOWN_BLOCK when there is none. */
  resolveBlock(tag: BlockTagValue | undefined): CallTarget {
    const store = this.chain.store;
    if (!tag || tag.kind === "tag") {
      const name = tag?.tag ?? "latest";
      switch (name) {
        case "latest":
        case "pending":
          return { block: store.head, live: true };
        case "earliest":
          return this.atHeight(0n);
        case "safe":
          return this.atHeight(this.clamp(this.settlement.levels().safe));
        case "finalized":
          return this.atHeight(this.clamp(this.settlement.levels().finalized));
      }
    }
    const block = tag.kind === "number" ? store.byNumber(tag.number) : store.getByHash(tag.hash);
    if (!block) {
      const name = tag.kind === "number" ? `${tag.number} not found: the latest block is ${store.height}` : `${tag.hash} not found`;
      throw new DevnetError("UNKNOWN_BLOCK", `block ${name}`);
    }
    // The latest block named by number or hash is `latest`, as in Hardhat: it shows what the test
    // controls (hardhat_setBalance & co.) changed since it was mined, not only its sealed state root.
    return { block, live: block === store.head };
  }

  private clamp(n: bigint): bigint {
    return n < this.chain.store.height ? n : this.chain.store.height;
  }

  private atHeight(n: bigint): CallTarget {
    const block = this.chain.store.byNumber(n) as StoredBlock;
    return { block, live: block === this.chain.store.head };
  }

  /** A block by tag for eth_getBlockBy*: null (not an error) when it does not exist. */
  findBlock(tag: BlockTagValue): StoredBlock | null {
    try {
      return this.resolveBlock(tag).block;
    } catch (error) {
      if (error instanceof DevnetError && error.code === "UNKNOWN_BLOCK") return null;
      throw error;
    }
  }

  /** evm_snapshot: saves everything (L2, clock, Bitcoin, rollup) and returns its id. */
  async snapshot(): Promise<bigint> {
    return this.chain.exclusive(async () => {
      const id = this.nextSnapshotId++;
      this.snapshots.set(id, { l2: await takeL2Snapshot(this.chain), clock: this.clock.state(), settlement: this.settlement.snapshot() });
      return id;
    });
  }

  /** Keeps blocks a recovery dropped, for the snapshots taken before it (cleared with them). */
  keepOrphans(blocks: readonly StoredBlock[]): void {
    if (this.snapshots.size === 0) return;
    for (const b of blocks) this.orphans.set(b.hash, b);
  }

  /** The dropped blocks that lead from the chain to block `hash`, oldest first, or undefined. */
  private orphanPath(hash: string): StoredBlock[] | undefined {
    const path: StoredBlock[] = [];
    for (let b = this.orphans.get(hash); b; b = this.orphans.get(bytesToHex(b.block.header.parentHash))) {
      path.unshift(b);
      const parent = this.chain.store.getByHash(bytesToHex(b.block.header.parentHash));
      if (parent && parent.number === b.number - 1n) return path;
    }
    return undefined;
  }

  /**
   * evm_revert: restores a snapshot; it and every later one are used up (Hardhat semantics).
   * A snapshot that can no longer be restored is refused (false) before anything changes.
   */
  async revert(id: bigint): Promise<boolean> {
    return this.chain.exclusive(async () => {
      const snap = this.snapshots.get(id);
      if (!snap || !this.settlement.canRestore(snap.settlement)) return false;
      // Blocks a recovery dropped since the snapshot come back first.
      const path = (await canRestoreL2Snapshot(this.chain, snap.l2)) ? [] : this.orphanPath(snap.l2.headHash);
      if (!path || (path.length > 0 && !(await this.chain.state.hasStateRoot(snap.l2.stateRoot)))) return false;
      if (path.length > 0) {
        this.chain.store.truncate((path[0] as StoredBlock).number - 1n);
        for (const b of path) this.chain.store.append(b);
      }
      await restoreL2Snapshot(this.chain, snap.l2);
      this.clock.restore(snap.clock);
      this.settlement.restore(snap.settlement);
      for (const key of [...this.snapshots.keys()]) if (key >= id) this.snapshots.delete(key);
      return true;
    });
  }

  /**
   * Forgets every snapshot: a state load replaces the chain and its state database, so none of
   * them can be restored (evm_revert then answers false, as for an unknown id).
   */
  discardSnapshots(): void {
    this.snapshots.clear();
    this.orphans.clear();
  }

  /**
   * hardhat_reset: a fresh start in every way, as a new devnet with the same options (Hardhat
   * builds a new provider): genesis, clock, mining mode, pool, impersonations, rotation,
   * finality, snapshots (ids restart at 1) and filters. Call sites that hold chain-level
   * overrides reset them in `L2Chain.install()`.
   */
  async reset(): Promise<void> {
    await this.chain.exclusive(async () => {
      this.snapshots.clear();
      this.orphans.clear();
      this.nextSnapshotId = 1n;
      this.clock.reset();
      await this.chain.reset();
      this.settlement.reset();
      this.filters.clear();
    });
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.chain.close();
  }
}
