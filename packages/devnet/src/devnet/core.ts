import { EventEmitter } from "node:events";
import { type ClockState, VirtualClock } from "../clock/clock.js";
import { DevnetError } from "../errors.js";
import type { CallTarget } from "../l2/call.js";
import { L2Chain } from "../l2/chain.js";
import { canRestoreL2Snapshot, type L2Snapshot, restoreL2Snapshot, takeL2Snapshot } from "../l2/snapshot.js";
import type { StoredBlock } from "../l2/types.js";
import type { Connection } from "../rpc/context.js";
import { FilterManager } from "../rpc/filters.js";
import type { MethodRegistry } from "../rpc/registry.js";
import type { BlockTagValue } from "../rpc/schemas.js";
import { SubscriptionRegistry } from "../rpc/subscriptions.js";
import { FinalityTracker } from "./finality.js";
import { type DevnetOptions, resolveOptions } from "./options.js";

interface Snapshot {
  l2: L2Snapshot;
  clock: ClockState;
  finality: { safe: string; finalized: string };
}

/**
 * The engine behind a devnet: one clock, the L2 chain, finality levels,
 * filters and snapshots, and the method registry that serves them all.
 */
export class DevnetCore extends EventEmitter {
  readonly clock: VirtualClock;
  readonly chain: L2Chain;
  readonly finality: FinalityTracker;
  readonly filters: FilterManager;
  readonly registry: MethodRegistry;
  /** Live eth_subscribe subscriptions, each kept with its connection. */
  readonly subscriptions: SubscriptionRegistry;
  private readonly snapshots = new Map<bigint, Snapshot>();
  private nextSnapshotId = 1n;
  private closed = false;

  private constructor(clock: VirtualClock, chain: L2Chain, registry: MethodRegistry) {
    super();
    this.clock = clock;
    this.chain = chain;
    this.finality = new FinalityTracker(chain);
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
    return new DevnetCore(clock, chain, registry);
  }

  /** Dispatches one JSON-RPC call through the registry. */
  request(method: string, params: unknown, connection?: Connection): Promise<unknown> {
    if (this.closed) return Promise.reject(new DevnetError("DEVNET_CLOSED", "the devnet is closed"));
    return this.registry.call({ core: this, connection }, method, params);
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
          return this.atHeight(this.finality.safe());
        case "finalized":
          return this.atHeight(this.finality.finalized());
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

  /** evm_snapshot: saves everything (L2, clock, finality) and returns its id. */
  async snapshot(): Promise<bigint> {
    return this.chain.exclusive(async () => {
      const id = this.nextSnapshotId++;
      this.snapshots.set(id, { l2: await takeL2Snapshot(this.chain), clock: this.clock.state(), finality: this.finality.state() });
      return id;
    });
  }

  /**
   * evm_revert: restores a snapshot; it and every later one are used up (Hardhat semantics).
   * A snapshot that can no longer be restored is refused (false) before anything changes.
   */
  async revert(id: bigint): Promise<boolean> {
    return this.chain.exclusive(async () => {
      const snap = this.snapshots.get(id);
      if (!snap || !(await canRestoreL2Snapshot(this.chain, snap.l2))) return false;
      await restoreL2Snapshot(this.chain, snap.l2);
      this.clock.restore(snap.clock);
      this.finality.restore(snap.finality);
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
      this.nextSnapshotId = 1n;
      this.clock.reset();
      await this.chain.reset();
      this.finality.restore({ safe: "0", finalized: "0" });
      this.filters.clear();
    });
  }

  close(): void {
    this.closed = true;
    this.chain.close();
  }
}
