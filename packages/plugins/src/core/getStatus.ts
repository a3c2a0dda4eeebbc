import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider, Status } from "./types.js";

/**
 * The devnet at a glance (bitlayer_status): L2 heads per finality level, the simulated Bitcoin chain, the rollup's
 * settings and whether the L2 is halted.
 * @throws NOT_A_DEVNET on another network.
 * @example
 * const status = await getStatus(provider);
 * console.log(status.l2.finalized, status.bitcoin.height, status.halted);
 */
export async function getStatus(provider: Eip1193Provider): Promise<Status> {
  await requireDevnet(provider, "getStatus", "bitlayer_status is the devnet's own method");
  return rpc<Status>(provider, "bitlayer_status");
}
