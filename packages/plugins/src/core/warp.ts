import { parseDuration } from "@bitlayer/devnet/client";
import { BitlayerHelperError } from "./errors.js";
import { requireDevnet } from "./network.js";
import { rpc, toQuantity } from "./request.js";
import type { Eip1193Provider, WarpResult } from "./types.js";
import { show } from "./validate.js";

/** A duration: whole seconds (number), or text such as "3600", "7d", "1h30m", "2w3d". */
export type Duration = number | string;

/** Seconds in `duration`; throws INVALID_DURATION for anything that is not one. */
export function durationSeconds(duration: unknown): number {
  const seconds = typeof duration === "number" ? duration : typeof duration === "string" ? parseDuration(duration) : undefined;
  if (seconds === undefined || !Number.isSafeInteger(seconds) || seconds < 0) {
    throw new BitlayerHelperError(
      "INVALID_DURATION",
      `invalid duration ${show(duration)}: give whole seconds (3600) or units from weeks to seconds, largest first ("7d", "1h30m")`,
    );
  }
  return seconds;
}

/**
 * Moves the devnet's clock forward by `duration` (bitlayer_warp): the Bitcoin blocks that fall due are mined on the
 * way, with their claims, confirmations and windows closing; no L2 block is mined.
 * @throws INVALID_DURATION; NOT_A_DEVNET on another network (nothing is sent); RPC_ERROR if the devnet refuses
 * (e.g. more than its bound, or 0), with its error as `cause`.
 * @example
 * const { from, to, bitcoinBlocks } = await warp(provider, "1h30m"); // to - from === 5400, bitcoinBlocks === 9
 */
export async function warp(provider: Eip1193Provider, duration: Duration): Promise<WarpResult> {
  const seconds = durationSeconds(duration);
  await requireDevnet(provider, "warp", "a real network's clock cannot be moved");
  return rpc<WarpResult>(provider, "bitlayer_warp", [toQuantity(seconds)]);
}
