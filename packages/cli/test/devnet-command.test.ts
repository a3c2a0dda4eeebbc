import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Interface } from "ethers";
import { BIN, rpc, startDevnet, stop } from "./devnet-helpers.js";

const run = promisify(execFile);

/** A Node stack trace line ("    at fn (file:line:col)"). */
const STACK_LINE = /^\s+at \S/m;

describe("bitlayer devnet (CLI)", function () {
  this.timeout(60_000);

  it("prints the chain id, RPC URL, the 20 dev accounts with keys, and the public-keys warning", async () => {
    const { child, url, output } = await startDevnet([]);
    try {
      const text = output();
      assert.match(text, /Chain id: +202601/);
      assert.match(text, /RPC: +http:\/\/127\.0\.0\.1:\d+/);
      assert.equal((text.match(/^Account #\d+: 0x[0-9a-fA-F]{40} \(10000 BTC\)$/gm) ?? []).length, 20);
      assert.match(text, /Private Key: 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80/);
      assert.match(text, /publicly known/);
      assert.equal(await rpc(url, "eth_chainId"), "0x31769");
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  it("applies its flags (chain id, account count, balance, manual mining)", async () => {
    const { child, url } = await startDevnet(["--chain-id", "777", "--accounts", "3", "--balance", "1.5", "--no-automine", "--silent"]);
    try {
      assert.equal(await rpc(url, "eth_chainId"), "0x309");
      const accounts = (await rpc(url, "eth_accounts")) as string[];
      assert.equal(accounts.length, 3);
      assert.equal(BigInt((await rpc(url, "eth_getBalance", [accounts[0], "latest"])) as string), 15n * 10n ** 17n);
      assert.equal(await rpc(url, "hardhat_getAutomine"), false);
    } finally {
      await stop(child);
    }
  });

  it("a failed send answers Hardhat's error by default, its hash with --no-failed-tx-errors (status-0 receipt either way)", async () => {
    /** Sends a transaction to code 0xfe (INVALID): it is mined and fails. */
    async function sendFailing(url: string): Promise<{ hash: string; error?: { code: number; data?: { code?: string } } }> {
      const burner = "0x0000000000000000000000000000000000000fe0";
      await rpc(url, "hardhat_setCode", [burner, "0xfe"]);
      const from = ((await rpc(url, "eth_accounts")) as string[])[0];
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendTransaction", params: [{ from, to: burner, gas: "0x186a0" }] }),
      });
      const body = (await res.json()) as { result?: string; error?: { code: number; data?: { code?: string; txHash?: string } } };
      const hash = body.result ?? body.error?.data?.txHash;
      assert.ok(hash, JSON.stringify(body));
      const receipt = (await rpc(url, "eth_getTransactionReceipt", [hash])) as { status: string };
      assert.equal(receipt.status, "0x0", "mined, status 0");
      return { hash, error: body.error };
    }
    const hardhat = await startDevnet(["--silent"]);
    try {
      const { error } = await sendFailing(hardhat.url);
      assert.equal(error?.code, -32000);
      assert.equal(error?.data?.code, "TRANSACTION_FAILED");
    } finally {
      await stop(hardhat.child);
    }
    const plain = await startDevnet(["--silent", "--no-failed-tx-errors"]);
    try {
      const { error } = await sendFailing(plain.url);
      assert.equal(error, undefined, "the send answers the hash");
    } finally {
      await stop(plain.child);
    }
  });

  it("saves --state on exit and resumes from it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-cli-"));
    const file = join(dir, "state.json");
    const first = await startDevnet(["--state", file, "--timestamp", "1700000000", "--silent"]);
    await rpc(first.url, "hardhat_mine", ["0x5"]);
    await rpc(first.url, "hardhat_setBalance", ["0x00000000000000000000000000000000000000aa", "0x1234"]);
    const hash = ((await rpc(first.url, "eth_getBlockByNumber", ["0x5", false])) as { hash: string }).hash;
    assert.equal(await stop(first.child), 0);
    assert.match(readFileSync(file, "utf8"), /bitlayer-devnet-state/);
    const second = await startDevnet(["--state", file, "--timestamp", "1700000000", "--silent"]);
    try {
      assert.equal(await rpc(second.url, "eth_blockNumber"), "0x5");
      assert.equal(((await rpc(second.url, "eth_getBlockByNumber", ["0x5", false])) as { hash: string }).hash, hash);
      assert.equal(await rpc(second.url, "eth_getBalance", ["0x00000000000000000000000000000000000000aa", "latest"]), "0x1234");
    } finally {
      await stop(second.child);
    }
  });

  it("refuses a corrupt --state file with one readable line, a non-zero exit, and leaves the file untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-cli-"));
    const file = join(dir, "state.json");
    writeFileSync(file, '{"format":"bitlayer-devnet-state", "version": 1, "blocks": [');
    const before = readFileSync(file);
    await assert.rejects(run(process.execPath, [BIN, "devnet", "--port", "0", "--state", file]), (e: { code: number; stderr: string }) => {
      assert.notEqual(e.code, 0);
      assert.match(e.stderr, /state file .* is not valid JSON/);
      assert.equal(e.stderr.trim().split("\n").length, 1);
      return true;
    });
    assert.deepEqual(readFileSync(file), before);
  });

  it("prints Solidity console.log lines of mined transactions, as Hardhat's node does", async () => {
    const { child, url, output } = await startDevnet([]);
    try {
      const [from] = (await rpc(url, "eth_accounts")) as string[];
      // What console.sol's log(string, uint256) sends, straight to the console address.
      const data = new Interface(["function log(string, uint256)"]).encodeFunctionData("log", ["minted %d tokens", 42]);
      await rpc(url, "eth_sendTransaction", [{ from, to: "0x000000000000000000636F6e736F6c652e6c6f67", data }]);
      for (let i = 0; i < 100 && !output().includes("minted 42 tokens"); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(output(), /^Block #1 0x[0-9a-f]{64} 1 tx\n {2}console\.log: minted 42 tokens$/m);
    } finally {
      await stop(child);
    }
  });

  it("warns once per contract that reads opcode 0x44 (DIFFICULTY on Bitlayer: predictable), after a reset too", async () => {
    const { child, url, output } = await startDevnet([]);
    try {
      const [from] = (await rpc(url, "eth_accounts")) as string[];
      const reader = "0x00000000000000000000000000000000000d1ff1";
      const warnings = () => output().match(/^warning: contract 0x0{35}d1ff1 reads block\.difficulty .*0x44.*not randomness$/gm) ?? [];
      for (const round of [1, 2]) {
        await rpc(url, "hardhat_setCode", [reader, "0x445f5500"]); // SSTORE(0, DIFFICULTY)
        for (let i = 0; i < 2; i++) await rpc(url, "eth_sendTransaction", [{ from, to: reader, gas: "0x186a0" }]);
        for (let i = 0; i < 100 && warnings().length < round; i++) await new Promise((r) => setTimeout(r, 50));
        assert.equal(warnings().length, round, output());
        if (round === 1) await rpc(url, "hardhat_reset");
      }
    } finally {
      await stop(child);
    }
  });

  it("refuses --state in a folder that does not exist, at start, in one line, and creates nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-cli-"));
    const file = join(dir, "missing", "devnet.json");
    await assert.rejects(
      run(process.execPath, [BIN, "devnet", "--port", "0", "--state", file]),
      (e: { code: number; stdout: string; stderr: string }) => {
        assert.notEqual(e.code, 0);
        assert.match(e.stderr, /^error: --state .*missing.devnet\.json: folder .*missing does not exist/);
        assert.equal(e.stderr.trim().split("\n").length, 1, e.stderr);
        assert.doesNotMatch(e.stdout, /Listening on/, "refused before starting");
        return true;
      },
    );
    assert.deepEqual(readdirSync(dir), [], "no folder or file created");
  });

  it("banner names the state file, new then loaded at its block; Ctrl-C saves it cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-cli-"));
    const file = join(dir, "devnet.json");
    const first = await startDevnet(["--state", file, "--silent"]);
    assert.match(first.output(), new RegExp(`^State: +${escapeRegExp(file)} \\(new: saved on exit\\)$`, "m"));
    await rpc(first.url, "hardhat_mine", ["0x3"]);
    assert.equal(await stop(first.child, "SIGINT"), 0, first.output());
    assert.match(first.output(), /SIGINT: shutting down, saving state to .*devnet\.json\nSaved state to .*devnet\.json\n$/);
    assert.doesNotMatch(first.output(), STACK_LINE);
    assert.deepEqual(readdirSync(dir), ["devnet.json"], "saved, and no temporary file left");

    const second = await startDevnet(["--state", file, "--silent"]);
    try {
      assert.match(second.output(), new RegExp(`^State: +${escapeRegExp(file)} \\(loaded, block 3\\)$`, "m"));
      assert.equal(await rpc(second.url, "eth_blockNumber"), "0x3");
    } finally {
      assert.equal(await stop(second.child, "SIGINT"), 0);
    }

    const memory = await startDevnet(["--silent"]);
    assert.match(memory.output(), /^State: +in memory only/m);
    assert.equal(await stop(memory.child, "SIGINT"), 0);
  });

  it("a save that fails on exit (its folder removed meanwhile) ends in one line and a non-zero exit, no stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-cli-"));
    const sub = join(dir, "state");
    mkdirSync(sub);
    const file = join(sub, "devnet.json");
    const devnet = await startDevnet(["--state", file, "--silent"]);
    rmSync(sub, { recursive: true });
    assert.equal(await stop(devnet.child, "SIGINT"), 1, devnet.output());
    const text = devnet.output();
    assert.match(text, /^error: could not save state to .*devnet\.json: folder .*state no longer exists$/m);
    assert.equal(text.match(/^error: /gm)?.length, 1, text);
    assert.doesNotMatch(text, STACK_LINE, text);
    assert.equal(existsSync(sub), false);
  });

  it("rejects bad flags with a one-line error and a non-zero exit", async () => {
    for (const args of [
      ["--port", "abc"],
      ["--port", "-1"],
      ["--port=-8545"],
      ["--port", "70000"],
      ["--hardfork", "london"],
      ["--balance", "-3"],
      ["--accounts", "x"],
      ["--preset", "turbo"],
      ["--challenge-period", "1s"],
      ["--challenge-period", "7days"],
      ["--btc-block-time", "0"],
      ["--confirmations", "0"],
      ["--proof-mode", "zk"],
      ["--btc-port", "70000"],
      ["--bridge-mode", "custodial"],
      ["--deposit-confirmations", "0"],
      ["--force-inclusion-window", "3 days"],
    ]) {
      await assert.rejects(run(process.execPath, [BIN, "devnet", ...args]), (e: { code: number; stderr: string }) => {
        assert.notEqual(e.code, 0, args.join(" "));
        assert.match(e.stderr, /^error: /m);
        assert.equal(e.stderr.trim().split("\n").length, 1, e.stderr);
        return true;
      });
    }
  });

  it("starts the simulated Bitcoin node's RPC and prints its URL and credentials; basic auth is enforced", async () => {
    const { child, url, output } = await startDevnet(["--silent", "--timestamp", "1700000000"]);
    try {
      const text = output();
      const match = /Bitcoin RPC: (http:\/\/127\.0\.0\.1:\d+) \(user devnet, password devnet; simulated regtest\)/.exec(text);
      assert.ok(match, text);
      assert.match(text, /Settlement: a Bitcoin block every 10m; anchored \(safe\) at 6 confirmations; window 1008 Bitcoin blocks \(7d\)/);
      const call = (auth?: string) =>
        fetch(match[1], {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {}),
          },
          body: JSON.stringify({ jsonrpc: "1.0", id: 1, method: "getblockchaininfo", params: [] }),
        });
      const ok = await call("devnet:devnet");
      assert.equal(ok.status, 200);
      const info = ((await ok.json()) as { result: { chain: string; blocks: number } }).result;
      assert.equal(info.chain, "regtest");
      assert.equal(info.blocks, 110);
      assert.equal((await call()).status, 401);
      assert.equal((await call("devnet:wrong")).status, 401);
      // One devnet: the L2's status sees the same Bitcoin chain.
      const status = (await rpc(url, "bitlayer_status")) as { bitcoin: { height: number } };
      assert.equal(status.bitcoin.height, 110);
    } finally {
      assert.equal(await stop(child), 0);
    }
  });

  it("applies the settlement and bridge flags (preset, Bitcoin block time, confirmations, window, proof mode, watcher, credentials, bridge mode, deposit confirmations, force-inclusion window)", async () => {
    const { child, url, output } = await startDevnet([
      "--silent",
      "--preset",
      "fast",
      "--btc-block-time",
      "2",
      "--confirmations",
      "3",
      "--challenge-period",
      "1m30s",
      "--no-watcher",
      "--btc-user",
      "alice",
      "--btc-password",
      "s3cret",
      "--bridge-mode",
      "broker",
      "--deposit-confirmations",
      "2",
      "--force-inclusion-window",
      "2h",
    ]);
    try {
      assert.match(output(), /Bitcoin RPC: http:\/\/127\.0\.0\.1:\d+ \(user alice, password s3cret; simulated regtest\)/);
      assert.match(
        output(),
        /Bridge: {5}0xB17C000000000000000000000000000000000002 \(broker peg-outs\); .*minted at 2 confirmations; forced transactions within 2h/,
      );
      const bridge = (await rpc(url, "bitlayer_bridgeInfo")) as {
        mode: string;
        depositConfirmations: number;
        forceInclusionWindow: number;
      };
      assert.deepEqual(
        { mode: bridge.mode, depositConfirmations: bridge.depositConfirmations, forceInclusionWindow: bridge.forceInclusionWindow },
        { mode: "broker", depositConfirmations: 2, forceInclusionWindow: 7200 },
      );
      const status = (await rpc(url, "bitlayer_status")) as { bitcoin: { blockTime: number }; rollup: Record<string, unknown> };
      assert.equal(status.bitcoin.blockTime, 2);
      assert.equal(status.rollup.confirmations, 3);
      assert.equal(status.rollup.windowBlocks, 45);
      assert.equal(status.rollup.watcher, false);
      assert.equal(status.rollup.mode, "optimistic");
    } finally {
      assert.equal(await stop(child), 0);
    }
    const validity = await startDevnet(["--silent", "--proof-mode", "validity"]);
    try {
      assert.match(validity.output(), /validity proofs \(simulated\), no window/);
      assert.equal(((await rpc(validity.url, "bitlayer_status")) as { rollup: { mode: string } }).rollup.mode, "validity");
    } finally {
      assert.equal(await stop(validity.child), 0);
    }
  });

  it("refuses a Bitcoin RPC port already in use in one line, naming --btc-port", async () => {
    const first = await startDevnet(["--silent"]);
    try {
      const port = /Bitcoin RPC: http:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())?.[1] as string;
      await assert.rejects(
        run(process.execPath, [BIN, "devnet", "--port", "0", "--btc-port", port]),
        (e: { code: number; stderr: string }) => {
          assert.notEqual(e.code, 0);
          assert.match(e.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --btc-port`));
          assert.equal(e.stderr.trim().split("\n").length, 1, e.stderr);
          return true;
        },
      );
    } finally {
      assert.equal(await stop(first.child), 0);
    }
  });

  it("prints help for the command, as docs/cli.md shows it", async () => {
    const { stdout } = await run(process.execPath, [BIN, "devnet", "--help"]);
    assert.match(stdout, /--port <port>/);
    assert.match(stdout, /--state <file>/);
    const docs = readFileSync(fileURLToPath(new URL("../../../../docs/cli.md", import.meta.url)), "utf8");
    assert.ok(docs.includes(stdout.trimEnd()), "docs/cli.md shows the current `bitlayer devnet --help`");
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
