/**
 * Is the provider the Bitlayer devnet?
 *
 * @module
 */

import { BitlayerHelperError } from "./errors.js";
import type { Eip1193Provider } from "./types.js";

const probes = new WeakMap<object, Promise<boolean>>();

/**
 * Whether `provider` is the Bitlayer devnet: it answers `bitlayer_status`. Probed once per provider (the answer is
 * cached); a provider that refuses the method (-32601, or any other error) is not the devnet.
 * @example
 * if (await isDevnet(provider)) await warp(provider, "7d");
 */
export function isDevnet(provider: Eip1193Provider): Promise<boolean> {
  let probe = probes.get(provider);
  if (!probe) {
    probe = provider.request({ method: "bitlayer_status", params: [] }).then(
      (status) => typeof status === "object" && status !== null && "l2" in status && "rollup" in status,
      () => false,
    );
    probes.set(provider, probe);
  }
  return probe;
}

/**
 * Throws NOT_A_DEVNET, naming the helper and why it needs the devnet, unless `provider` is the devnet.
 * @internal
 */
export async function requireDevnet(provider: Eip1193Provider, helper: string, why: string): Promise<void> {
  if (!(await isDevnet(provider))) throw new BitlayerHelperError("NOT_A_DEVNET", `${helper} needs the Bitlayer devnet: ${why}`);
}
