// hardhat-network-helpers that change the next blocks: time.increase, setNextBlockBaseFeePerGas,
// setCoinbase, setBlockGasLimit. Each is checked on the mined block and on what a contract saw.

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, setBlockGasLimit, setCoinbase, setNextBlockBaseFeePerGas, time } = require("@nomicfoundation/hardhat-network-helpers");

async function deployBlockEnv() {
  const env = await ethers.deployContract("BlockEnv");
  await env.waitForDeployment();
  return { env };
}

async function latestBlock() {
  const block = await ethers.provider.getBlock("latest");
  expect(block).to.not.equal(null);
  return block;
}

describe("network helpers", () => {
  it("time.increase mines a block that much later and returns its timestamp", async () => {
    const before = await time.latest();
    const returned = await time.increase(hours(5));
    expect(returned).to.equal(before + hours(5));
    expect((await latestBlock()).timestamp).to.equal(before + hours(5));
  });

  it("setNextBlockBaseFeePerGas: the next block's base fee and block.basefee", async () => {
    const { env } = await loadFixture(deployBlockEnv);
    const fee = 12_345n;
    await setNextBlockBaseFeePerGas(fee);
    const seen = await record(env);
    expect((await latestBlock()).baseFeePerGas).to.equal(fee);
    expect(seen.baseFee).to.equal(fee);
  });

  it("setCoinbase: the next blocks' miner and block.coinbase", async () => {
    const { env } = await loadFixture(deployBlockEnv);
    const coinbase = "0x00000000000000000000000000000000c014ba5e";
    await setCoinbase(coinbase);
    const seen = await record(env);
    expect((await latestBlock()).miner).to.equal(ethers.getAddress(coinbase));
    expect(seen.coinbase).to.equal(ethers.getAddress(coinbase));
  });

  it("setBlockGasLimit: the next blocks' gas limit and block.gaslimit", async () => {
    const { env } = await loadFixture(deployBlockEnv);
    await setBlockGasLimit(25_000_000);
    const seen = await record(env);
    expect((await latestBlock()).gasLimit).to.equal(25_000_000n);
    expect(seen.gasLimit).to.equal(25_000_000n);
  });
});

/** Sends BlockEnv.record() and returns what the contract saw in its block. */
async function record(env) {
  const receipt = await (await env.record()).wait();
  const [log] = receipt.logs.map((l) => env.interface.parseLog(l)).filter((l) => l?.name === "Seen");
  expect(log, "a Seen event").to.not.equal(undefined);
  expect(log.args.number).to.equal(BigInt(receipt.blockNumber));
  return log.args;
}

function hours(n) {
  return n * 3600;
}
