/**
 * Every helper of the core bound to one provider, for code that passes one object around (the Hardhat plugins'
 * `connection.bitlayer` and `hre.bitlayer` are this).
 *
 * @module
 */

import { deposit } from "./deposit.js";
import { getFinality } from "./getFinality.js";
import { getStatus } from "./getStatus.js";
import { getWithdrawal } from "./getWithdrawal.js";
import { injectFraud } from "./injectFraud.js";
import { mineBitcoin } from "./mineBitcoin.js";
import { isDevnet } from "./network.js";
import { recover } from "./recover.js";
import { setWatcher } from "./setWatcher.js";
import type { Eip1193Provider } from "./types.js";
import { waitForFinality } from "./waitForFinality.js";
import { waitForPayout } from "./waitForPayout.js";
import { warp } from "./warp.js";
import { warpChallengeWindow } from "./warpChallengeWindow.js";
import { withdraw } from "./withdraw.js";

/** A helper of the core with its provider argument already given. */
type Bound<F> = F extends (provider: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/** The helper core bound to one provider: each method is the helper of the same name. */
export interface BitlayerHelpers {
  isDevnet: Bound<typeof isDevnet>;
  getStatus: Bound<typeof getStatus>;
  getFinality: Bound<typeof getFinality>;
  waitForFinality: Bound<typeof waitForFinality>;
  warp: Bound<typeof warp>;
  warpChallengeWindow: Bound<typeof warpChallengeWindow>;
  mineBitcoin: Bound<typeof mineBitcoin>;
  injectFraud: Bound<typeof injectFraud>;
  setWatcher: Bound<typeof setWatcher>;
  recover: Bound<typeof recover>;
  deposit: Bound<typeof deposit>;
  withdraw: Bound<typeof withdraw>;
  getWithdrawal: Bound<typeof getWithdrawal>;
  waitForPayout: Bound<typeof waitForPayout>;
}

/**
 * The helpers bound to `provider`.
 * @example
 * const bitlayer = bindHelpers(window.ethereum);
 * await bitlayer.waitForFinality(hash, "hard", { warp: true });
 */
export function bindHelpers(provider: Eip1193Provider): BitlayerHelpers {
  return {
    isDevnet: () => isDevnet(provider),
    getStatus: () => getStatus(provider),
    getFinality: (target) => getFinality(provider, target),
    waitForFinality: (target, level, options) => waitForFinality(provider, target, level, options),
    warp: (duration) => warp(provider, duration),
    warpChallengeWindow: () => warpChallengeWindow(provider),
    mineBitcoin: (count, address) => mineBitcoin(provider, count, address),
    injectFraud: (postStateRoot) => injectFraud(provider, postStateRoot),
    setWatcher: (enabled) => setWatcher(provider, enabled),
    recover: () => recover(provider),
    deposit: (recipient, amountSats) => deposit(provider, recipient, amountSats),
    withdraw: (args) => withdraw(provider, args),
    getWithdrawal: (id) => getWithdrawal(provider, id),
    waitForPayout: (id, options) => waitForPayout(provider, id, options),
  };
}
