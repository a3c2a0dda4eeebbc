/**
 * The in-process devnet of a Hardhat 2 network with `bitlayer: { devnet: true }`: the provider Hardhat 2 would talk
 * HTTP to, replaced by the devnet itself. Hardhat's own wrappers (accounts, gas, chain id) still go on top.
 *
 * @internal
 * @module
 */

import { EventEmitter } from "node:events";
import type { Devnet, DevnetOptions, RequestArguments } from "@bitlayer/devnet";
import { loadEngine } from "../../common/load-engine.js";
import type { Hardhat2Config, Hardhat2Provider } from "./hardhat2.js";

/** Answers from a devnet in this process; errors are the devnet's own (message, JSON-RPC code, data), as over HTTP. */
class InProcessProvider extends EventEmitter implements Hardhat2Provider {
  constructor(private readonly devnet: Devnet) {
    super();
  }

  request(args: RequestArguments): Promise<unknown> {
    return this.devnet.request(args);
  }
}

/** Each runtime's config (one per Hardhat runtime) to its networks' devnets, once started. */
const started = new WeakMap<Hardhat2Config, Map<string, Devnet>>();

/**
 * A devnet for `network` of this runtime and the provider that serves it. The devnet lives as long as the process:
 * Hardhat 2 has no hook that closes a network, and the devnet's timers do not keep the process up.
 */
export async function inProcessProvider(config: Hardhat2Config, network: string, options: DevnetOptions): Promise<Hardhat2Provider> {
  const { createDevnet } = await loadEngine();
  const devnet = await createDevnet(options);
  const devnets = started.get(config) ?? new Map<string, Devnet>();
  started.set(config, devnets.set(network, devnet));
  return new InProcessProvider(devnet);
}

/** The devnet started for `network` of this runtime, if any. */
export function startedDevnet(config: Hardhat2Config, network: string): Devnet | undefined {
  return started.get(config)?.get(network);
}
