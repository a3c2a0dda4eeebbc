/**
 * `connection.bitlayer`: the helper core bound to a connection's provider.
 *
 * @internal
 * @module
 */

import type { Devnet } from "@bitlayer/devnet";
import type { Eip1193Provider } from "../../core/index.js";
import * as core from "../../core/index.js";
import type { BitlayerConnectionHelpers } from "../types/index.js";

/** Binds every helper of the core to `provider`. */
export function bindHelpers(provider: Eip1193Provider, devnet: Devnet | undefined): BitlayerConnectionHelpers {
  return {
    isDevnet: () => core.isDevnet(provider),
    getStatus: () => core.getStatus(provider),
    getFinality: (target) => core.getFinality(provider, target),
    waitForFinality: (target, level, options) => core.waitForFinality(provider, target, level, options),
    warp: (duration) => core.warp(provider, duration),
    warpChallengeWindow: () => core.warpChallengeWindow(provider),
    mineBitcoin: (count, address) => core.mineBitcoin(provider, count, address),
    injectFraud: (postStateRoot) => core.injectFraud(provider, postStateRoot),
    setWatcher: (enabled) => core.setWatcher(provider, enabled),
    recover: () => core.recover(provider),
    deposit: (recipient, amountSats) => core.deposit(provider, recipient, amountSats),
    withdraw: (args) => core.withdraw(provider, args),
    getWithdrawal: (id) => core.getWithdrawal(provider, id),
    waitForPayout: (id, options) => core.waitForPayout(provider, id, options),
    devnet,
  };
}
