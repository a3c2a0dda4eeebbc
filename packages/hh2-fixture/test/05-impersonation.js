// impersonateAccount on a contract: a transaction it sends to itself runs its code.

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { impersonateAccount, setBalance, stopImpersonatingAccount } = require("@nomicfoundation/hardhat-network-helpers");

describe("impersonateAccount", () => {
  it("a contract impersonated sends a transaction to itself, and its code runs", async () => {
    const selfCaller = await ethers.deployContract("SelfCaller");
    await selfCaller.waitForDeployment();
    const address = await selfCaller.getAddress();
    await expect(selfCaller.poke()).to.be.revertedWithCustomError(selfCaller, "OnlySelf");

    await setBalance(address, ethers.parseEther("10"));
    await impersonateAccount(address);
    try {
      const asItself = await ethers.getSigner(address);
      await expect(selfCaller.connect(asItself).poke()).to.emit(selfCaller, "Poked").withArgs(address, 1n);
      expect(await selfCaller.pokes()).to.equal(1n);
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
    } finally {
      await stopImpersonatingAccount(address);
    }
  });

  it("an impersonated account that is not a dev account sends ether", async () => {
    const [funder] = await ethers.getSigners();
    const whale = "0x000000000000000000000000000000000000bEEF";
    await setBalance(whale, ethers.parseEther("5"));
    await impersonateAccount(whale);
    try {
      const signer = await ethers.getSigner(whale);
      await expect(signer.sendTransaction({ to: funder.address, value: ethers.parseEther("1") })).to.changeEtherBalances(
        [signer, funder],
        [-ethers.parseEther("1"), ethers.parseEther("1")],
        { includeFee: false },
      );
    } finally {
      await stopImpersonatingAccount(whale);
    }
  });
});
