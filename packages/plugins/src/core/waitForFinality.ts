import { BitlayerHelperError } from "./errors.js";
import { type FinalityTarget, finalityTarget, getFinality } from "./getFinality.js";
import { requireDevnet } from "./network.js";
import { rpc, sleep } from "./request.js";
import type { Eip1193Provider, Finality, FinalityLevel, TargetLevel, WarpResult } from "./types.js";
import { milliseconds, show } from "./validate.js";

/** Options of {@link waitForFinality}. */
export interface WaitForFinalityOptions {
  /** On the devnet: move its clock until the level is reached (bitlayer_warp) instead of waiting. Refused elsewhere. */
  warp?: boolean;
  /** Gives up with TIMEOUT after this long (default 60 000 ms). */
  timeoutMs?: number;
  /** How often to ask while polling (default 500 ms). */
  pollIntervalMs?: number;
}

const TARGETS: readonly TargetLevel[] = ["soft", "anchored", "hard"];
const RANK: Record<FinalityLevel, number> = { pending: 0, soft: 1, anchored: 2, hard: 3, invalidated: -1 };

/** Whether `finality` has reached `level`; throws HALTED once the target is invalidated. */
function reached(finality: Finality, level: TargetLevel, what: string): boolean {
  if (finality.level === "invalidated") {
    throw new BitlayerHelperError(
      "HALTED",
      `${what} was invalidated and will never be ${level}: ${finality.invalidated ?? "its batch was disproved"}`,
    );
  }
  return RANK[finality.level] >= RANK[level];
}

/**
 * Waits until a transaction (or an L2 block) reaches `level`: "soft" (in a block: it has a receipt), "anchored"
 * (its batch's claim has its confirmations on Bitcoin; the `safe` tag elsewhere) or "hard" (the challenge window
 * closed; the `finalized` tag elsewhere). With `warp: true`, on the devnet, moves its clock there at once with
 * bitlayer_warp `{ until, tx }`; without, polls.
 * @throws INVALID_LEVEL for a level that cannot be waited for; NOT_A_DEVNET with `warp` on another network;
 * UNKNOWN_TRANSACTION; HALTED if the target is invalidated (or the warp runs into a halt); TIMEOUT.
 * @example
 * const finality = await waitForFinality(provider, hash, "hard", { warp: true });
 * console.log(finality.level, finality.claim?.txid); // "hard", the claim on Bitcoin
 */
export async function waitForFinality(
  provider: Eip1193Provider,
  txHashOrBlockNumber: FinalityTarget,
  level: TargetLevel,
  options: WaitForFinalityOptions = {},
): Promise<Finality> {
  if (!TARGETS.includes(level)) {
    throw new BitlayerHelperError("INVALID_LEVEL", `waitForFinality: level must be one of ${TARGETS.join(", ")}; got ${show(level)}`);
  }
  const target = finalityTarget(txHashOrBlockNumber);
  const timeoutMs = milliseconds(options.timeoutMs, "timeoutMs", 60_000);
  const pollIntervalMs = milliseconds(options.pollIntervalMs, "pollIntervalMs", 500);
  if (options.warp) await requireDevnet(provider, "waitForFinality with warp", "a real network's clock cannot be moved");
  const what = target.length === 66 ? `transaction ${target}` : `block ${BigInt(target)}`;
  const deadline = Date.now() + timeoutMs;
  let finality = await getFinality(provider, txHashOrBlockNumber);
  // Until it is in a block (soft), only waiting helps: the devnet refuses to warp towards a pending target.
  while (!reached(finality, options.warp ? "soft" : level, what)) {
    if (Date.now() >= deadline) {
      throw new BitlayerHelperError(
        "TIMEOUT",
        `waitForFinality: ${what} is still ${finality.level} after ${timeoutMs} ms (waiting for ${level})`,
      );
    }
    await sleep(pollIntervalMs);
    finality = await getFinality(provider, txHashOrBlockNumber);
  }
  if (!options.warp || reached(finality, level, what)) return finality;
  const until = target.length === 66 ? { until: level, tx: target } : { until: level, block: Number(BigInt(target)) };
  const warped = await rpc<WarpResult>(provider, "bitlayer_warp", [until]);
  return warped.finality ?? getFinality(provider, txHashOrBlockNumber);
}
