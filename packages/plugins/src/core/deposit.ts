import { requireDevnet } from "./network.js";
import { rpc, toQuantity } from "./request.js";
import type { Deposit, Eip1193Provider, Hex } from "./types.js";
import { assertAddress, wholeNumber } from "./validate.js";

/**
 * A whole peg-in (bitlayer_deposit): the devnet's Bitcoin wallet pays `amountSats` to the bridge with `recipient`
 * in an OP_RETURN, the blocks it needs are mined, and (with automine) the L2 block that mints it follows.
 * @throws INVALID_ARGUMENT for a malformed recipient or amount; NOT_A_DEVNET on another network (nothing is sent);
 * RPC_ERROR if the devnet refuses (dust, the zero address, more than the wallet holds).
 * @example
 * const pegIn = await deposit(provider, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 100_000n);
 * console.log(pegIn.status, pegIn.mint?.transactionHash); // "minted", the L2 mint
 */
export async function deposit(provider: Eip1193Provider, recipient: Hex, amountSats: number | bigint): Promise<Deposit> {
  assertAddress(recipient, "recipient");
  const sats = wholeNumber(amountSats, "amountSats");
  await requireDevnet(provider, "deposit", "a peg-in needs the devnet's simulated Bitcoin chain and its wallet");
  return rpc<Deposit>(provider, "bitlayer_deposit", [recipient, toQuantity(sats)]);
}
