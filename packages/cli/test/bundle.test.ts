// The CLI's bundle (npm run build): V8 keeps each module's source in the heap for as long as the process runs, one
// byte per character only if every character is Latin-1. One comment with an arrow or a dash made a whole chunk a
// two-byte string (the bundle is minified to drop comments): this checks it stays so.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder, hexlify, toUtf8Bytes, Wallet } from "ethers";
import { rpc, startDevnet, stop } from "./devnet-helpers.js";

const EIP712_DOMAIN = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
];

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

describe("CLI bundle", () => {
  it("every chunk is Latin-1, so that V8 keeps its source one byte per character", () => {
    const chunks = readdirSync(DIST).filter((f) => /^bitlayer.*\.mjs$/.test(f));
    assert.ok(chunks.length > 1, `no bundle in ${DIST}: run npm run build`);
    const wide = chunks.filter((f) => [...readFileSync(DIST + f, "utf8")].some((c) => (c.codePointAt(0) ?? 0) > 0xff));
    assert.deepEqual(wide, []);
  });

  it("leaves out zod's translations (every file imports zod as a namespace: one `import { z }` bundles all ~540 KB of them)", () => {
    const chunks = readdirSync(DIST).filter((f) => /^bitlayer.*\.mjs$/.test(f));
    // A phrase of zod's German messages, as one marker of its locales.
    const withLocales = chunks.filter((f) => readFileSync(DIST + f, "latin1").includes("erwartet"));
    assert.deepEqual(withLocales, []);
  });

  const chunkSources = () =>
    readdirSync(DIST)
      .filter((f) => /^bitlayer.*\.mjs$/.test(f))
      .map((f) => [f, readFileSync(DIST + f, "latin1")] as const);

  it("imports Node's built-ins with require (an ESM import builds a facade that runs every lazy getter)", () => {
    const imported = chunkSources().filter(([, text]) => /(import|export)\s*(\{[^}]*\}|\*\s*as\s*\w+|\w+)\s*from\s*"node:/.test(text));
    assert.deepEqual(
      imported.map(([f]) => f),
      [],
    );
  });

  it("holds the parts of ethers the engine uses (from node_modules, the bridge's ABI alone is 85 module files, ~130 ms and ~7 MB)", () => {
    const importsEthers = chunkSources().filter(([, text]) => /(from\s*|import\s*\(\s*|import\s*)"ethers(\/[^"]*)?"/.test(text));
    assert.deepEqual(
      importsEthers.map(([f]) => f),
      [],
    );
    // The scan does see such imports: the engine's own build (dist/src) has them.
    const engineSource = readFileSync(fileURLToPath(new URL("../../../devnet/dist/src/bridge/engine.js", import.meta.url)), "utf8");
    assert.match(engineSource, /from\s*"ethers\/abi"/);
  });

  // The chunks a file loads with it: its static imports, and theirs.
  const staticClosure = (entry: string) => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(DIST + file, "latin1");
      for (const [, dep] of text.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^"'()]*?from\s*)?"\.\/([^"]+\.mjs)"/g)) visit(dep);
    };
    visit(entry);
    return [...seen];
  };
  // The engine's code, by two names its minified bundle keeps: the devnet's constructor and @ethereumjs's error class.
  const isEngine = (file: string) => /function createDevnet\(|EthereumJSErrorWithoutCode/.test(readFileSync(DIST + file, "latin1"));

  it("loads the engine only for a devnet: --version, --help and the other commands start without it", () => {
    const cli = staticClosure("bitlayer.mjs");
    assert.ok(cli.length > 1, "the entry's imports were not found");
    assert.deepEqual(cli.filter(isEngine), []);
    // What `bitlayer devnet` runs (bin/bitlayer.js starts loading it with the CLI) does bring it.
    assert.ok(staticClosure("devnet-run.mjs").some(isEngine), "the scan does not recognise the engine");
  });

  it("gives the Bitcoin side ethers' ABI coder without ethers' signing code (imports from its barrels go to the defining files)", () => {
    const sources = new Map(chunkSources());
    const bridge = [...sources].filter(([, text]) => text.includes("bridgeInterface=new "));
    assert.equal(bridge.length, 1, "the bridge's chunk was not found");
    const signing = (file: string) => /var SigningKey=class|function recoverAddress\(/.test(sources.get(file) ?? "");
    assert.deepEqual(staticClosure(bridge[0][0]).filter(signing), []);
    assert.ok([...sources.keys()].some(signing), "the scan does not recognise ethers' signing code");
  });

  it("signs and decodes with its ethers as ethers does: personal_sign, eth_signTypedData_v4, a revert's reason", async function () {
    this.timeout(60_000);
    const devnet = await startDevnet(["--silent"]);
    try {
      // The first dev account of the default mnemonic (Hardhat's and Anvil's).
      const wallet = new Wallet("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
      const message = "hello, bundle";
      assert.equal(
        await rpc<string>(devnet.url, "personal_sign", [hexlify(toUtf8Bytes(message)), wallet.address]),
        await wallet.signMessage(message),
      );
      const domain = { name: "Bundle", version: "1", chainId: 202601, verifyingContract: "0x000000000000000000000000000000000000b17c" };
      const types = {
        Mail: [
          { name: "to", type: "address" },
          { name: "contents", type: "string" },
        ],
      };
      const value = { to: wallet.address, contents: "typed" };
      const typedData = { domain, types: { EIP712Domain: [...EIP712_DOMAIN], ...types }, primaryType: "Mail", message: value };
      assert.equal(
        await rpc<string>(devnet.url, "eth_signTypedData_v4", [wallet.address, JSON.stringify(typedData)]),
        await wallet.signTypedData(domain, types, value),
      );
      // Init code that reverts with Error("nope"): CODECOPY its last 100 bytes, then REVERT with them.
      const reason = AbiCoder.defaultAbiCoder().encode(["string"], ["nope"]).slice(2);
      const initCode = `0x6064600c60003960646000fd08c379a0${reason}`;
      await assert.rejects(rpc(devnet.url, "eth_call", [{ data: initCode }]), /nope/);
    } finally {
      await stop(devnet.child);
    }
  });

  it("answers a devnet's first request before loading the built-ins it uses later (crypto, zlib, v8, vm, perf_hooks, ...)", async function () {
    this.timeout(60_000);
    // A preload that writes the process's list of loaded built-ins when asked (SIGUSR2).
    const dir = mkdtempSync(join(tmpdir(), "bitlayer-builtins-"));
    const preload = join(dir, "list.cjs");
    const list = join(dir, "loaded.json");
    writeFileSync(
      preload,
      `process.on("SIGUSR2", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));`,
    );
    const later = ["crypto", "zlib", "fs/promises", "v8", "vm", "perf_hooks", "worker_threads", "internal/util/parse_args/parse_args"];
    process.env.NODE_OPTIONS = `--require ${preload}`;
    const devnet = await startDevnet(["--silent"]).finally(() => {
      delete process.env.NODE_OPTIONS;
    });
    try {
      await rpc(devnet.url, "eth_chainId");
      const loaded = async () => {
        rmSync(list, { force: true });
        if (devnet.child.pid !== undefined) process.kill(devnet.child.pid, "SIGUSR2");
        for (let i = 0; i < 100 && !existsSync(list); i++) await new Promise((r) => setTimeout(r, 20));
        const names = JSON.parse(readFileSync(list, "utf8")) as string[];
        return later.filter((m) => names.includes(`NativeModule ${m}`));
      };
      assert.deepEqual(await loaded(), []);
      // The idle collection's first look (250 ms on) reads the event loop's utilisation: perf_hooks loads then.
      await new Promise((r) => setTimeout(r, 600));
      assert.ok((await loaded()).includes("perf_hooks"), "the check can see a built-in load");
    } finally {
      await stop(devnet.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives @noble/hashes node:crypto's random bytes instead of WebCrypto's, and the JS curve still signs right", async function () {
    this.timeout(60_000);
    assert.deepEqual(
      chunkSources()
        .filter(([, text]) => text.includes("globalThis.crypto"))
        .map(([f]) => f),
      [],
    );
    // BITLAYER_JS_CRYPTO=1: the dev accounts, signatures and sender recovery all go through the bundled @noble curves.
    process.env.BITLAYER_JS_CRYPTO = "1";
    const devnet = await startDevnet(["--silent", "--accounts", "21"]).finally(() => {
      delete process.env.BITLAYER_JS_CRYPTO;
    });
    try {
      const [from, to] = await rpc<string[]>(devnet.url, "eth_accounts");
      const hash = await rpc<string>(devnet.url, "eth_sendTransaction", [{ from, to, value: "0x1" }]);
      const tx = await rpc<{ from: string }>(devnet.url, "eth_getTransactionByHash", [hash]);
      assert.equal(tx.from, from.toLowerCase());
      assert.equal(from, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".toLowerCase());
    } finally {
      await stop(devnet.child);
    }
  });
});
