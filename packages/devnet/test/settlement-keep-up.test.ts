// The watcher keeps up with the chain while the server is idle (core.idle → SettlementEngine.keepUp): a batch's
// sealing then runs only the blocks the watcher has not run yet. Its roots must be what a run of the whole batch
// gives, whatever happened between: reverts that replace blocks it ran, test controls, idle moments anywhere.
import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "../src/index.js";
import { MAX_KEEP_UP_GAS } from "../src/rollup/engine.js";
import { reexecuteBatch } from "../src/rollup/reexecute.js";
import type { BatchRecord } from "../src/rollup/types.js";
import { random } from "./support/random.js";
import { startTestDevnet } from "./support/server.js";

const rpc = <T = unknown>(d: Devnet, method: string, params: unknown[] = []) => d.request({ method, params }) as Promise<T>;

describe("settlement: the watcher keeps up while the server is idle", function () {
  this.timeout(120_000);
  let d: Devnet;
  afterEach(() => d?.close());

  const start = async () => {
    // A Bitcoin block every 20 s: a batch about every 20 L2 blocks.
    d = await createDevnet({ genesisTimestamp: 1_700_000_000, bitcoin: { blockTime: 20 } });
    await rpc(d, "bitlayer_status"); // the Bitcoin side up: the watcher keeps up only then
    const engine = d.core.settlement.loaded;
    assert.ok(engine);
    return engine;
  };

  /** Every sealed batch's root, as a run of the whole batch on a fresh VM gives it. */
  const wholeRuns = async (batches: readonly BatchRecord[]) => {
    const chain = d.core.chain;
    const roots: string[] = [];
    for (const b of batches) roots.push(await reexecuteBatch(chain, [...chain.store.range(BigInt(b.firstBlock), BigInt(b.lastBlock))]));
    return roots;
  };

  it("seals the roots a run of the whole batch gives, through reverts, test controls and idle moments anywhere", async () => {
    for (const seed of [1, 2, 3]) {
      const engine = await start();
      const rnd = random(seed);
      const accounts = d.accounts.slice(0, 4).map((a) => a.address);
      const snapshots: string[] = [];
      for (let step = 0; step < 400; step++) {
        const roll = rnd.int(100);
        if (roll < 55) {
          const [from, to] = [accounts[rnd.int(4)], accounts[rnd.int(4)]];
          await rpc(d, "eth_sendTransaction", [{ from, to, value: `0x${(1 + rnd.int(1000)).toString(16)}` }]);
        } else if (roll < 62) await rpc(d, "hardhat_mine", [`0x${(1 + rnd.int(3)).toString(16)}`]);
        else if (roll < 68)
          await rpc(d, "hardhat_setBalance", [accounts[rnd.int(4)], `0x${(10n ** 21n + BigInt(rnd.int(1e6))).toString(16)}`]);
        else if (roll < 74) snapshots.push(await rpc<string>(d, "evm_snapshot"));
        else if (roll < 80 && snapshots.length > 0) await rpc(d, "evm_revert", [snapshots.splice(rnd.int(snapshots.length))[0]]);
        // The server's idle moments: a few blocks run ahead, between any two requests.
        for (let i = rnd.int(4); i > 0; i--) await d.core.idle();
      }
      const batches = engine.batches.filter((b) => b.reexecuted);
      assert.ok(batches.length >= 4, `seed ${seed}: ${batches.length} batches sealed`);
      assert.ok(engine.keptUp > 0, `seed ${seed}: blocks were run ahead of their sealing`);
      const truth = batches.map((b) => b.postStateRoot);
      assert.deepEqual(
        batches.map((b) => b.executedRoot),
        truth,
        `seed ${seed}: the watcher's roots are the batches' true roots`,
      );
      assert.deepEqual(await wholeRuns(batches), truth, `seed ${seed}: and what runs of the whole batches give`);
      await d.close();
    }
  });

  it("a run whose blocks a revert or a reset replaced is given up: the batch is run from its start", async () => {
    const engine = await start();
    const [a, b, c] = d.accounts.map((x) => x.address);
    const send = (from: string, to: string, value: number) =>
      rpc<string>(d, "eth_sendTransaction", [{ from, to, value: `0x${value.toString(16)}` }]);
    const idle = async () => {
      while (await d.core.idle()) {}
    };
    const sealed = async () => {
      while (engine.batches.length === 0) await send(c, c, 1);
    };
    await send(a, b, 1);
    const snapshot = await rpc<string>(d, "evm_snapshot");
    for (let i = 0; i < 4; i++) await send(a, b, 100);
    await idle(); // the run covers blocks 1..5
    await rpc(d, "evm_revert", [snapshot]);
    for (let i = 0; i < 6; i++) await send(b, a, 7); // blocks 2..7, other transactions: the run's 2..5 are gone
    await sealed();
    assert.equal(engine.batches[0].executedRoot, engine.batches[0].postStateRoot);
    assert.equal(engine.keptUp, 0, "nothing run ahead was of use");

    // A reset: a new chain, a new watcher VM.
    await rpc(d, "hardhat_reset");
    await rpc(d, "bitlayer_status");
    const after = d.core.settlement.loaded;
    assert.ok(after);
    for (let i = 0; i < 3; i++) await send(a, b, 5);
    await idle();
    assert.equal(after.batches.length, 0);
    while (after.batches.length === 0) await send(b, c, 3);
    assert.equal(after.batches[0].executedRoot, after.batches[0].postStateRoot);
    assert.ok(after.keptUp >= 3);
  });

  it("over HTTP, one request at a time: the server's idle moments run the blocks ahead of the sealing", async () => {
    const net = await startTestDevnet({ genesisTimestamp: 1_700_000_000, bitcoin: { blockTime: 20 } });
    try {
      const call = async (method: string, params: unknown[] = []) => {
        const res = await fetch(net.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
        return ((await res.json()) as { result: unknown }).result;
      };
      await call("bitlayer_status");
      const engine = net.devnet.core.settlement.loaded;
      assert.ok(engine);
      const [from, to] = net.devnet.accounts.map((a) => a.address);
      while (engine.batches.length < 2) await call("eth_sendTransaction", [{ from, to, value: "0x1" }]);
      const runs = engine.batches.map((b) => Number(BigInt(b.lastBlock) - BigInt(b.firstBlock)) + 1);
      assert.ok(engine.keptUp > runs[0], `${engine.keptUp} of ${runs.join(" + ")} blocks run ahead`);
      assert.deepEqual(
        engine.batches.map((b) => b.executedRoot),
        engine.batches.map((b) => b.postStateRoot),
      );
    } finally {
      await net.close();
    }
  });

  it("a block bigger than an idle moment's work is left to the sealing, with the rest of its batch", async () => {
    const engine = await start();
    const [a, b] = d.accounts.map((x) => x.address);
    await rpc(d, "eth_sendTransaction", [{ from: a, to: b, value: "0x1" }]);
    assert.equal(await d.core.idle(), true);
    assert.equal(await d.core.idle(), false, "nothing more to run");
    // 16 gas a non-zero calldata byte: past MAX_KEEP_UP_GAS.
    const data = `0x${"ff".repeat(Number(MAX_KEEP_UP_GAS / 16n) + 1)}`;
    await rpc(d, "eth_sendTransaction", [{ from: a, to: b, data, gas: "0x1000000" }]);
    await rpc(d, "eth_sendTransaction", [{ from: a, to: b, value: "0x2" }]);
    assert.equal(await d.core.idle(), false, "the big block stops the run");
    while (engine.batches.length === 0) await rpc(d, "eth_sendTransaction", [{ from: b, to: a, value: "0x1" }]);
    assert.equal(engine.keptUp, 1);
    assert.equal(engine.batches[0].executedRoot, engine.batches[0].postStateRoot);
  });

  it("a fraudulent claim is challenged and the L2 halts, with the batch's blocks run ahead", async () => {
    const engine = await start();
    const [a, b] = d.accounts;
    await rpc(d, "bitlayer_injectFraud");
    const hashes: string[] = [];
    while (engine.batches.length === 0) {
      hashes.push(await rpc<string>(d, "eth_sendTransaction", [{ from: a.address, to: b.address, value: "0x1" }]));
      while (await d.core.idle()) {}
    }
    const batch = engine.batches[0];
    assert.equal(batch.fraudulent, true);
    assert.ok(engine.keptUp >= Number(BigInt(batch.lastBlock) - BigInt(batch.firstBlock)), "all but the last block ran ahead");
    assert.notEqual(batch.executedRoot, batch.postStateRoot);
    assert.equal(batch.executedRoot, (await wholeRuns([batch]))[0]);
    // Challenged, asserted and disproved on Bitcoin; the L2 halts.
    await rpc(d, "bitlayer_mineBitcoin", [20]);
    assert.ok(engine.halted(), "the watcher disproved the claim");
  });
});
