// The helper core's fraud path: injectFraud → the watcher disproves the claim → the L2 halts (a send is HALTED) →
// recover → it runs again.

import assert from "node:assert/strict";
import { getFinality, getStatus, injectFraud, mineBitcoin, recover, waitForFinality, withdraw } from "../src/index.js";
import { devnetPerTest, rejectsWith } from "./core-support.js";

describe("core helpers: fraud, halt and recovery on the devnet", function () {
  this.timeout(60_000);
  const fixture = devnetPerTest();

  it("injectFraud halts the L2; sends and warps towards the bad batch are HALTED; recover resumes it", async () => {
    const { devnet, from, send } = fixture;
    const good = await send();
    await waitForFinality(devnet.provider, good, "anchored", { warp: true });
    const { batch } = await injectFraud(devnet.provider, `0x${"ab".repeat(32)}`);
    assert.equal(batch, 1);
    assert.equal((await getStatus(devnet.provider)).rollup.fraudInjected, true);
    const bad = await send();
    await mineBitcoin(devnet.provider, 5); // claim, challenge, assert, disprove
    const halted = (await getStatus(devnet.provider)).halted;
    assert.ok(halted, "the L2 is halted");
    assert.equal(halted.batch, 1);
    assert.equal((await getFinality(devnet.provider, bad)).level, "invalidated");

    // The node refuses a plain send (its own error), and the helpers' send (withdraw) with HALTED.
    await assert.rejects(send(), { reason: "L2_HALTED" });
    const btcAddress = (await devnet.bitcoinRequest("getnewaddress")) as string;
    const error = await rejectsWith(withdraw(devnet.provider, { from, btcAddress, amountSats: 10_000 }), "HALTED");
    assert.equal((error.cause as { reason?: string }).reason, "L2_HALTED");
    await rejectsWith(waitForFinality(devnet.provider, bad, "hard", { warp: true }), "HALTED", /invalidated/);

    const recovered = await recover(devnet.provider);
    assert.equal(recovered.rolledBackTo, "0x1");
    assert.equal((await getStatus(devnet.provider)).halted, null);
    const again = await send();
    assert.equal((await getFinality(devnet.provider, again)).level, "soft");
    assert.equal((await waitForFinality(devnet.provider, again, "hard", { warp: true })).level, "hard");

    // Running again: a second recover is refused by the devnet, its code in cause.
    const notHalted = await rejectsWith(recover(devnet.provider), "RPC_ERROR");
    assert.equal((notHalted.cause as { reason?: string }).reason, "NOT_HALTED");
  });
});
