// Hardhat 2 project using @bitlayer/plugins/hardhat2 as a user would, run by packages/plugins/test/hardhat2.test.ts:
// on the network `bitlayer` (a devnet in this process, from the plugin), on `localhost` and `running` (a devnet that
// runs on its own, URL from BITLAYER_RPC_URL), and on Hardhat's own network as a control. The plugin compiles with the
// `solc` npm package, so compiling never downloads anything.

require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");
const { bitlayerInProcess, bitlayerNetworks } = require("@bitlayer/plugins/hardhat2");

const url = process.env.BITLAYER_RPC_URL ?? "http://127.0.0.1:8545";

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: process.env.SOLC_VERSION ?? "0.8.28",
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  networks: {
    // The name hardhat-ethers treats as "a Hardhat node": it sends transactions with a fixed gas
    // limit (no estimate), so a revert must come back as the send's error (Hardhat's node does).
    localhost: { url },
    // A network under any other name: transactions are estimated first.
    running: { url },
    // A devnet in this process, started by the network's first request.
    bitlayer: bitlayerInProcess(),
    ...bitlayerNetworks,
  },
  mocha: { timeout: 120_000 },
};
