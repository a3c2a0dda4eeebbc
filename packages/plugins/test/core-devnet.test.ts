// The helper core against an in-process devnet: status, finality (soft / anchored / hard, warping and polling),
// warps, Bitcoin mining, the watcher switch and a deposit.

import assert from "node:assert/strict";
import {
  deposit,
  getFinality,
  getStatus,
  type Hex,
  isDevnet,
  mineBitcoin,
  setWatcher,
  waitForFinality,
  warp,
  warpChallengeWindow,
} from "../src/index.js";
import { devnetPerTest } from "./core-support.js";

describe("core helpers on the devnet", function () {
  this.timeout(60_000);
  const fixture = devnetPerTest();

  it("isDevnet: true for the devnet, asked once per provider", async () => {
    const { devnet } = fixture;
    let asked = 0;
    const counting = {
      request: (args: { method: string; params?: readonly unknown[] | object }) => {
        if (args.method === "bitlayer_status") asked++;
        return devnet.provider.request(args);
      },
    };
    assert.equal(await isDevnet(counting), true);
    assert.equal(await isDevnet(counting), true);
    assert.equal(asked, 1);
  });

  it("getStatus: the devnet's bitlayer_status", async () => {
    const { devnet } = fixture;
    const status = await getStatus(devnet.provider);
    assert.equal(status.time, 1_700_000_000);
    assert.equal(status.l2.latest, "0x0");
    assert.equal(status.bitcoin.simulated, true);
    assert.equal(status.rollup.windowSeconds, 604_800);
    assert.equal(status.halted, null);
  });

  it("getFinality: a mined transaction and its block are soft, with the devnet's fields", async () => {
    const { devnet, send } = fixture;
    const hash = await send();
    const byHash = await getFinality(devnet.provider, hash);
    assert.equal(byHash.level, "soft");
    assert.equal(byHash.transactionHash, hash);
    assert.equal(byHash.blockNumber, "0x1");
    const byNumber = await getFinality(devnet.provider, 1);
    assert.equal(byNumber.level, "soft");
    assert.equal(byNumber.blockHash, byHash.blockHash);
    assert.equal((await getFinality(devnet.provider, 1n)).blockHash, byHash.blockHash);
  });

  it("waitForFinality with warp: soft, then anchored, then hard, each the devnet's answer", async () => {
    const { devnet, send } = fixture;
    const hash = await send();
    const soft = await waitForFinality(devnet.provider, hash, "soft", { warp: true });
    assert.equal(soft.level, "soft");
    const anchored = await waitForFinality(devnet.provider, hash, "anchored", { warp: true });
    assert.equal(anchored.level, "anchored");
    assert.equal(anchored.claim?.confirmations, 6);
    assert.equal((await getStatus(devnet.provider)).l2.safe, "0x1");
    const hard = await waitForFinality(devnet.provider, hash, "hard", { warp: true });
    assert.equal(hard.level, "hard");
    assert.equal((await getStatus(devnet.provider)).l2.finalized, "0x1");
    // Already there: no warp, the clock stays.
    const before = (await getStatus(devnet.provider)).time;
    assert.equal((await waitForFinality(devnet.provider, hash, "anchored", { warp: true })).level, "hard");
    assert.equal((await getStatus(devnet.provider)).time, before);
  });

  it("waitForFinality with warp on a block number", async () => {
    const { devnet, send } = fixture;
    await send();
    const hard = await waitForFinality(devnet.provider, 1, "hard", { warp: true });
    assert.equal(hard.level, "hard");
    assert.equal(hard.blockNumber, "0x1");
  });

  it("waitForFinality without warp: soft at once; anchored polls until Bitcoin blocks anchor it, else TIMEOUT", async () => {
    const { devnet, send } = fixture;
    const hash = await send();
    assert.equal((await waitForFinality(devnet.provider, hash, "soft")).level, "soft");
    const timer = setTimeout(() => void mineBitcoin(devnet.provider, 6), 100);
    try {
      const anchored = await waitForFinality(devnet.provider, hash, "anchored", { pollIntervalMs: 20, timeoutMs: 10_000 });
      assert.equal(anchored.level, "anchored");
    } finally {
      clearTimeout(timer);
    }
    await assert.rejects(waitForFinality(devnet.provider, hash, "hard", { pollIntervalMs: 10, timeoutMs: 50 }), { code: "TIMEOUT" });
  });

  it("warp: by seconds and by text; the Bitcoin blocks due are mined on the way", async () => {
    const { devnet } = fixture;
    const a = await warp(devnet.provider, 3600);
    assert.equal(a.to - a.from, 3600);
    assert.equal(a.bitcoinBlocks, 6);
    const b = await warp(devnet.provider, "1h30m");
    assert.equal(b.to - b.from, 5400);
    assert.equal(b.from, a.to);
    assert.equal((await getStatus(devnet.provider)).time, 1_700_000_000 + 3600 + 5400);
  });

  it("warpChallengeWindow: the window's length; what was anchored is hard after it", async () => {
    const { devnet, send } = fixture;
    const hash = await send();
    await waitForFinality(devnet.provider, hash, "anchored", { warp: true });
    const result = await warpChallengeWindow(devnet.provider);
    assert.equal(result.to - result.from, 604_800);
    assert.equal((await getFinality(devnet.provider, hash)).level, "hard");
  });

  it("mineBitcoin: one block by default, n blocks, rewards to an address", async () => {
    const { devnet } = fixture;
    const height = (await getStatus(devnet.provider)).bitcoin.height;
    const [one] = await mineBitcoin(devnet.provider);
    assert.match(one, /^[0-9a-f]{64}$/);
    assert.equal((await mineBitcoin(devnet.provider, 3)).length, 3);
    const address = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const [last] = await mineBitcoin(devnet.provider, 1, address);
    const status = await getStatus(devnet.provider);
    assert.equal(status.bitcoin.height, height + 5);
    assert.equal(status.bitcoin.bestBlockHash, last);
  });

  it("setWatcher: switches the devnet's watcher", async () => {
    const { devnet } = fixture;
    await setWatcher(devnet.provider, false);
    assert.equal((await getStatus(devnet.provider)).rollup.watcher, false);
    await setWatcher(devnet.provider, true);
    assert.equal((await getStatus(devnet.provider)).rollup.watcher, true);
  });

  it("deposit: a whole peg-in, minted to the recipient", async () => {
    const { devnet } = fixture;
    const recipient = devnet.accounts[2].address as Hex;
    const before = BigInt((await devnet.provider.request({ method: "eth_getBalance", params: [recipient, "latest"] })) as string);
    const result = await deposit(devnet.provider, recipient, 50_000n);
    assert.equal(result.status, "minted");
    assert.equal(result.amountSats, 50_000);
    assert.equal(result.recipient?.toLowerCase(), recipient.toLowerCase());
    const after = BigInt((await devnet.provider.request({ method: "eth_getBalance", params: [recipient, "latest"] })) as string);
    assert.equal(after - before, 50_000n * 10n ** 10n);
  });
});
