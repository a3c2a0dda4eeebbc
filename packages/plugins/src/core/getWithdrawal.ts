import { BitlayerHelperError } from "./errors.js";
import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider, Hex, Withdrawal } from "./types.js";
import { assertHash } from "./validate.js";

/**
 * A peg-out by its withdrawal id or by the hash of the L2 transaction that burned it (bitlayer_getWithdrawal): its
 * status (initiated → anchored → finalized → paid, or invalidated), amounts, and the Bitcoin payment once mined.
 * @throws INVALID_ARGUMENT for a malformed id; UNKNOWN_TRANSACTION if the devnet knows no such withdrawal;
 * NOT_A_DEVNET on another network.
 * @example
 * const w = await getWithdrawal(provider, withdrawalId);
 * console.log(w.status, w.paidSats, w.payment?.txid);
 */
export async function getWithdrawal(provider: Eip1193Provider, idOrTxHash: Hex): Promise<Withdrawal> {
  assertHash(idOrTxHash, "the withdrawal id or transaction hash");
  await requireDevnet(provider, "getWithdrawal", "withdrawals are followed by the devnet's bridge");
  const withdrawal = await rpc<Withdrawal | null>(provider, "bitlayer_getWithdrawal", [idOrTxHash]);
  if (!withdrawal) throw new BitlayerHelperError("UNKNOWN_TRANSACTION", `getWithdrawal: no withdrawal ${idOrTxHash}`);
  return withdrawal;
}
