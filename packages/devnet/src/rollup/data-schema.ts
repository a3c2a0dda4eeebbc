import * as z from "zod";
import { prevoutTxid } from "../bitcoin/coins.js";
import type { BitcoinChain } from "../bitcoin/index.js";
import type { SettlementData } from "./engine.js";

/** Most batches a state file may hold (one per Bitcoin block at most). */
export const MAX_SAVED_BATCHES = 200_000;

const root = z.string().regex(/^0x[0-9a-f]{64}$/, "expected 32 bytes of lowercase 0x-hex");
const txid = z.string().regex(/^[0-9a-f]{64}$/, "expected a txid (64 lowercase hex digits)");
const blockNumber = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, "expected a decimal block number");
const height = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31);
const txRef = z.object({ txid, height: height.optional() }).strict();

const batchSchema = z
  .object({
    index: z.number().int().min(0).max(MAX_SAVED_BATCHES),
    chain: z.number().int().min(0).max(0xffff),
    mode: z.enum(["optimistic", "validity"]),
    firstBlock: blockNumber,
    lastBlock: blockNumber,
    preStateRoot: root,
    postStateRoot: root,
    transactionsRoot: root,
    withdrawalsRoot: root,
    commitment: root,
    executedRoot: root,
    reexecuted: z.boolean().optional(),
    fraudulent: z.boolean(),
    windowBlocks: z.number().int().min(0).max(0xffff),
    claim: txRef,
    take: txRef.optional(),
    challenge: txRef.optional(),
    assert: txRef.optional(),
    disprove: txRef.optional(),
    proof: root.optional(),
    proofVerified: z.boolean().optional(),
    invalidated: z
      .object({ reason: z.string().max(1000) })
      .strict()
      .optional(),
    rolledBack: z.boolean().optional(),
  })
  .strict();

/** Most bridge records (deposits, withdrawals, forced transactions) of each kind a state file may hold. */
export const MAX_SAVED_BRIDGE_RECORDS = 200_000;

const address = z.string().regex(/^0x[0-9a-f]{40}$/, "expected a lower-case address");
const sats = z.string().regex(/^(0|[1-9][0-9]{0,15})$/, "expected a decimal amount of sats");
const hexData = (max: number) =>
  z
    .string()
    .regex(/^0x([0-9a-f]{2})*$/, "expected lowercase 0x-hex data")
    .max(2 + 2 * max);
const reason = z.string().max(1000);
const records = <T extends z.ZodTypeAny>(schema: T) => z.array(schema).max(MAX_SAVED_BRIDGE_RECORDS);

const bridgeSchema = z
  .object({
    deposits: records(
      z
        .object({
          txid,
          vout: z.number().int().min(0).max(0xffff),
          amount: sats,
          height,
          recipient: address.optional(),
          problem: reason.optional(),
          mint: z.object({ l2Block: blockNumber, l2Tx: root, failed: reason.optional() }).strict().optional(),
        })
        .strict(),
    ),
    withdrawals: records(
      z
        .object({
          id: root,
          index: blockNumber,
          from: address,
          btcAddress: z.string().max(100),
          script: hexData(42),
          amount: sats,
          l2Tx: root,
          l2Block: blockNumber,
          batch: z.number().int().min(0).max(MAX_SAVED_BATCHES),
          payout: txRef.optional(),
          broker: txRef.optional(),
          escaped: txRef.optional(),
        })
        .strict(),
    ),
    forced: records(
      z
        .object({
          txid,
          height,
          deadline: z
            .number()
            .int()
            .min(0)
            .max(2 ** 53),
          raw: hexData(400_000),
          l2Tx: root.optional(),
          from: address.optional(),
          problem: reason.optional(),
          included: z.object({ l2Block: blockNumber }).strict().optional(),
          dropped: reason.optional(),
          escape: z
            .object({
              finalizedBlock: blockNumber,
              withdrawal: root.optional(),
              amount: sats.optional(),
              script: hexData(42).optional(),
              payout: txRef.optional(),
              problem: reason.optional(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    lightClientHeight: z
      .number()
      .int()
      .min(-1)
      .max(2 ** 31),
    censoring: z.boolean(),
  })
  .strict();

/** The rollup's saved data: shape and bounds (cross-checks against the chains are the loader's). */
export const settlementDataSchema: z.ZodType<SettlementData> = z
  .object({
    batches: z.array(batchSchema).max(MAX_SAVED_BATCHES),
    claimChain: z.number().int().min(0).max(0xffff),
    connector: z.object({ txid, vout: z.number().int().min(0).max(0xffff), value: blockNumber }).strict(),
    watcher: z.boolean(),
    fraud: z.union([z.literal(""), root]).optional(),
    halt: z
      .object({
        batch: z.number().int().min(0).max(MAX_SAVED_BATCHES).optional(),
        forced: txid.optional(),
        rollbackTo: blockNumber.optional(),
        bitcoinHeight: height,
        bitcoinBlock: txid,
        reason: z.string().max(1000),
      })
      .strict()
      .optional(),
    bridge: bridgeSchema,
  })
  .strict();

/** Why saved rollup data does not fit the saved chains, or undefined. */
export function dataProblem(data: SettlementData, bitcoin: BitcoinChain, l2Height: bigint): string | undefined {
  for (const [i, b] of data.batches.entries()) {
    if (b.index !== i) return `batch ${i} says it is batch ${b.index}`;
    if (BigInt(b.firstBlock) > BigInt(b.lastBlock) || BigInt(b.firstBlock) === 0n) return `batch ${i} has no valid block range`;
    if (!b.rolledBack && BigInt(b.lastBlock) > l2Height) return `batch ${i} ends at block ${b.lastBlock}, past the saved L2's ${l2Height}`;
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
  if (data.halt) {
    const { batch, forced } = data.halt;
    if ((batch === undefined) === (forced === undefined)) return "the halt names neither a batch nor a forced transaction (or both)";
    if (batch !== undefined && batch >= data.batches.length) return `the halt names batch ${batch}, which does not exist`;
    if (forced !== undefined && !data.bridge.forced.some((f) => f.txid === forced))
      return `the halt names forced transaction ${forced}, which is not recorded`;
    if (bitcoin.getBlock(data.halt.bitcoinHeight)?.getId() !== data.halt.bitcoinBlock)
      return "the halt's Bitcoin block is not on the saved chain";
  }
  const bridge = data.bridge;
  if (bridge.lightClientHeight > bitcoin.height)
    return `the light client holds Bitcoin block ${bridge.lightClientHeight}, past the saved chain's tip`;
  for (const w of bridge.withdrawals) {
    if (w.batch >= data.batches.length) return `withdrawal ${w.id} names batch ${w.batch}, which does not exist`;
  }
  for (const d of bridge.deposits) {
    const found = bitcoin.getTransaction(d.txid);
    if (found?.height !== d.height || found.tx.outs[d.vout] === undefined)
      return `deposit ${d.txid}:${d.vout} is not on the saved Bitcoin chain at its height`;
    if (d.mint && BigInt(d.mint.l2Block) > l2Height)
      return `deposit ${d.txid}:${d.vout} was minted in block ${d.mint.l2Block}, past the saved L2's ${l2Height}`;
  }
  for (const f of bridge.forced) {
    if (bitcoin.getTransaction(f.txid)?.height !== f.height)
      return `forced transaction ${f.txid} is not on the saved Bitcoin chain at its height`;
  }
  const c = data.connector;
  // The next claim spends it: it must be unspent, confirmed or in the mempool.
  const mempool = bitcoin.mempoolEntries();
  const spentInMempool = mempool.some((e) => e.tx.ins.some((i) => prevoutTxid(i.hash) === c.txid && i.index === c.vout));
  const pending = mempool.find((e) => e.txid === c.txid)?.tx.outs[c.vout];
  const coin = spentInMempool ? undefined : (bitcoin.getCoin(c.txid, c.vout) ?? pending);
  if (!coin || coin.value.toString() !== c.value)
    return `the operator's connector ${c.txid}:${c.vout} is not an unspent output of that value`;
  return undefined;
}
