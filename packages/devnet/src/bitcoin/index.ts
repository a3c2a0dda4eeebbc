/**
 * The simulated Bitcoin chain (regtest-like, in process). Not re-exported from the package root on
 * purpose: bitcoinjs-lib takes ~140 ms to import, so the devnet should load this
 * module lazily, when Bitcoin is first needed.
 *
 * @module
 */
export { coinbaseHeight } from "./blocks.js";
export {
  type AcceptResult,
  BitcoinChain,
  type BitcoinChainOptions,
  type BitcoinSnapshot,
  type MineOptions,
  type TransactionLocation,
} from "./chain.js";
export type { Coin } from "./coins.js";
export { BitcoinChainError, BitcoinTxRejected } from "./errors.js";
export * as bitcoinParams from "./params.js";
export type { BitcoinChainState, CapturedCoin } from "./state.js";
