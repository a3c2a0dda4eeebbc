// In-process coverage of the methods the HTTP suites do not exercise: filters, access lists,
// block/transaction lookups by position, mining modes, reset, and the plain info methods.
import assert from "node:assert/strict";
import { AbiCoder, id as eventId, Interface, zeroPadValue } from "ethers";
import { createDevnet, type Devnet } from "../src/index.js";
import { getContract } from "./support/solc.js";

const counter = getContract("Counter");
const iface = new Interface(counter.abi as never);

describe("JSON-RPC methods (in process)", function () {
  this.timeout(30_000);
  let devnet: Devnet;
  let from: string;
  let address: string;
  const rpc = <T = unknown>(method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;
  const send = async (data: string) => {
    const hash = await rpc<string>("eth_sendTransaction", [{ from, to: address, data }]);
    return rpc<{ blockNumber: string; blockHash: string; transactionIndex: string }>("eth_getTransactionReceipt", [hash]).then((r) => ({
      ...r,
      hash,
    }));
  };

  beforeEach(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    from = devnet.accounts[0].address;
    const deployData = counter.bytecode + AbiCoder.defaultAbiCoder().encode(["uint256"], [5]).slice(2);
    const hash = await rpc<string>("eth_sendTransaction", [{ from, data: deployData }]);
    address = (await rpc<{ contractAddress: string }>("eth_getTransactionReceipt", [hash])).contractAddress;
  });
  afterEach(() => devnet.close());

  it("log filters report new matching logs once, and eth_getFilterLogs the whole range", async () => {
    const topic = eventId("Incremented(address,uint256,uint256)");
    const filter = await rpc<string>("eth_newFilter", [{ address, topics: [topic] }]);
    const other = await rpc<string>("eth_newFilter", [{ address, topics: [topic, zeroPadValue(devnet.accounts[5].address, 32)] }]);
    await send(iface.encodeFunctionData("increment"));
    await send(iface.encodeFunctionData("set", [9])); // no event
    await send(iface.encodeFunctionData("incrementBy", [3]));
    const changes = await rpc<{ topics: string[]; data: string }[]>("eth_getFilterChanges", [filter]);
    assert.equal(changes.length, 2);
    assert.deepEqual(
      changes.map((log) => BigInt(log.topics[2])),
      [6n, 12n],
    );
    assert.deepEqual(await rpc("eth_getFilterChanges", [filter]), [], "nothing new on the second poll");
    assert.deepEqual(await rpc("eth_getFilterChanges", [other]), [], "topic 1 (another sender) does not match");
    assert.equal((await rpc<unknown[]>("eth_getFilterLogs", [filter])).length, 2);
    assert.equal(await rpc("eth_uninstallFilter", [filter]), true);
    assert.equal(await rpc("eth_uninstallFilter", [filter]), false);
    await assert.rejects(rpc("eth_getFilterChanges", [filter]), /filter .* not found/);
  });

  it("block and pending-transaction filters", async () => {
    const blocks = await rpc<string>("eth_newBlockFilter");
    const pending = await rpc<string>("eth_newPendingTransactionFilter");
    const { blockHash, hash } = await send(iface.encodeFunctionData("increment"));
    await rpc("evm_mine");
    const seen = await rpc<string[]>("eth_getFilterChanges", [blocks]);
    assert.equal(seen.length, 2);
    assert.equal(seen[0], blockHash);
    assert.deepEqual(await rpc("eth_getFilterChanges", [pending]), [hash]);
  });

  it("eth_createAccessList names the contract and the slots it touches", async () => {
    const result = await rpc<{ accessList: { address: string; storageKeys: string[] }[]; gasUsed: string }>("eth_createAccessList", [
      { from, to: address, data: iface.encodeFunctionData("increment") },
    ]);
    const entry = result.accessList.find((e) => e.address.toLowerCase() === address.toLowerCase());
    assert.ok(entry, JSON.stringify(result));
    assert.ok(entry.storageKeys.includes(zeroPadValue("0x00", 32)), "slot 0 (count)");
    assert.ok(BigInt(result.gasUsed) > 21_000n);
  });

  it("looks up transactions by block and position, and counts them", async () => {
    await rpc("evm_setAutomine", [false]);
    const hashes = [
      await rpc<string>("eth_sendTransaction", [{ from, to: address, data: iface.encodeFunctionData("increment") }]),
      await rpc<string>("eth_sendTransaction", [{ from, to: address, data: iface.encodeFunctionData("increment") }]),
    ];
    assert.deepEqual(await rpc("txpool_status"), { pending: "0x2", queued: "0x0" });
    await rpc("evm_mine");
    const block = await rpc<{ hash: string; number: string; transactions: string[] }>("eth_getBlockByNumber", ["latest", false]);
    assert.deepEqual(block.transactions, hashes, "one block, in nonce order");
    assert.equal(await rpc("eth_getBlockTransactionCountByNumber", [block.number]), "0x2");
    assert.equal(await rpc("eth_getBlockTransactionCountByHash", [block.hash]), "0x2");
    const second = await rpc<{ hash: string; transactionIndex: string }>("eth_getTransactionByBlockNumberAndIndex", [block.number, "0x1"]);
    assert.equal(second.hash, hashes[1]);
    assert.equal((await rpc<{ hash: string }>("eth_getTransactionByBlockHashAndIndex", [block.hash, "0x0"])).hash, hashes[0]);
    assert.equal(await rpc("eth_getTransactionByBlockHashAndIndex", [block.hash, "0x2"]), null);
    assert.equal(await rpc("eth_getBlockTransactionCountByNumber", ["0x999"]), null);
  });

  it("mines by interval, and automine picks up what manual mode left in the pool", async function () {
    this.timeout(10_000);
    await rpc("evm_setAutomine", [false]);
    assert.equal(await rpc("hardhat_getAutomine"), false);
    const hash = await rpc<string>("eth_sendTransaction", [{ from, to: address, data: iface.encodeFunctionData("increment") }]);
    assert.equal(await rpc("eth_getTransactionReceipt", [hash]), null, "manual: not mined yet");
    const start = BigInt(await rpc<string>("eth_blockNumber"));
    await rpc("evm_setIntervalMining", [100]);
    await new Promise((r) => setTimeout(r, 450));
    const after = BigInt(await rpc<string>("eth_blockNumber"));
    assert.ok(after - start >= 2n, `interval mining produced ${after - start} blocks in 450 ms`);
    assert.notEqual(await rpc("eth_getTransactionReceipt", [hash]), null);
    await rpc("evm_setIntervalMining", [0]);
    const stopped = BigInt(await rpc<string>("eth_blockNumber"));
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(BigInt(await rpc<string>("eth_blockNumber")), stopped, "interval 0 stops it");
    const queued = await rpc<string>("eth_sendTransaction", [{ from, to: address, data: iface.encodeFunctionData("increment") }]);
    await rpc("evm_setAutomine", [true]);
    await new Promise((r) => setTimeout(r, 50));
    assert.notEqual(await rpc("eth_getTransactionReceipt", [queued]), null, "turning automine on mines the pool");
  });

  it("hardhat_reset goes back to genesis with the dev accounts funded; forking is refused", async () => {
    await send(iface.encodeFunctionData("increment"));
    const genesis = await rpc<{ hash: string }>("eth_getBlockByNumber", ["0x0", false]);
    await assert.rejects(rpc("hardhat_reset", [{ forking: { jsonRpcUrl: "http://127.0.0.1:1" } }]), /forking is not supported/);
    assert.notEqual(await rpc("eth_blockNumber"), "0x0", "a refused reset changes nothing");
    assert.equal(await rpc("hardhat_reset"), true);
    assert.equal(await rpc("eth_blockNumber"), "0x0");
    assert.equal((await rpc<{ hash: string }>("eth_getBlockByNumber", ["0x0", false])).hash, genesis.hash);
    assert.equal(await rpc("eth_getCode", [address, "latest"]), "0x");
    assert.equal(BigInt(await rpc<string>("eth_getBalance", [from, "latest"])), 10_000n * 10n ** 18n);
  });

  it("an engine fault while sealing a block fails its transactions and leaves the state as it was", async () => {
    const state = devnet.core.chain.state;
    const original = state.getStateRoot.bind(state);
    const balance = await rpc<string>("eth_getBalance", [from, "latest"]);
    const height = await rpc<string>("eth_blockNumber");
    let calls = 0;
    // The miner reads the root before the block (call 1) and when sealing it (call 2): break the seal.
    // (A gas limit is given, so no estimate reads the root first.)
    state.getStateRoot = async () => {
      if (++calls === 2) throw new Error("simulated trie failure");
      return original();
    };
    try {
      await assert.rejects(
        rpc("eth_sendTransaction", [{ from, to: devnet.accounts[1].address, value: "0x1", gas: "0x5208" }]),
        (e: { code: number; message: string }) => e.code === -32603 && /mining failed: simulated trie failure/.test(e.message),
      );
    } finally {
      state.getStateRoot = original;
    }
    assert.equal(await rpc("eth_getBalance", [from, "latest"]), balance);
    assert.equal(await rpc("eth_blockNumber"), height);
    assert.deepEqual(await rpc("txpool_status"), { pending: "0x0", queued: "0x0" });
    const hash = await rpc<string>("eth_sendTransaction", [{ from, to: devnet.accounts[1].address, value: "0x1" }]);
    assert.equal((await rpc<{ status: string }>("eth_getTransactionReceipt", [hash])).status, "0x1");
  });

  it("lets an impersonated contract send transactions, and any address with code make calls (as Hardhat does)", async () => {
    // EIP-3607 refuses transactions from senders with code; Hardhat waives it for impersonation and calls.
    const value = await rpc<string>("eth_call", [{ from: address, to: address, data: iface.encodeFunctionData("count") }]);
    assert.equal(BigInt(value), 5n);
    await assert.rejects(
      rpc("eth_sendTransaction", [{ from: address, to: devnet.accounts[1].address, value: "0x1" }]),
      /unknown account/,
      "not impersonated: refused",
    );
    await rpc("hardhat_setBalance", [address, "0xde0b6b3a7640000"]);
    await rpc("hardhat_impersonateAccount", [address]);
    const code = await rpc<string>("eth_getCode", [address, "latest"]);
    const hash = await rpc<string>("eth_sendTransaction", [{ from: address, to: address, data: iface.encodeFunctionData("increment") }]);
    assert.equal((await rpc<{ status: string }>("eth_getTransactionReceipt", [hash])).status, "0x1");
    assert.equal(await rpc("eth_getCode", [address, "latest"]), code, "the contract keeps its code");
    assert.equal(await rpc("eth_getTransactionCount", [address, "latest"]), "0x2", "its nonce moved (1 from deployment, +1)");
    const count = await rpc<string>("eth_call", [{ to: address, data: iface.encodeFunctionData("count") }]);
    assert.equal(BigInt(count), 6n);
    const trace = await rpc<{ failed: boolean }>("debug_traceTransaction", [hash]);
    assert.equal(trace.failed, false, "the replay of a mined transaction runs too");
  });

  it("answers the info methods", async () => {
    assert.equal(await rpc("eth_chainId"), "0x31769");
    assert.equal(await rpc("net_version"), "202601");
    assert.equal(await rpc("net_listening"), true);
    assert.equal(await rpc("eth_syncing"), false);
    assert.match(await rpc<string>("web3_clientVersion"), /^HardhatNetwork\/.*bitlayer-devnet/);
    assert.equal(await rpc("web3_sha3", ["0x68656c6c6f"]), "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    const accounts = await rpc<string[]>("eth_accounts");
    assert.equal(accounts.length, 20);
    assert.equal(accounts[0], from.toLowerCase());
    const gasPrice = BigInt(await rpc<string>("eth_gasPrice"));
    const tip = BigInt(await rpc<string>("eth_maxPriorityFeePerGas"));
    assert.equal(tip, 10n ** 9n);
    assert.ok(gasPrice > tip);
  });
});
