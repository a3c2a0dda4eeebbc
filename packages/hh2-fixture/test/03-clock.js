// A contract with a clock. A view at `latest` runs in the latest block's context (its number and
// timestamp), as Hardhat, Anvil and geth run it; a transaction runs in the next block.

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, mine, time } = require("@nomicfoundation/hardhat-network-helpers");

const HOUR = 3600;

async function deployTimelock() {
  const now = await time.latest();
  const height = await time.latestBlock();
  const unlockTime = now + HOUR;
  const unlockBlock = height + 20;
  const timelock = await ethers.deployContract("Timelock", [unlockTime, unlockBlock]);
  await timelock.waitForDeployment();
  return { timelock, unlockTime, unlockBlock };
}

describe("Timelock: views depending on block.timestamp and block.number", () => {
  it("a view at latest sees the latest block's timestamp and number", async () => {
    const { timelock } = await loadFixture(deployTimelock);
    await mine(2);
    const latest = await ethers.provider.getBlock("latest");
    expect(await timelock.currentTime()).to.equal(latest.timestamp);
    expect(await timelock.currentBlock()).to.equal(latest.number);
    expect(await timelock.currentTime({ blockTag: "latest" })).to.equal(latest.timestamp);
    expect(await timelock.currentBlock({ blockTag: "latest" })).to.equal(latest.number);
  });

  it("a view at pending sees the next block", async () => {
    const { timelock } = await loadFixture(deployTimelock);
    const latest = await ethers.provider.getBlock("latest");
    expect(await timelock.currentBlock({ blockTag: "pending" })).to.equal(latest.number + 1);
    expect(await timelock.currentTime({ blockTag: "pending" })).to.be.greaterThan(latest.timestamp);
  });

  it("time.increase to one second before the unlock: locked at latest, unlocked for the next transaction", async () => {
    const { timelock, unlockTime } = await loadFixture(deployTimelock);
    await time.increase(unlockTime - (await time.latest()) - 1);
    expect(await time.latest()).to.equal(unlockTime - 1);
    expect(await timelock.currentTime()).to.equal(unlockTime - 1);
    expect(await timelock.isUnlocked()).to.equal(false);
    expect(await timelock.remaining()).to.equal(1n);

    // The transaction is mined in the next block, at least one second later.
    await expect(timelock.release()).not.to.be.reverted;
    expect(await timelock.released()).to.equal(1n);
    expect(await timelock.isUnlocked()).to.equal(true);
    expect(await timelock.remaining()).to.equal(0n);
  });

  it("time.increaseTo the unlock: unlocked at latest", async () => {
    const { timelock, unlockTime } = await loadFixture(deployTimelock);
    await expect(timelock.release()).to.be.revertedWithCustomError(timelock, "Locked");
    await time.increaseTo(unlockTime);
    expect(await timelock.isUnlocked()).to.equal(true);
    expect(await timelock.currentTime()).to.equal(unlockTime);
    await expect(timelock.release()).not.to.be.reverted;
  });

  it("mine(n): block-number views count down by exactly n", async () => {
    const { timelock, unlockBlock } = await loadFixture(deployTimelock);
    const height = await time.latestBlock();
    expect(await timelock.blocksToGo()).to.equal(BigInt(unlockBlock - height));
    await mine(5);
    expect(await timelock.blocksToGo()).to.equal(BigInt(unlockBlock - height - 5));
    await mine(100);
    expect(await timelock.blocksToGo()).to.equal(0n);
  });
});
