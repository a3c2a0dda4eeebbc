// Copied into the starter project by bench/lib/template.js: the starter's two network-neutral tests, made heavier,
// so that the same file runs on the Bitlayer devnet and on Hardhat's simulated network.
import assert from "node:assert/strict";
import { network } from "hardhat";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);

describe("Counter (bench, network-neutral)", () => {
  let connection: Awaited<ReturnType<typeof network.create>>;

  before(async () => {
    connection = await network.create();
  });

  after(async () => {
    await connection?.close();
  });

  it(`deploys and increments, ${ROUNDS} rounds`, async () => {
    const [me] = await connection.ethers.getSigners();
    for (let i = 0; i < ROUNDS; i++) {
      const counter = await connection.ethers.deployContract("Counter", [41n]);
      await counter.waitForDeployment();
      const receipt = await (await counter.increment()).wait();
      assert.equal(receipt?.status, 1);
      assert.equal(await counter.count(), 42n);
      const event = counter.interface.parseLog(receipt!.logs[0]);
      assert.deepEqual([...event!.args], [me.address, 42n]);
    }
  });

  it("rejects an amount out of range with TooLarge, 10 rounds", async () => {
    for (let i = 0; i < 10; i++) {
      const counter = await connection.ethers.deployContract("Counter", [0n]);
      await counter.waitForDeployment();
      await assert.rejects(counter.incrementBy(5000n), (error: { data?: string }) => {
        assert.equal(counter.interface.parseError(error.data ?? "0x")?.name, "TooLarge");
        return true;
      });
    }
  });
});
