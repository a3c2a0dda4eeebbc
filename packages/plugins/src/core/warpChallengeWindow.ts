import { requireDevnet } from "./network.js";
import { rpc, toQuantity } from "./request.js";
import type { Eip1193Provider, Status, WarpResult } from "./types.js";

/**
 * Moves the devnet's clock forward by the challenge window's length (`rollup.windowSeconds` of bitlayer_status:
 * 7 days on the mainnet preset), so what was anchored before is hard final after.
 * @throws NOT_A_DEVNET on another network.
 * @example
 * await waitForFinality(provider, hash, "anchored", { warp: true });
 * await warpChallengeWindow(provider);
 * (await getFinality(provider, hash)).level; // "hard"
 */
export async function warpChallengeWindow(provider: Eip1193Provider): Promise<WarpResult> {
  await requireDevnet(provider, "warpChallengeWindow", "a real network's clock cannot be moved");
  const status = await rpc<Status>(provider, "bitlayer_status");
  return rpc<WarpResult>(provider, "bitlayer_warp", [toQuantity(status.rollup.windowSeconds)]);
}
