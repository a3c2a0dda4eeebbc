import { BitlayerHelperError } from "./errors.js";
import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider } from "./types.js";
import { show, wholeNumber } from "./validate.js";

/**
 * Mines `count` blocks on the devnet's simulated Bitcoin chain now, without moving the clock (bitlayer_mineBitcoin),
 * each with its settlement step: claims confirm, windows close, due payouts are paid. Rewards go to `address`
 * (a regtest address, bcrt1...) or the dev wallet.
 * @returns the new blocks' hashes.
 * @throws INVALID_ARGUMENT; NOT_A_DEVNET on another network (nothing is sent); RPC_ERROR if the devnet refuses.
 * @example
 * const [hash] = await mineBitcoin(provider); // one block
 * await mineBitcoin(provider, 6); // six confirmations more
 */
export async function mineBitcoin(provider: Eip1193Provider, count = 1, address?: string): Promise<string[]> {
  const n = wholeNumber(count, "count");
  if (address !== undefined && (typeof address !== "string" || address === "")) {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `address must be a regtest Bitcoin address (bcrt1...); got ${show(address)}`);
  }
  await requireDevnet(provider, "mineBitcoin", "only the devnet's simulated Bitcoin chain can be mined on demand");
  return rpc<string[]>(provider, "bitlayer_mineBitcoin", address === undefined ? [Number(n)] : [Number(n), address]);
}
