// Hardhat 2 interop: runs the fixture project's own mocha suite (packages/hh2-fixture: ethers,
// hardhat-chai-matchers, hardhat-network-helpers) with Hardhat 2's CLI, as a child process, against
// an in-process Bitlayer devnet: as the network `localhost`, then as `bitlayer`, twice in a row on
// one devnet (the suite ends with reset()). A run on Hardhat's own in-process network is the control
// that the suite itself is right.
// The fixture is its own npm workspace member so that Hardhat 2 and its plugins are nested under it,
// apart from the Hardhat 3 of this package.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunResult, runCli, useDevnetServer } from "./project-runner.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled file: packages/plugins/dist/test/; source: packages/plugins/test/. */
const fixtureDir = [resolve(here, "../../../hh2-fixture"), resolve(here, "../../hh2-fixture")].find((dir) =>
  existsSync(join(dir, "hardhat.config.js")),
);

/** Hardhat 2 as the fixture resolves it (nested in its node_modules), not the workspace's Hardhat 3. */
function hardhat2(): { version: string; cli: string } {
  assert.ok(fixtureDir, "fixture project packages/hh2-fixture found");
  const pkgFile = createRequire(join(fixtureDir, "package.json")).resolve("hardhat/package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { version: string; bin: { hardhat: string } };
  return { version: pkg.version, cli: join(dirname(pkgFile), pkg.bin.hardhat) };
}

/** The fixture's tests, each of which must pass on every network. */
const FIXTURE_TESTS = [
  "revertedWith: a transaction failing a require",
  "revertedWithCustomError: custom errors with their arguments",
  "revertedWithPanic: division by zero in a view",
  "a reverted transaction changes nothing; a successful one emits and moves ether",
  "reverts state and block number to the snapshot on each later use",
  "a view at latest sees the latest block's timestamp and number",
  "a view at pending sees the next block",
  "time.increase to one second before the unlock: locked at latest, unlocked for the next transaction",
  "time.increaseTo the unlock: unlocked at latest",
  "mine(n): block-number views count down by exactly n",
  "time.increase mines a block that much later and returns its timestamp",
  "setNextBlockBaseFeePerGas: the next block's base fee and block.basefee",
  "setCoinbase: the next blocks' miner and block.coinbase",
  "setBlockGasLimit: the next blocks' gas limit and block.gaslimit",
  "a contract impersonated sends a transaction to itself, and its code runs",
  "an impersonated account that is not a dev account sends ether",
  "undoes the clock, the mining mode, the next-block settings, impersonations and snapshots",
];

function runHardhat(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runCli(hardhat2().cli, fixtureDir, args, { HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...env });
}

function explain(r: RunResult): string {
  return `exit code ${r.code}\n--- hardhat output ---\n${r.output}`;
}

/** Asserts that every fixture test passed and none failed. */
function assertSuitePassed(r: RunResult): void {
  const failed = FIXTURE_TESTS.filter((name) => !r.output.includes(`✔ ${name}`));
  assert.deepEqual(failed, [], `fixture tests that did not pass:\n${explain(r)}`);
  assert.match(r.output, new RegExp(`\\b${FIXTURE_TESTS.length} passing\\b`), explain(r));
  assert.doesNotMatch(r.output, /\b\d+ failing\b/, explain(r));
  assert.equal(r.code, 0, explain(r));
}

describe("Hardhat 2 project against the devnet", function () {
  this.timeout(300_000);

  const server = useDevnetServer();

  it("uses Hardhat 2 from the fixture's own node_modules", () => {
    assert.equal(hardhat2().version.split(".")[0], "2");
  });

  it("compiles the fixture offline with the solc npm package", async () => {
    const r = await runHardhat(["compile", "--force"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.output, /Compiled 4 Solidity files successfully/, explain(r));
    const artifact = join(fixtureDir ?? "", "artifacts/contracts/Timelock.sol/Timelock.json");
    const { bytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { bytecode: string };
    assert.match(bytecode, /^0x60/);
  });

  it("control: the suite passes on Hardhat 2's own in-process network", async () => {
    assertSuitePassed(await runHardhat(["test", "--no-compile"]));
  });

  it("passes as the network `localhost` (hardhat-ethers sends without estimating)", async () => {
    assertSuitePassed(await runHardhat(["test", "--no-compile", "--network", "localhost"], { BITLAYER_RPC_URL: server().url }));
  });

  it("passes again, on the same devnet, as the network `bitlayer` (estimates first)", async () => {
    assertSuitePassed(await runHardhat(["test", "--no-compile", "--network", "bitlayer"], { BITLAYER_RPC_URL: server().url }));
  });
});
