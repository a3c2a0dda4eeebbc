// The Hardhat 3 plugin (@bitlayer/plugins/hardhat) in a real project, test/fixtures/hh3-bitlayer, run as a Node 22
// child process: `hardhat build` compiles with the solc npm package (nothing downloaded, the compiler cache stays
// empty), `hardhat test mocha --network bitlayer` (Hardhat's mocha runner, @nomicfoundation/hardhat-mocha, with
// hardhat-ethers) passes on an in-process devnet and, in the same run, on a plain Hardhat network (edr-simulated)
// where the devnet-only helpers refuse, and a solidity version other than the solc package's is a clear config error.

import assert from "node:assert/strict";
import { executionAsyncId } from "node:async_hooks";
import diagnostics from "node:diagnostics_channel";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SOLC_VERSION_CACHE } from "../src/common/solc-version-cache.js";
import { explain, filesUnder, type RunResult, runCli, useDevnetServer } from "./project-runner.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Compiled file: packages/plugins/dist/test/; source: packages/plugins/test/. */
const packageDir = [resolve(here, "../.."), resolve(here, "..")].find((dir) => existsSync(join(dir, "test/fixtures/hh3-bitlayer")));
const fixtureDir = join(packageDir ?? "", "test/fixtures/hh3-bitlayer");

const require = createRequire(import.meta.url);
const hardhatPkgFile = require.resolve("hardhat/package.json");
const hardhatPkg = JSON.parse(readFileSync(hardhatPkgFile, "utf8")) as { version: string; bin: { hardhat: string } };
const hardhatCli = join(dirname(hardhatPkgFile), hardhatPkg.bin.hardhat);
const solcVersion = (JSON.parse(readFileSync(require.resolve("solc/package.json"), "utf8")) as { version: string }).version;

/** Whether Hardhat's EDR (a native binding, in an optional platform package for Node >= 22) loads, as Hardhat loads it. */
function edrLoads(): boolean {
  try {
    createRequire(hardhatPkgFile)("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

/** The fixture imports "@bitlayer/plugins/hardhat" as a user would: make that resolve to this package (this checkout). */
function linkThisPackage(): void {
  const link = join(fixtureDir, "node_modules/@bitlayer/plugins");
  rmSync(link, { force: true, recursive: false });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(relative(dirname(link), packageDir ?? ""), link, "dir");
}

let cacheHome = "";

function runHardhat(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  // A fresh, empty cache: a compiler download would land in it.
  return runCli(hardhatCli, fixtureDir, args, { XDG_CACHE_HOME: cacheHome, ...env });
}

describe("Hardhat 3 plugin (@bitlayer/plugins/hardhat) in a project", function () {
  this.timeout(300_000);

  before(() => {
    const [major, minor] = process.versions.node.split(".").map(Number);
    assert.ok(
      major > 22 || (major === 22 && minor >= 13),
      `mocha runs on Node ${process.versions.node}: put /work/main/node_modules/.bin first in PATH`,
    );
    assert.ok(packageDir, "fixture project found");
    assert.ok(
      edrLoads(),
      "Hardhat's native EDR binding does not load (Hardhat 3 needs it to build and test): its platform package " +
        "(e.g. @nomicfoundation/edr-linux-x64-gnu) is missing: run `npm install` again with Node 22 first in PATH",
    );
    linkThisPackage();
    cacheHome = mkdtempSync(join(tmpdir(), "bitlayer-hh3-cache-"));
  });

  after(() => {
    if (cacheHome) rmSync(cacheHome, { recursive: true, force: true });
  });

  it("hardhat build compiles with the solc npm package, downloading nothing", async () => {
    const r = await runHardhat(["build", "--force"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.output, new RegExp(`Compiled 1 Solidity file with solc ${solcVersion.replaceAll(".", "\\.")}`), explain(r));
    assert.doesNotMatch(r.output, /download/i, explain(r));
    const compilers = filesUnder(cacheHome).filter((f) => /compiler|solc|list\.json/i.test(f));
    assert.deepEqual(compilers, [], "no compiler (nor compiler list) was downloaded into the cache");
    const artifact = join(fixtureDir, "artifacts/contracts/Counter.sol/Counter.json");
    const { bytecode } = JSON.parse(readFileSync(artifact, "utf8")) as { bytecode: string };
    assert.match(bytecode, /^0x60/);
  });

  it("knows the solc package's long version from the cache folder: a run with nothing to compile does not load soljson.js", async () => {
    const cacheFile = join(fixtureDir, "cache", SOLC_VERSION_CACHE);
    rmSync(cacheFile, { force: true });
    // Hardhat's debug log names the compiler each time it loads one to ask its version.
    const debug = { DEBUG: "hardhat:core:solidity:build-system:compiler" };
    const loads = /Using custom compiler .*soljson\.js/;

    const first = await runHardhat(["build"], debug);
    assert.equal(first.code, 0, explain(first));
    assert.match(first.output, loads, `unknown yet: the compiler is asked\n${explain(first)}`);
    const entries = JSON.parse(readFileSync(cacheFile, "utf8")) as Record<string, { longVersion: string }>;
    const longVersions = Object.values(entries).map((e) => e.longVersion);
    assert.equal(longVersions.length, 1, JSON.stringify(entries));
    assert.match(longVersions[0], new RegExp(`^${solcVersion.replaceAll(".", "\\.")}\\+commit\\.[0-9a-f]{8}$`));

    const second = await runHardhat(["build"], debug);
    assert.equal(second.code, 0, explain(second));
    assert.doesNotMatch(second.output, loads, `known: soljson.js is not loaded\n${explain(second)}`);

    // Something to compile: the compiler loads then, and compiles as before.
    const forced = await runHardhat(["build", "--force"], debug);
    assert.equal(forced.code, 0, explain(forced));
    assert.match(forced.output, /Compiled 1 Solidity file with solc/, explain(forced));
    assert.match(forced.output, loads, explain(forced));
  });

  it("hardhat test mocha passes: deploy, finality, payout, fraud, snapshots on the devnet; refusals on a plain network", async () => {
    const r = await runHardhat(["test", "mocha", "--network", "bitlayer"]);
    assert.equal(r.code, 0, explain(r));
    assert.match(r.output, /Running Mocha tests/, explain(r));
    const suites: Record<string, string[]> = {
      "Bitlayer plugin (Hardhat 3)": [
        "runs on an in-process devnet, with connection.bitlayer",
        "deploys a contract and sees soft finality, then hard finality with warp",
        "withdraws and sees the Bitcoin payout",
        "injectFraud halts the L2, a send is refused, recover resumes it",
        "evm_snapshot / evm_revert restore both chains",
        "loadFixture reverts both chains on its second use",
        "a second connection gets its own devnet, stopped when it closes",
      ],
      "Bitlayer helpers on a plain Hardhat network (edr-simulated)": [
        "is not the devnet: connection.bitlayer.isDevnet() is false",
        "warp, warpChallengeWindow, injectFraud, mineBitcoin, setWatcher and recover refuse with NOT_A_DEVNET",
        "getFinality reports from the receipt, at the level EDR's block tags give (hard)",
        'waitForFinality(hash, "soft") resolves; with warp it is refused (NOT_A_DEVNET)',
        'an unknown transaction is UNKNOWN_TRANSACTION; warp("7 days") is INVALID_DURATION',
      ],
    };
    for (const [suite, names] of Object.entries(suites)) {
      assert.ok(r.output.includes(suite), `suite "${suite}" did not run\n${explain(r)}`);
      for (const name of names) assert.ok(r.output.includes(`✔ ${name}`), `"${name}" did not pass\n${explain(r)}`);
    }
    const count = Object.values(suites).flat().length;
    assert.match(r.output, new RegExp(`\\b${count} passing\\b`), explain(r));
    assert.doesNotMatch(r.output, /\b\d+ (failing|pending)\b/, explain(r));
  });

  it("the fixture type-checks: connection.bitlayer and the network's bitlayer key typed by Hardhat's type extension", async () => {
    const tsc = require.resolve("typescript/bin/tsc");
    const r = await runCli(tsc, fixtureDir, ["-p", "."]);
    assert.equal(r.code, 0, `tsc: ${r.output}`);
  });

  it("a solidity version other than the solc package's is a clear config error", async () => {
    const r = await runHardhat(["build", "--force"], { SOLC_VERSION: "0.8.20" });
    assert.notEqual(r.code, 0, explain(r));
    assert.match(r.output, new RegExp(`solc npm package.*solc ${solcVersion.replaceAll(".", "\\.")}.*asks for 0\\.8\\.20`), explain(r));
    assert.match(r.output, /npm install --save-dev solc@0\.8\.20/, explain(r));
  });
});

describe("Hardhat 3 plugin (@bitlayer/plugins/hardhat) in process", function () {
  this.timeout(60_000);

  const server = useDevnetServer();

  async function hreWith(networks: Record<string, unknown>) {
    const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
    const { default: bitlayer } = await import("../src/hardhat/index.js");
    return createHardhatRuntimeEnvironment(
      { plugins: [bitlayer], networks } as Parameters<typeof createHardhatRuntimeEnvironment>[0],
      {},
      packageDir,
    );
  }

  it("a running devnet over HTTP (url): connection.bitlayer talks to it", async () => {
    const hre = await hreWith({ running: { type: "http", chainType: "l1", url: server().url } });
    const conn = await hre.network.create("running");
    try {
      assert.equal(await conn.bitlayer.isDevnet(), true);
      assert.equal(conn.bitlayer.devnet, undefined, "not in process");
      assert.equal((await conn.bitlayer.getStatus()).halted, null);
    } finally {
      await conn.close();
    }
  });

  it("the in-process network starts a devnet on 127.0.0.1 per connection and stops it on close", async () => {
    // The bare marker (no url): what bitlayerInProcess() returns, less the placeholder url.
    const hre = await hreWith({ inproc: { type: "http", bitlayer: { devnet: true, options: { chainId: 31_337 } } } });
    const conn = await hre.network.create("inproc");
    const devnet = conn.bitlayer.devnet;
    assert.ok(devnet);
    assert.equal(devnet.chainId, 31_337n);
    assert.equal(await conn.provider.request({ method: "eth_chainId" }), "0x7a69");
    await conn.close();
    await assert.rejects(conn.provider.request({ method: "eth_chainId" }));
  });

  it("no promise hooks are left on once connections exist (the scope that hands a devnet to its connection is off)", async () => {
    // With async hooks on, a promise continuation runs under its own async id; with none, under 0. Hooks on make every
    // `await` in Hardhat and the devnet about twice as costly.
    const continuationId = async () => {
      await null;
      return executionAsyncId();
    };
    assert.equal(await continuationId(), 0, "something else in this process turned promise hooks on");
    const hre = await hreWith({ a: { type: "http", bitlayer: { devnet: true } }, b: { type: "http", bitlayer: { devnet: true } } });
    const [a, b] = await Promise.all([hre.network.create("a"), hre.network.create("b")]);
    try {
      assert.notEqual(a.bitlayer.devnet, b.bitlayer.devnet, "two connections created at once each get their devnet");
      assert.equal(await continuationId(), 0, "promise hooks stayed on after the connections were created");
      const c = await hre.network.create("a");
      await c.close();
      assert.equal(await continuationId(), 0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("in-process answers are the server's: same errors, fresh objects, Hardhat's chain-id check kept", async () => {
    const hre = await hreWith({
      inproc: { type: "http", bitlayer: { devnet: true } },
      running: { type: "http", chainType: "l1", url: server().url },
      mismatched: { type: "http", chainId: 1, bitlayer: { devnet: true } },
    });
    const inproc = await hre.network.create("inproc");
    const running = await hre.network.create("running");
    const mismatched = await hre.network.create("mismatched");
    try {
      const errorOf = async (conn: typeof inproc) => {
        await conn.provider.request({ method: "eth_blockNumber" }); // past Hardhat's first-request chain-id check
        const error = await conn.provider.request({ method: "eth_getBalance", params: ["0xzz", "latest"] }).then(
          () => assert.fail("a bad address was accepted"),
          (e: { code?: number; message?: string; data?: unknown }) => e,
        );
        return { code: error.code, message: error.message, data: error.data };
      };
      const inProcess = await errorOf(inproc);
      assert.equal(inProcess.code, -32602);
      assert.deepEqual(inProcess, await errorOf(running));

      const block = (await inproc.provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string };
      const hash = block.hash;
      block.hash = "changed by the caller";
      const again = (await inproc.provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: string };
      assert.equal(again.hash, hash);

      // Hardhat checks the configured chain id on a connection's first request: answering in process keeps that.
      for (let i = 0; i < 2; i++) await assert.rejects(mismatched.provider.request({ method: "eth_blockNumber" }), /chain/i);
    } finally {
      await Promise.all([inproc.close(), running.close(), mismatched.close()]);
    }
  });

  it("every request is answered in process, after Hardhat's own handlers (sender, gas, gas price, local accounts)", async () => {
    // Hardhat's HTTP client (undici) reports each request it makes: none may reach the devnets' servers.
    const httpRequests: string[] = [];
    const onRequest = (message: unknown) => {
      const request = (message as { request?: { origin?: unknown; path?: unknown } }).request;
      httpRequests.push(`${String(request?.origin)}${String(request?.path)}`);
    };
    diagnostics.subscribe("undici:request:create", onRequest);
    const key1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // the devnet's account #1
    const hre = await hreWith({
      multiplied: { type: "http", gasMultiplier: 2, bitlayer: { devnet: true } },
      local: { type: "http", accounts: [key1], bitlayer: { devnet: true } },
    });
    const multiplied = await hre.network.create("multiplied");
    const local = await hre.network.create("local");
    try {
      const request = (conn: typeof local, method: string, params: unknown[] = []) => conn.provider.request({ method, params });
      const [first, second] = (await request(multiplied, "eth_accounts")) as string[];
      // No sender, gas or fee: Hardhat's handlers fill them in, as they do before a request goes over HTTP.
      const history = (await request(multiplied, "eth_feeHistory", ["0x1", "latest", [50]])) as { baseFeePerGas: string[] };
      const hash = (await request(multiplied, "eth_sendTransaction", [{ to: second, value: "0x1" }])) as string;
      const tx = (await request(multiplied, "eth_getTransactionByHash", [hash])) as Record<string, string>;
      assert.equal(tx.from.toLowerCase(), first.toLowerCase(), "Hardhat's sender: the first account");
      assert.equal(BigInt(tx.gas), 2n * 21_000n, "Hardhat's gas: the estimate times gasMultiplier");
      assert.equal(BigInt(tx.maxFeePerGas), (BigInt(history.baseFeePerGas.at(-1) ?? "0x0") * 81n) / 64n, "Hardhat's fee");
      // Local accounts: Hardhat answers eth_accounts and signs; the devnet receives a raw transaction.
      const [signer] = (await request(local, "eth_accounts")) as string[];
      assert.equal(signer.toLowerCase(), "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
      const raw = (await request(local, "eth_sendTransaction", [{ from: signer, to: first, value: "0x2" }])) as string;
      const receipt = (await request(local, "eth_getTransactionReceipt", [raw])) as { status: string; from: string };
      assert.equal(receipt.status, "0x1");
      assert.equal(receipt.from.toLowerCase(), signer.toLowerCase());
      assert.deepEqual(httpRequests, [], "requests went to the devnet's HTTP server");
    } finally {
      diagnostics.unsubscribe("undici:request:create", onRequest);
      await Promise.all([multiplied.close(), local.close()]);
    }
  });

  it("presets: Bitlayer testnet (200810) and mainnet (200901) with their public RPCs", async () => {
    const { bitlayerNetworks } = await import("../src/hardhat/index.js");
    const hre = await hreWith({ ...bitlayerNetworks });
    const testnet = hre.config.networks.bitlayerTestnet;
    const mainnet = hre.config.networks.bitlayerMainnet;
    assert.equal(testnet.type, "http");
    assert.equal(mainnet.type, "http");
    if (testnet.type !== "http" || mainnet.type !== "http") return;
    assert.equal(testnet.chainId, 200810);
    assert.equal(await testnet.url.getUrl(), "https://testnet-rpc.bitlayer.org");
    assert.equal(mainnet.chainId, 200901);
    assert.equal(await mainnet.url.getUrl(), "https://rpc.bitlayer.org");
  });

  it("bad bitlayer config is a validation error: devnet with a url, an unknown key, a non-http network", async () => {
    await assert.rejects(hreWith({ both: { type: "http", url: "http://127.0.0.1:8545", bitlayer: { devnet: true } } }), /leave out url/);
    await assert.rejects(hreWith({ odd: { type: "http", bitlayer: { devnet: true, fast: true } } }), /Unknown key "fast"/);
    await assert.rejects(hreWith({ sim: { type: "edr-simulated", bitlayer: { devnet: true } } }), /network of type "http"/);
  });
});
