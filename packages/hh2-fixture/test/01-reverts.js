// Reverts as hardhat-chai-matchers sees them. On `localhost` hardhat-ethers sends without an
// estimate (a fixed gas limit, because the node answers hardhat_metadata), so the node itself must
// answer a reverting send with an error that carries the revert data, as Hardhat's node does.

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-network-helpers");

async function deployVault() {
  const [owner, alice] = await ethers.getSigners();
  const vault = await ethers.deployContract("Vault");
  await vault.waitForDeployment();
  return { vault, owner, alice };
}

describe("Vault: reverts through hardhat-chai-matchers", () => {
  it("revertedWith: a transaction failing a require", async () => {
    const { vault } = await loadFixture(deployVault);
    await expect(vault.deposit({ value: 0 })).to.be.revertedWith("Vault: nothing to deposit");
    await expect(vault.deposit({ value: 0 })).to.be.revertedWith(/nothing to deposit/);
  });

  it("revertedWithCustomError: custom errors with their arguments", async () => {
    const { vault, alice } = await loadFixture(deployVault);
    await expect(vault.connect(alice).sweep(alice.address)).to.be.revertedWithCustomError(vault, "NotOwner").withArgs(alice.address);
    await expect(vault.withdraw(5n)).to.be.revertedWithCustomError(vault, "InsufficientBalance").withArgs(5n, 0n);
  });

  it("revertedWithPanic: division by zero in a view", async () => {
    const { vault } = await loadFixture(deployVault);
    await expect(vault.share(1n, 0n)).to.be.revertedWithPanic(0x12);
    expect(await vault.share(10n, 3n)).to.equal(3n);
  });

  it("a reverted transaction changes nothing; a successful one emits and moves ether", async () => {
    const { vault, alice } = await loadFixture(deployVault);
    const amount = ethers.parseEther("1");
    await expect(vault.connect(alice).withdraw(amount)).to.be.reverted;
    expect(await vault.balanceOf(alice.address)).to.equal(0n);

    await expect(vault.connect(alice).deposit({ value: amount }))
      .to.emit(vault, "Deposited")
      .withArgs(alice.address, amount);
    await expect(vault.connect(alice).withdraw(amount)).to.changeEtherBalances([alice, vault], [amount, -amount]);
    await expect(vault.connect(alice).withdraw(1n)).to.be.revertedWithCustomError(vault, "InsufficientBalance").withArgs(1n, 0n);
  });
});
