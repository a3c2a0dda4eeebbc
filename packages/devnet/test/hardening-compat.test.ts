// Issue 5, B14 and C24-C26: timestamps that fit and keep increasing, hardhat_mine with interval 0,
// the Hardhat/Anvil methods the devnet lacked, and Solidity's console.log.
import assert from "node:assert/strict";
import { keccak256 } from "ethereum-cryptography/keccak.js";
import { AbiCoder, getAddress, hexlify, Interface } from "ethers";
import { CONSOLE_ADDRESS, type ConsoleLog, createDevnet, type Devnet, type DevnetOptions } from "../src/index.js";
import { compileSources } from "./support/solc.js";

const MAX_TIMESTAMP = 2n ** 53n - 1n;

interface Block {
  number: string;
  hash: string;
  timestamp: string;
  baseFeePerGas: string;
  gasLimit: string;
  miner: string;
  mixHash: string;
  stateRoot: string;
}

function rpcOf(devnet: Devnet) {
  return <T = unknown>(method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;
}

/** Rejects with this devnet error code and JSON-RPC number (and message, when given). */
async function refused(promise: Promise<unknown>, reason: string, code: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: { reason: string; code: number; message: string }) => {
    assert.equal(e.reason, reason, e.message);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("hardening: Hardhat and Anvil semantics (B14, C24-C26)", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let rpc: ReturnType<typeof rpcOf>;
  const latest = () => rpc<Block>("eth_getBlockByNumber", ["latest", false]);
  const start = async (options: DevnetOptions = {}) => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000, ...options });
    rpc = rpcOf(devnet);
  };
  afterEach(() => devnet?.close());

  describe("B14: block timestamps fit in 64 bits (bound 2^53 - 1, exact) and strictly increase", () => {
    beforeEach(() => start());

    it("refuses a next timestamp past the bound (2^256 - 1, 2^64) with -32000 and changes nothing", async () => {
      for (const ts of [2n ** 256n - 1n, 2n ** 64n, MAX_TIMESTAMP + 1n]) {
        await refused(rpc("evm_setNextBlockTimestamp", [`0x${ts.toString(16)}`]), "INVALID_TIMESTAMP", -32000, /too large/);
      }
      await refused(rpc("evm_mine", [`0x${(2n ** 64n).toString(16)}`]), "INVALID_TIMESTAMP", -32000);
      assert.equal((await latest()).number, "0x0", "no block was mined");
      await rpc("evm_mine");
      const block = await latest();
      assert.ok(BigInt(block.timestamp) < 2n ** 40n, `the next block follows the clock, got ${block.timestamp}`);
    });

    it("stamps blocks up to exactly 2^53 - 1, each one second later, then refuses to mine past it", async () => {
      await rpc("evm_setNextBlockTimestamp", [`0x${(MAX_TIMESTAMP - 2n).toString(16)}`]);
      await rpc("hardhat_mine", ["0x3"]);
      const stamps: bigint[] = [];
      for (const n of [1, 2, 3]) stamps.push(BigInt((await rpc<Block>("eth_getBlockByNumber", [`0x${n}`, false])).timestamp));
      assert.deepEqual(stamps, [MAX_TIMESTAMP - 2n, MAX_TIMESTAMP - 1n, MAX_TIMESTAMP]);
      await refused(rpc("evm_mine"), "INVALID_TIMESTAMP", -32000, /must not exceed 9007199254740991/);
      await refused(rpc("hardhat_mine", ["0x1", "0x0"]), "INVALID_TIMESTAMP", -32000);
      assert.equal((await latest()).number, "0x3");
      // Automine cannot advance time either: the send fails instead of waiting forever.
      const from = devnet.accounts[0].address;
      await refused(rpc("eth_sendTransaction", [{ from, to: from, value: "0x1" }]), "INVALID_TIMESTAMP", -32000);
      assert.deepEqual(await rpc("txpool_status"), { pending: "0x0", queued: "0x0" });
    });

    it("refuses, whole and before mining anything, a hardhat_mine whose interval × count passes the bound", async () => {
      const head = BigInt((await latest()).timestamp);
      const interval = (MAX_TIMESTAMP - head) / 3n;
      await refused(rpc("hardhat_mine", ["0x5", `0x${interval.toString(16)}`]), "INVALID_TIMESTAMP", -32000, /last of 5 blocks/);
      await refused(rpc("hardhat_mine", ["0x2", `0x${(2n ** 255n).toString(16)}`]), "INVALID_TIMESTAMP", -32000);
      assert.equal((await latest()).number, "0x0");
      await rpc("hardhat_mine", ["0x3", `0x${interval.toString(16)}`]);
      assert.equal((await latest()).number, "0x3");
      assert.equal(
        BigInt((await latest()).timestamp) - BigInt((await rpc<Block>("eth_getBlockByNumber", ["0x2", false])).timestamp),
        interval,
      );
    });

    it("refuses evm_increaseTime and a timestamp interval that would take the clock past the bound", async () => {
      const offset = await rpc<string>("evm_increaseTime", [60]);
      await refused(rpc("evm_increaseTime", [`0x${MAX_TIMESTAMP.toString(16)}`]), "INVALID_TIMESTAMP", -32000);
      assert.equal(await rpc("evm_increaseTime", [0]), offset, "the refused call changed nothing");
      await refused(rpc("anvil_setBlockTimestampInterval", [`0x${(MAX_TIMESTAMP + 1n).toString(16)}`]), "INVALID_TIMESTAMP", -32000);
    });
  });

  describe("C24: hardhat_mine / anvil_mine with interval 0", () => {
    beforeEach(() => start());

    it("mines, one second apart (Hardhat's rule: no two blocks share a timestamp)", async () => {
      assert.equal(await rpc("hardhat_mine", ["0x3", "0x0"]), true);
      assert.equal(await rpc("anvil_mine", ["0x2", "0x0"]), true);
      const stamps: bigint[] = [];
      for (let n = 1; n <= 5; n++) stamps.push(BigInt((await rpc<Block>("eth_getBlockByNumber", [`0x${n}`, false])).timestamp));
      for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i] > stamps[i - 1], `timestamps ${stamps.join(", ")}`);
      assert.equal(stamps[2] - stamps[0], 2n);
    });

    it("anvil_setBlockTimestampInterval stamps blocks that far apart (0 means 1); removing it says whether one was set", async () => {
      await rpc("evm_mine");
      assert.equal(await rpc("anvil_setBlockTimestampInterval", [100]), null);
      await rpc("hardhat_mine", ["0x2"]);
      const [a, b, c] = await Promise.all([1, 2, 3].map((n) => rpc<Block>("eth_getBlockByNumber", [`0x${n}`, false])));
      assert.deepEqual([BigInt(b.timestamp) - BigInt(a.timestamp), BigInt(c.timestamp) - BigInt(b.timestamp)], [100n, 1n]);
      await rpc("anvil_setBlockTimestampInterval", [0]);
      await rpc("evm_mine");
      assert.equal(BigInt((await latest()).timestamp) - BigInt(c.timestamp), 1n);
      assert.equal(await rpc("anvil_removeBlockTimestampInterval"), true);
      assert.equal(await rpc("anvil_removeBlockTimestampInterval"), false);
    });
  });

  describe("return values of the time controls, as Hardhat's (decimal strings where Hardhat answers them)", () => {
    beforeEach(() => start());

    it('evm_increaseTime answers the total offset, evm_setNextBlockTimestamp the timestamp, evm_mine "0"', async () => {
      assert.equal(await rpc("evm_increaseTime", [3600]), "3600");
      assert.equal(await rpc("evm_increaseTime", ["0x3c"]), "3660");
      const next = 1_700_000_000 + 10_000;
      assert.equal(await rpc("evm_setNextBlockTimestamp", [next]), String(next));
      assert.equal(await rpc("evm_mine"), "0");
      assert.equal(BigInt((await latest()).timestamp), BigInt(next));
    });

    it("hardhat_setBalance amends the latest block as Hardhat's irregular state does: by number and hash, before and after the next block", async () => {
      const who = "0x000000000000000000000000000000000000beef";
      await rpc("evm_mine");
      await rpc("hardhat_setBalance", [who, "0x100"]);
      const head = await latest();
      assert.equal(await rpc("eth_getBalance", [who, "latest"]), "0x100");
      assert.equal(await rpc("eth_getBalance", [who, head.number]), "0x100", "by the latest block's number");
      assert.equal(await rpc("eth_getBalance", [who, { blockHash: head.hash }]), "0x100", "by the latest block's hash");
      await rpc("evm_mine");
      assert.equal(await rpc("eth_getBalance", [who, (await latest()).number]), "0x100", "sealed into the next block's state");
      // What hardhat-chai-matchers' changeEtherBalance reads: the balance at the block before the transaction's.
      assert.equal(await rpc("eth_getBalance", [who, head.number]), "0x100", "the amended block keeps the amendment");
      assert.equal(await rpc("eth_getBalance", [who, "0x0"]), "0x0", "an older block keeps its own state");
      // A snapshot taken before the amendment takes it back.
      const id = await rpc("evm_snapshot");
      await rpc("hardhat_setBalance", [who, "0x200"]);
      assert.equal(await rpc("eth_getBalance", [who, (await latest()).number]), "0x200");
      await rpc("evm_revert", [id]);
      assert.equal(await rpc("eth_getBalance", [who, (await latest()).number]), "0x100");
    });
  });

  describe("C25: the methods the devnet lacked", () => {
    it("hardhat_setNextBlockBaseFeePerGas: the next block only, fee checks follow; snapshots keep it, reset clears it", async () => {
      await start();
      assert.equal(await rpc("hardhat_setNextBlockBaseFeePerGas", ["0x3b9aca00"]), true);
      assert.equal(await rpc("eth_gasPrice"), "0x77359400", "1 gwei base fee + 1 gwei tip");
      const snap = await rpc<string>("evm_snapshot");
      await rpc("evm_mine");
      const first = await latest();
      assert.equal(first.baseFeePerGas, "0x3b9aca00");
      await rpc("evm_mine");
      assert.equal((await latest()).baseFeePerGas, `0x${((1_000_000_000n * 7n) / 8n).toString(16)}`, "then EIP-1559 from it (empty block)");
      assert.equal(await rpc("evm_revert", [snap]), true);
      await rpc("evm_mine");
      assert.equal((await latest()).baseFeePerGas, "0x3b9aca00", "the snapshot kept the pending base fee");
      await rpc("anvil_setNextBlockBaseFeePerGas", ["0x64"]);
      await rpc("hardhat_reset");
      await rpc("evm_mine");
      assert.notEqual((await latest()).baseFeePerGas, "0x64");
      await refused(rpc("hardhat_setNextBlockBaseFeePerGas", [`0x${(2n ** 128n).toString(16)}`]), "INVALID_PARAMS", -32602);
    });

    it("hardhat_setCoinbase: eth_coinbase, the blocks' miner and the fees all go to it", async () => {
      await start();
      const proposer = await rpc<string>("eth_coinbase");
      assert.match(proposer, /^0x[0-9a-f]{40}$/);
      const recipient = "0x00000000000000000000000000000000c014ba5e";
      assert.equal(await rpc("hardhat_setCoinbase", [recipient]), true);
      assert.equal(await rpc("eth_coinbase"), recipient);
      const from = devnet.accounts[0].address;
      await rpc("eth_sendTransaction", [{ from, to: devnet.accounts[1].address, value: "0x1" }]);
      await rpc("evm_mine");
      assert.equal((await latest()).miner, recipient);
      assert.ok(BigInt(await rpc<string>("eth_getBalance", [recipient])) > 0n, "the fees were credited to the coinbase");
      const snap = await rpc<string>("evm_snapshot");
      await rpc("anvil_setCoinbase", [devnet.accounts[3].address]);
      await rpc("evm_revert", [snap]);
      assert.equal(await rpc("eth_coinbase"), recipient, "a revert restores the coinbase, as Hardhat's snapshots do");
      await rpc("hardhat_reset");
      assert.equal(await rpc("eth_coinbase"), proposer);
    });

    it("evm_setBlockGasLimit: later blocks, admission and the pool follow it; 0 is refused with -32000", async () => {
      await start();
      const from = devnet.accounts[0].address;
      await rpc("evm_setAutomine", [false]);
      const big = await rpc<string>("eth_sendTransaction", [{ from, to: from, gas: "0x30d40" }]); // 200 000 gas, pooled
      await rpc("eth_sendTransaction", [{ from: devnet.accounts[1].address, to: from, gas: "0x5208" }]);
      assert.equal(await rpc("evm_setBlockGasLimit", ["0x186a0"]), true); // 100 000
      assert.equal(await rpc("eth_getTransactionByHash", [big]), null, "the pooled transaction that no longer fits was dropped");
      assert.deepEqual(await rpc("txpool_status"), { pending: "0x1", queued: "0x0" });
      await refused(rpc("eth_sendTransaction", [{ from, to: from, gas: "0x30d40" }]), "GAS_LIMIT_TOO_HIGH", -32000);
      await rpc("evm_mine");
      const block = await latest();
      assert.equal(block.gasLimit, "0x186a0");
      assert.deepEqual(await rpc("txpool_status"), { pending: "0x0", queued: "0x0" });
      await refused(rpc("evm_setBlockGasLimit", ["0x0"]), "INVALID_PARAMS", -32000, /greater than 0/);
      await rpc("anvil_setBlockGasLimit", ["0x2faf080"]);
      await rpc("hardhat_reset");
      await rpc("evm_mine");
      const genesis = await rpc<Block>("eth_getBlockByNumber", ["0x0", false]);
      assert.equal((await latest()).gasLimit, genesis.gasLimit, "a reset goes back to the configured gas limit");
    });

    it("hardhat_setPrevRandao: refused on the bitlayer profile (0x44 is DIFFICULTY); sets the next mixHash on cancun", async () => {
      await start();
      const value = `0x${"ab".repeat(32)}`;
      await refused(rpc("hardhat_setPrevRandao", [value]), "NOT_SUPPORTED", -32000, /DIFFICULTY/);
      await devnet.close();
      await start({ hardfork: "cancun" });
      assert.equal(await rpc("hardhat_setPrevRandao", [value]), true);
      await rpc("evm_mine");
      assert.equal((await latest()).mixHash, value);
      await rpc("evm_mine");
      assert.notEqual((await latest()).mixHash, value, "the next block only");
    });

    it("hardhat_setMinGasPrice is refused as Hardhat refuses it with EIP-1559 active", async () => {
      await start();
      for (const method of ["hardhat_setMinGasPrice", "anvil_setMinGasPrice"]) {
        await refused(rpc(method, ["0x1"]), "NOT_SUPPORTED", -32000, /EIP-1559 is active/);
      }
    });

    it("eth_blobBaseFee: refused on the bitlayer profile, 1 wei on cancun (no blobs ever)", async () => {
      await start();
      await refused(rpc("eth_blobBaseFee"), "NOT_SUPPORTED", -32000, /no blob/);
      await devnet.close();
      await start({ hardfork: "cancun" });
      assert.equal(await rpc("eth_blobBaseFee"), "0x1");
    });

    it("txpool_inspect: geth's summary lines by checksummed sender and nonce", async () => {
      await start();
      await rpc("evm_setAutomine", [false]);
      const from = devnet.accounts[0].address;
      const to = devnet.accounts[1].address;
      await rpc("eth_sendTransaction", [
        { from, to, value: "0x2a", gas: "0x5208", maxFeePerGas: "0x77359400", maxPriorityFeePerGas: "0x1" },
      ]);
      await rpc("eth_sendTransaction", [{ from, data: "0x00", gas: "0x186a0", gasPrice: "0x77359400", nonce: "0x3" }]);
      assert.deepEqual(await rpc("txpool_inspect"), {
        pending: { [getAddress(from)]: { "0": `${getAddress(to)}: 42 wei + 21000 gas × 2000000000 wei` } },
        queued: { [getAddress(from)]: { "3": "contract creation: 0 wei + 100000 gas × 2000000000 wei" } },
      });
    });

    it("eth_getProof: an EIP-1186 proof rooted in the block's state root; keys are bounded", async () => {
      await start();
      const from = devnet.accounts[0].address;
      await rpc("hardhat_setStorageAt", [from, "0x1", `0x${"00".repeat(31)}07`]);
      await rpc("evm_mine");
      const proof = await rpc<{
        balance: string;
        nonce: string;
        accountProof: string[];
        storageProof: { key: string; value: string; proof: string[] }[];
      }>("eth_getProof", [from, ["0x1", "0x2"], "latest"]);
      assert.equal(proof.balance, await rpc("eth_getBalance", [from]));
      assert.equal(proof.nonce, "0x0");
      assert.equal(hexlify(keccak256(Buffer.from(proof.accountProof[0].slice(2), "hex"))), (await latest()).stateRoot);
      assert.deepEqual(
        proof.storageProof.map((p) => [p.key, p.value]),
        [
          [`0x${"00".repeat(31)}01`, "0x7"],
          [`0x${"00".repeat(31)}02`, "0x0"],
        ],
      );
      const keys = Array.from({ length: 1025 }, (_, i) => `0x${i.toString(16)}`);
      await refused(rpc("eth_getProof", [from, keys, "latest"]), "INVALID_PARAMS", -32602, /at most 1024/);
    });

    it("anvil_nodeInfo answers in Anvil's shape; hardhat_metadata (and anvil_metadata) in Hardhat's", async () => {
      await start();
      await rpc("evm_mine");
      const info = await rpc<Record<string, unknown>>("anvil_nodeInfo");
      const head = await latest();
      assert.deepEqual(Object.keys(info).sort(), [
        "currentBlockHash",
        "currentBlockNumber",
        "currentBlockTimestamp",
        "environment",
        "forkConfig",
        "hardFork",
        "network",
        "transactionOrder",
      ]);
      assert.equal(info.currentBlockNumber, "0x1");
      assert.equal(info.currentBlockTimestamp, Number(head.timestamp));
      assert.deepEqual(Object.keys(info.environment as object).sort(), ["baseFee", "chainId", "gasLimit", "gasPrice"]);
      assert.equal((info.environment as { chainId: number }).chainId, 202601);
      assert.deepEqual(info.forkConfig, { forkUrl: null, forkBlockNumber: null, forkRetryBackoff: null });
      const metadata = await rpc<Record<string, unknown>>("hardhat_metadata");
      assert.equal(metadata.latestBlockNumber, 1);
      assert.deepEqual(await rpc("anvil_metadata"), metadata);
    });
  });

  describe("C26: Solidity console.log", () => {
    // The calls console.sol makes: a staticcall to the console address with abi.encodeWithSignature
    // (including the legacy "log(uint)" selector older console.sol versions and forge-std send).
    const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
library console {
  address constant CONSOLE_ADDRESS = 0x000000000000000000636F6e736F6c652e6c6f67;
  function sendPayload(bytes memory payload) private view {
    address target = CONSOLE_ADDRESS;
    assembly { pop(staticcall(gas(), target, add(payload, 32), mload(payload), 0, 0)) }
  }
  function log(string memory p0, uint256 p1) internal view { sendPayload(abi.encodeWithSignature("log(string,uint256)", p0, p1)); }
  function log(string memory p0, address p1, bool p2) internal view { sendPayload(abi.encodeWithSignature("log(string,address,bool)", p0, p1, p2)); }
  function logLegacyUint(uint256 p0) internal view { sendPayload(abi.encodeWithSignature("log(uint)", p0)); }
  function logInt(int256 p0) internal view { sendPayload(abi.encodeWithSignature("log(int256)", p0)); }
  function logBytes3(bytes3 p0) internal view { sendPayload(abi.encodeWithSignature("log(bytes3)", p0)); }
  function log(string memory p0) internal view { sendPayload(abi.encodeWithSignature("log(string)", p0)); }
}
contract Logger {
  uint256 public count;
  function poke(uint256 n) external {
    count += n;
    console.log("count is %d", count);
    console.log("from %s, ok %s", msg.sender, true);
    console.logLegacyUint(42);
    console.logInt(-7);
    console.logBytes3(0x616263);
    console.log("no specifier", count);
  }
  function peek() external view returns (uint256) {
    console.log("peek %i%%d", count);
    return count;
  }
  function boom() external view {
    console.log("before the revert");
    revert("boom");
  }
}`;
    const logger = compileSources({ "Logger.sol": source }).Logger;
    const iface = new Interface(logger.abi as never);

    it("a mined transaction's lines reach onConsole, formatted as Hardhat formats them, with its hash and block", async () => {
      await start();
      const logs: ConsoleLog[] = [];
      const stop = devnet.onConsole((log) => logs.push(log));
      const from = devnet.accounts[0].address;
      const deploy = await rpc<string>("eth_sendTransaction", [{ from, data: logger.bytecode }]);
      const address = (await rpc<{ contractAddress: string }>("eth_getTransactionReceipt", [deploy])).contractAddress;
      assert.equal(logs.length, 0, "a contract that does not log emits nothing");
      const hash = await rpc<string>("eth_sendTransaction", [{ from, to: address, data: iface.encodeFunctionData("poke", [5]) }]);
      const block = BigInt((await rpc<{ blockNumber: string }>("eth_getTransactionReceipt", [hash])).blockNumber);
      assert.deepEqual(
        logs.map((l) => l.text),
        ["count is 5", `from ${from.toLowerCase()}, ok true`, "42", "-7", "0x616263", "no specifier 5"],
      );
      for (const log of logs)
        assert.deepEqual({ ...log, text: "" }, { text: "", kind: "transaction", transactionHash: hash, blockNumber: block });

      logs.length = 0;
      const out = await rpc<string>("eth_call", [{ to: address, data: iface.encodeFunctionData("peek") }]);
      assert.equal(BigInt(out), 5n);
      assert.deepEqual(logs, [{ text: "peek 5%d", kind: "call" }], "%i reads as %s, %%d stays escaped");
      await assert.rejects(rpc("eth_call", [{ to: address, data: iface.encodeFunctionData("boom") }]), /boom/);
      assert.deepEqual(
        logs.map((l) => l.text),
        ["peek 5%d", "before the revert"],
        "a reverted call's lines too, as Hardhat prints them",
      );
      stop();
      await rpc("eth_call", [{ to: address, data: iface.encodeFunctionData("peek") }]);
      assert.equal(logs.length, 2, "the returned function stops the listener");
    });

    it("subscribes once per VM: many transactions and calls, and a reset, leave one listener", async () => {
      await start();
      const from = devnet.accounts[0].address;
      const data = new Interface(["function log(string)"]).encodeFunctionData("log", ["direct"]);
      const texts: string[] = [];
      devnet.onConsole((log) => texts.push(log.text));
      for (let i = 0; i < 5; i++) {
        await rpc("eth_sendTransaction", [{ from, to: CONSOLE_ADDRESS, data }]);
        await rpc("eth_call", [{ to: CONSOLE_ADDRESS, data }]);
      }
      assert.equal(texts.length, 10);
      assert.equal(devnet.core.chain.vm.evm.events?.listenerCount("beforeMessage"), 1);
      assert.equal(devnet.core.chain.vm.events.listenerCount("afterTx"), 1);
      await rpc("hardhat_reset");
      await rpc("eth_sendTransaction", [{ from, to: CONSOLE_ADDRESS, data: AbiCoder.defaultAbiCoder().encode(["uint256"], [1]) }]);
      assert.equal(texts.length, 10, "an unknown selector is not a console.log");
      assert.ok((devnet.core.chain.vm.evm.events?.listenerCount("beforeMessage") ?? 0) <= 1);
    });
  });
});
