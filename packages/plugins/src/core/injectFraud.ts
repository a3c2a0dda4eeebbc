import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider, Hex, InjectFraudResult } from "./types.js";
import { assertHash } from "./validate.js";

/**
 * Makes the operator's next claim fraudulent (bitlayer_injectFraud): it carries `postStateRoot` (default: a made-up
 * root). With the watcher on, the claim is challenged, asserted and disproved on Bitcoin, and the L2 halts.
 * @returns the index the fraudulent batch will have.
 * @throws INVALID_ARGUMENT for a root that is not 32 bytes of hex; NOT_A_DEVNET on another network (nothing is sent).
 * @example
 * const { batch } = await injectFraud(provider);
 * await provider.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
 * await mineBitcoin(provider, 10); // claim, challenge, assert, disprove: the L2 halts
 */
export async function injectFraud(provider: Eip1193Provider, postStateRoot?: Hex): Promise<InjectFraudResult> {
  if (postStateRoot !== undefined) assertHash(postStateRoot, "postStateRoot");
  await requireDevnet(provider, "injectFraud", "fraud can only be injected into the devnet's own operator");
  return rpc<InjectFraudResult>(provider, "bitlayer_injectFraud", postStateRoot === undefined ? [] : [postStateRoot]);
}
