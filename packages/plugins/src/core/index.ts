/**
 * The helper core: typed helpers over any EIP-1193 provider, thin over the Bitlayer devnet's `bitlayer_*` methods.
 *
 * @module
 */

export { type BitlayerHelpers, bindHelpers } from "./bindHelpers.js";
export { deposit } from "./deposit.js";
export { BitlayerHelperError, type BitlayerHelperErrorCode, type RpcErrorCause } from "./errors.js";
export { type FinalityTarget, getFinality } from "./getFinality.js";
export { getStatus } from "./getStatus.js";
export { getWithdrawal } from "./getWithdrawal.js";
export { injectFraud } from "./injectFraud.js";
export { mineBitcoin } from "./mineBitcoin.js";
export { isDevnet } from "./network.js";
export { recover } from "./recover.js";
export { setWatcher } from "./setWatcher.js";
export type * from "./types.js";
export { type WaitForFinalityOptions, waitForFinality } from "./waitForFinality.js";
export { type WaitForPayoutOptions, waitForPayout } from "./waitForPayout.js";
export { type Duration, warp } from "./warp.js";
export { warpChallengeWindow } from "./warpChallengeWindow.js";
export { type WithdrawArgs, withdraw } from "./withdraw.js";
