// The Hardhat 2 plugin (@bitlayer/plugins/hardhat2) in a real Hardhat 2 project, packages/hh2-fixture, run with Hardhat
// 2's CLI as a child process: compile with the solc npm package (nothing downloaded), the plugin's scenarios on its
// in-process devnet (network `bitlayer`), the helpers on Hardhat's own network (not the devnet), and the project's
// interop suite (ethers, hardhat-chai-matchers, hardhat-network-helpers) on every network: Hardhat's own (the control
// that the suite itself is right), the in-process devnet, and a devnet over HTTP as `localhost` then as `running`,
// twice in a row on one devnet (the suite ends with reset()).
// The fixture is its own npm workspace member so that Hardhat 2 and its plugins are nested under it,
// apart from the Hardhat 3 of this package.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { explain, filesUnder, type RunResult, runCli, useDevnetServer } from "./project-runner.js";

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

/** The fixture's interop tests, each of which must pass on every network. */
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

/** test/10-bitlayer.js: the plugin on its in-process devnet (skipped elsewhere). */
const DEVNET_TESTS = [
  "runs on an in-process devnet, with hre.bitlayer",
  "deploys a contract and sees soft finality, then hard finality with warp",
  "withdraws and sees the Bitcoin payout",
  "injectFraud halts the L2, a send is refused, recover resumes it",
  "takeSnapshot / restore bring back both chains",
  "loadFixture reverts both chains on its second use",
];

/** test/11-plain-network.js: hre.bitlayer on Hardhat's own network (skipped elsewhere). */
const PLAIN_NETWORK_TESTS = [
  "is not the devnet, and has no in-process devnet",
  "refuses time travel, fraud, Bitcoin mining, the watcher and recover with NOT_A_DEVNET, changing nothing",
  "reports a mined transaction's finality from its receipt and the finalized tag",
  "bad input is a typed error: unknown transaction, bad duration, wrong level",
];

let cacheHome = "";

function runHardhat(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  // A fresh, empty cache: a compiler download would land in it.
  return runCli(hardhat2().cli, fixtureDir, args, { HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", XDG_CACHE_HOME: cacheHome, ...env });
}

/** Asserts that exactly `passing` tests passed (by name), none failed, and the rest of the fixture's were skipped. */
function assertSuitePassed(r: RunResult, passing: string[]): void {
  const failed = passing.filter((name) => !r.output.includes(`✔ ${name}`));
  assert.deepEqual(failed, [], `fixture tests that did not pass:\n${explain(r)}`);
  assert.match(r.output, new RegExp(`\\b${passing.length} passing\\b`), explain(r));
  const skipped = FIXTURE_TESTS.length + DEVNET_TESTS.length + PLAIN_NETWORK_TESTS.length - passing.length;
  assert.match(r.output, new RegExp(`\\b${skipped} pending\\b`), explain(r));
  assert.doesNotMatch(r.output, /\b\d+ failing\b/, explain(r));
  assert.equal(r.code, 0, explain(r));
}

/** Runs Hardhat 2 in the fixture with another config file (written for the run, then removed). */
async function withConfig(source: string, args: string[]): Promise<RunResult> {
  const file = join(fixtureDir ?? "", "other.config.js");
  writeFileSync(file, `${source}\n`);
  try {
    return await runHardhat(["--config", file, ...args]);
  } finally {
    rmSync(file, { force: true });
  }
}

describe("Hardhat 2 plugin (@bitlayer/plugins/hardhat2) in a project", function () {
  this.timeout(300_000);

  const server = useDevnetServer();

  before(() => {
    cacheHome = mkdtempSync(join(tmpdir(), "bitlayer-hh2-cache-"));
  });

  after(() => {
    if (cacheHome) rmSync(cacheHome, { recursive: true, force: true });
  });

  it("uses Hardhat 2 from the fixture's own node_modules", () => {
    assert.equal(hardhat2().version.split(".")[0], "2");
  });

  it("compiles with the solc npm package through the plugin, downloading nothing", async () => {
    const r = await runHardhat(["compile", "--force"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.output, /Compiled 4 Solidity files successfully/, explain(r));
    assert.doesNotMatch(r.output, /download/i, explain(r));
    assert.deepEqual(filesUnder(cacheHome), [], "nothing (no compiler, no compiler list) was downloaded into the cache");
    const artifact = join(fixtureDir ?? "", "artifacts/contracts/Timelock.sol/Timelock.json");
    const { bytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { bytecode: string };
    assert.match(bytecode, /^0x60/);
    const buildInfo = readdirSync(join(fixtureDir ?? "", "artifacts/build-info"))[0];
    const { solcLongVersion } = JSON.parse(readFileSync(join(fixtureDir ?? "", "artifacts/build-info", buildInfo), "utf8")) as {
      solcLongVersion: string;
    };
    assert.equal(solcLongVersion, "0.8.28+commit.7893614a");
  });

  it("a solidity version other than the solc package's is a clear error, before anything runs", async () => {
    const r = await runHardhat(["compile", "--force"], { SOLC_VERSION: "0.8.20" });
    assert.notEqual(r.code, 0, explain(r));
    assert.match(r.output, /solc npm package, which is solc 0\.8\.28, but this compiler asks for 0\.8\.20/, explain(r));
    assert.match(r.output, /npm install --save-dev solc@0\.8\.20/, explain(r));
  });

  it("with no solidity config, compiles with the solc package's version (not Hardhat 2's default, a download)", async () => {
    const out = mkdtempSync(join(tmpdir(), "bitlayer-hh2-out-"));
    try {
      const r = await withConfig(
        `require("@bitlayer/plugins/hardhat2");
module.exports = { paths: { artifacts: ${JSON.stringify(join(out, "artifacts"))}, cache: ${JSON.stringify(join(out, "cache"))} } };`,
        ["compile"],
      );
      assert.equal(r.code, 0, explain(r));
      assert.match(r.output, /Compiled 4 Solidity files successfully/, explain(r));
      assert.deepEqual(filesUnder(cacheHome), [], "nothing was downloaded");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("a bad bitlayer key on a network is a config error naming every problem", async () => {
    const r = await withConfig(
      `require("@bitlayer/plugins/hardhat2");
module.exports = {
  solidity: "0.8.28",
  networks: {
    both: { url: "http://127.0.0.1:8545", bitlayer: { devnet: true } },
    odd: { url: "http://127.0.0.1:8545", bitlayer: { devnet: "yes", fast: true } },
    hardhat: { bitlayer: { devnet: true } },
  },
};`,
      ["compile"],
    );
    assert.notEqual(r.code, 0, explain(r));
    assert.match(r.output, /networks\.both\.url: A network with bitlayer: \{ devnet: true \} runs its devnet in process/, explain(r));
    assert.match(r.output, /networks\.odd\.bitlayer\.fast: Unknown key "fast"/, explain(r));
    assert.match(r.output, /networks\.odd\.bitlayer\.devnet: Expected a boolean/, explain(r));
    assert.match(r.output, /networks\.hardhat\.bitlayer: The bitlayer key goes on a network of type "http"/, explain(r));
  });

  it("required where Hardhat 3 runs, it says to use @bitlayer/plugins/hardhat instead", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-hh2-entry-"));
    try {
      const script = join(dir, "load.cjs");
      writeFileSync(script, `require(${JSON.stringify(resolve(here, "../src/hardhat2/index.js"))});\n`);
      const r = await runCli(script, resolve(here, "../../../.."), []); // the repository's root resolves Hardhat 3
      assert.notEqual(r.code, 0, explain(r));
      assert.match(
        r.output,
        /no Hardhat 2 runs here \(found hardhat 3\.\d+\.\d+ at [^)]+\)\. With Hardhat 3, add @bitlayer\/plugins\/hardhat/,
        explain(r),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the fixture type-checks: hre.bitlayer and the networks' bitlayer key typed through Hardhat 2's types", async () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const r = await runCli(tsc, fixtureDir, ["-p", "."]);
    assert.equal(r.code, 0, `tsc: ${r.output}`);
  });

  it("the plugin's scenarios and the interop suite pass on its in-process devnet (network `bitlayer`)", async () => {
    assertSuitePassed(await runHardhat(["test", "--no-compile", "--network", "bitlayer"]), [...FIXTURE_TESTS, ...DEVNET_TESTS]);
  });

  it("control: on Hardhat 2's own network the interop suite passes and hre.bitlayer refuses what needs the devnet", async () => {
    assertSuitePassed(await runHardhat(["test", "--no-compile"]), [...FIXTURE_TESTS, ...PLAIN_NETWORK_TESTS]);
  });

  it("passes on a devnet over HTTP as the network `localhost` (hardhat-ethers sends without estimating)", async () => {
    assertSuitePassed(
      await runHardhat(["test", "--no-compile", "--network", "localhost"], { BITLAYER_RPC_URL: server().url }),
      FIXTURE_TESTS,
    );
  });

  it("passes again, on the same devnet, as the network `running` (estimates first)", async () => {
    assertSuitePassed(
      await runHardhat(["test", "--no-compile", "--network", "running"], { BITLAYER_RPC_URL: server().url }),
      FIXTURE_TESTS,
    );
  });
});
