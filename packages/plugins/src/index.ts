/**
 * @bitlayer/plugins: the helper core (any EIP-1193 provider); the Hardhat plugins build on it.
 *
 * @module
 */

export * from "./core/index.js";
