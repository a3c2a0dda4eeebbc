// @bitlayer/plugins/hardhat2 on its in-process devnet (the network `bitlayer`): hre.bitlayer from deployment to hard
// finality, a withdrawal to its Bitcoin payout, a fraud halt, and snapshots of both chains. Skipped on other networks.

const { expect } = require("chai");
const hre = require("hardhat");
const { loadFixture, takeSnapshot } = require("@nomicfoundation/hardhat-network-helpers");

const { ethers, network, bitlayer } = hre;
const onDevnet = network.config.bitlayer?.devnet === true;

async function deployVault() {
  const vault = await ethers.deployContract("Vault");
  await vault.waitForDeployment();
  return vault;
}

(onDevnet ? describe : describe.skip)("Bitlayer plugin (Hardhat 2)", () => {
  it("runs on an in-process devnet, with hre.bitlayer", async () => {
    expect(await bitlayer.isDevnet()).to.equal(true);
    const devnet = await bitlayer.getDevnet();
    expect(devnet, "the in-process devnet is exposed").to.not.equal(undefined);
    expect(await devnet.request({ method: "eth_chainId" })).to.equal(await network.provider.send("eth_chainId"));
    expect((await bitlayer.getStatus()).halted).to.equal(null);
  });

  it("deploys a contract and sees soft finality, then hard finality with warp", async () => {
    const vault = await deployVault();
    const tx = await vault.deposit({ value: 1000n });
    const receipt = await tx.wait();
    expect(receipt.status).to.equal(1);

    const soft = await bitlayer.getFinality(tx.hash);
    expect(soft.level).to.equal("soft");
    expect(soft.blockNumber).to.equal(ethers.toQuantity(receipt.blockNumber));
    const hard = await bitlayer.waitForFinality(tx.hash, "hard", { warp: true });
    expect(hard.level).to.equal("hard");
    expect((await bitlayer.getFinality(tx.hash)).level).to.equal("hard");
  });

  it("withdraws and sees the Bitcoin payout", async () => {
    const [signer] = await ethers.getSigners();
    const devnet = await bitlayer.getDevnet();
    const btcAddress = await devnet.bitcoinRequest("getnewaddress");
    const { withdrawalId } = await bitlayer.withdraw({ from: signer.address, btcAddress, amountSats: 100_000 });
    expect((await bitlayer.getWithdrawal(withdrawalId)).status).to.equal("initiated");

    const { payment, withdrawal } = await bitlayer.waitForPayout(withdrawalId, { warp: true });
    expect(withdrawal.status).to.equal("paid");
    const btcTx = await devnet.bitcoinRequest("getrawtransaction", [payment.txid, true]);
    const out = btcTx.vout.find((o) => o.scriptPubKey.address === btcAddress);
    expect(out, "an output pays the address").to.not.equal(undefined);
    expect(Math.round(out.value * 1e8)).to.equal(100_000 - 1000);
  });

  it("injectFraud halts the L2, a send is refused, recover resumes it", async () => {
    const vault = await deployVault();
    await bitlayer.injectFraud();
    await (await vault.deposit({ value: 1n })).wait();
    await bitlayer.mineBitcoin(5); // claim, challenge, assert, disprove
    expect((await bitlayer.getStatus()).halted, "the L2 is halted").to.not.equal(null);

    await expect(vault.deposit({ value: 1n })).to.be.rejectedWith(/halt/i);

    await bitlayer.recover();
    expect((await bitlayer.getStatus()).halted).to.equal(null);
    const again = await vault.deposit({ value: 2n });
    await again.wait();
    expect((await bitlayer.getFinality(again.hash)).level).to.equal("soft");
  });

  it("takeSnapshot / restore bring back both chains", async () => {
    const before = await bitlayer.getStatus();
    const snapshot = await takeSnapshot();
    const vault = await deployVault();
    await bitlayer.warp("2h");
    await bitlayer.mineBitcoin(3);
    expect((await bitlayer.getStatus()).bitcoin.height).to.be.greaterThan(before.bitcoin.height);

    await snapshot.restore();
    const after = await bitlayer.getStatus();
    expect(after.bitcoin).to.deep.equal(before.bitcoin, "Bitcoin is back");
    expect(after.l2).to.deep.equal(before.l2, "the L2 heads are back");
    expect(await ethers.provider.getCode(await vault.getAddress())).to.equal("0x");
  });

  it("loadFixture reverts both chains on its second use", async () => {
    async function deployed() {
      return { vault: await deployVault(), status: await bitlayer.getStatus() };
    }
    const first = await loadFixture(deployed);
    await (await first.vault.deposit({ value: 5n })).wait();
    await bitlayer.mineBitcoin(2);

    const second = await loadFixture(deployed);
    expect(await ethers.provider.getBalance(await second.vault.getAddress())).to.equal(0n);
    const now = await bitlayer.getStatus();
    expect(now.bitcoin).to.deep.equal(first.status.bitcoin);
    expect(now.l2).to.deep.equal(first.status.l2);
  });
});
