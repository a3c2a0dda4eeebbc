// Hardhat 3 with the Bitlayer plugin. `npm test` runs the tests on "bitlayer": a devnet in this process (an EVM L2
// with a simulated Bitcoin chain it settles on), fresh for each connection, nothing to start. "devnet" is a running
// `npx bitlayer devnet` (what `npx bitlayer dev` deploys to); bitlayerNetworks adds Bitlayer's testnet and mainnet.
// Solidity compiles with the solc npm package: nothing is downloaded.

import bitlayer, { bitlayerInProcess, bitlayerNetworks } from "@bitlayer/plugins/hardhat";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import { defineConfig } from "hardhat/config";

export default defineConfig({
  plugins: [hardhatEthers, hardhatNetworkHelpers, hardhatMocha, bitlayer],
  solidity: {
    version: "0.8.28",
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  networks: {
    ...bitlayerNetworks,
    bitlayer: bitlayerInProcess(),
    devnet: { type: "http", chainType: "l1", url: process.env.BITLAYER_RPC_URL ?? "http://127.0.0.1:8545" },
  },
  test: {
    // Mocha's options (hardhat-mocha reads no .mocharc). The suite takes seconds; this is headroom for slow machines.
    mocha: { timeout: 120_000 },
  },
});
