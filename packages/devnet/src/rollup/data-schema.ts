import { z } from "zod";
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
        batch: z.number().int().min(0).max(MAX_SAVED_BATCHES),
        bitcoinHeight: height,
        bitcoinBlock: txid,
        reason: z.string().max(1000),
      })
      .strict()
      .optional(),
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
    if (data.halt.batch >= data.batches.length) return `the halt names batch ${data.halt.batch}, which does not exist`;
    if (bitcoin.getBlock(data.halt.bitcoinHeight)?.getId() !== data.halt.bitcoinBlock)
      return "the halt's Bitcoin block is not on the saved chain";
  }
  const c = data.connector;
  // The next claim spends it: it must be unspent, confirmed or in the mempool.
  const mempool = bitcoin.mempoolEntries();
  const spentInMempool = mempool.some((e) =>
    e.tx.ins.some((i) => Buffer.from(i.hash).reverse().toString("hex") === c.txid && i.index === c.vout),
  );
  const pending = mempool.find((e) => e.txid === c.txid)?.tx.outs[c.vout];
  const coin = spentInMempool ? undefined : (bitcoin.getCoin(c.txid, c.vout) ?? pending);
  if (!coin || coin.value.toString() !== c.value)
    return `the operator's connector ${c.txid}:${c.vout} is not an unspent output of that value`;
  return undefined;
}
