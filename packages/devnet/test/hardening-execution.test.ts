// Issue 5, execution items: bounded traces (A2) and RPC executions (A5), call contexts at latest/pending
// (C20), impersonated contracts calling themselves (C21), EIP-7702 requests and refusals (C27), the Bitlayer
// block gas limit (D28) and debug_traceCall. In process (devnet.request), plus HTTP where the wire matters.

import assert from "node:assert/strict";
import { Interface, type InterfaceAbi, toBeHex } from "ethers";
import { createPublicClient, createWalletClient, custom, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createDevnet, type Devnet, type DevnetOptions, ProviderRpcError } from "../src/index.js";
import { startTestDevnet } from "./support/server.js";
import { type CompiledContract, compileSources, getContract } from "./support/solc.js";

interface Receipt {
  status: string;
  blockNumber: string;
  contractAddress: string | null;
}

interface Block {
  number: string;
  hash: string | null;
  timestamp: string;
  miner: string | null;
  gasLimit: string;
  transactions: string[];
}

/** 1000 PUSH0 (a stack of 1000 words), then JUMPDEST at 1000 and a jump back to it, forever. */
const STACK_LOOP = `0x${"5f".repeat(1000)}5b6103e856`;
/** JUMPDEST, PUSH1 0, JUMP: loops until the gas runs out. */
const PLAIN_LOOP = "0x5b600056";

/** blake2f (precompile 0x09) input: rounds, h (64 bytes), m (128), t (16), final flag. */
function blake2fInput(rounds: number): string {
  return `0x${rounds.toString(16).padStart(8, "0")}${"00".repeat(64 + 128 + 16)}01`;
}
const BLAKE2F = "0x0000000000000000000000000000000000000009";

const CLOCK_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
contract Clock {
    uint256 public stored;
    function context() external view returns (uint256 number, uint256 time, address miner, uint256 gasLimit) {
        return (block.number, block.timestamp, block.coinbase, block.gaslimit);
    }
    function store(uint256 value) external { stored = value; }
    function onlyAt(uint256 number) external { require(block.number == number, "wrong block"); stored = number; }
}`;

function rpcError(err: unknown, reason: string, code: number, message?: RegExp): true {
  assert.ok(err instanceof ProviderRpcError, `expected a ProviderRpcError, got ${String(err)}`);
  assert.equal(err.reason, reason, err.message);
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return true;
}

describe("hardening: execution (issue 5)", function () {
  this.timeout(120_000);

  const devnets: Devnet[] = [];
  let clock: CompiledContract;
  let clockIface: Interface;
  let counter: CompiledContract;
  let counterIface: Interface;

  async function start(options: DevnetOptions = {}): Promise<Devnet> {
    const devnet = await createDevnet(options);
    devnets.push(devnet);
    return devnet;
  }
  const rpc = <T>(devnet: Devnet, method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;

  async function deploy(devnet: Devnet, bytecode: string): Promise<string> {
    const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from: devnet.accounts[0].address, data: bytecode }]);
    const receipt = await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash]);
    assert.equal(receipt.status, "0x1");
    return receipt.contractAddress as string;
  }

  async function plant(devnet: Devnet, code: string, n: number): Promise<string> {
    const address = `0x${(0xbad000 + n).toString(16).padStart(40, "0")}`;
    await rpc(devnet, "hardhat_setCode", [address, code]);
    return address;
  }

  /** Mines a transaction to `to` with `gas`; it fails (out of gas or stack overflow) but is mined. */
  async function mineFailing(devnet: Devnet, to: string, gas: bigint): Promise<string> {
    // Under automine a failed send answers Hardhat's error, which carries the hash of the mined transaction.
    let hash = "";
    await assert.rejects(
      rpc<string>(devnet, "eth_sendTransaction", [{ from: devnet.accounts[0].address, to, gas: toBeHex(gas) }]),
      (err: unknown) => {
        hash = (err as { data: { txHash: string } }).data.txHash;
        return (err as { reason?: string }).reason === "TRANSACTION_FAILED";
      },
    );
    assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).status, "0x0");
    return hash;
  }

  before(() => {
    clock = compileSources({ "Clock.sol": CLOCK_SOURCE }).Clock;
    clockIface = new Interface(clock.abi as InterfaceAbi);
    counter = getContract("Counter");
    counterIface = new Interface(counter.abi as InterfaceAbi);
  });

  afterEach(async () => {
    await Promise.all(devnets.splice(0).map((d) => d.close()));
  });

  describe("A2: traces are bounded in memory and time", () => {
    it("a transaction that fills the stack and loops: LIMIT_EXCEEDED naming the bound, and the devnet lives on", async () => {
      const devnet = await start();
      const loop = await plant(devnet, STACK_LOOP, 1);
      const hash = await mineFailing(devnet, loop, 1_000_000n);
      await assert.rejects(rpc(devnet, "debug_traceTransaction", [hash]), (err) =>
        rpcError(err, "LIMIT_EXCEEDED", -32005, /trace limit exceeded: more than 1000000 captured words/),
      );
      // debug_traceCall has the same bound.
      await assert.rejects(rpc(devnet, "debug_traceCall", [{ to: loop, gas: "0xf4240" }, "latest"]), (err) =>
        rpcError(err, "LIMIT_EXCEEDED", -32005, /trace limit exceeded/),
      );
      assert.equal(typeof (await rpc<string>(devnet, "eth_blockNumber")), "string");
    });

    it("a 30M-gas loop answers a JSON-RPC error over HTTP (not HTTP 500): steps bound, and the timeout option", async () => {
      const net = await startTestDevnet();
      try {
        const devnet = net.devnet;
        const loop = await plant(devnet, PLAIN_LOOP, 2);
        const hash = await mineFailing(devnet, loop, 30_000_000n);
        const post = async (id: number, params: unknown[]) => {
          const res = await fetch(net.url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", id, method: "debug_traceTransaction", params }),
          });
          assert.equal(res.status, 200);
          return (await res.json()) as { id: number; error?: { code: number; message: string }; result?: unknown };
        };
        const steps = await post(7, [hash]);
        assert.equal(steps.id, 7);
        assert.equal(steps.error?.code, -32005);
        assert.match(steps.error?.message ?? "", /more than 100000 struct logs/);
        // callTracer records no steps: the time bound stops it (geth's `timeout` option).
        const timed = await post(8, [hash, { tracer: "callTracer", timeout: "50ms" }]);
        assert.equal(timed.id, 8);
        assert.equal(timed.error?.code, -32005);
        assert.match(timed.error?.message ?? "", /execution timeout/);
        const bad = await post(9, [hash, { timeout: "forever" }]);
        assert.equal(bad.error?.code, -32602);
      } finally {
        await net.close();
      }
    });

    it("a normal transaction still traces, with struct logs and with callTracer (debug_traceTransaction and debug_traceCall)", async () => {
      const devnet = await start();
      const address = await deploy(devnet, clock.bytecode);
      const data = clockIface.encodeFunctionData("store", [7n]);
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from: devnet.accounts[0].address, to: address, data }]);
      const trace = await rpc<{ failed: boolean; structLogs: { op: string; storage?: Record<string, string> }[] }>(
        devnet,
        "debug_traceTransaction",
        [hash, { timeout: "10s" }],
      );
      assert.equal(trace.failed, false);
      assert.ok(trace.structLogs.some((l) => l.op === "SSTORE"));
      const tree = await rpc<{ type: string; to: string; input: string }>(devnet, "debug_traceTransaction", [
        hash,
        { tracer: "callTracer" },
      ]);
      assert.equal(tree.type, "CALL");
      assert.equal(tree.to, address.toLowerCase());

      const call = { from: devnet.accounts[1].address, to: address, data: clockIface.encodeFunctionData("store", [9n]) };
      const traced = await rpc<{ failed: boolean; structLogs: { op: string }[] }>(devnet, "debug_traceCall", [call, "latest"]);
      assert.equal(traced.failed, false);
      assert.ok(traced.structLogs.some((l) => l.op === "SSTORE"));
      const callTree = await rpc<{ from: string; to: string; gasUsed: string }>(devnet, "debug_traceCall", [
        call,
        "latest",
        { tracer: "callTracer" },
      ]);
      assert.equal(callTree.from, devnet.accounts[1].address.toLowerCase());
      assert.ok(BigInt(callTree.gasUsed) > 21_000n);
      // Tracing a call changes nothing.
      const stored = await rpc<string>(devnet, "eth_call", [{ to: address, data: clockIface.encodeFunctionData("stored") }]);
      assert.equal(BigInt(stored), 7n);
    });
  });

  describe("A5: eth_call & co. have a gas cap and a time cap", () => {
    it("a blake2f call with 12M rounds is refused before it runs, naming the limit; a normal one works", async () => {
      const devnet = await start();
      await assert.rejects(rpc(devnet, "eth_call", [{ to: BLAKE2F, data: blake2fInput(12_000_000) }]), (err) =>
        rpcError(err, "LIMIT_EXCEEDED", -32005, /execution aborted \(timeout = 5s.*blake2f.*12000000 rounds/),
      );
      await assert.rejects(rpc(devnet, "eth_estimateGas", [{ to: BLAKE2F, data: blake2fInput(12_000_000) }]), (err) =>
        rpcError(err, "LIMIT_EXCEEDED", -32005),
      );
      const out = await rpc<string>(devnet, "eth_call", [{ to: BLAKE2F, data: blake2fInput(12) }]);
      assert.equal(out.length, 2 + 128, "64 bytes of state");
      // Mined transactions keep consensus behaviour: the same precompile runs there.
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [
        { from: devnet.accounts[0].address, to: BLAKE2F, data: blake2fInput(12), gas: "0x30d40" },
      ]);
      assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).status, "0x1");
    });

    it("an endless loop is aborted at the execution timeout (rpcEvmTimeout), and gas is capped at rpcGasCap", async () => {
      const devnet = await start({ rpcEvmTimeout: 100, rpcGasCap: 1_000_000 });
      const loop = await plant(devnet, PLAIN_LOOP, 3);
      // 1M gas of a 12-gas loop is ~83k iterations: within 100 ms? Not necessarily, so use the cap alone here.
      await assert.rejects(rpc(devnet, "eth_call", [{ to: loop, gas: "0xffffffffff" }]), (err) => {
        assert.ok(err instanceof ProviderRpcError);
        if (err.reason === "LIMIT_EXCEEDED") return true; // a slow machine hit the 100 ms first
        return rpcError(err, "EXECUTION_REVERTED", 3, /gas required exceeds allowance \(1000000\)/);
      });
      const slow = await start({ rpcEvmTimeout: 50 });
      const slowLoop = await plant(slow, PLAIN_LOOP, 4);
      // 40M gas of loop takes seconds: stopped at 50 ms.
      await assert.rejects(rpc(slow, "eth_call", [{ to: slowLoop }]), (err) =>
        rpcError(err, "LIMIT_EXCEEDED", -32005, /execution aborted \(timeout = 0.05s/),
      );
      await assert.rejects(rpc(slow, "eth_estimateGas", [{ to: slowLoop }]), (err) => rpcError(err, "LIMIT_EXCEEDED", -32005));
      // Nothing was left behind: the chain still mines and calls still work.
      const clockAddress = await deploy(slow, clock.bytecode);
      const stored = { to: clockAddress, data: clockIface.encodeFunctionData("stored") };
      await rpc(slow, "eth_call", [stored]);
      // Live calls share one VM: a call's writes never reach the next one, nor does an aborted run's.
      await rpc(slow, "eth_call", [
        { from: slow.accounts[0].address, to: clockAddress, data: clockIface.encodeFunctionData("store", [7n]) },
      ]);
      assert.equal(BigInt(await rpc<string>(slow, "eth_call", [stored])), 0n);
      await assert.rejects(rpc(slow, "eth_call", [{ to: slowLoop }]), (err) => rpcError(err, "LIMIT_EXCEEDED", -32005));
      assert.equal(BigInt(await rpc<string>(slow, "eth_call", [stored])), 0n);
      await rpc(slow, "eth_sendTransaction", [
        { from: slow.accounts[0].address, to: clockAddress, data: clockIface.encodeFunctionData("store", [9n]) },
      ]);
      assert.equal(BigInt(await rpc<string>(slow, "eth_call", [stored])), 9n, "the reused VM follows the new block's state");
    });

    it("refuses bad limits as options", async () => {
      await assert.rejects(createDevnet({ rpcGasCap: 10 }), /rpcGasCap/);
      await assert.rejects(createDevnet({ rpcEvmTimeout: 0 }), /rpcEvmTimeout/);
    });
  });

  describe("C20: latest runs in the latest block, pending in the next one", () => {
    it("views that read block.number / block.timestamp / coinbase / gaslimit see the latest block", async () => {
      const devnet = await start();
      const address = await deploy(devnet, clock.bytecode);
      await rpc(devnet, "evm_increaseTime", [3600]); // the next block would be an hour later
      const latest = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      const data = clockIface.encodeFunctionData("context");
      for (const tag of [undefined, "latest", latest.number]) {
        const out = await rpc<string>(devnet, "eth_call", tag === undefined ? [{ to: address, data }] : [{ to: address, data }, tag]);
        const [number, time, miner, gasLimit] = clockIface.decodeFunctionResult("context", out);
        assert.equal(number, BigInt(latest.number), `number at ${tag}`);
        assert.equal(time, BigInt(latest.timestamp), `timestamp at ${tag}`);
        assert.equal(String(miner).toLowerCase(), latest.miner);
        assert.equal(gasLimit, BigInt(latest.gasLimit));
      }
      const [pendingNumber, pendingTime] = clockIface.decodeFunctionResult(
        "context",
        await rpc<string>(devnet, "eth_call", [{ to: address, data }, "pending"]),
      );
      assert.equal(pendingNumber, BigInt(latest.number) + 1n);
      assert.ok(pendingTime >= BigInt(latest.timestamp) + 3600n);
      // estimateGas at latest runs in the latest block too; with no tag it runs in the pending block, as
      // Hardhat's does (EDR keeps that default); eth_sendTransaction estimates for the next one.
      const only = (n: bigint) => clockIface.encodeFunctionData("onlyAt", [n]);
      const from = devnet.accounts[0].address;
      await rpc(devnet, "eth_estimateGas", [{ from, to: address, data: only(BigInt(latest.number)) }, "latest"]);
      await assert.rejects(
        rpc(devnet, "eth_estimateGas", [{ from, to: address, data: only(BigInt(latest.number) + 1n) }, "latest"]),
        /wrong block/,
      );
      await rpc(devnet, "eth_estimateGas", [{ from, to: address, data: only(BigInt(latest.number) + 1n) }, "pending"]);
      await rpc(devnet, "eth_estimateGas", [{ from, to: address, data: only(BigInt(latest.number) + 1n) }]);
      await assert.rejects(rpc(devnet, "eth_estimateGas", [{ from, to: address, data: only(BigInt(latest.number)) }]), /wrong block/);
      const access = await rpc<{ error?: string }>(devnet, "eth_createAccessList", [
        { from, to: address, data: only(BigInt(latest.number)) },
      ]);
      assert.equal(access.error, undefined);
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from, to: address, data: only(BigInt(latest.number) + 1n) }]);
      assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).status, "0x1");
    });

    it("pending: the pool's transactions applied; eth_getBlockByNumber('pending') shows them, nothing committed", async () => {
      const devnet = await start({ mining: { mode: "manual" } });
      await rpc(devnet, "evm_mine");
      const address = await (async () => {
        const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from: devnet.accounts[0].address, data: clock.bytecode }]);
        await rpc(devnet, "evm_mine");
        return (await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).contractAddress as string;
      })();
      const pooled = await rpc<string>(devnet, "eth_sendTransaction", [
        { from: devnet.accounts[1].address, to: address, data: clockIface.encodeFunctionData("store", [42n]) },
      ]);
      const stored = { to: address, data: clockIface.encodeFunctionData("stored") };
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [stored, "latest"])), 0n);
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [stored, "pending"])), 42n);
      const latest = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      const pending = await rpc<Block>(devnet, "eth_getBlockByNumber", ["pending", false]);
      assert.equal(BigInt(pending.number), BigInt(latest.number) + 1n);
      assert.equal(pending.hash, null);
      assert.deepEqual(pending.transactions, [pooled]);
      assert.equal(await rpc(devnet, "eth_getBlockTransactionCountByNumber", ["pending"]), "0x1");
      // Nothing was committed.
      assert.equal(await rpc(devnet, "eth_blockNumber"), latest.number);
      assert.deepEqual(await rpc(devnet, "txpool_status"), { pending: "0x1", queued: "0x0" });
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [stored, "latest"])), 0n);
      await rpc(devnet, "evm_mine");
      assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [pooled])).status, "0x1");
      assert.equal(BigInt(await rpc<string>(devnet, "eth_call", [stored, "latest"])), 42n);
    });
  });

  describe("C21: an impersonated contract sending to itself runs its code", () => {
    it("the self-call's storage write happens", async () => {
      const devnet = await start();
      const address = await deploy(devnet, counter.bytecode + counterIface.encodeDeploy([5n]).slice(2));
      // As loadFixture does: a snapshot and a revert (which also empties the state's caches, so the
      // code is read through the account, where it was hidden for the whole transaction before).
      const id = await rpc(devnet, "evm_snapshot");
      await rpc(devnet, "evm_mine");
      await rpc(devnet, "evm_revert", [id]);
      await rpc(devnet, "hardhat_setBalance", [address, "0xde0b6b3a7640000"]);
      await rpc(devnet, "hardhat_impersonateAccount", [address]);
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [
        { from: address, to: address, data: counterIface.encodeFunctionData("increment") },
      ]);
      assert.equal((await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [hash])).status, "0x1");
      const count = await rpc<string>(devnet, "eth_call", [{ to: address, data: counterIface.encodeFunctionData("count") }]);
      assert.equal(BigInt(count), 6n, "increment() ran");
      assert.equal(await rpc(devnet, "eth_getCode", [address, "latest"]), counter.deployedBytecode, "the contract keeps its code");
      // eth_call from the contract to itself runs its code too.
      const viaCall = await rpc<string>(devnet, "eth_call", [
        { from: address, to: address, data: counterIface.encodeFunctionData("count") },
      ]);
      assert.equal(BigInt(viaCall), 6n);
    });
  });

  describe("C27: EIP-7702 authorizations", () => {
    const authorityKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // dev account 1

    it("prague: estimates count the authorizations, and the type-4 send delegates the authority", async () => {
      const devnet = await start({ hardfork: "prague" });
      const target = await deploy(devnet, counter.bytecode + counterIface.encodeDeploy([1n]).slice(2));
      const authority = privateKeyToAccount(authorityKey);
      assert.equal(authority.address.toLowerCase(), devnet.accounts[1].address.toLowerCase());
      const auth = await authority.signAuthorization({ chainId: Number(devnet.chainId), address: target as Hex, nonce: 0 });
      const authorizationList = [
        { chainId: toBeHex(devnet.chainId), address: target, nonce: "0x0", yParity: toBeHex(auth.yParity ?? 0), r: auth.r, s: auth.s },
      ];
      const from = devnet.accounts[0].address;
      const plain = BigInt(await rpc<string>(devnet, "eth_estimateGas", [{ from, to: from }]));
      const withAuth = BigInt(await rpc<string>(devnet, "eth_estimateGas", [{ from, to: from, authorizationList }]));
      assert.equal(plain, 21_000n);
      assert.ok(withAuth >= 46_000n, `an authorization costs 25000: estimated ${withAuth}`);
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [{ from, to: from, authorizationList, gas: toBeHex(withAuth) }]);
      const receipt = await rpc<Receipt & { type: string }>(devnet, "eth_getTransactionReceipt", [hash]);
      assert.equal(receipt.status, "0x1");
      assert.equal(receipt.type, "0x4");
      assert.equal(await rpc(devnet, "eth_getCode", [authority.address, "latest"]), `0xef0100${target.slice(2).toLowerCase()}`);
    });

    it("bitlayer: every type-4 path is refused as an unsupported transaction type (-32000), which viem reports as such", async () => {
      const devnet = await start();
      const authority = privateKeyToAccount(authorityKey);
      const auth = await authority.signAuthorization({
        chainId: Number(devnet.chainId),
        address: devnet.accounts[2].address as Hex,
        nonce: 0,
      });
      const authorizationList = [
        {
          chainId: toBeHex(devnet.chainId),
          address: devnet.accounts[2].address,
          nonce: "0x0",
          yParity: toBeHex(auth.yParity ?? 0),
          r: auth.r,
          s: auth.s,
        },
      ];
      const from = devnet.accounts[0].address;
      const unsupported = (err: unknown) => rpcError(err, "UNSUPPORTED_TX_TYPE", -32000, /^transaction type not supported/);
      for (const method of ["eth_call", "eth_estimateGas", "eth_createAccessList", "eth_sendTransaction"]) {
        await assert.rejects(rpc(devnet, method, [{ from, to: from, authorizationList }]), unsupported, method);
      }
      await assert.rejects(rpc(devnet, "eth_sendTransaction", [{ from, to: from, authorizationList, gas: "0xc350" }]), unsupported);
      const raw = await authority.signTransaction({
        type: "eip7702",
        chainId: Number(devnet.chainId),
        nonce: 0,
        to: authority.address,
        gas: 100_000n,
        maxFeePerGas: 10n ** 11n,
        maxPriorityFeePerGas: 10n ** 9n,
        authorizationList: [auth],
      });
      await assert.rejects(rpc(devnet, "eth_sendRawTransaction", [raw]), unsupported);
      assert.equal(await rpc(devnet, "eth_getTransactionCount", [from, "pending"]), "0x0");

      // viem: the refusal reads as what it is, not "method not supported".
      const transport = custom({ request: ({ method, params }) => devnet.request({ method, params }) });
      const wallet = createWalletClient({ account: privateKeyToAccount(authorityKey), transport });
      const client = createPublicClient({ transport });
      const chain = {
        id: Number(devnet.chainId),
        name: "devnet",
        nativeCurrency: { name: "BTC", symbol: "BTC", decimals: 18 },
        rpcUrls: { default: { http: ["http://127.0.0.1"] } },
      };
      for (const attempt of [
        () => wallet.sendRawTransaction({ serializedTransaction: raw }),
        () => client.estimateGas({ account: from as Hex, to: from as Hex, authorizationList: [auth] }),
        () => wallet.sendTransaction({ chain, to: from as Hex, authorizationList: [auth], gas: 100_000n }),
      ]) {
        await assert.rejects(attempt(), (err: Error) => {
          assert.doesNotMatch(err.message, /method.*not supported/i);
          assert.match(err.message, /transaction type not supported|transaction type is not supported/i);
          return true;
        });
      }
    });
  });

  describe("D28: Bitlayer block gas limit", () => {
    it("defaults to 40,000,000, as Bitlayer mainnet", async () => {
      const devnet = await start();
      const block = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(BigInt(block.gasLimit), 40_000_000n);
      await rpc(devnet, "evm_mine");
      const next = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(BigInt(next.gasLimit), 40_000_000n);
    });
  });
});
