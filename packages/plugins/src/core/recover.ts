import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider, RecoverResult } from "./types.js";

/**
 * After a halt, the social-consensus path (bitlayer_recover): rolls the L2 back to the end of the last valid batch
 * (later blocks and pooled transactions are dropped), starts a new claim chain and resumes.
 * @throws NOT_A_DEVNET on another network (nothing is sent); RPC_ERROR when the L2 is running (`cause.reason`
 * is "NOT_HALTED").
 * @example
 * const { rolledBackTo, droppedBlocks } = await recover(provider);
 */
export async function recover(provider: Eip1193Provider): Promise<RecoverResult> {
  await requireDevnet(provider, "recover", "only the devnet's L2 can be rolled back");
  return rpc<RecoverResult>(provider, "bitlayer_recover");
}
