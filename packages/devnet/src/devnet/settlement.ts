/**
 * The devnet's settlement layer as the core sees it: Bitcoin blocks on the clock's cadence, the dev
 * wallet, and the rollup engine behind them, loaded on first need (bitcoinjs-lib costs ~150 ms to
 * import: a devnet that never reaches its first Bitcoin block, or is never asked about Bitcoin, never
 * pays it).
 *
 * @module
 */
import * as z from "zod";
import type { BitcoinChain, BitcoinChainState, BitcoinSnapshot } from "../bitcoin/index.js";
import type { BitcoinNode, BitcoinRpcHost } from "../bitcoin/rpc/index.js";
import type { BitcoinWallet, BitcoinWalletState } from "../bitcoin/wallet.js";
import type { BridgeConfig } from "../bridge/types.js";
import type { VirtualClock } from "../clock/clock.js";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "../l2/chain.js";
import type { SettlementConfig, SettlementData, SettlementEngine } from "../rollup/engine.js";
import type { HaltInfo } from "../rollup/types.js";
import { once } from "../rpc/schemas.js";

/** Blocks mined before the devnet's genesis, so that coinbases have matured (100 blocks) for the operator and the wallet. */
export const PREMINE_BLOCKS = 110;

/**
 * Who gets the premined coinbases: block 1 funds the operator's claims, blocks 11-12 the broker, blocks
 * 13-22 are the bridge's genesis reserve (500 BTC locked for the dev accounts' L2 balances, which no
 * peg-in backs), the rest the dev wallet (blocks 2-10 are mature at genesis).
 */
export const PREMINE = { operator: [1, 1], broker: [11, 12], bridgeReserve: [13, 22] } as const;

/** Most Bitcoin blocks the simulated chain holds: each stays in memory. Past it, Bitcoin stops producing blocks. */
export const MAX_BITCOIN_BLOCKS = 200_000;

/** Latest time a Bitcoin header can carry (its time field is 32 bits). */
export const MAX_BITCOIN_TIME = 0xffffffff;

/** The settlement layer's part of an evm_snapshot: in memory, cheap to take. */
export interface SettlementSnapshot {
  cadence: number;
  engine?: { bitcoin: BitcoinSnapshot; wallet: BitcoinWalletState; data: SettlementData };
}

/** The settlement layer's part of a state file: plain JSON. */
export interface SettlementState {
  /** The timing the state was made with: a devnet with other settings refuses it. */
  config: SavedTiming;
  cadence: number;
  engine?: { bitcoin: BitcoinChainState; wallet: BitcoinWalletState; data: SettlementData };
}

/** The settings a state file records: the settlement timing and the bridge's. */
type SavedTiming = SettlementConfig & { bridgeMode: BridgeConfig["mode"]; depositConfirmations: number; forceInclusionSeconds: number };

/** A state file's settlement section, built when one is first read. */
const savedSchema = once(() =>
  z
    .object({
      config: z
        .object({
          bitcoinBlockTime: z.number(),
          confirmations: z.number(),
          windowBlocks: z.number(),
          assertBlocks: z.number(),
          proofMode: z.enum(["optimistic", "validity"]),
          bridgeMode: z.enum(["standard", "broker"]),
          depositConfirmations: z.number(),
          forceInclusionSeconds: z.number(),
        })
        .strict(),
      cadence: z
        .number()
        .int()
        .min(0)
        .max(2 ** 32),
      engine: z.object({ bitcoin: z.unknown(), wallet: z.unknown(), data: z.unknown() }).strict().optional(),
    })
    .strict(),
);

/** What loading builds: the engine and the wallet that share one Bitcoin chain. */
interface Loaded {
  engine: SettlementEngine;
  wallet: BitcoinWallet;
  /** Where block rewards go: the dev wallet's first address. */
  minerScript: Uint8Array;
}

function firstIssue(error: z.ZodError, prefix: string): Error {
  const issue = error.issues[0];
  return new Error(`${prefix}${issue.path.join(".")}: ${issue.message}`);
}

export class Settlement {
  /** Scheduled Bitcoin blocks produced or skipped so far: the next is due at genesis + (cadence + 1) × block time. */
  private cadence = 0;
  private parts: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;

  constructor(
    readonly config: SettlementConfig & { watcher: boolean; maxBitcoinBlocks: number; bridge: BridgeConfig },
    private readonly clock: VirtualClock,
    private readonly l2: L2Chain,
    private readonly onHalt: (info: HaltInfo | undefined) => void,
  ) {}

  /**
   * Most scheduled blocks one catch-up produces: enough to carry any batch from its claim through a
   * dispute or its whole window. A longer jump of the clock (a year in one evm_increaseTime) produces
   * the latest ones of its slots; the earlier slots stay empty, as if nobody had mined.
   */
  get maxCatchUp(): number {
    const c = this.config;
    return Math.max(1000, 2 * (c.windowBlocks + c.confirmations + c.assertBlocks));
  }

  /** Virtual time of the next scheduled Bitcoin block. */
  nextDue(): number {
    return this.clock.genesisTimestamp + (this.cadence + 1) * this.config.bitcoinBlockTime;
  }

  /** Whether scheduled Bitcoin blocks are due (a cheap check, made before every request). */
  due(): boolean {
    const next = this.nextDue();
    return (
      this.clock.now() >= next && next <= MAX_BITCOIN_TIME && (this.parts?.engine.bitcoin.height ?? 0) < this.config.maxBitcoinBlocks - 1
    );
  }

  /** The engine, if Bitcoin was loaded. */
  get loaded(): SettlementEngine | undefined {
    return this.parts?.engine;
  }

  /** The dev wallet (and the engine it shares the chain with), built on first need. */
  async wallet(): Promise<{ engine: SettlementEngine; wallet: BitcoinWallet }> {
    const { engine, wallet } = await this.loadParts();
    return { engine, wallet };
  }

  /** The engine, built on first need: a Bitcoin chain with its premined blocks, the wallet, an empty rollup. */
  async load(): Promise<SettlementEngine> {
    return (await this.loadParts()).engine;
  }

  private loadParts(): Promise<Loaded> {
    if (this.parts) return Promise.resolve(this.parts);
    this.loading ??= this.build().then(
      (parts) => {
        this.install(parts);
        this.loading = undefined;
        return parts;
      },
      (error) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private async build(): Promise<Loaded> {
    const [
      { BitcoinChain },
      { BitcoinWallet },
      { addressToScript },
      { SettlementEngine: Engine, protocolKeys },
      { connectorOutput },
      { bridgePayers, emptyBridgeData },
    ] = await Promise.all([
      import("../bitcoin/index.js"),
      import("../bitcoin/wallet.js"),
      import("../bitcoin/rpc/index.js"),
      import("../rollup/engine.js"),
      import("../rollup/protocol.js"),
      import("../bridge/engine.js"),
    ]);
    const bitcoin = new BitcoinChain();
    const wallet = new BitcoinWallet(bitcoin, { mnemonic: this.l2.config.mnemonic });
    const minerScript = addressToScript(wallet.getNewAddress());
    if (!minerScript) throw new Error("the dev wallet gave no address");
    const operator = connectorOutput(protocolKeys()).script;
    const payers = bridgePayers();
    const within = (k: number, [a, b]: readonly [number, number]) => k >= a && k <= b;
    const payee = (k: number) =>
      within(k, PREMINE.operator)
        ? operator
        : within(k, PREMINE.broker)
          ? payers.broker.output.script
          : within(k, PREMINE.bridgeReserve)
            ? payers.bridge.output.script
            : minerScript;
    const t = this.config.bitcoinBlockTime;
    const genesis = this.clock.genesisTimestamp;
    let funding: { txid: string; value: bigint } | undefined;
    for (let k = 1; k <= PREMINE_BLOCKS; k++) {
      const timestamp = Math.min(Math.max(genesis - (PREMINE_BLOCKS - k) * t, 0), MAX_BITCOIN_TIME);
      const [block] = bitcoin.mine({ timestamp, payoutScript: payee(k) });
      const coinbase = block.transactions?.[0];
      if (k === 1 && coinbase) funding = { txid: coinbase.getId(), value: coinbase.outs[0].value };
    }
    if (!funding) throw new Error("premine failed");
    const data: SettlementData = {
      batches: [],
      claimChain: 0,
      connector: { txid: funding.txid, vout: 0, value: funding.value.toString() },
      watcher: this.config.watcher,
      bridge: emptyBridgeData(),
    };
    return { engine: new Engine(this.config, this.config.bridge, bitcoin, this.l2, data, this.onHalt), wallet, minerScript };
  }

  /**
   * The watcher runs one more L2 block ahead of the next batch's sealing (SettlementEngine.keepUp), if the
   * Bitcoin side is up and no Bitcoin block is due. Whether it ran one. Call inside `chain.exclusive`.
   */
  async keepUp(): Promise<boolean> {
    const engine = this.parts?.engine;
    if (!engine || this.due()) return false;
    return engine.keepUp(this.nextDue());
  }

  /**
   * Produces the scheduled Bitcoin blocks whose time has come, in order, each with its settlement
   * step (at most `maxCatchUp`: the latest ones). Returns how many. Call inside `chain.exclusive`.
   */
  async catchUp(): Promise<number> {
    if (!this.due()) return 0;
    const parts = await this.loadParts();
    const t = this.config.bitcoinBlockTime;
    const horizon = Math.min(this.clock.now(), MAX_BITCOIN_TIME);
    const slots = Math.floor((horizon - this.clock.genesisTimestamp) / t) - this.cadence;
    if (slots > this.maxCatchUp) this.cadence += slots - this.maxCatchUp;
    let produced = 0;
    while (this.due()) {
      await this.step(parts, this.nextDue(), parts.minerScript);
      this.cadence++;
      produced++;
      // Let sockets be read during a long catch-up (a warp of weeks): requests still wait for the lock.
      if (produced % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return produced;
  }

  /** Mines `count` blocks now (on demand), each with its settlement step. Call inside `chain.exclusive`. */
  async mine(count: number, payoutScript?: Uint8Array): Promise<string[]> {
    const parts = await this.loadParts();
    const bitcoin = parts.engine.bitcoin;
    const max = this.config.maxBitcoinBlocks;
    if (bitcoin.height + count >= max) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `the simulated Bitcoin chain holds at most ${max} blocks (bitcoin.maxBlocks, at most MAX_BITCOIN_BLOCKS = ${MAX_BITCOIN_BLOCKS}): ${count} more would pass it; nothing was mined`,
      );
    }
    // Each block is stamped at least a second after the median of the last 11: the 32-bit time field must hold them all.
    const now = Math.max(this.clock.now(), bitcoin.medianTimePast() + 1);
    if (now + count > MAX_BITCOIN_TIME) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `Bitcoin block times are 32-bit: ${count} more block${count === 1 ? "" : "s"} at the devnet's time ${this.clock.now()} would pass ${MAX_BITCOIN_TIME}; nothing was mined`,
      );
    }
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      await this.step(parts, now, payoutScript ?? parts.minerScript);
      hashes.push(bitcoin.tipHash);
      if ((i + 1) % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return hashes;
  }

  /** Makes `parts` the settlement layer's, and its bridge the source of every L2 block's system transactions. */
  private install(parts: Loaded | undefined): void {
    this.parts = parts;
    this.l2.prelude = parts?.engine.bridge;
  }

  /**
   * One Bitcoin block with its settlement step; with automine, an L2 block follows when the bridge has
   * something for the L2 (a peg-in that reached its depth, a forced transaction), as a transaction would.
   */
  private async step(parts: Loaded, time: number, payoutScript: Uint8Array): Promise<void> {
    await parts.engine.step(time, payoutScript);
    if (this.l2.mining.mode !== "auto" || this.l2.halted || !parts.engine.bridge.hasUrgentWork()) return;
    try {
      // Nothing added if nothing could go in (a block gas limit too low for a mint, say).
      await this.l2.mineLocked({ skipEmpty: true });
    } catch (error) {
      // The L2 cannot take a block now (it is full, or at its last timestamp): the mint waits, Bitcoin goes on.
      if (!(error instanceof DevnetError)) throw error;
    }
  }

  /** Heights of the last anchored (`safe`) and hard-final (`finalized`) L2 blocks. */
  levels(): { safe: bigint; finalized: bigint } {
    return this.parts?.engine.levels() ?? { safe: 0n, finalized: 0n };
  }

  /** How the Bitcoin RPC server reaches the chain: after the clock's catch-up, under the devnet's lock. */
  rpcHost(catchUp: () => Promise<void>): BitcoinRpcHost {
    return {
      withBitcoin: async (fn) => {
        await catchUp();
        return this.l2.exclusive(async () => {
          const parts = await this.loadParts();
          const node: BitcoinNode = {
            chain: parts.engine.bitcoin,
            wallet: parts.wallet,
            generate: (count, script) => this.mine(count, script),
          };
          return fn(node);
        });
      },
    };
  }

  /** Cadence, wallet and rollup data as they are now, with the Bitcoin chain as `bitcoin` gives it. */
  private state<B>(bitcoin: (chain: BitcoinChain) => B): {
    cadence: number;
    engine?: { bitcoin: B; wallet: BitcoinWalletState; data: SettlementData };
  } {
    const parts = this.parts;
    if (!parts) return { cadence: this.cadence };
    return {
      cadence: this.cadence,
      engine: { bitcoin: bitcoin(parts.engine.bitcoin), wallet: parts.wallet.capture(), data: structuredClone(parts.engine.data) },
    };
  }

  snapshot(): SettlementSnapshot {
    return this.state((chain) => chain.snapshot());
  }

  /** Whether `snap` can still be restored (a state load since then replaced the Bitcoin chain). */
  canRestore(snap: SettlementSnapshot): boolean {
    if (!snap.engine) return true;
    return this.parts?.engine.bitcoin.canRollback(snap.engine.bitcoin) ?? false;
  }

  /**
   * Puts the settlement layer back as it was; check `canRestore` first. A snapshot taken before
   * Bitcoin was loaded drops the engine: it is rebuilt, identically, when next needed.
   */
  restore(snap: SettlementSnapshot): void {
    if (snap.engine && this.parts) {
      this.parts.engine.bitcoin.rollback(snap.engine.bitcoin);
      this.parts.wallet.restore(snap.engine.wallet);
      this.parts.engine.replaceData(structuredClone(snap.engine.data));
    } else {
      this.install(undefined);
    }
    this.cadence = snap.cadence;
    this.onHalt(this.parts?.engine.data.halt);
  }

  /** The settlement part of a state file. */
  save(): SettlementState {
    return { config: this.timing(), ...this.state((chain) => chain.capture()) };
  }

  /** The settings a state file must have been made with (the watcher's switch is state, not timing). */
  private timing(): SavedTiming {
    const { bitcoinBlockTime, confirmations, windowBlocks, assertBlocks, proofMode, bridge } = this.config;
    return {
      bitcoinBlockTime,
      confirmations,
      windowBlocks,
      assertBlocks,
      proofMode,
      bridgeMode: bridge.mode,
      depositConfirmations: bridge.depositConfirmations,
      forceInclusionSeconds: bridge.forceInclusionSeconds,
    };
  }

  /**
   * Checks a saved settlement state completely against the L2 blocks it comes with (`l2Height`) and
   * builds its engine, changing nothing; the returned function installs it and cannot fail.
   * @throws Error naming the problem.
   */
  async prepareLoad(saved: unknown, l2Height: bigint): Promise<() => void> {
    const parsed = savedSchema().safeParse(saved);
    if (!parsed.success) throw firstIssue(parsed.error, "settlement.");
    const { config, cadence, engine: savedEngine } = parsed.data;
    const mine = this.timing();
    const differ = (Object.keys(mine) as (keyof SavedTiming)[]).filter((k) => config[k] !== mine[k]);
    if (differ.length > 0) {
      const show = (c: SavedTiming) => differ.map((k) => `${k} ${c[k]}`).join(", ");
      throw new DevnetError(
        "STATE_FILE_INVALID",
        `incompatible state: saved with settlement settings ${show(config)}; this devnet runs ${show(mine)} (start it with the same preset and options)`,
      );
    }
    if (!savedEngine) {
      return () => {
        this.install(undefined);
        this.cadence = cadence;
        this.onHalt(undefined);
      };
    }
    const { settlementDataSchema, dataProblem } = await import("../rollup/data-schema.js");
    const data = settlementDataSchema.safeParse(savedEngine.data);
    if (!data.success) throw firstIssue(data.error, "settlement.engine.data.");
    // A fresh engine to load into: the running one stays untouched until everything is checked.
    const parts = await this.build();
    try {
      parts.engine.bitcoin.restore(savedEngine.bitcoin as BitcoinChainState);
      parts.wallet.restore(savedEngine.wallet as BitcoinWalletState);
    } catch (error) {
      throw new Error(`settlement: ${(error as Error).message}`);
    }
    if (parts.engine.bitcoin.height >= this.config.maxBitcoinBlocks) {
      throw new DevnetError(
        "STATE_FILE_INVALID",
        `incompatible state: ${parts.engine.bitcoin.height + 1} Bitcoin blocks, this devnet holds at most ${this.config.maxBitcoinBlocks} (bitcoin.maxBlocks)`,
      );
    }
    const problem = dataProblem(data.data, parts.engine.bitcoin, l2Height);
    if (problem) throw new Error(`settlement: ${problem}`);
    parts.engine.replaceData(data.data);
    return () => {
      this.install(parts);
      this.cadence = cadence;
      this.onHalt(data.data.halt);
    };
  }

  /** hardhat_reset: as a new devnet's. */
  reset(): void {
    this.install(undefined);
    this.cadence = 0;
    this.onHalt(undefined);
  }
}
