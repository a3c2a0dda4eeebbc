/**
 * The devnet's settlement layer as the core sees it: Bitcoin blocks on the clock's cadence, and the
 * rollup engine behind them, loaded on first need (bitcoinjs-lib costs ~150 ms to import: a devnet
 * that never reaches its first Bitcoin block, or is never asked about Bitcoin, never pays it).
 *
 * @module
 */
import type { Block } from "bitcoinjs-lib";
import { z } from "zod";
import type { BitcoinChain, BitcoinChainState } from "../bitcoin/index.js";
import type { VirtualClock } from "../clock/clock.js";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "../l2/chain.js";
import type { SettlementConfig, SettlementData, SettlementEngine } from "../rollup/engine.js";
import type { HaltInfo } from "../rollup/types.js";

/** Blocks mined before the devnet's genesis, so that coinbases have matured (100 blocks) for the operator and the wallet. */
export const PREMINE_BLOCKS = 110;

/** Most Bitcoin blocks the simulated chain holds: each stays in memory. Past it, Bitcoin stops producing blocks. */
export const MAX_BITCOIN_BLOCKS = 200_000;

/** Latest time a Bitcoin header can carry (its time field is 32 bits). */
export const MAX_BITCOIN_TIME = 0xffffffff;

/** The settlement layer's part of a snapshot. */
export interface SettlementSnapshot {
  cadence: number;
  engine?: { bitcoin: BitcoinChainState; data: SettlementData };
}

/** The settlement layer's part of a state file. */
export type SettlementState = SettlementSnapshot;

const savedSchema = z
  .object({
    cadence: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32),
    engine: z.object({ bitcoin: z.unknown(), data: z.unknown() }).strict().optional(),
  })
  .strict();

/** Why saved rollup data does not fit the saved chains, or undefined. */
function dataProblem(data: SettlementData, bitcoin: BitcoinChain, l2Height: bigint): string | undefined {
  for (const [i, b] of data.batches.entries()) {
    if (b.index !== i) return `batch ${i} says it is batch ${b.index}`;
    if (BigInt(b.firstBlock) > BigInt(b.lastBlock) || BigInt(b.firstBlock) === 0n) return `batch ${i} has no valid block range`;
    if (!b.invalidated && BigInt(b.lastBlock) > l2Height) return `batch ${i} ends at block ${b.lastBlock}, past the saved L2's ${l2Height}`;
    for (const [kind, ref] of Object.entries({
      claim: b.claim,
      take: b.take,
      challenge: b.challenge,
      assert: b.assert,
      disprove: b.disprove,
    })) {
      if (!ref) continue;
      const found = bitcoin.getTransaction(ref.txid);
      if (!found) return `the ${kind} ${ref.txid} of batch ${i} is not on the saved Bitcoin chain`;
      if (found.height !== ref.height) return `the ${kind} ${ref.txid} of batch ${i} is not at the height saved for it`;
    }
  }
  if (BigInt(data.lastSealed) > l2Height) return `the last sealed block ${data.lastSealed} is past the saved L2's ${l2Height}`;
  if (data.halt) {
    if (data.halt.batch >= data.batches.length) return `the halt names batch ${data.halt.batch}, which does not exist`;
    if (bitcoin.getBlock(data.halt.bitcoinHeight)?.getId() !== data.halt.bitcoinBlock)
      return "the halt's Bitcoin block is not on the saved chain";
  }
  const c = data.connector;
  const coin = bitcoin.getCoin(c.txid, c.vout) ?? bitcoin.getTransaction(c.txid)?.tx.outs[c.vout];
  if (!coin || coin.value.toString() !== c.value) return `the operator's connector ${c.txid}:${c.vout} is not an output of that value`;
  return undefined;
}

export class Settlement {
  /** Scheduled Bitcoin blocks produced so far: the next is due at genesis + (cadence + 1) × block time. */
  private cadence = 0;
  private engine: SettlementEngine | undefined;
  private loading: Promise<SettlementEngine> | undefined;

  constructor(
    readonly config: SettlementConfig & { watcher: boolean },
    private readonly clock: VirtualClock,
    private readonly l2: L2Chain,
    private readonly onHalt: (info: HaltInfo | undefined) => void,
  ) {}

  /** Virtual time of the next scheduled Bitcoin block. */
  nextDue(): number {
    return this.clock.genesisTimestamp + (this.cadence + 1) * this.config.bitcoinBlockTime;
  }

  /** Whether scheduled Bitcoin blocks are due (a cheap check, made before every request). */
  due(): boolean {
    const next = this.nextDue();
    return this.clock.now() >= next && next <= MAX_BITCOIN_TIME && (this.engine?.bitcoin.height ?? 0) < MAX_BITCOIN_BLOCKS - 1;
  }

  get loaded(): SettlementEngine | undefined {
    return this.engine;
  }

  /** The engine, built on first need: a Bitcoin chain with its premined blocks and an empty rollup. */
  load(): Promise<SettlementEngine> {
    if (this.engine) return Promise.resolve(this.engine);
    this.loading ??= this.build().then(
      (engine) => {
        this.engine = engine;
        this.loading = undefined;
        return engine;
      },
      (error) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private async build(): Promise<SettlementEngine> {
    const [{ BitcoinChain }, { SettlementEngine: Engine, protocolKeys }, { connectorOutput }] = await Promise.all([
      import("../bitcoin/index.js"),
      import("../rollup/engine.js"),
      import("../rollup/protocol.js"),
    ]);
    const bitcoin: BitcoinChain = new BitcoinChain();
    const operator = connectorOutput(protocolKeys()).script;
    const t = this.config.bitcoinBlockTime;
    const genesis = this.clock.genesisTimestamp;
    const premined: Block[] = [];
    for (let k = 1; k <= PREMINE_BLOCKS; k++) {
      const timestamp = Math.min(Math.max(genesis - (PREMINE_BLOCKS - k) * t, 0), MAX_BITCOIN_TIME);
      premined.push(...bitcoin.mine({ timestamp, payoutScript: k === 1 ? operator : this.minerScript() }));
    }
    const funding = premined[0].transactions?.[0];
    if (!funding) throw new Error("premine failed");
    const data: SettlementData = {
      batches: [],
      lastSealed: "0",
      claimChain: 0,
      connector: { txid: funding.getId(), vout: 0, value: funding.outs[0].value.toString() },
      watcher: this.config.watcher,
    };
    return new Engine(this.config, bitcoin, this.l2, data, this.onHalt);
  }

  /** Where block rewards go: the dev wallet's mining address. */
  minerScript(): Uint8Array {
    // P2TR of a well-known devnet key until the dev wallet provides its address.
    return Uint8Array.from([0x51, 0x20, ...new Uint8Array(32).fill(0x11)]);
  }

  /**
   * Produces every scheduled Bitcoin block whose time has come, in order, each with its settlement
   * step. Call inside `chain.exclusive`.
   */
  async catchUp(): Promise<number> {
    let produced = 0;
    while (this.due()) {
      const engine = await this.load();
      await engine.step(this.nextDue(), this.minerScript());
      this.cadence++;
      produced++;
      // Let sockets be read during a long catch-up (a warp of weeks): requests still wait for the lock.
      if (produced % 256 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return produced;
  }

  /** Mines `count` blocks now (on demand), each with its settlement step. Call inside `chain.exclusive`. */
  async mine(count: number, payoutScript?: Uint8Array): Promise<string[]> {
    const engine = await this.load();
    if (engine.bitcoin.height + count >= MAX_BITCOIN_BLOCKS) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `the simulated Bitcoin chain holds at most ${MAX_BITCOIN_BLOCKS} blocks (MAX_BITCOIN_BLOCKS): ${count} more would pass it; nothing was mined`,
      );
    }
    const now = Math.min(this.clock.now(), MAX_BITCOIN_TIME);
    const hashes: string[] = [];
    for (let i = 0; i < count; i++) {
      await engine.step(now, payoutScript ?? this.minerScript());
      hashes.push(engine.bitcoin.tipHash);
    }
    return hashes;
  }

  /** Heights of the last anchored (`safe`) and hard-final (`finalized`) L2 blocks. */
  levels(): { safe: bigint; finalized: bigint } {
    return this.engine?.levels() ?? { safe: 0n, finalized: 0n };
  }

  snapshot(): SettlementSnapshot {
    if (!this.engine) return { cadence: this.cadence };
    return { cadence: this.cadence, engine: { bitcoin: this.engine.bitcoin.capture(), data: structuredClone(this.engine.data) } };
  }

  /**
   * Puts the settlement layer back as it was. A snapshot taken before Bitcoin was loaded drops the
   * engine: it is rebuilt, identically, when next needed.
   */
  async restore(snap: SettlementSnapshot): Promise<void> {
    if (snap.engine) {
      const engine = await this.load();
      engine.bitcoin.restore(snap.engine.bitcoin);
      engine.replaceData(structuredClone(snap.engine.data));
    } else {
      this.engine = undefined;
    }
    this.cadence = snap.cadence;
    this.onHalt(this.engine?.data.halt);
  }

  /**
   * Checks a saved settlement state completely against the L2 blocks it comes with (`l2Height`) and
   * builds its engine, changing nothing; the returned function installs it and cannot fail.
   * @throws Error naming the problem.
   */
  async prepareLoad(saved: unknown, l2Height: bigint): Promise<() => void> {
    const parsed = savedSchema.safeParse(saved);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`settlement.${issue.path.join(".")}: ${issue.message}`);
    }
    const { cadence, engine: savedEngine } = parsed.data;
    if (!savedEngine) {
      return () => {
        this.engine = undefined;
        this.cadence = cadence;
        this.onHalt(undefined);
      };
    }
    const { settlementDataSchema } = await import("../rollup/data-schema.js");
    const data = settlementDataSchema.safeParse(savedEngine.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      throw new Error(`settlement.engine.data.${issue.path.join(".")}: ${issue.message}`);
    }
    const fresh = this.engine ? undefined : await this.build();
    const { BitcoinChain } = await import("../bitcoin/index.js");
    const bitcoin = new BitcoinChain();
    bitcoin.restore(savedEngine.bitcoin as BitcoinChainState);
    const problem = dataProblem(data.data, bitcoin, l2Height);
    if (problem) throw new Error(`settlement: ${problem}`);
    return () => {
      this.engine ??= fresh as SettlementEngine;
      const engine = this.engine;
      engine.bitcoin.restore(savedEngine.bitcoin as BitcoinChainState);
      engine.replaceData(data.data);
      this.cadence = cadence;
      this.onHalt(data.data.halt);
    };
  }

  /** The settlement part of a state file. */
  save(): SettlementState {
    return this.snapshot();
  }

  /** hardhat_reset: as a new devnet's. */
  reset(): void {
    this.engine = undefined;
    this.cadence = 0;
    this.onHalt(undefined);
  }
}
