// The feed must not load the Bitcoin side at start (its import and premine would delay the devnet's first answers),
// yet see exactly what bitlayer_status would have said, and everything that happens once it loads.
import assert from "node:assert/strict";
import { createDevnet, type Devnet, PREMINE_BLOCKS } from "@bitlayer/devnet";
import type { DevnetEvent } from "../src/devnet/events.js";
import { DevnetFeed } from "../src/devnet/feed.js";
import { rpc, type Started, startDevnet } from "./devnet-helpers.js";

const OPTIONS = { genesisTimestamp: 1_700_000_000 } as const;

/** A started feed (polled by hand: its timer is far off), with every event it reports. */
async function follow(devnet: Devnet): Promise<{ feed: DevnetFeed; events: DevnetEvent[]; poll: () => Promise<void> }> {
  const feed = new DevnetFeed(devnet, { pollMs: 3_600_000 });
  const events: DevnetEvent[] = [];
  feed.on("event", (e) => events.push(e));
  await feed.start();
  const poll = () => (feed as unknown as { poll(baseline: boolean): Promise<void> }).poll(false);
  return { feed, events, poll };
}

describe("devnet feed: the Bitcoin side loads on first need, not at start", function () {
  this.timeout(120_000);

  it("starting the feed does not load it, and its model is what a feed on a loaded devnet sees", async () => {
    const lazy = await createDevnet({ ...OPTIONS, preset: "fast" });
    const eager = await createDevnet({ ...OPTIONS, preset: "fast" });
    try {
      const a = await follow(lazy);
      // (ok, not equal: a failure's diff of the whole engine would be huge)
      assert.ok(lazy.core.settlement.loaded === undefined, "the feed loaded the Bitcoin side");
      await eager.request({ method: "bitlayer_status" });
      assert.ok(eager.core.settlement.loaded);
      const b = await follow(eager);
      assert.deepEqual(a.feed.model, b.feed.model);
      assert.equal(a.feed.model.bitcoin.height, PREMINE_BLOCKS);
      a.feed.stop();
      b.feed.stop();
    } finally {
      await lazy.close();
      await eager.close();
    }
  });

  it("once something loads it, new Bitcoin blocks and batches are reported; a reset unloads it and forgets them", async () => {
    const devnet = await createDevnet(OPTIONS);
    try {
      const { feed, events, poll } = await follow(devnet);
      const [from] = devnet.accounts.map((a) => a.address);
      await devnet.request({ method: "eth_sendTransaction", params: [{ from, to: from, value: "0x1" }] });
      await devnet.request({ method: "bitlayer_mineBitcoin", params: [2] });
      await poll();
      assert.deepEqual(
        events.find((e) => e.event === "bitcoin"),
        { event: "bitcoin", height: PREMINE_BLOCKS + 2, count: 2 },
      );
      const status = (await devnet.request({ method: "bitlayer_status" })) as { rollup: { batches: number } };
      assert.equal(feed.model.rollup.batches, status.rollup.batches);
      assert.equal(feed.model.batches.length, status.rollup.batches);
      assert.ok(status.rollup.batches > 0, "mining Bitcoin posted a batch");
      await devnet.request({ method: "hardhat_reset" });
      await poll();
      assert.ok(devnet.core.settlement.loaded === undefined, "the reset unloaded the Bitcoin side");
      assert.deepEqual(feed.model.batches, []);
      assert.equal(feed.model.rollup.batches, 0);
      assert.equal(feed.model.bitcoin.height, PREMINE_BLOCKS);
      feed.stop();
    } finally {
      await devnet.close();
    }
  });
});

describe("bitlayer devnet: the first request may need the Bitcoin side", function () {
  this.timeout(120_000);
  let devnet: Started | undefined;
  afterEach(async () => {
    await devnet?.stop();
    devnet = undefined;
  });

  it("bitlayer_status right after start answers, with the premined chain", async () => {
    devnet = await startDevnet(["--silent"]);
    const status = await rpc<{ bitcoin: { height: number } }>(devnet.url, "bitlayer_status");
    assert.equal(status.bitcoin.height, PREMINE_BLOCKS);
  });

  it("a Bitcoin RPC call right after start answers", async () => {
    devnet = await startDevnet(["--json"]);
    const listening = JSON.parse(devnet.stdout().split("\n")[0]) as { bitcoinRpc: { url: string; user: string; password: string } };
    const { url, user, password } = listening.bitcoinRpc;
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
      body: JSON.stringify({ jsonrpc: "1.0", id: 1, method: "getblockcount", params: [] }),
    });
    assert.deepEqual(((await res.json()) as { result: unknown }).result, PREMINE_BLOCKS);
  });
});
