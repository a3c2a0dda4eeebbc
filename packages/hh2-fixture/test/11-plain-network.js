// hre.bitlayer on Hardhat's own network, which is not the devnet: the helpers that need the devnet refuse with
// NOT_A_DEVNET and send nothing; finality comes from what the network offers. Runs only on the network `hardhat`.

const { expect } = require("chai");
const hre = require("hardhat");
const { BitlayerHelperError } = require("@bitlayer/plugins");

const { ethers, network, bitlayer } = hre;

/** Expects `promise` to reject with a BitlayerHelperError of `code`; returns the error. */
async function rejectsWith(promise, code) {
  const error = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e) => e,
  );
  expect(error).to.be.instanceOf(BitlayerHelperError);
  expect(error.code).to.equal(code);
  return error;
}

(network.name === "hardhat" ? describe : describe.skip)("hre.bitlayer on a network that is not the devnet", () => {
  it("is not the devnet, and has no in-process devnet", async () => {
    expect(await bitlayer.isDevnet()).to.equal(false);
    expect(await bitlayer.getDevnet()).to.equal(undefined);
  });

  it("refuses time travel, fraud, Bitcoin mining, the watcher and recover with NOT_A_DEVNET, changing nothing", async () => {
    const block = await ethers.provider.getBlock("latest");
    for (const call of [
      () => bitlayer.warp("1h"),
      () => bitlayer.warpChallengeWindow(),
      () => bitlayer.injectFraud(),
      () => bitlayer.mineBitcoin(1),
      () => bitlayer.setWatcher(false),
      () => bitlayer.recover(),
      () => bitlayer.getStatus(),
    ]) {
      const error = await rejectsWith(call(), "NOT_A_DEVNET");
      expect(error.message).to.match(/needs the Bitlayer devnet: /);
    }
    const now = await ethers.provider.getBlock("latest");
    expect(now.hash).to.equal(block.hash, "no block was mined");
  });

  it("reports a mined transaction's finality from its receipt and the finalized tag", async () => {
    const [signer] = await ethers.getSigners();
    const tx = await signer.sendTransaction({ to: ethers.ZeroAddress, value: 1n });
    const receipt = await tx.wait();
    const finality = await bitlayer.getFinality(tx.hash);
    expect(finality.blockNumber).to.equal(ethers.toQuantity(receipt.blockNumber));
    expect(finality.blockHash).to.equal(receipt.blockHash);
    expect(finality.batch).to.equal(null);
    // Hardhat's network answers the `finalized` tag with its latest block: every mined block is final there.
    const finalized = await ethers.provider.getBlock("finalized");
    expect(finalized.number).to.equal(receipt.blockNumber);
    expect(finality.level).to.equal("hard");
    expect((await bitlayer.waitForFinality(tx.hash, "soft")).level).to.equal("hard");
  });

  it("bad input is a typed error: unknown transaction, bad duration, wrong level", async () => {
    await rejectsWith(bitlayer.getFinality(`0x${"ab".repeat(32)}`), "UNKNOWN_TRANSACTION");
    await rejectsWith(bitlayer.warp("7 days"), "INVALID_DURATION");
    await rejectsWith(bitlayer.waitForFinality(`0x${"ab".repeat(32)}`, "final"), "INVALID_LEVEL");
  });
});
