// Foundry's `cast` against the devnet over HTTP: sends, calls, reverts, blocks, raw RPC.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { AbiCoder, getAddress, id, zeroPadValue } from "ethers";
import { foundryBin, repoRoot } from "./support/paths.js";
import { startTestDevnet, type TestDevnet } from "./support/server.js";
import { getContract } from "./support/solc.js";

/** First account of the standard "test test ... junk" mnemonic. */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

interface CastResult {
  code: number;
  stdout: string;
  stderr: string;
}

const castBin = foundryBin("cast");

function runCast(args: string[]): Promise<CastResult> {
  return new Promise((resolve, reject) => {
    execFile(
      castBin,
      args,
      { cwd: repoRoot, timeout: 30_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") {
          reject(new Error(`cast ${args.join(" ")} could not run: ${err.message}\n${stderr}`));
          return;
        }
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs cast and expects success; returns stdout trimmed. */
async function cast(...args: string[]): Promise<string> {
  const r = await runCast(args);
  if (r.code !== 0) {
    throw new Error(`cast ${args.join(" ")} exited with ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r.stdout.trim();
}

/** Runs cast and expects failure; returns the whole output (stdout + stderr). */
async function castFails(...args: string[]): Promise<string> {
  const r = await runCast(args);
  assert.notEqual(r.code, 0, `cast ${args.join(" ")} should have failed but printed:\n${r.stdout}`);
  return `${r.stdout}\n${r.stderr}`;
}

interface Receipt {
  status: string;
  transactionHash: string;
  blockNumber: string;
  blockHash: string;
  gasUsed: string;
  effectiveGasPrice: string;
  from: string;
  to: string | null;
  contractAddress: string | null;
  logs: { address: string; topics: string[]; data: string }[];
}

interface Block {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: unknown[];
}

describe("cast (Foundry) against the devnet", function () {
  this.timeout(120_000);

  let net: TestDevnet;
  let rpc: string;
  let counter: string;

  const request = <T>(method: string, params: unknown[] = []): Promise<T> => net.devnet.request({ method, params }) as Promise<T>;

  before(async () => {
    net = await startTestDevnet();
    rpc = net.url;
  });

  after(async () => {
    await net?.close();
  });

  it("reports the devnet chain id", async () => {
    const chainId = await cast("chain-id", "--rpc-url", rpc);
    assert.equal(BigInt(chainId), BigInt(await request<string>("eth_chainId")));
  });

  it("cast send transfers value", async () => {
    const to = "0x000000000000000000000000000000000000bEEF";
    const value = 1_500_000_000_000_000_000n;
    const before = BigInt(await request<string>("eth_getBalance", [DEV_ADDRESS, "latest"]));

    const out = await cast("send", "--private-key", DEV_KEY, "--rpc-url", rpc, "--json", to, "--value", value.toString());
    const receipt = JSON.parse(out) as Receipt;
    assert.equal(receipt.status, "0x1");
    assert.equal(getAddress(receipt.from), DEV_ADDRESS);
    assert.equal(getAddress(receipt.to ?? ""), getAddress(to));
    assert.equal(BigInt(receipt.gasUsed), 21_000n);

    assert.equal(await cast("balance", "--rpc-url", rpc, to), value.toString());
    const after = BigInt(await request<string>("eth_getBalance", [DEV_ADDRESS, "latest"]));
    const fee = BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice);
    assert.equal(before - after, value + fee, "sender pays value + gasUsed * effectiveGasPrice");

    const stored = await request<Receipt>("eth_getTransactionReceipt", [receipt.transactionHash]);
    assert.equal(stored.blockHash, receipt.blockHash);
    assert.equal(stored.status, "0x1");
  });

  it("cast send --create deploys a contract", async () => {
    const { bytecode } = getContract("Counter");
    const out = await cast("send", "--private-key", DEV_KEY, "--rpc-url", rpc, "--json", "--create", bytecode, "constructor(uint256)", "7");
    const receipt = JSON.parse(out) as Receipt;
    assert.equal(receipt.status, "0x1");
    assert.ok(receipt.contractAddress, "receipt has a contractAddress");
    counter = getAddress(receipt.contractAddress);

    const code = await cast("code", "--rpc-url", rpc, counter);
    assert.equal(code, getContract("Counter").deployedBytecode);
    assert.equal(await cast("call", "--rpc-url", rpc, counter, "count()(uint256)"), "7");
  });

  it("cast send calls a contract and cast call reads the state back", async () => {
    const out = await cast("send", "--private-key", DEV_KEY, "--rpc-url", rpc, "--json", counter, "incrementBy(uint256)", "35");
    const receipt = JSON.parse(out) as Receipt;
    assert.equal(receipt.status, "0x1");
    assert.equal(getAddress(receipt.to ?? ""), counter);

    // Incremented(address indexed by, uint256 indexed newCount, uint256 amount)
    assert.equal(receipt.logs.length, 1);
    const [log] = receipt.logs;
    assert.equal(getAddress(log.address), counter);
    assert.deepEqual(log.topics, [
      id("Incremented(address,uint256,uint256)"),
      zeroPadValue(DEV_ADDRESS, 32).toLowerCase(),
      AbiCoder.defaultAbiCoder().encode(["uint256"], [42]),
    ]);
    assert.equal(log.data, AbiCoder.defaultAbiCoder().encode(["uint256"], [35]));

    assert.equal(await cast("call", "--rpc-url", rpc, counter, "count()(uint256)"), "42");
    assert.equal(await cast("call", "--rpc-url", rpc, counter, "lastCaller()(address)"), DEV_ADDRESS);
    assert.equal(await cast("call", "--rpc-url", rpc, counter, "divide(uint256)(uint256)", "6"), "7");

    const logs = await request<{ transactionHash: string; topics: string[] }[]>("eth_getLogs", [
      { address: counter, fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber },
    ]);
    assert.equal(logs.length, 1);
    assert.equal(logs[0].transactionHash, receipt.transactionHash);
  });

  it("cast call surfaces a require() revert reason", async () => {
    const out = await castFails("call", "--rpc-url", rpc, counter, "incrementBy(uint256)", "0");
    assert.match(out, /amount must be positive/);
    // Error(string) selector + ABI-encoded reason, as the error's data.
    const data = `0x08c379a0${AbiCoder.defaultAbiCoder().encode(["string"], ["amount must be positive"]).slice(2)}`;
    assert.ok(out.includes(data), `revert data ${data} not in:\n${out}`);
  });

  it("cast call surfaces a custom error with its arguments", async () => {
    const out = await castFails("call", "--rpc-url", rpc, counter, "incrementBy(uint256)", "5000");
    const data =
      id("TooLarge(uint256,uint256)").slice(0, 10) + AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [5000, 1000]).slice(2);
    assert.ok(out.includes(data), `revert data ${data} not in:\n${out}`);
  });

  it("cast call surfaces a panic (division by zero, assert)", async () => {
    const div = await castFails("call", "--rpc-url", rpc, counter, "divide(uint256)", "0");
    assert.ok(div.includes("0x4e487b71" + "12".padStart(64, "0")), `panic 0x12 not in:\n${div}`);
    const asrt = await castFails("call", "--rpc-url", rpc, counter, "assertCount(uint256)", "1");
    assert.ok(asrt.includes("0x4e487b71" + "01".padStart(64, "0")), `panic 0x01 not in:\n${asrt}`);
  });

  it("cast send refuses a reverting transaction at gas estimation, with the reason", async () => {
    const before = await request<string>("eth_blockNumber");
    const out = await castFails("send", "--private-key", DEV_KEY, "--rpc-url", rpc, counter, "incrementBy(uint256)", "0");
    assert.match(out, /amount must be positive/);
    assert.equal(await request<string>("eth_blockNumber"), before, "no block mined for a refused transaction");
  });

  it("cast block latest prints the block eth_getBlockByNumber returns", async () => {
    const expected = await request<Block>("eth_getBlockByNumber", ["latest", false]);
    assert.ok(BigInt(expected.number) > 0n, "blocks were mined by the sends");

    const json = JSON.parse(await cast("block", "--rpc-url", rpc, "--json", "latest")) as Block;
    assert.equal(json.number, expected.number);
    assert.equal(json.hash, expected.hash);
    assert.equal(json.parentHash, expected.parentHash);
    assert.equal(json.timestamp, expected.timestamp);

    // Human-readable form: "number   N" and "hash   0x…" lines.
    const text = await cast("block", "--rpc-url", rpc, "latest");
    const field = (name: string): string | undefined =>
      text
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .find((p) => p[0] === name)?.[1];
    assert.equal(field("number"), BigInt(expected.number).toString());
    assert.equal(field("hash"), expected.hash);

    assert.equal(await cast("block-number", "--rpc-url", rpc), BigInt(expected.number).toString());
    // By number, too.
    const byNumber = JSON.parse(await cast("block", "--rpc-url", rpc, "--json", BigInt(expected.number).toString())) as Block;
    assert.equal(byNumber.hash, expected.hash);
  });

  it("cast rpc evm_mine mines a block", async () => {
    const before = await request<Block>("eth_getBlockByNumber", ["latest", false]);
    await cast("rpc", "--rpc-url", rpc, "evm_mine");
    const after = await request<Block>("eth_getBlockByNumber", ["latest", false]);
    assert.equal(BigInt(after.number), BigInt(before.number) + 1n);
    assert.equal(after.parentHash, before.hash);
    assert.equal(after.transactions.length, 0);
    assert.equal(await cast("block-number", "--rpc-url", rpc), BigInt(after.number).toString());

    // Raw RPC through cast returns the JSON result.
    const raw = JSON.parse(await cast("rpc", "--rpc-url", rpc, "eth_blockNumber")) as string;
    assert.equal(BigInt(raw), BigInt(after.number));
  });
});
