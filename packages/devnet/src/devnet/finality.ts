/**
 * Finality as users ask about it: the level a transaction or an L2 block has reached, with the batch,
 * the claim on Bitcoin and the window behind it.
 *
 * @module
 */
import type { SettlementEngine } from "../rollup/engine.js";
import type { BatchRecord, BatchStatus } from "../rollup/types.js";
import { quantity } from "../rpc/format.js";
import type { DevnetCore } from "./core.js";

/** pending (in the pool) → soft (in an L2 block) → anchored (claim confirmed on Bitcoin) → hard (window closed), or invalidated. */
export const FINALITY_LEVELS = ["pending", "soft", "anchored", "hard", "invalidated"] as const;
export type FinalityLevel = (typeof FINALITY_LEVELS)[number];

/** Order of the levels a block moves through (invalidated is off the path). */
export function levelRank(level: FinalityLevel): number {
  return ["pending", "soft", "anchored", "hard"].indexOf(level);
}

/** A batch as the RPC shows it. */
export function batchView(engine: SettlementEngine, b: BatchRecord) {
  const ref = (r: { txid: string; height?: number } | undefined) =>
    r && { txid: r.txid, height: r.height ?? null, confirmations: engine.confirmations(r) };
  return {
    index: b.index,
    claimChain: b.chain,
    mode: b.mode,
    status: batchStatus(engine, b),
    firstBlock: quantity(BigInt(b.firstBlock)),
    lastBlock: quantity(BigInt(b.lastBlock)),
    preStateRoot: b.preStateRoot,
    postStateRoot: b.postStateRoot,
    transactionsRoot: b.transactionsRoot,
    withdrawalsRoot: b.withdrawalsRoot,
    commitment: b.commitment,
    claim: ref(b.claim),
    anchoredAt: b.claim.height === undefined ? null : b.claim.height + engine.config.confirmations - 1,
    windowClosesAt: b.mode === "optimistic" && b.claim.height !== undefined ? b.claim.height + b.windowBlocks : null,
    take: ref(b.take) ?? null,
    challenge: ref(b.challenge) ?? null,
    assert: ref(b.assert) ?? null,
    disprove: ref(b.disprove) ?? null,
    proof: b.proof ? { simulated: true, proof: b.proof, verified: b.proofVerified ?? null } : null,
    fraudulent: b.fraudulent,
    watcher: b.reexecuted === false ? "checked against the blocks' headers (their state predates a state load)" : "re-executed",
    invalidated: b.invalidated?.reason ?? null,
  };
}

export function batchStatus(engine: SettlementEngine, b: BatchRecord): BatchStatus {
  if (b.disprove?.height !== undefined) return "disproved";
  if (b.invalidated) return "invalidated";
  if (engine.isFinal(b)) return "final";
  if (b.assert?.height !== undefined) return "asserted";
  if (b.challenge?.height !== undefined) return "challenged";
  if (engine.isAnchored(b)) return "anchored";
  return b.claim.height === undefined ? "posted" : "claimed";
}

/** The level of L2 block `n` and what it rests on. */
export function blockFinality(core: DevnetCore, engine: SettlementEngine | undefined, n: bigint) {
  const batch = engine?.batchOf(n);
  let level: FinalityLevel = "soft";
  if (engine && batch) {
    if (batch.invalidated) level = "invalidated";
    else if (engine.isFinal(batch)) level = "hard";
    else if (engine.isAnchored(batch)) level = "anchored";
  }
  const block = core.chain.store.byNumber(n);
  return {
    level,
    blockNumber: quantity(n),
    blockHash: block?.hash ?? null,
    batch: batch?.index ?? null,
    claim: batch
      ? { txid: batch.claim.txid, height: batch.claim.height ?? null, confirmations: engine?.confirmations(batch.claim) ?? 0 }
      : null,
    windowClosesAt:
      batch && batch.mode === "optimistic" && batch.claim.height !== undefined ? batch.claim.height + batch.windowBlocks : null,
    invalidated: batch?.invalidated?.reason ?? null,
  };
}
