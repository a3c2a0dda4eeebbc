/**
 * Time-warp: moving the one clock forward, after which everything that fell due (Bitcoin blocks with
 * their claims, confirmations, windows closing) has happened. No L2 block is mined by a warp.
 *
 * @module
 */
import { MAX_TIMESTAMP } from "../clock/clock.js";
import { DevnetError } from "../errors.js";
import type { DevnetCore } from "./core.js";
import { blockFinality, type FinalityLevel, levelRank } from "./finality.js";
import { MAX_BITCOIN_TIME, PREMINE_BLOCKS } from "./settlement.js";

/** Longest single warp: ten years. */
export const MAX_WARP_SECONDS = 10 * 365 * 24 * 3600;

export interface WarpResult {
  /** Virtual time before and after, unix seconds. */
  from: number;
  to: number;
  bitcoinBlocks: number;
}

/** Moves the clock `seconds` forward and produces what fell due. Call inside `chain.exclusive`. */
export async function warpBy(core: DevnetCore, seconds: bigint): Promise<WarpResult> {
  if (seconds <= 0n || seconds > BigInt(MAX_WARP_SECONDS)) {
    throw new DevnetError("INVALID_PARAMS", `bitlayer_warp: seconds must be between 1 and ${MAX_WARP_SECONDS} (10 years), got ${seconds}`);
  }
  const from = core.clock.now();
  const to = from + Number(seconds);
  if (to > MAX_TIMESTAMP) throw new DevnetError("INVALID_PARAMS", `bitlayer_warp: the clock may not pass ${MAX_TIMESTAMP}`);
  const settlement = core.settlement;
  const t = settlement.config.bitcoinBlockTime;
  const lastDue = Math.min(to, MAX_BITCOIN_TIME);
  // A jump longer than the catch-up bound produces only its latest slots (see Settlement.maxCatchUp).
  const blocks = Math.min(Math.max(0, Math.floor((lastDue - settlement.nextDue()) / t) + 1), settlement.maxCatchUp);
  const height = settlement.loaded?.bitcoin.height ?? PREMINE_BLOCKS;
  const max = settlement.config.maxBitcoinBlocks;
  if (height + blocks >= max) {
    throw new DevnetError(
      "LIMIT_EXCEEDED",
      `bitlayer_warp: ${seconds} s would take ${blocks} Bitcoin blocks, past the simulated chain's bound of ${max} blocks (bitcoin.maxBlocks, at most MAX_BITCOIN_BLOCKS); nothing changed`,
    );
  }
  core.clock.setNow(to);
  const produced = await settlement.catchUp();
  return { from, to, bitcoinBlocks: produced };
}

/** What a warp-until waits for: an L2 block, found by number or through a transaction. */
export type WarpTarget = { kind: "block"; number: bigint } | { kind: "tx"; hash: string };

/** The L2 block a target names; errors for unknown, pending or dropped ones. */
export function targetBlock(core: DevnetCore, target: WarpTarget): bigint {
  if (target.kind === "block") {
    if (target.number > core.chain.store.height) {
      throw new DevnetError("UNKNOWN_BLOCK", `block ${target.number} not found: the latest block is ${core.chain.store.height}`);
    }
    return target.number;
  }
  const loc = core.chain.store.findTx(target.hash);
  if (loc) return loc.block.number;
  if (core.chain.pool.get(target.hash)) {
    throw new DevnetError("INVALID_PARAMS", `transaction ${target.hash} is pending: it has no block yet (mine one with evm_mine)`);
  }
  throw new DevnetError("UNKNOWN_TRANSACTION", `transaction ${target.hash} not found`);
}

/**
 * Warps Bitcoin block by Bitcoin block until the target reaches `level` (anchored or hard). Refused
 * when the target is invalidated or cannot get there (the L2 is halted). Call inside `chain.exclusive`.
 */
export async function warpUntil(core: DevnetCore, target: WarpTarget, level: FinalityLevel): Promise<WarpResult> {
  if (level !== "anchored" && level !== "hard") {
    throw new DevnetError("INVALID_PARAMS", `bitlayer_warp: can warp until "anchored" or "hard", not "${level}"`);
  }
  const n = targetBlock(core, target);
  const settlement = core.settlement;
  const engine = await settlement.load();
  const { confirmations, windowBlocks, assertBlocks } = settlement.config;
  // Sealing (1 block) + confirmations + the window, and a dispute's blocks: past this it will not happen.
  const bound = 2 + confirmations + windowBlocks + assertBlocks + 4;
  const from = core.clock.now();
  let produced = 0;
  for (;;) {
    const now = blockFinality(core, engine, n);
    if (now.level === "invalidated") {
      throw new DevnetError("L2_HALTED", `block ${n} was invalidated: ${now.invalidated}`, { data: { batch: now.batch } });
    }
    if (levelRank(now.level) >= levelRank(level)) break;
    if (core.chain.halted && now.batch === null) throw core.chain.halted;
    if (produced >= bound || engine.bitcoin.height + 1 >= settlement.config.maxBitcoinBlocks || settlement.nextDue() > MAX_BITCOIN_TIME) {
      throw new DevnetError("LIMIT_EXCEEDED", `block ${n} did not become ${level} within ${produced} Bitcoin blocks`);
    }
    core.clock.setNow(Math.max(core.clock.now(), settlement.nextDue()));
    produced += await settlement.catchUp();
  }
  return { from, to: core.clock.now(), bitcoinBlocks: produced };
}
