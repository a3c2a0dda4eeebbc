/**
 * The `bitlayer` key of a network's config, checked the same way by the Hardhat 3 and Hardhat 2 plugins.
 *
 * @internal
 * @module
 */

import type { DevnetOptions } from "@bitlayer/devnet";
import { IN_PROCESS_URL } from "./networks.js";

/** What the `bitlayer` key of a network resolves to. */
export interface BitlayerKey {
  devnet: boolean;
  options: DevnetOptions;
}

/** One problem with a network's `bitlayer` key: `key` is the field under it (or the network's `url`). */
export interface BitlayerKeyProblem {
  key?: "devnet" | "options" | "url" | string;
  message: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Problems with `network.bitlayer` (none when it is absent). `isHttp`: whether the network talks JSON-RPC to a URL,
 * the only kind that can be the devnet. An in-process devnet's url must be the placeholder (or absent).
 */
export function bitlayerKeyProblems(network: Record<string, unknown>, isHttp: boolean): BitlayerKeyProblem[] {
  const { bitlayer } = network;
  if (bitlayer === undefined) return [];
  if (!isObject(bitlayer)) return [{ message: "Expected an object: { devnet?: boolean, options?: DevnetOptions }" }];
  const problems: BitlayerKeyProblem[] = [];
  for (const key of Object.keys(bitlayer)) {
    if (key !== "devnet" && key !== "options") problems.push({ key, message: `Unknown key "${key}" (devnet, options)` });
  }
  if (bitlayer.devnet !== undefined && typeof bitlayer.devnet !== "boolean")
    problems.push({ key: "devnet", message: "Expected a boolean" });
  if (bitlayer.options !== undefined && !isObject(bitlayer.options)) {
    problems.push({ key: "options", message: "Expected an object (the options of createDevnet)" });
  }
  if (!isHttp) {
    problems.push({ message: 'The bitlayer key goes on a network of type "http" (one with a url)' });
  } else if (bitlayer.devnet === true && network.url !== undefined && network.url !== IN_PROCESS_URL) {
    problems.push({
      key: "url",
      message:
        "A network with bitlayer: { devnet: true } runs its devnet in process: leave out url (or drop devnet: true to use the devnet at url)",
    });
  }
  return problems;
}

/** The resolved key of a network whose `bitlayer` key passed {@link bitlayerKeyProblems}. */
export function resolveBitlayerKey(bitlayer: Record<string, unknown>): BitlayerKey {
  return { devnet: bitlayer.devnet === true, options: { ...((bitlayer.options as DevnetOptions | undefined) ?? {}) } };
}
