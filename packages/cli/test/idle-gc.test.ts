import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { compactWhenIdle, newSpaceBytes } from "../src/devnet/idle-gc.js";
import { rpc, startDevnet, stop } from "./devnet-helpers.js";

const MB = 1024 * 1024;

describe("idle compaction (devnet/idle-gc)", function () {
  this.timeout(60_000);

  function fakeProbe(state: { utilization: number; newSpace: number }) {
    const calls = { collect: 0 };
    return {
      calls,
      probe: {
        utilization: () => state.utilization,
        newSpaceBytes: () => state.newSpace,
        collect: () => {
          calls.collect++;
        },
      },
    };
  }

  it("collects only when the event loop was idle and the young generation is large, at most maxCompactions times", async () => {
    const state = { utilization: 0.9, newSpace: 16 * MB };
    const { calls, probe } = fakeProbe(state);
    const stopIt = compactWhenIdle({ checkMs: 5, maxCompactions: 2, probe });
    try {
      await sleep(60);
      assert.equal(calls.collect, 0, "busy: no collection");
      state.utilization = 0.01;
      state.newSpace = 2 * MB;
      await sleep(60);
      assert.equal(calls.collect, 0, "idle but the young generation is small: no collection");
      state.newSpace = 16 * MB;
      await sleep(100);
      assert.equal(calls.collect, 2, "idle and large: collects, at most twice");
    } finally {
      stopIt();
    }
  });

  it("a late start-up phase (the Bitcoin side) that ends after the compaction earns one more; ended before it, none", async () => {
    const state = { utilization: 0.01, newSpace: 16 * MB };
    const late = { done: false };
    const { calls, probe } = fakeProbe(state);
    const stopIt = compactWhenIdle({ checkMs: 5, probe, lateStartup: () => late.done });
    try {
      await sleep(60);
      assert.equal(calls.collect, 1, "idle after start-up: one collection");
      late.done = true;
      await sleep(60);
      assert.equal(calls.collect, 2, "the late phase ended since: one more");
      await sleep(60);
      assert.equal(calls.collect, 2, "and no more after it");
    } finally {
      stopIt();
    }
    const early = fakeProbe({ utilization: 0.01, newSpace: 16 * MB });
    const stopEarly = compactWhenIdle({ checkMs: 5, probe: early.probe, lateStartup: () => true });
    try {
      await sleep(80);
      assert.equal(early.calls.collect, 1, "the late phase had ended at the first: that one covered it");
    } finally {
      stopEarly();
    }
  });

  it("stops looking when asked", async () => {
    const { calls, probe } = fakeProbe({ utilization: 0, newSpace: 16 * MB });
    compactWhenIdle({ checkMs: 5, probe })();
    await sleep(40);
    assert.equal(calls.collect, 0);
  });

  it("its collection shrinks V8's young generation (a plain major collection does not)", async () => {
    // Survivors of many scavenges make V8 grow the young generation.
    const keep: unknown[] = [];
    for (let i = 0; i < 400_000; i++) keep.push({ i, s: `x${i}` });
    assert.ok(newSpaceBytes() > 4 * MB, `young generation grew (${newSpaceBytes()} bytes)`);
    keep.length = 0;
    const stopIt = compactWhenIdle({ checkMs: 20, idleBelow: 1.01, minNewSpaceBytes: 0, maxCompactions: 1 });
    try {
      await sleep(200);
      assert.ok(newSpaceBytes() <= 2 * MB, `young generation after: ${newSpaceBytes()} bytes`);
    } finally {
      stopIt();
    }
  });

  it("a devnet idle after start-up and its first status still answers both chains", async () => {
    const { child, url } = await startDevnet(["--silent"]);
    try {
      await rpc(url, "bitlayer_status");
      await sleep(1500); // the compactor runs once the devnet has been idle
      assert.equal(await rpc(url, "eth_chainId"), "0x31769");
      const status = await rpc<{ bitcoin: { height: number } }>(url, "bitlayer_status");
      assert.ok(status.bitcoin.height > 0);
    } finally {
      assert.equal(await stop(child), 0);
    }
  });
});
