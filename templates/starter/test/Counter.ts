// `npm test` runs these with Hardhat's mocha runner on the "bitlayer" network: a devnet inside the test process.
// connection.bitlayer has the devnet's helpers: finality, time warps, Bitcoin, fraud (see @bitlayer/plugins).

import assert from "node:assert/strict";
import { network } from "hardhat";

type Hex = `0x${string}`;

describe("Counter", () => {
  let connection: Awaited<ReturnType<typeof network.create>>;

  before(async () => {
    connection = await network.create();
  });

  after(async () => {
    await connection?.close();
  });

  async function deployCounter(initial = 0n) {
    const counter = await connection.ethers.deployContract("Counter", [initial]);
    await counter.waitForDeployment();
    return counter;
  }

  it("increments and emits Incremented", async () => {
    const [me] = await connection.ethers.getSigners();
    const counter = await deployCounter(41n);
    const receipt = await (await counter.increment()).wait();
    assert.equal(receipt?.status, 1);
    assert.equal(await counter.count(), 42n);
    const event = counter.interface.parseLog(receipt!.logs[0]);
    assert.equal(event?.name, "Incremented");
    assert.deepEqual([...event.args], [me.address, 42n]);
  });

  it("rejects an amount out of range with TooLarge", async () => {
    const counter = await deployCounter();
    // The revert's data is the custom error, ABI-encoded: the contract's interface decodes it.
    await assert.rejects(counter.incrementBy(5000n), (error: { data?: string }) => {
      const decoded = counter.interface.parseError(error.data ?? "0x");
      assert.equal(decoded?.name, "TooLarge");
      assert.deepEqual([...decoded.args], [5000n, 1000n]);
      return true;
    });
    assert.equal(await counter.count(), 0n);
  });

  it("is soft final as soon as it is mined: the L2's validators committed the block", async () => {
    const counter = await deployCounter();
    const tx = await counter.increment();
    await tx.wait();
    const finality = await connection.bitlayer.getFinality(tx.hash as Hex);
    assert.equal(finality.level, "soft");
  });

  it("is hard final once its batch, committed on Bitcoin, outlives the 7-day challenge window (warped)", async () => {
    const counter = await deployCounter();
    const tx = await counter.incrementBy(10n);
    await tx.wait();

    // The operator commits the batch on Bitcoin: "anchored" after 6 confirmations (about an hour of virtual time).
    const anchored = await connection.bitlayer.waitForFinality(tx.hash as Hex, "anchored", { warp: true });
    assert.equal(anchored.level, "anchored");
    assert.ok(anchored.claim, "the batch's claim is on Bitcoin");

    // Nobody disproved it within the window: hard final, as final as Bitcoin. The warp takes a moment, not 7 days.
    const hard = await connection.bitlayer.waitForFinality(tx.hash as Hex, "hard", { warp: true });
    assert.equal(hard.level, "hard");
    assert.ok(hard.windowClosesAt !== null && (await connection.bitlayer.getStatus()).bitcoin.height >= hard.windowClosesAt);
    assert.equal(await counter.count(), 10n);
  });
});
