/**
 * Bitcoin Core's estimatesmartfee (src/rpc/fees.cpp, v28) with a fixed, simulated estimate: the devnet
 * has no fee market to learn from.
 *
 * @module
 */
import { MIN_RELAY_FEE_PER_KVB } from "../params.js";
import { WALLET_FEE_RATE_PER_KVB } from "../wallet.js";
import { btc } from "./amount.js";
import { rpcError } from "./errors.js";
import { optional, required } from "./params.js";
import { defineBitcoinMethod } from "./registry.js";

/** Core's highest target for the long-horizon estimator (HighestTargetTracked(LONG_HALFLIFE)). */
export const MAX_CONF_TARGET = 1008;
/** Core's fee estimate modes (FeeModeMap), matched case-insensitively. */
const FEE_MODES = ["unset", "economical", "conservative"];

/** Core's ParseConfirmTarget: an integer in [1, max]. */
export function parseConfirmTarget(target: number, max = MAX_CONF_TARGET): number {
  if (target < 1 || target > max) throw rpcError("RPC_INVALID_PARAMETER", `Invalid conf_target, must be between 1 and ${max}`);
  return target;
}

/** Core's FeeModeFromString, or -8 with InvalidEstimateModeErrorMessage. */
export function parseEstimateMode(mode: string): string {
  const found = FEE_MODES.find((m) => m.toUpperCase() === mode.toUpperCase());
  if (!found) throw rpcError("RPC_INVALID_PARAMETER", `Invalid estimate_mode parameter, must be one of: "${FEE_MODES.join('", "')}"`);
  return found;
}

export const estimatesmartfee = defineBitcoinMethod({
  name: "estimatesmartfee",
  group: "util",
  summary: `Estimates the approximate fee per kilobyte needed for a transaction to begin confirmation within conf_target blocks. SIMULATED: always ${btc(WALLET_FEE_RATE_PER_KVB)} BTC/kvB (the dev wallet's fee rate; never below the ${btc(MIN_RELAY_FEE_PER_KVB)} minimum relay fee), with \`blocks\` the target clamped to [2, ${MAX_CONF_TARGET}] as Core reports it.`,
  params: [
    required.int("conf_target", `Confirmation target in blocks (1 - ${MAX_CONF_TARGET})`),
    optional.string("estimate_mode", "economical", 'The fee estimate mode: "unset", "economical" or "conservative"'),
  ],
  returns: "{ feerate, blocks }",
  errors: [
    `-8 Invalid conf_target, must be between 1 and ${MAX_CONF_TARGET}`,
    '-8 Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
  ],
  handler(_ctx, [confTarget, mode]) {
    const target = parseConfirmTarget(confTarget);
    if (mode !== undefined) parseEstimateMode(mode);
    const rate = WALLET_FEE_RATE_PER_KVB > MIN_RELAY_FEE_PER_KVB ? WALLET_FEE_RATE_PER_KVB : MIN_RELAY_FEE_PER_KVB;
    return { feerate: btc(rate), blocks: Math.max(2, target) };
  },
});
