// The helper core against a network that is not the devnet (Anvil, over HTTP): finality from what it offers
// (receipts; the finalized tag), and the devnet-only helpers refused with NOT_A_DEVNET before anything is sent.

import assert from "node:assert/strict";
import {
  deposit,
  getFinality,
  getStatus,
  getWithdrawal,
  type Hex,
  injectFraud,
  isDevnet,
  mineBitcoin,
  recover,
  setWatcher,
  waitForFinality,
  waitForPayout,
  warp,
  warpChallengeWindow,
  withdraw,
} from "../src/index.js";
import { httpProvider, rejectsWith, startAnvil } from "./core-support.js";

describe("core helpers on a network that is not the devnet (Anvil)", function () {
  this.timeout(60_000);
  let anvil: Awaited<ReturnType<typeof startAnvil>>;
  let provider: ReturnType<typeof httpProvider>;
  let from: Hex;
  let to: Hex;

  before(async () => {
    anvil = await startAnvil();
  });
  after(() => anvil?.stop());
  beforeEach(async () => {
    provider = httpProvider(anvil.url);
    [from, to] = (await provider.request({ method: "eth_accounts" })) as Hex[];
  });

  const blockNumber = async () => BigInt((await provider.request({ method: "eth_blockNumber" })) as string);
  /** Sends a transfer and waits for its receipt: Anvil answers eth_sendTransaction before its automine has mined it. */
  async function sendMined(): Promise<Hex> {
    const hash = (await provider.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] })) as Hex;
    for (let i = 0; i < 200; i++) {
      if (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) return hash;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`Anvil did not mine ${hash}`);
  }

  it("isDevnet is false (Anvil answers bitlayer_status with -32601)", async () => {
    assert.equal(await isDevnet(provider), false);
  });

  it("getFinality: a mined transaction is soft; hard once Anvil's finalized tag (64 blocks back) covers it", async () => {
    const hash = await sendMined();
    const soft = await getFinality(provider, hash);
    assert.equal(soft.level, "soft");
    assert.equal(soft.transactionHash, hash);
    assert.equal(soft.batch, null);
    assert.equal((await waitForFinality(provider, hash, "soft")).level, "soft");
    // Anvil: safe = latest − 32, finalized = latest − 64.
    await provider.request({ method: "anvil_mine", params: ["0x20"] });
    assert.equal((await getFinality(provider, hash)).level, "anchored");
    await provider.request({ method: "anvil_mine", params: ["0x20"] });
    assert.equal((await getFinality(provider, hash)).level, "hard");
    assert.equal((await getFinality(provider, Number(BigInt(soft.blockNumber ?? "0x0")))).level, "hard");
    assert.equal((await waitForFinality(provider, hash, "hard")).level, "hard");
  });

  it("unknown transaction: UNKNOWN_TRANSACTION", async () => {
    await rejectsWith(getFinality(provider, `0x${"11".repeat(32)}`), "UNKNOWN_TRANSACTION");
    await rejectsWith(getFinality(provider, 10_000_000), "UNKNOWN_TRANSACTION");
  });

  it("the devnet-only helpers refuse with NOT_A_DEVNET, saying why, and send nothing that changes the chain", async () => {
    const hash = await sendMined();
    const height = await blockNumber();
    const btcAddress = "bcrt1qlqj2pdsteppkcr8jkp9ms0wpvey89tna8v72sj";
    const start = provider.methods.length;
    await rejectsWith(warp(provider, "7d"), "NOT_A_DEVNET", /warp needs the Bitlayer devnet: a real network's clock cannot be moved/);
    await rejectsWith(warpChallengeWindow(provider), "NOT_A_DEVNET");
    await rejectsWith(mineBitcoin(provider, 1), "NOT_A_DEVNET", /Bitcoin/);
    await rejectsWith(injectFraud(provider), "NOT_A_DEVNET", /fraud/);
    await rejectsWith(setWatcher(provider, false), "NOT_A_DEVNET");
    await rejectsWith(recover(provider), "NOT_A_DEVNET");
    await rejectsWith(deposit(provider, to, 100_000), "NOT_A_DEVNET");
    await rejectsWith(withdraw(provider, { from, btcAddress, amountSats: 100_000 }), "NOT_A_DEVNET");
    await rejectsWith(getWithdrawal(provider, hash), "NOT_A_DEVNET");
    await rejectsWith(waitForPayout(provider, hash, { warp: true }), "NOT_A_DEVNET");
    await rejectsWith(getStatus(provider), "NOT_A_DEVNET");
    await rejectsWith(waitForFinality(provider, hash, "hard", { warp: true }), "NOT_A_DEVNET", /clock cannot be moved/);
    // Only the probe (bitlayer_status, cached per provider) went out; nothing else.
    assert.deepEqual(provider.methods.slice(start), ["bitlayer_status"]);
    assert.equal(await blockNumber(), height);
  });
});
