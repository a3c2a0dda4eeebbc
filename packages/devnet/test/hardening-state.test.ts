// Issue 5, state items: bounded state files (A1), no VM kept alive across reset/load (A10),
// evm_revert after anvil_loadState (B11), a load validates everything and derives what it can
// (B12), hardhat_reset is a fresh start (C23).

import assert from "node:assert/strict";
import { truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { gunzipSync, gzipSync } from "node:zlib";
import { decodeRlp, Interface, type InterfaceAbi, toBeHex } from "ethers";
import { createDevnet, type Devnet, DevnetError, ProviderRpcError } from "../src/index.js";
import { STATE_LIMITS, StateJsonScanner } from "../src/state/limits.js";
import { devnetFixture } from "./support/devnets.js";
import { type CompiledContract, getContract } from "./support/solc.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const GENESIS = 1_700_000_000;

interface Block {
  hash: string;
  number: string;
  timestamp: string;
}

type Json = Record<string, unknown> & {
  blocks: { rlp: string; senders: string[]; receipts: Record<string, unknown>[] }[];
  pool: { raw: string; sender: string }[];
  settlement: Record<string, unknown>;
  clock: { genesisTimestamp: number; offsetSeconds: number };
  validators: { priorities: string[] };
  accounts: Record<string, { storage: Record<string, string> }>;
  impersonated: string[];
};

const rpc = <T = unknown>(devnet: Devnet, method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;

const refusedAs =
  (reason: string, message?: RegExp, label = "") =>
  (err: unknown) => {
    assert.ok(err instanceof ProviderRpcError || err instanceof DevnetError, `${label}: ${String(err)}`);
    assert.equal(err instanceof ProviderRpcError ? err.reason : err.code, reason, `${label}: ${err.message}`);
    if (message) assert.match(err.message, message, label);
    return true;
  };

const gz = (value: unknown) => `0x${gzipSync(JSON.stringify(value)).toString("hex")}`;
const unzip = (dump: string) => JSON.parse(gunzipSync(Buffer.from(dump.slice(2), "hex")).toString("utf8")) as Json;

describe("hardening: state files, reset, snapshots", function () {
  this.timeout(120_000);

  let counter: CompiledContract;
  let iface: Interface;
  const fx = devnetFixture("devnet-hardening-state-");
  const start = fx.start;

  /** What a refused load must leave as it was. */
  async function observe(devnet: Devnet) {
    const accounts = devnet.accounts.slice(0, 3).map((a) => a.address);
    return {
      head: await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]),
      safe: await rpc<Block>(devnet, "eth_getBlockByNumber", ["safe", false]),
      balances: await Promise.all(accounts.map((a) => rpc(devnet, "eth_getBalance", [a, "latest"]))),
      nonces: await Promise.all(accounts.map((a) => rpc(devnet, "eth_getTransactionCount", [a, "latest"]))),
      pool: await rpc(devnet, "txpool_content"),
      clock: devnet.core.clock.state(),
      rotation: devnet.core.chain.validators.state(),
      impersonated: [...devnet.core.chain.impersonated],
    };
  }

  before(async () => {
    counter = getContract("Counter");
    iface = new Interface(counter.abi as InterfaceAbi);
  });

  describe("A1: state files are bounded", () => {
    it("refuses a gzip bomb of a million empty blocks before building it: the chain and the heap are untouched", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      await rpc(devnet, "hardhat_mine", ["0x3"]);
      const before = await observe(devnet);

      // ~60 MB of JSON in a ~60 KB gzip, built outside the JS heap.
      const entry = '{"rlp":"0x","preStateRoot":"0x","senders":[],"receipts":[]},';
      const count = 1_000_000;
      const head = Buffer.from('{"format":"bitlayer-devnet-state","version":1,"blocks":[');
      const body = Buffer.alloc(entry.length * count, entry);
      const tail = Buffer.from('{"rlp":"0x","preStateRoot":"0x","senders":[],"receipts":[]}]}');
      const bomb = gzipSync(Buffer.concat([head, body, tail]), { level: 9 });
      assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`);
      const hexBomb = `0x${bomb.toString("hex")}`;

      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const sizeBefore = v8.getHeapStatistics().total_heap_size;
      await assert.rejects(rpc(devnet, "anvil_loadState", [hexBomb]), refusedAs("STATE_FILE_INVALID", /more than 200,000 blocks/, "bomb"));
      const grewUsed = process.memoryUsage().heapUsed - heapBefore;
      const grewSize = v8.getHeapStatistics().total_heap_size - sizeBefore;
      assert.ok(grewUsed < 64e6, `heap used grew by ${Math.round(grewUsed / 1e6)} MB`);
      assert.ok(grewSize < 64e6, `heap size grew by ${Math.round(grewSize / 1e6)} MB`);
      assert.deepEqual(await observe(devnet), before, "nothing changed");
      await rpc(devnet, "evm_mine");
    });

    it("refuses a dump with any count past its bound, with nothing changed", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      const before = await observe(devnet);
      const json = unzip(await rpc<string>(devnet, "anvil_dumpState"));

      const log = { address: `0x${"1".repeat(40)}`, topics: Array(5).fill(`0x${"2".repeat(64)}`), data: "0x", logIndex: 0 };
      const storage = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [toBeHex(i, 32), "0x01"]));
      const cases: [string, Json, RegExp][] = [
        ["five topics", { ...json, blocks: [{ ...json.blocks[0], receipts: [{ logs: [log] }] }] }, /topics in a log/],
        ["escaped key", JSON.parse(JSON.stringify({ ...json, x: 1 }).replace('"x":1', '"\\u0062locks":[]')), /./],
        ["too many priorities", { ...json, validators: { priorities: Array(1001).fill("0") } }, /1,000 validators/],
        ["deep nesting", { ...json, x: JSON.parse(`${"[".repeat(20)}${"]".repeat(20)}`) }, /nesting/],
        ["storage map", { ...json, accounts: { [`0x${"a".repeat(40)}`]: { nonce: "0x0", balance: "0x0", code: "0x", storage } } }, /./],
      ];
      for (const [label, value, message] of cases) {
        await assert.rejects(rpc(devnet, "anvil_loadState", [gz(value)]), refusedAs("STATE_FILE_INVALID", message, label));
      }
      // The scanner itself, on the limits that are too large to build in a test.
      const scan = (text: string) => new StateJsonScanner().feed(Buffer.from(text));
      assert.throws(() => new StateJsonScanner().feed(Buffer.alloc(STATE_LIMITS.bytes + 1)), /bytes/);
      assert.throws(() => scan(`{"bl\\u006fcks":[${"0,".repeat(STATE_LIMITS.blocks)}0]}`), /200,000 blocks/);
      assert.throws(() => scan(`{"accounts":{"a":{"storage":{${'"k":0,'.repeat(STATE_LIMITS.storageSlotsPerAccount)}"k":0}}}}`), /slots/);
      assert.throws(() => scan(`[${"0,".repeat(STATE_LIMITS.values)}0]`), /JSON values/);
      scan(`{"blocks":[${"0,".repeat(STATE_LIMITS.blocks - 1)}0]}`); // exactly at the bound
      // The settlement layer's containers: Bitcoin blocks, coins, mempool, batches.
      const settlement = (key: string, inner: string, n: number) =>
        scan(`{"settlement":{"engine":{${inner.replace("$", `"${key}":[${"0,".repeat(n - 1)}0]`)}}}}`);
      assert.throws(() => settlement("blocks", '"bitcoin":{$}', STATE_LIMITS.bitcoinBlocks + 1), /200,000 Bitcoin blocks/);
      assert.throws(() => settlement("mempool", '"bitcoin":{$}', STATE_LIMITS.bitcoinMempool + 1), /Bitcoin mempool/);
      assert.throws(() => settlement("batches", '"data":{$}', STATE_LIMITS.batches + 1), /200,000 batches/);
      settlement("batches", '"data":{$}', STATE_LIMITS.batches);
      assert.deepEqual(await observe(devnet), before, "nothing changed");
    });

    it("a --state file is refused by its size before it is read, and by its counts before it is parsed", async () => {
      const big = join(fx.dir, "big.json");
      await writeFile(big, "");
      await truncate(big, STATE_LIMITS.bytes + 1); // sparse: no disk used
      await assert.rejects(createDevnet({ stateFile: big }), refusedAs("STATE_FILE_INVALID", /too large.*big\.json|big\.json.*too large/));

      const many = join(fx.dir, "many.json");
      await writeFile(many, `{"format":"bitlayer-devnet-state","blocks":[${"{},".repeat(STATE_LIMITS.blocks)}{}]}`);
      await assert.rejects(createDevnet({ stateFile: many }), refusedAs("STATE_FILE_INVALID", /many\.json.*200,000 blocks/));
    });
  });

  describe("A10: no VM stays alive across resets and loads", () => {
    it("200 resets and 20 dump/loads leave no old VM, state or listener behind", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      const chain = devnet.core.chain;
      const [a, b] = devnet.accounts;
      await rpc(devnet, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
      const listeners = () => ({
        common: chain.common.events.listenerCount("hardforkChanged"),
        chain: chain.eventNames().map((e) => chain.listenerCount(e)),
      });
      const baseline = listeners();
      const old: WeakRef<object>[] = [];
      const keep = () => old.push(new WeakRef(chain.vm), new WeakRef(chain.vm.evm), new WeakRef(chain.state), new WeakRef(chain.pool));
      for (let i = 0; i < 200; i++) {
        keep();
        await rpc(devnet, "hardhat_reset");
      }
      await rpc(devnet, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
      const dump = await rpc<string>(devnet, "anvil_dumpState");
      for (let i = 0; i < 20; i++) {
        keep();
        await rpc(devnet, "anvil_loadState", [dump]);
        await rpc(devnet, "anvil_dumpState");
      }
      await new Promise((r) => setImmediate(r));
      gc();
      await new Promise((r) => setTimeout(r, 20));
      gc();
      const alive = old.filter((ref) => ref.deref() !== undefined).length;
      assert.equal(alive, 0, `${alive} of ${old.length} replaced VM parts are still reachable`);
      assert.deepEqual(listeners(), baseline, "no listener added per reset or load");
      // And the devnet works.
      await rpc(devnet, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
    });
  });

  describe("B11: evm_revert after anvil_loadState", () => {
    it("a snapshot taken before a load cannot be reverted to (false), and nothing changes", async () => {
      const source = await start({ genesisTimestamp: GENESIS });
      const [a, b] = source.accounts;
      for (let i = 0; i < 3; i++) await rpc(source, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
      const dump = await rpc<string>(source, "anvil_dumpState");

      const devnet = await start({ genesisTimestamp: GENESIS });
      await rpc(devnet, "hardhat_mine", ["0x5"]);
      const id = await rpc<string>(devnet, "evm_snapshot");
      await rpc(devnet, "anvil_loadState", [dump]);
      const before = await observe(devnet);
      assert.equal(await rpc(devnet, "evm_revert", [id]), false);
      assert.deepEqual(await observe(devnet), before, "nothing changed");
      assert.equal(await rpc(devnet, "eth_getTransactionCount", [a.address, "latest"]), "0x3");

      // Snapshots taken after the load work as usual.
      const after = await rpc<string>(devnet, "evm_snapshot");
      await rpc(devnet, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
      assert.equal(await rpc(devnet, "evm_revert", [after]), true);
      assert.deepEqual(await observe(devnet), before);
    });
  });

  describe("B12: anvil_loadState checks the whole file and derives what it can", () => {
    let dump: string;
    let json: Json;
    const whale = "0x00000000000000000000000000000000000c0ffe";

    before(async () => {
      const source = await createDevnet({ genesisTimestamp: GENESIS });
      const [a, b] = source.accounts;
      await rpc(source, "hardhat_setBalance", [whale, toBeHex(10n ** 20n)]);
      await rpc(source, "hardhat_impersonateAccount", [whale]);
      const deploy = await rpc<string>(source, "eth_sendTransaction", [
        { from: a.address, data: counter.bytecode + iface.encodeDeploy([3n]).slice(2) },
      ]);
      const address = (await rpc<{ contractAddress: string }>(source, "eth_getTransactionReceipt", [deploy])).contractAddress;
      await rpc(source, "eth_sendTransaction", [{ from: b.address, to: address, data: iface.encodeFunctionData("incrementBy", [4n]) }]);
      await rpc(source, "eth_sendTransaction", [{ from: whale, to: address, data: iface.encodeFunctionData("increment") }]);
      await rpc(source, "evm_setAutomine", [false]);
      // A deployment that fails (initcode INVALID) still has a contract address in its receipt.
      await rpc(source, "eth_sendTransaction", [{ from: b.address, data: "0xfe", gas: "0x30000" }]);
      await rpc(source, "evm_mine");
      await rpc(source, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x5" }]);
      await rpc(source, "eth_sendTransaction", [{ from: whale, to: b.address, value: "0x6", gas: "0x5208" }]);
      dump = await rpc<string>(source, "anvil_dumpState");
      json = unzip(dump);
      await source.close();
    });

    /** Where the file keeps what a case tampers with. */
    const blockOf = (j: Json, from: string) => j.blocks.find((bl) => bl.senders.includes(from)) as Json["blocks"][number];
    const withLogs = (j: Json) =>
      j.blocks.find((bl) => bl.receipts.some((r) => (r.logs as unknown[]).length > 0)) as Json["blocks"][number];
    const deployBlock = (j: Json) => j.blocks.find((bl) => bl.receipts.some((r) => r.contractAddress)) as Json["blocks"][number];
    const other = `0x${"5".repeat(40)}`;

    const cases: [string, (j: Json) => void][] = [
      ["forged sender of a signed transaction", (j) => (j.blocks[1].senders[0] = other)],
      ["forged sender of an impersonated transaction", (j) => (blockOf(j, whale).senders[0] = other)],
      ["forged sender of a pooled transaction", (j) => (j.pool[0].sender = other)],
      ["forged sender of a pooled impersonated transaction", (j) => (j.pool[1].sender = other)],
      ["forged transaction hash", (j) => (j.blocks[1].receipts[0].transactionHash = `0x${"ab".repeat(32)}`)],
      ["forged receipt sender", (j) => (j.blocks[1].receipts[0].from = other)],
      ["forged receipt recipient", (j) => (withLogs(j).receipts[0].to = other)],
      ["forged contract address", (j) => (deployBlock(j).receipts[0].contractAddress = other)],
      ["forged transaction index", (j) => (j.blocks[1].receipts[0].transactionIndex = 3)],
      ["forged log index", (j) => ((withLogs(j).receipts[0].logs as { logIndex: number }[])[0].logIndex = 7)],
      ["forged gas used", (j) => (j.blocks[1].receipts[0].gasUsed = "0x1")],
      ["forged effective gas price", (j) => (j.blocks[1].receipts[0].effectiveGasPrice = "0x1")],
      ["odd-length hex", (j) => (j.blocks[1].receipts[0].revertData = "0x123")],
      ["negative Bitcoin cadence", (j) => (j.settlement.cadence = -1)],
      ["fractional Bitcoin cadence", (j) => (j.settlement.cadence = 0.5)],
      ["unknown settlement field", (j) => (j.settlement.extra = 1)],
      ["settlement engine that is not an object", (j) => (j.settlement.engine = "x")],
      ["clock offset 1e300", (j) => (j.clock.offsetSeconds = 1e300)],
      ["fractional clock offset", (j) => (j.clock.offsetSeconds = 0.5)],
      ["clock genesis other than block 0's", (j) => (j.clock.genesisTimestamp = GENESIS + 1)],
      ["priority not an integer", (j) => (j.validators.priorities[0] = "1.5")],
      ["priority 1e3", (j) => (j.validators.priorities[0] = "1e3")],
      ["priorities not summing to zero", (j) => (j.validators.priorities[0] = String(BigInt(j.validators.priorities[0]) + 1n))],
      ["huge priorities", (j) => (j.validators.priorities = ["-1" + "0".repeat(40), "1" + "0".repeat(40), "0", "0"])],
      ["an impersonated non-address", (j) => (j.impersonated = ["0x1234"])],
      ["the same pooled transaction twice", (j) => j.pool.push(j.pool[0])],
      [
        "a mined transaction pooled again",
        (j) => j.pool.push({ raw: (decodeRlp(j.blocks[1].rlp) as string[][])[1][0], sender: j.blocks[1].senders[0] }),
      ],
      [
        "storage value over 32 bytes",
        (j) =>
          (Object.values(j.accounts).find((a) => Object.keys(a.storage).length)!.storage["0x" + "0".repeat(64)] = `0x${"11".repeat(33)}`),
      ],
    ];

    it("the untampered dump loads, with senders and impersonated transactions as mined", async () => {
      const failedDeploy = json.blocks.flatMap((bl) => bl.receipts).find((r) => r.status === 0);
      assert.ok(failedDeploy?.contractAddress, "the dump holds a failed deployment");
      const target = await start({ genesisTimestamp: GENESIS - 10, mining: { mode: "manual" } });
      assert.equal(await rpc(target, "anvil_loadState", [gz(json)]), true);
      const mined = await rpc<{ from: string }>(target, "eth_getTransactionByHash", [blockOf(json, whale).receipts[0].transactionHash]);
      assert.equal(mined.from, whale);
      await rpc(target, "evm_mine");
      const block = await rpc<{ transactions: string[] }>(target, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(block.transactions.length, 2, "both pooled transactions are mined");
      const receipts = await Promise.all(
        block.transactions.map((h) => rpc<{ status: string; from: string }>(target, "eth_getTransactionReceipt", [h])),
      );
      assert.deepEqual(
        receipts.map((r) => r.status),
        ["0x1", "0x1"],
      );
      assert.ok(receipts.some((r) => r.from === whale));
    });

    for (const [label, tamper] of cases) {
      it(`refuses ${label}, and the running chain is untouched`, async () => {
        const target = await start({ genesisTimestamp: GENESIS, mining: { mode: "manual" } });
        await rpc(target, "hardhat_mine", ["0x2"]);
        const [a, b] = target.accounts;
        await rpc(target, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x9" }]);
        const before = await observe(target);
        const copy = JSON.parse(JSON.stringify(json)) as Json;
        tamper(copy);
        await assert.rejects(rpc(target, "anvil_loadState", [gz(copy)]), refusedAs("STATE_FILE_INVALID", undefined, label));
        assert.deepEqual(await observe(target), before, `${label}: nothing changed`);
      });
    }
  });

  describe("C23: hardhat_reset is a fresh start", () => {
    /** A test suite's worth of requests that leave every kind of setting changed behind them. */
    async function sequence(devnet: Devnet): Promise<unknown[]> {
      const [a, b] = devnet.accounts;
      const whale = "0x00000000000000000000000000000000000c0ffe";
      const answers: unknown[] = [];
      const record = async (method: string, params: unknown[] = []) => {
        const answer = await rpc(devnet, method, params);
        answers.push([method, answer]);
        return answer;
      };
      await record("hardhat_getAutomine");
      await record("evm_increaseTime", [0]);
      await record("eth_blockNumber");
      await record("evm_snapshot");
      const filter = (await rpc<string>(devnet, "eth_newBlockFilter")) as string;
      await record("eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]);
      await record("evm_increaseTime", [3600]);
      await record("eth_sendTransaction", [{ from: b.address, data: counter.bytecode + iface.encodeDeploy([1n]).slice(2) }]);
      answers.push(["filter", (await rpc<string[]>(devnet, "eth_getFilterChanges", [filter])).length]);
      await record("hardhat_setBalance", [whale, toBeHex(10n ** 20n)]);
      await record("hardhat_impersonateAccount", [whale]);
      await record("eth_sendTransaction", [{ from: whale, to: a.address, value: "0x2" }]);
      await record("evm_snapshot");
      await record("evm_setAutomine", [false]);
      await record("eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x3" }]);
      await record("evm_mine");
      const head = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      await record("evm_setNextBlockTimestamp", [Number(BigInt(head.timestamp) + 500n)]);
      await record("eth_sendTransaction", [{ from: whale, to: b.address, value: "0x4", gas: "0x5208" }]);
      const height = Number(BigInt(await rpc<string>(devnet, "eth_blockNumber")));
      for (let n = 0; n <= height; n++) answers.push(["block", await rpc(devnet, "eth_getBlockByNumber", [toBeHex(n), true])]);
      answers.push(["pool", await rpc(devnet, "txpool_content")]);
      await rpc(devnet, "hardhat_mine", ["0x3", "0x100"]);
      // Left behind: automine off, a time offset, an impersonation, a pooled transaction, snapshots, a filter.
      answers.push(["filterId", typeof filter]);
      return answers;
    }

    it("the same requests after a reset give the same answers (fixed genesis time)", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      const first = await sequence(devnet);
      const leftFilter = await rpc<string>(devnet, "eth_newFilter", [{}]);
      await rpc(devnet, "hardhat_reset");
      assert.equal(await rpc(devnet, "eth_blockNumber"), "0x0");
      await assert.rejects(rpc(devnet, "eth_getFilterChanges", [leftFilter]), refusedAs("UNKNOWN_FILTER"));
      assert.deepEqual(devnet.core.chain.impersonated.size, 0);
      const second = await sequence(devnet);
      assert.deepEqual(second, first);
    });

    it("a wall-clock devnet starts again at now, with the configured mining mode", async () => {
      const devnet = await start({ mining: { mode: "manual" } });
      await rpc(devnet, "evm_setAutomine", [true]);
      await rpc(devnet, "evm_increaseTime", [1_000_000]);
      await rpc(devnet, "evm_mine");
      const before = Math.floor(Date.now() / 1000);
      await rpc(devnet, "hardhat_reset");
      const after = Math.floor(Date.now() / 1000);
      assert.equal(await rpc(devnet, "hardhat_getAutomine"), false, "mining mode back to the configured one");
      const genesis = Number(BigInt((await rpc<Block>(devnet, "eth_getBlockByNumber", ["0x0", false])).timestamp));
      assert.ok(genesis >= before && genesis <= after, `genesis ${genesis} is now (${before}..${after})`);
      assert.ok(Number(await rpc<string>(devnet, "evm_increaseTime", [0])) <= after - before + 1, "no offset left");
      await rpc(devnet, "evm_mine");
      const next = Number(BigInt((await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false])).timestamp));
      assert.ok(next <= Math.floor(Date.now() / 1000) + 1, `the next block (${next}) is stamped now, not a million seconds ahead`);
    });
  });
});
