/**
 * Public types of the Bitlayer Hardhat 3 plugin: the `bitlayer` key of a network's config and the helpers on
 * `connection.bitlayer`.
 *
 * @module
 */

import type { Devnet, DevnetOptions } from "@bitlayer/devnet";
import type {
  deposit,
  getFinality,
  getStatus,
  getWithdrawal,
  injectFraud,
  isDevnet,
  mineBitcoin,
  recover,
  setWatcher,
  waitForFinality,
  waitForPayout,
  warp,
  warpChallengeWindow,
  withdraw,
} from "../../core/index.js";

/**
 * The `bitlayer` key of an `http` network in `hardhat.config.ts`.
 *
 * @example
 * networks: {
 *   // A fresh devnet in this process for every connection, stopped when the connection closes.
 *   bitlayerDevnet: { type: "http", bitlayer: { devnet: true, options: { preset: "fast" } } },
 * }
 */
export interface BitlayerNetworkUserConfig {
  /** Start a devnet in process (createDevnet + a JSON-RPC server on 127.0.0.1) when a connection opens. Leave out `url`. */
  devnet?: boolean;
  /** Options of the in-process devnet (chain id, preset, accounts, ...): `createDevnet(options)`. */
  options?: DevnetOptions;
}

/** The resolved `bitlayer` key of a network. */
export interface BitlayerNetworkConfig {
  devnet: boolean;
  options: DevnetOptions;
}

/** A helper of the core with its provider argument already given. */
type Bound<F> = F extends (provider: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * The helper core bound to one network connection's provider: `connection.bitlayer`.
 *
 * @example
 * const connection = await network.create("bitlayerDevnet");
 * const tx = await counter.increment();
 * await connection.bitlayer.waitForFinality(tx.hash as `0x${string}`, "hard", { warp: true });
 */
export interface BitlayerConnectionHelpers {
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
  /**
   * The in-process devnet behind this connection (a network with `bitlayer: { devnet: true }`), for what has no
   * JSON-RPC method on the L2 (e.g. `devnet.bitcoinRequest("getnewaddress")`); undefined on any other network.
   */
  readonly devnet: Devnet | undefined;
}
