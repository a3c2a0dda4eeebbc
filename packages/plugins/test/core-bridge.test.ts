// The helper core's peg-out: withdraw from a dev account to a regtest address, follow it to the Bitcoin payout.

import assert from "node:assert/strict";
import { createDevnet, type Devnet } from "@bitlayer/devnet";
import { getWithdrawal, type Hex, waitForPayout, withdraw } from "../src/index.js";
import { rejectsWith } from "./core-support.js";

describe("core helpers: withdraw and payout on the devnet", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let from: Hex;

  beforeEach(async () => {
    devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    from = devnet.accounts[0].address as Hex;
  });
  afterEach(() => devnet.close());

  it("withdraw → getWithdrawal → waitForPayout with warp: amount − 1000 sats mined at the address", async () => {
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    assert.match(btcAddress, /^bcrt1q/);
    const { transactionHash, withdrawalId } = await withdraw(devnet.provider, { from, btcAddress, amountSats: 100_000 });
    assert.match(withdrawalId, /^0x[0-9a-f]{64}$/);

    const initiated = await getWithdrawal(devnet.provider, withdrawalId);
    assert.equal(initiated.status, "initiated");
    assert.equal(initiated.transactionHash, transactionHash);
    assert.equal(initiated.btcAddress, btcAddress);
    assert.equal((await getWithdrawal(devnet.provider, transactionHash)).id, withdrawalId);

    const { payment, withdrawal } = await waitForPayout(devnet.provider, withdrawalId, { warp: true });
    assert.equal(withdrawal.status, "paid");
    assert.deepEqual(withdrawal.payment, payment);

    const tx = (await devnet.bitcoinRequest("getrawtransaction", [payment.txid, true])) as {
      confirmations?: number;
      vout: { value: number; scriptPubKey: { address?: string } }[];
    };
    assert.ok((tx.confirmations ?? 0) >= 1, "the payment is mined");
    const out = tx.vout.find((o) => o.scriptPubKey.address === btcAddress);
    assert.ok(out, "an output pays the address");
    assert.equal(Math.round(out.value * 1e8), 100_000 - 1000);

    // Already paid: answers at once with the same payment.
    assert.deepEqual((await waitForPayout(devnet.provider, transactionHash, { warp: true })).payment, payment);
  });

  it("waitForPayout without warp polls, and times out while the window is open", async () => {
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const { withdrawalId } = await withdraw(devnet.provider, { from, btcAddress, amountSats: 10_000n });
    await rejectsWith(waitForPayout(devnet.provider, withdrawalId, { timeoutMs: 100, pollIntervalMs: 20 }), "TIMEOUT");
  });

  it("a withdrawal the bridge refuses (an address with a bad checksum) is RPC_ERROR with the revert in cause", async () => {
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const bad = btcAddress.slice(0, -1) + (btcAddress.endsWith("q") ? "p" : "q");
    const error = await rejectsWith(withdraw(devnet.provider, { from, btcAddress: bad, amountSats: 100_000 }), "RPC_ERROR");
    const cause = error.cause as { code: number; message: string };
    assert.equal(cause.code, 3);
    assert.match(cause.message, /invalid Bitcoin address/);
  });
});
