// Hardhat 2 fixture project, run against the Bitlayer devnet by packages/plugins/test/hardhat2.test.ts
// as the networks `localhost` and `bitlayer` (URL from BITLAYER_RPC_URL), and against Hardhat's own
// in-process network as a control. The compiler is the `solc` npm package's soljson.js, so compiling
// never downloads anything.

require("@nomicfoundation/hardhat-ethers");
require("@nomicfoundation/hardhat-chai-matchers");
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  const solc = require("solc/package.json");
  if (solc.version !== SOLC_VERSION) {
    throw new Error(`the solc npm package is ${solc.version}, the config says ${SOLC_VERSION}: keep them equal`);
  }
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: "0.8.28+commit.7893614a",
  };
});

const url = process.env.BITLAYER_RPC_URL ?? "http://127.0.0.1:8545";

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  networks: {
    // The name hardhat-ethers treats as "a Hardhat node": it sends transactions with a fixed gas
    // limit (no estimate), so a revert must come back as the send's error (Hardhat's node does).
    localhost: { url },
    // A network under any other name: transactions are estimated first.
    bitlayer: { url },
  },
  mocha: { timeout: 120_000 },
};
