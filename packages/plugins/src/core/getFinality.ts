import { BitlayerHelperError } from "./errors.js";
import { isDevnet } from "./network.js";
import { rpc, toQuantity } from "./request.js";
import type { Eip1193Provider, Finality, Hex } from "./types.js";
import { assertHash, show } from "./validate.js";

/** A transaction hash, or an L2 block number. */
export type FinalityTarget = Hex | number | bigint;

interface BlockHeader {
  number: Hex;
  hash: Hex;
}

/** The target as bitlayer_getFinality takes it; throws INVALID_ARGUMENT for anything else. */
export function finalityTarget(target: unknown): Hex {
  if (typeof target === "string") {
    assertHash(target, "the transaction hash");
    return target;
  }
  if ((typeof target === "number" && Number.isSafeInteger(target) && target >= 0) || (typeof target === "bigint" && target >= 0n)) {
    return toQuantity(target);
  }
  throw new BitlayerHelperError("INVALID_ARGUMENT", `expected a transaction hash or a block number; got ${show(target)}`);
}

/** A block tag's block, or null if the node does not know the tag. */
async function tagged(provider: Eip1193Provider, tag: "safe" | "finalized"): Promise<BlockHeader | null> {
  try {
    return await rpc<BlockHeader | null>(provider, "eth_getBlockByNumber", [tag, false]);
  } catch {
    return null;
  }
}

/** On a network that is not the devnet: what it offers (a receipt is soft; the `safe` / `finalized` tags). */
async function finalityElsewhere(provider: Eip1193Provider, target: Hex): Promise<Finality> {
  let blockNumber: Hex;
  let blockHash: Hex;
  let transactionHash: Hex | undefined;
  if (target.length === 66) {
    const receipt = await rpc<{ blockNumber: Hex; blockHash: Hex } | null>(provider, "eth_getTransactionReceipt", [target]);
    if (!receipt) {
      const pooled = await rpc<unknown>(provider, "eth_getTransactionByHash", [target]);
      if (!pooled) throw new BitlayerHelperError("UNKNOWN_TRANSACTION", `getFinality: no transaction ${target}`);
      return {
        level: "pending",
        blockNumber: null,
        blockHash: null,
        transactionHash: target,
        batch: null,
        claim: null,
        windowClosesAt: null,
        invalidated: null,
      };
    }
    ({ blockNumber, blockHash } = receipt);
    transactionHash = target;
  } else {
    const block = await rpc<BlockHeader | null>(provider, "eth_getBlockByNumber", [target, false]);
    if (!block) throw new BitlayerHelperError("UNKNOWN_TRANSACTION", `getFinality: no block ${BigInt(target)}`);
    blockNumber = block.number;
    blockHash = block.hash;
  }
  const covers = (head: BlockHeader | null) => head !== null && BigInt(head.number) >= BigInt(blockNumber);
  let level: Finality["level"] = "soft";
  if (covers(await tagged(provider, "finalized"))) level = "hard";
  else if (covers(await tagged(provider, "safe"))) level = "anchored";
  return {
    level,
    blockNumber,
    blockHash,
    ...(transactionHash ? { transactionHash } : {}),
    batch: null,
    claim: null,
    windowClosesAt: null,
    invalidated: null,
  };
}

/**
 * The finality of a transaction (by hash) or an L2 block (by number): pending, soft, anchored, hard or invalidated.
 * On the devnet it is bitlayer_getFinality's answer (with the batch and its claim on Bitcoin). On another network,
 * what it offers: a receipt means "soft", a block at or below the `safe` tag "anchored", at or below `finalized`
 * "hard" (batch, claim and window are null there).
 * @throws UNKNOWN_TRANSACTION for an unknown transaction or block; INVALID_ARGUMENT for a malformed target.
 * @example
 * const hash = await provider.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
 * const { level } = await getFinality(provider, hash); // "soft"
 */
export async function getFinality(provider: Eip1193Provider, txHashOrBlockNumber: FinalityTarget): Promise<Finality> {
  const target = finalityTarget(txHashOrBlockNumber);
  if (await isDevnet(provider)) return rpc<Finality>(provider, "bitlayer_getFinality", [target]);
  return finalityElsewhere(provider, target);
}
