// reset() is a fresh start in every way. Runs last (files run in name order), so a second run of
// this suite on the same node starts where the first one's reset left it.

const { expect } = require("chai");
const { ethers, network } = require("hardhat");
const {
  impersonateAccount,
  reset,
  setBalance,
  setBlockGasLimit,
  setCoinbase,
  setNextBlockBaseFeePerGas,
  takeSnapshot,
  time,
} = require("@nomicfoundation/hardhat-network-helpers");

const YEAR = 365 * 24 * 3600;

describe("reset", () => {
  it("undoes the clock, the mining mode, the next-block settings, impersonations and snapshots", async () => {
    const stranger = "0x000000000000000000000000000000000000dEaD";
    const coinbase = "0x0000000000000000000000000000000000c0ffee";
    const snapshot = await takeSnapshot();

    await time.increase(YEAR);
    await setCoinbase(coinbase);
    await setBlockGasLimit(20_000_000);
    await setNextBlockBaseFeePerGas(1n);
    await setBalance(stranger, ethers.parseEther("1"));
    await impersonateAccount(stranger);
    await network.provider.send("evm_setAutomine", [false]);

    await reset();

    expect(await ethers.provider.getBlockNumber()).to.equal(0);
    expect(await network.provider.send("hardhat_getAutomine")).to.equal(true);
    const wallClock = Math.floor(Date.now() / 1000);
    expect(await time.latest()).to.be.lessThan(wallClock + 600, "the year-long jump is gone");
    expect(await ethers.provider.getBalance(stranger)).to.equal(0n);
    await expect(snapshot.restore()).to.be.rejectedWith("Trying to restore an invalid snapshot.");

    // Automine is back on, and the next block has the node's defaults again.
    const env = await ethers.deployContract("BlockEnv");
    await env.waitForDeployment();
    const receipt = await (await env.record()).wait();
    const seen = env.interface.parseLog(receipt.logs[0]).args;
    expect(await ethers.provider.getBlockNumber()).to.equal(2);
    expect(seen.number).to.equal(2n);
    expect(seen.coinbase).to.not.equal(ethers.getAddress(coinbase));
    expect(seen.gasLimit).to.not.equal(20_000_000n);
    expect((await ethers.provider.getBlock(1)).baseFeePerGas).to.not.equal(1n);
    expect(await time.latest()).to.be.lessThan(wallClock + 600);

    // The impersonation is gone: the stranger (funded again) cannot send.
    await setBalance(stranger, ethers.parseEther("1"));
    const signer = await ethers.getSigner(stranger);
    await expect(signer.sendTransaction({ to: stranger, value: 1n })).to.be.rejected;
  });
});
