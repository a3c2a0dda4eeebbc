// Hardhat 3 interop: runs the fixture project's own tests (test/fixtures/hh3-project, node:test
// via `hardhat test nodejs`, @nomicfoundation/hardhat-node-test-runner) against an in-process Bitlayer devnet, as a Node 22 child process.

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunResult, runCli, useDevnetServer } from "./project-runner.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled file: packages/plugins/dist/test/; source: packages/plugins/test/. */
const fixtureDir = [resolve(here, "../../test/fixtures/hh3-project"), resolve(here, "fixtures/hh3-project")].find((dir) =>
  existsSync(join(dir, "hardhat.config.ts")),
);

const require = createRequire(import.meta.url);
const hardhatPkgFile = require.resolve("hardhat/package.json");
const hardhatPkg = JSON.parse(readFileSync(hardhatPkgFile, "utf8")) as { version: string; bin: { hardhat: string } };
const hardhatCli = join(dirname(hardhatPkgFile), hardhatPkg.bin.hardhat);

function runHardhat(args: string[], env: Record<string, string>): Promise<RunResult> {
  return runCli(hardhatCli, fixtureDir, args, env);
}

function explain(r: RunResult): string {
  let hint = "";
  if (r.output.includes("HHE27")) {
    hint =
      "\nHINT: EDR's native package (@nomicfoundation/edr-<platform>) is missing: npm skipped it because" +
      " the install ran on Node 20 (it declares node >= 22). Run `npm install` again: its prepare step adds it with Node 22.";
  } else if (r.output.includes("HHE60015")) {
    hint =
      "\nHINT: hardhat-network-helpers only accept a node whose web3_clientVersion starts with" +
      ' "hardhat", "anvil" or "zksync" (case-insensitive).';
  }
  return `exit code ${r.code}${hint}\n--- hardhat output ---\n${r.output}`;
}

describe("Hardhat 3 project against the devnet", function () {
  this.timeout(300_000);

  const server = useDevnetServer();

  it("runs on Node 22.13 or later (Hardhat 3 refuses Node 20)", () => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    assert.ok(
      major > 22 || (major === 22 && minor >= 13),
      `mocha runs on Node ${process.versions.node}: put /work/main/node_modules/.bin first in PATH`,
    );
    assert.ok(fixtureDir, "fixture project found");
    assert.equal(hardhatPkg.version.split(".")[0], "3");
  });

  it("compiles the fixture offline with the solc npm package", async () => {
    const r = await runHardhat(["build", "--force"], {});
    assert.equal(r.code, 0, explain(r));
    assert.match(r.output, /Compiled 1 Solidity file with solc 0\.8\.28/, explain(r));
    const artifact = join(fixtureDir ?? "", "artifacts/contracts/Counter.sol/Counter.json");
    const { abi, bytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { abi: unknown[]; bytecode: string };
    assert.ok(abi.length > 0);
    assert.match(bytecode, /^0x60/);
  });

  it("passes the fixture's Hardhat tests (ethers, network helpers) on the devnet", async () => {
    const r = await runHardhat(["test", "nodejs", "--network", "devnet"], { BITLAYER_RPC_URL: server().url });
    assert.equal(r.code, 0, explain(r));
    for (const name of [
      "deploys the contract and calls it",
      "surfaces revert reasons and custom errors",
      "time.increase moves the block timestamp by the increase",
      "mine(n) moves the block number by n",
      "loadFixture reverts state on its second use",
      "sends a transaction signed by Hardhat (local accounts)",
    ]) {
      assert.ok(r.output.includes(`✔ ${name}`), `"${name}" did not pass\n${explain(r)}`);
    }
    assert.match(r.output, /\b6 passing\b/, explain(r));
    assert.doesNotMatch(r.output, /\bfailing\b/, explain(r));
  });
});
