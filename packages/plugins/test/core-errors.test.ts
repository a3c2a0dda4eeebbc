// Bad input to each helper gives a typed BitlayerHelperError; a devnet refusal keeps the devnet's error as cause.

import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "@bitlayer/devnet";
import {
  BitlayerHelperError,
  deposit,
  getFinality,
  getWithdrawal,
  type Hex,
  injectFraud,
  mineBitcoin,
  setWatcher,
  type TargetLevel,
  waitForFinality,
  waitForPayout,
  warp,
  withdraw,
} from "../src/index.js";
import { rejectsWith } from "./core-support.js";

describe("core helpers: bad input gives typed errors", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let from: Hex;
  const unknown = `0x${"11".repeat(32)}` as Hex;

  before(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    from = devnet.accounts[0].address as Hex;
  });
  after(() => devnet.close());

  it("unknown transaction, block or withdrawal: UNKNOWN_TRANSACTION (the devnet's code in cause)", async () => {
    const error = await rejectsWith(getFinality(devnet.provider, unknown), "UNKNOWN_TRANSACTION");
    assert.equal((error.cause as { reason?: string }).reason, "UNKNOWN_TRANSACTION");
    await rejectsWith(getFinality(devnet.provider, 1_000_000), "UNKNOWN_TRANSACTION");
    await rejectsWith(waitForFinality(devnet.provider, unknown, "hard", { warp: true }), "UNKNOWN_TRANSACTION");
    await rejectsWith(getWithdrawal(devnet.provider, unknown), "UNKNOWN_TRANSACTION");
    await rejectsWith(waitForPayout(devnet.provider, unknown, { warp: true }), "UNKNOWN_TRANSACTION");
  });

  it("bad durations: INVALID_DURATION, before anything is sent", async () => {
    for (const bad of ["7 days", -1, "1.5h", 1.5, "", "7x", Number.NaN]) {
      await rejectsWith(warp(devnet.provider, bad), "INVALID_DURATION", /invalid duration/);
    }
    const status = (await devnet.provider.request({ method: "bitlayer_status" })) as { time: number };
    assert.equal(status.time, 1_700_000_000);
  });

  it("a duration the devnet refuses (0 s, past 10 years): RPC_ERROR with the devnet's code in cause", async () => {
    const error = await rejectsWith(warp(devnet.provider, 0), "RPC_ERROR");
    const cause = error.cause as { code: number; reason?: string; message: string };
    assert.equal(cause.code, -32602);
    assert.equal(cause.reason, "INVALID_PARAMS");
    await rejectsWith(warp(devnet.provider, "600w"), "RPC_ERROR");
  });

  it("wrong level: INVALID_LEVEL", async () => {
    for (const level of ["final", "pending", "invalidated", "HARD"]) {
      await rejectsWith(waitForFinality(devnet.provider, unknown, level as TargetLevel), "INVALID_LEVEL", /soft, anchored, hard/);
    }
  });

  it("malformed hashes, addresses, amounts and options: INVALID_ARGUMENT", async () => {
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const cases: Promise<unknown>[] = [
      getFinality(devnet.provider, "0x1234" as Hex),
      getFinality(devnet.provider, -1),
      getFinality(devnet.provider, 1.5),
      waitForFinality(devnet.provider, "nope" as Hex, "soft"),
      waitForFinality(devnet.provider, 1, "soft", { timeoutMs: -5 }),
      getWithdrawal(devnet.provider, "0x12" as Hex),
      deposit(devnet.provider, "0x1234" as Hex, 100_000),
      deposit(devnet.provider, from, 0),
      deposit(devnet.provider, from, 1.5),
      deposit(devnet.provider, from, "100000" as unknown as number),
      withdraw(devnet.provider, { from: "0xabc" as Hex, btcAddress, amountSats: 100_000 }),
      withdraw(devnet.provider, { from, btcAddress: "", amountSats: 100_000 }),
      withdraw(devnet.provider, { from, btcAddress, amountSats: -1 }),
      mineBitcoin(devnet.provider, 0),
      mineBitcoin(devnet.provider, 2.5),
      injectFraud(devnet.provider, "0xdead" as Hex),
      setWatcher(devnet.provider, "yes" as unknown as boolean),
    ];
    for (const [i, promise] of cases.entries()) {
      const error = await rejectsWith(promise, "INVALID_ARGUMENT").catch((e: Error) => {
        throw new Error(`case ${i}: ${e.message}`);
      });
      assert.ok(error instanceof BitlayerHelperError);
    }
  });

  it("a devnet refusal of well-formed input keeps the devnet's code: dust deposit, bad Bitcoin address to mine to", async () => {
    const dust = await rejectsWith(deposit(devnet.provider, from, 1), "RPC_ERROR");
    assert.equal(typeof (dust.cause as { code?: number }).code, "number");
    assert.ok((dust.cause as { message: string }).message.length > 0);
    const bad = await rejectsWith(mineBitcoin(devnet.provider, 1, "not-an-address"), "RPC_ERROR");
    assert.equal((bad.cause as { code: number }).code, -32602);
  });
});
