// Determinism and persistence: same genesis time + same requests = same block hashes;
// anvil_dumpState / anvil_loadState; the stateFile option; corrupt or incompatible state files
// are refused (STATE_FILE_INVALID) and never overwritten.

import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { Interface, type InterfaceAbi, toBeHex } from "ethers";
import { createDevnet, type Devnet, DevnetError, type DevnetOptions, ProviderRpcError } from "../src/index.js";
import { devnetFixture } from "./support/devnets.js";
import { type CompiledContract, getContract } from "./support/solc.js";

const GENESIS = 1_700_000_000;

interface Receipt {
  transactionHash: string;
  blockNumber: string;
  blockHash: string;
  status: string;
  contractAddress: string | null;
  logs: unknown[];
}

interface Block {
  hash: string;
  number: string;
  stateRoot: string;
  timestamp: string;
  miner: string;
}

/** What a scenario did, to check against another devnet. */
interface Scenario {
  counter: string;
  txHashes: string[];
}

/** Everything observable that a state round trip must keep. */
interface Observed {
  blockNumber: string;
  blocks: Block[];
  receipts: Receipt[];
  transactions: unknown[];
  balances: string[];
  nonces: string[];
  code: string;
  storage: string[];
  count: string;
}

describe("determinism and persistence", function () {
  this.timeout(30_000);

  let counterArtifact: CompiledContract;
  let iface: Interface;
  const fx = devnetFixture("devnet-persistence-");
  const { start, devnets } = fx;

  const rpc = <T>(devnet: Devnet, method: string, params: unknown[] = []) => devnet.request({ method, params }) as Promise<T>;

  /** Deploy + a few transactions + mined blocks + a time warp, all deterministic. */
  async function scenario(devnet: Devnet): Promise<Scenario> {
    const [a0, a1, a2] = devnet.accounts.map((a) => a.address);
    const txHashes: string[] = [];
    const sendTx = async (tx: Record<string, unknown>) => {
      const hash = await rpc<string>(devnet, "eth_sendTransaction", [tx]);
      txHashes.push(hash);
      return hash;
    };
    const deployHash = await sendTx({ from: a0, data: counterArtifact.bytecode + iface.encodeDeploy([3n]).slice(2) });
    const counter = (await rpc<Receipt>(devnet, "eth_getTransactionReceipt", [deployHash])).contractAddress as string;
    await sendTx({ from: a1, to: counter, data: iface.encodeFunctionData("incrementBy", [4n]) });
    await sendTx({ from: a0, to: a2, value: toBeHex(10n ** 18n) });
    await rpc(devnet, "hardhat_mine", ["0x3"]);
    await rpc(devnet, "evm_increaseTime", [3600]);
    await sendTx({ from: a2, to: counter, data: iface.encodeFunctionData("set", [99n]) });
    await rpc(devnet, "evm_mine");
    // Two transactions in one block (manual mining).
    await rpc(devnet, "evm_setAutomine", [false]);
    await sendTx({ from: a1, to: counter, data: iface.encodeFunctionData("increment") });
    await sendTx({ from: a0, to: a1, value: "0x1234" });
    await rpc(devnet, "evm_mine");
    await rpc(devnet, "evm_setAutomine", [true]);
    return { counter, txHashes };
  }

  async function allBlocks(devnet: Devnet): Promise<Block[]> {
    const height = BigInt(await rpc<string>(devnet, "eth_blockNumber"));
    const blocks: Block[] = [];
    for (let n = 0n; n <= height; n++) blocks.push(await rpc<Block>(devnet, "eth_getBlockByNumber", [toBeHex(n), false]));
    return blocks;
  }

  async function observe(devnet: Devnet, s: Scenario): Promise<Observed> {
    const addresses = [...devnet.accounts.slice(0, 4).map((a) => a.address), s.counter];
    const validators = (await rpc<{ validators: { address: string }[] }>(devnet, "hardhat_metadata")).validators.map((v) => v.address);
    return {
      blockNumber: await rpc<string>(devnet, "eth_blockNumber"),
      blocks: await allBlocks(devnet),
      receipts: await Promise.all(s.txHashes.map((h) => rpc<Receipt>(devnet, "eth_getTransactionReceipt", [h]))),
      transactions: await Promise.all(s.txHashes.map((h) => rpc(devnet, "eth_getTransactionByHash", [h]))),
      balances: await Promise.all([...addresses, ...validators].map((a) => rpc<string>(devnet, "eth_getBalance", [a, "latest"]))),
      nonces: await Promise.all(addresses.map((a) => rpc<string>(devnet, "eth_getTransactionCount", [a, "latest"]))),
      code: await rpc<string>(devnet, "eth_getCode", [s.counter, "latest"]),
      storage: await Promise.all(["0x0", "0x1", "0x2"].map((slot) => rpc<string>(devnet, "eth_getStorageAt", [s.counter, slot, "latest"]))),
      count: await rpc<string>(devnet, "eth_call", [{ to: s.counter, data: iface.encodeFunctionData("count") }, "latest"]),
    };
  }

  /** The same next steps on two devnets must give the same new blocks (clock, rotation and base fee restored). */
  async function continueAndCompare(a: Devnet, b: Devnet, s: Scenario): Promise<void> {
    for (const devnet of [a, b]) {
      await rpc(devnet, "eth_sendTransaction", [
        { from: devnet.accounts[3].address, to: s.counter, data: iface.encodeFunctionData("incrementBy", [5n]) },
      ]);
      await rpc(devnet, "evm_mine");
    }
    const [ba, bb] = await Promise.all([a, b].map((d) => allBlocks(d)));
    assert.deepEqual(bb, ba, "the next blocks are identical");
  }

  const stateInvalid = (err: unknown) => {
    assert.ok(err instanceof DevnetError, `expected a DevnetError, got ${String(err)}`);
    assert.equal(err.code, "STATE_FILE_INVALID", err.message);
    return true;
  };

  before(async () => {
    counterArtifact = getContract("Counter");
    iface = new Interface(counterArtifact.abi as InterfaceAbi);
  });

  describe("determinism", () => {
    it("same genesisTimestamp and same requests give identical block hashes", async () => {
      const a = await start({ genesisTimestamp: GENESIS });
      const b = await start({ genesisTimestamp: GENESIS });
      const sa = await scenario(a);
      // Interleave a little wall-clock time: it must not matter.
      await new Promise((r) => setTimeout(r, 1100));
      const sb = await scenario(b);
      assert.deepEqual(sb, sa);
      const [ba, bb] = await Promise.all([allBlocks(a), allBlocks(b)]);
      assert.ok(ba.length >= 10);
      assert.deepEqual(
        bb.map((x) => x.hash),
        ba.map((x) => x.hash),
      );
      assert.deepEqual(bb, ba);
    });

    it("keeps the fixed clock with the chain: blocks move it, and evm_increaseTime adds to the head's time", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      await rpc(devnet, "hardhat_mine", ["0x64"]); // 100 blocks, 1 s apart
      const head = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(BigInt(head.timestamp), BigInt(GENESIS + 100));
      await rpc(devnet, "evm_increaseTime", [3600]);
      await rpc(devnet, "evm_mine");
      const next = await rpc<Block>(devnet, "eth_getBlockByNumber", ["latest", false]);
      assert.equal(BigInt(next.timestamp) - BigInt(head.timestamp), 3600n);
    });

    it("a different genesisTimestamp gives different hashes from genesis on", async () => {
      const a = await start({ genesisTimestamp: GENESIS });
      const b = await start({ genesisTimestamp: GENESIS + 1 });
      await scenario(a);
      await scenario(b);
      const [ba, bb] = await Promise.all([allBlocks(a), allBlocks(b)]);
      assert.equal(ba.length, bb.length);
      for (let i = 0; i < ba.length; i++) {
        assert.notEqual(ba[i].hash, bb[i].hash, `block ${i}`);
        assert.equal(BigInt(bb[i].timestamp) - BigInt(ba[i].timestamp), 1n, `block ${i} is one second later`);
      }
      // The states differ too: the light client holds the Bitcoin headers, whose times differ.
      assert.notEqual(ba[ba.length - 1].stateRoot, bb[bb.length - 1].stateRoot);
    });
  });

  describe("anvil_dumpState / anvil_loadState", () => {
    it("round trip into a fresh devnet keeps balances, code, storage, blocks, receipts, and what comes next", async () => {
      const source = await start({ genesisTimestamp: GENESIS });
      const s = await scenario(source);
      // A change outside any block: the live state differs from the head block's state root.
      const outside = "0x00000000000000000000000000000000000beef5";
      await rpc(source, "hardhat_setBalance", [outside, toBeHex(123_456_789n)]);
      const dump = await rpc<string>(source, "anvil_dumpState");
      assert.match(dump, /^0x[0-9a-f]+$/);
      const expected = await observe(source, s);

      // A fresh devnet with another genesis time: the dump brings its clock along.
      const target = await start({ genesisTimestamp: GENESIS - 50_000 });
      assert.equal(await rpc(target, "anvil_loadState", [dump]), true);
      assert.deepEqual(await observe(target, s), expected);
      assert.equal(BigInt(await rpc<string>(target, "eth_getBalance", [outside, "latest"])), 123_456_789n);

      await continueAndCompare(source, target, s);
    });

    it("carries the pool (signed and impersonated transactions) and impersonations across a dump", async () => {
      const source = await start({ genesisTimestamp: GENESIS, mining: { mode: "manual" } });
      const [a, b] = source.accounts;
      const whale = "0x00000000000000000000000000000000000c0ffe";
      await rpc(source, "hardhat_setBalance", [whale, toBeHex(10n ** 20n)]);
      await rpc(source, "hardhat_impersonateAccount", [whale]);
      const signed = await rpc<string>(source, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x64" }]);
      const impersonated = await rpc<string>(source, "eth_sendTransaction", [{ from: whale, to: b.address, value: "0x65", gas: "0x5208" }]);
      const dump = await rpc<string>(source, "anvil_dumpState");

      const target = await start({ genesisTimestamp: GENESIS, mining: { mode: "manual" } });
      await rpc(target, "anvil_loadState", [dump]);
      const content = await rpc<{ pending: Record<string, Record<string, { hash: string }>> }>(target, "txpool_content");
      const pooled = Object.values(content.pending).flatMap((byNonce) => Object.values(byNonce).map((tx) => tx.hash));
      assert.deepEqual(pooled.sort(), [signed, impersonated].sort());
      await rpc(target, "evm_mine");
      for (const hash of [signed, impersonated]) {
        const receipt = await rpc<Receipt>(target, "eth_getTransactionReceipt", [hash]);
        assert.equal(receipt.status, "0x1");
      }
      // Still impersonated after the load: it can send again.
      await rpc(target, "eth_sendTransaction", [{ from: whale, to: b.address, value: "0x1", gas: "0x5208" }]);
    });

    it("after a load, reads, calls and traces at earlier blocks say that state is gone; the head is intact", async () => {
      const source = await start({ genesisTimestamp: GENESIS });
      const [a, b] = source.accounts;
      const hash = await rpc<string>(source, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x7" }]);
      await rpc(source, "evm_mine");
      const target = await start({ genesisTimestamp: GENESIS });
      await rpc(target, "anvil_loadState", [await rpc<string>(source, "anvil_dumpState")]);
      const gone = (err: unknown) => {
        assert.ok(err instanceof ProviderRpcError, String(err));
        assert.equal(err.reason, "UNKNOWN_BLOCK");
        assert.match(err.message, /predates a state load/);
        return true;
      };
      // Genesis: block 1 changed the state, so its root is not the head's.
      await assert.rejects(rpc(target, "eth_getBalance", [b.address, "0x0"]), gone);
      await assert.rejects(rpc(target, "eth_call", [{ to: b.address }, "0x0"]), gone);
      await assert.rejects(rpc(target, "debug_traceTransaction", [hash]), gone);
      assert.equal(await rpc(target, "eth_getBalance", [b.address, "latest"]), await rpc(source, "eth_getBalance", [b.address, "latest"]));
    });

    it("anvil_loadState with garbage is refused and changes nothing", async () => {
      const devnet = await start({ genesisTimestamp: GENESIS });
      const s = await scenario(devnet);
      const before = await observe(devnet, s);
      const dump = await rpc<string>(devnet, "anvil_dumpState");
      const json = JSON.parse(gunzipSync(Buffer.from(dump.slice(2), "hex")).toString("utf8")) as Record<string, unknown>;
      const gz = (value: unknown) => `0x${gzipSync(typeof value === "string" ? value : JSON.stringify(value)).toString("hex")}`;

      const bad: [string, string][] = [
        ["random bytes", "0xdeadbeef00112233445566778899"],
        ["empty", "0x"],
        ["gzip of non-JSON", gz("this is not JSON {")],
        ["gzip of a JSON number", gz("42")],
        ["gzip of another format", gz({ format: "anvil", blocks: [] })],
        ["truncated gzip", dump.slice(0, Math.floor(dump.length / 2) & ~1)],
        ["another chain id", gz({ ...json, chainId: "1" })],
        ["another profile", gz({ ...json, profile: "cancun" })],
        ["no blocks", gz({ ...json, blocks: [] })],
      ];
      for (const [label, data] of bad) {
        await assert.rejects(rpc(devnet, "anvil_loadState", [data]), (err: unknown) => {
          assert.ok(err instanceof ProviderRpcError, `${label}: ${String(err)}`);
          assert.equal(err.reason, "STATE_FILE_INVALID", `${label}: ${err.message}`);
          return true;
        });
      }
      // Not hex at all: an invalid parameter.
      await assert.rejects(rpc(devnet, "anvil_loadState", ["not hex"]), (err: unknown) => {
        assert.ok(err instanceof ProviderRpcError);
        assert.equal(err.code, -32602);
        assert.match(err.message, /'state'/);
        return true;
      });
      assert.deepEqual(await observe(devnet, s), before, "nothing changed");
      // And the devnet still works.
      await rpc(devnet, "evm_mine");
      assert.equal(BigInt(await rpc<string>(devnet, "eth_blockNumber")), BigInt(before.blockNumber) + 1n);
    });
  });

  describe("the stateFile option", () => {
    it("is written on close and loaded by the next devnet with the same file", async () => {
      const file = join(fx.dir, "state.json");
      const first = await start({ genesisTimestamp: GENESIS, stateFile: file });
      const s = await scenario(first);
      const expected = await observe(first, s);
      await first.close();

      const text = await readFile(file, "utf8");
      const saved = JSON.parse(text) as { format: string; chainId: string; blocks: unknown[] };
      assert.equal(saved.format, "bitlayer-devnet-state");
      assert.equal(saved.chainId, String(first.chainId));
      assert.equal(saved.blocks.length, Number(BigInt(expected.blockNumber)) + 1);
      assert.deepEqual(
        (await readdir(fx.dir)).filter((f) => f !== "state.json"),
        [],
        "no temporary file left behind",
      );

      const second = await start({ genesisTimestamp: GENESIS, stateFile: file });
      assert.deepEqual(await observe(second, s), expected);

      // Same next steps as a devnet that never stopped.
      const reference = await start({ genesisTimestamp: GENESIS });
      await scenario(reference);
      await continueAndCompare(reference, second, s);
    });

    it("saveState() writes on demand; a missing file means a fresh start", async () => {
      const file = join(fx.dir, "on-demand.json");
      const devnet = await start({ genesisTimestamp: GENESIS, stateFile: file });
      assert.equal(await rpc(devnet, "eth_blockNumber"), "0x0", "fresh");
      await rpc(devnet, "hardhat_mine", ["0x5"]);
      await devnet.saveState();
      const saved = JSON.parse(await readFile(file, "utf8")) as { blocks: unknown[] };
      assert.equal(saved.blocks.length, 6);
      await rpc(devnet, "hardhat_mine", ["0x2"]);
      await devnet.close();
      const reopened = await start({ genesisTimestamp: GENESIS, stateFile: file });
      assert.equal(await rpc(reopened, "eth_blockNumber"), "0x7", "close() saved the latest state");

      const other = join(fx.dir, "copy.json");
      await reopened.saveState(other);
      const copy = await start({ genesisTimestamp: GENESIS, stateFile: other });
      assert.equal(await rpc(copy, "eth_blockNumber"), "0x7");
      const [a, b] = await Promise.all([copy, reopened].map((d) => rpc<Block>(d, "eth_getBlockByNumber", ["latest", false])));
      assert.deepEqual(a, b);
    });

    it("close() stops the devnet even when the state file cannot be written", async () => {
      const sub = await mkdtemp(join(fx.dir, "gone-"));
      const file = join(sub, "state.json");
      const devnet = await start({ genesisTimestamp: GENESIS, stateFile: file, mining: { mode: "interval", intervalMs: 20 } });
      await rm(sub, { recursive: true });
      await assert.rejects(devnet.close(), (err: Error) => {
        assert.match(err.message, /state\.json/, `the error names the state file: ${err.message}`);
        return true;
      });
      // Whatever happened to the file, the devnet is stopped: no more blocks, requests refused.
      await assert.rejects(
        devnet.request({ method: "eth_blockNumber", params: [] }),
        (err: unknown) => {
          assert.ok(err instanceof ProviderRpcError, String(err));
          assert.equal(err.reason, "DEVNET_CLOSED");
          return true;
        },
        "the devnet still answers requests after close()",
      );
      const height = devnet.core.chain.store.height;
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(devnet.core.chain.store.height, height, "interval mining stopped");
    });

    describe("a corrupt or incompatible state file is refused and left byte-for-byte untouched", () => {
      let valid: string;

      before(async () => {
        const file = join(fx.dir, "valid.json");
        const devnet = await createDevnet({ genesisTimestamp: GENESIS, stateFile: file });
        await scenario(devnet);
        await devnet.close();
        valid = await readFile(file, "utf8");
      });

      async function refuses(name: string, content: Buffer | string, options: DevnetOptions = {}): Promise<DevnetError> {
        const file = join(fx.dir, name);
        await writeFile(file, content);
        const original = await readFile(file);
        let caught: unknown;
        try {
          devnets.push(await createDevnet({ genesisTimestamp: GENESIS, ...options, stateFile: file }));
        } catch (error) {
          caught = error;
        }
        assert.ok(caught, `${name}: the devnet must not start`);
        stateInvalid(caught);
        // Give a (wrong) deferred save a chance to happen.
        await new Promise((r) => setTimeout(r, 50));
        assert.ok((await readFile(file)).equals(original), `${name}: the file is unchanged`);
        const leftovers = (await readdir(fx.dir)).filter((f) => f.startsWith(name) && f !== name);
        assert.deepEqual(leftovers, [], `${name}: no temporary file`);
        return caught as DevnetError;
      }

      it("garbage bytes", async () => {
        const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
        const err = await refuses("garbage.json", garbage);
        assert.match(err.message, /garbage\.json/, "the message names the file");
      });

      it("truncated JSON", async () => {
        await refuses("truncated.json", valid.slice(0, Math.floor(valid.length / 2)));
      });

      it("valid JSON that is not a devnet state", async () => {
        await refuses("other.json", JSON.stringify({ hello: "world" }));
        await refuses("array.json", "[1,2,3]");
        await refuses("null.json", "null");
      });

      it("a tampered balance: the accounts no longer hash to the saved state root", async () => {
        const json = JSON.parse(valid) as { accounts: Record<string, { balance: string }> };
        const [address] = Object.keys(json.accounts);
        json.accounts[address].balance = toBeHex(BigInt(json.accounts[address].balance) + 1n);
        const err = await refuses("tampered-balance.json", JSON.stringify(json));
        assert.match(err.message, /state root|hash/i);
      });

      it("a tampered block (broken parent link)", async () => {
        const json = JSON.parse(valid) as { blocks: { rlp: string }[] };
        [json.blocks[1], json.blocks[2]] = [json.blocks[2], json.blocks[1]];
        await refuses("tampered-blocks.json", JSON.stringify(json));
      });

      it("a tampered receipt (status flipped) does not match the block's receipts root", async () => {
        const json = JSON.parse(valid) as { blocks: { receipts: { status: number }[] }[] };
        const withTx = json.blocks.find((b) => b.receipts.length > 0);
        assert.ok(withTx);
        withTx.receipts[0].status = withTx.receipts[0].status === 1 ? 0 : 1;
        await refuses("tampered-receipt.json", JSON.stringify(json));
      });

      it("another chain id", async () => {
        const err = await refuses("chain.json", valid, { chainId: 31337 });
        assert.match(err.message, /chain id/i);
      });

      it("another EVM profile", async () => {
        const err = await refuses("profile.json", valid, { hardfork: "cancun" });
        assert.match(err.message, /profile/i);
      });

      it("the valid file itself still loads (the refusals above are not about the test setup)", async () => {
        const file = join(fx.dir, "valid-copy.json");
        await writeFile(file, valid);
        const devnet = await start({ genesisTimestamp: GENESIS, stateFile: file });
        const blocks = (JSON.parse(valid) as { blocks: unknown[] }).blocks.length;
        assert.ok(blocks >= 9);
        assert.equal(BigInt(await rpc<string>(devnet, "eth_blockNumber")), BigInt(blocks - 1));
      });
    });
  });
});
