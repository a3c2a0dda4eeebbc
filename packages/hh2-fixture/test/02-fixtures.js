// loadFixture: the fixture runs once, later uses revert the chain to the snapshot taken after it.

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-network-helpers");

async function deployFundedVault() {
  const [owner, alice] = await ethers.getSigners();
  const vault = await ethers.deployContract("Vault");
  await vault.waitForDeployment();
  await (await vault.connect(alice).deposit({ value: ethers.parseEther("1") })).wait();
  return { vault, owner, alice };
}

describe("loadFixture", () => {
  it("reverts state and block number to the snapshot on each later use", async () => {
    const first = await loadFixture(deployFundedVault);
    const address = await first.vault.getAddress();
    const snapshotBlock = await ethers.provider.getBlockNumber();
    expect(await ethers.provider.getBalance(address)).to.equal(ethers.parseEther("1"));

    await (await first.vault.connect(first.alice).deposit({ value: ethers.parseEther("2") })).wait();
    await (await first.vault.deposit({ value: ethers.parseEther("3") })).wait();
    expect(await ethers.provider.getBalance(address)).to.equal(ethers.parseEther("6"));
    expect(await ethers.provider.getBlockNumber()).to.equal(snapshotBlock + 2);

    const second = await loadFixture(deployFundedVault);
    expect(await second.vault.getAddress()).to.equal(address, "the same deployment, not a new one");
    expect(await ethers.provider.getBalance(address)).to.equal(ethers.parseEther("1"));
    expect(await second.vault.balanceOf(second.alice.address)).to.equal(ethers.parseEther("1"));
    expect(await ethers.provider.getBlockNumber()).to.equal(snapshotBlock);

    // Again: the snapshot is taken anew after each revert.
    await (await second.vault.connect(second.alice).withdraw(ethers.parseEther("1"))).wait();
    const third = await loadFixture(deployFundedVault);
    expect(await third.vault.balanceOf(third.alice.address)).to.equal(ethers.parseEther("1"));
  });
});
