import { BitlayerHelperError } from "./errors.js";
import { requireDevnet } from "./network.js";
import { rpc } from "./request.js";
import type { Eip1193Provider } from "./types.js";
import { show } from "./validate.js";

/**
 * Switches the devnet's built-in honest watcher on or off (bitlayer_setWatcher). Off, a fraudulent claim goes
 * unchallenged and becomes hard final, as the protocol says it would.
 * @throws INVALID_ARGUMENT if `enabled` is not a boolean; NOT_A_DEVNET on another network (nothing is sent).
 * @example
 * await setWatcher(provider, false);
 * await injectFraud(provider); // nobody challenges it
 */
export async function setWatcher(provider: Eip1193Provider, enabled: boolean): Promise<void> {
  if (typeof enabled !== "boolean")
    throw new BitlayerHelperError("INVALID_ARGUMENT", `enabled must be true or false; got ${show(enabled)}`);
  await requireDevnet(provider, "setWatcher", "the watcher is the devnet's own");
  await rpc<boolean>(provider, "bitlayer_setWatcher", [enabled]);
}
