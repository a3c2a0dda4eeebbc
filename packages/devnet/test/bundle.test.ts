// The engine's bundle (npm run build: dist/bundle/), the package's main entry: what the Hardhat plugins load inside
// a test process, where every module file costs a trip through the module loader (~500 files took over a second).
// It must be the same engine as dist/src: the same exports, a devnet that answers, both chains. `./client` is the
// small entry the plugins load with every connection.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Interface, type InterfaceAbi } from "ethers";
import { getContract } from "./support/solc.js";

const BUNDLE = fileURLToPath(new URL("../../dist/bundle/", import.meta.url));
const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE_OPTIONS = fileURLToPath(new URL("../../../../scripts/bundle-options.mjs", import.meta.url));

type Bytes = Uint8Array;
interface EditedFunctions {
  bytesToHex(bytes: Bytes): string;
  setLengthLeft(msg: Bytes, length: number, opts?: { allowTruncate?: boolean }): Bytes;
  setLengthRight(msg: Bytes, length: number, opts?: { allowTruncate?: boolean }): Bytes;
}

/** The library functions the bundle options edit, bundled with those options (esbuild, one file) and imported. */
async function bundledLibraryFunctions(): Promise<{ functions: EditedFunctions; text: string }> {
  const { build } = await import("esbuild");
  const { nodeBundleOptions } = (await import(pathToFileURL(BUNDLE_OPTIONS).href)) as { nodeBundleOptions: object };
  const result = await build({
    ...nodeBundleOptions,
    splitting: false,
    write: false,
    outdir: "out",
    stdin: {
      contents: 'export { bytesToHex } from "@noble/hashes/utils.js";\nexport { setLengthLeft, setLengthRight } from "@ethereumjs/util";',
      resolveDir: PACKAGE,
      sourcefile: "entry.mjs",
    },
  });
  const text = result.outputFiles[0]?.text ?? "";
  const dir = mkdtempSync(join(tmpdir(), "bitlayer-bundle-edits-"));
  try {
    writeFileSync(join(dir, "edited.mjs"), text);
    return { functions: (await import(pathToFileURL(join(dir, "edited.mjs")).href)) as EditedFunctions, text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a call gives, or the error it throws (its message), so that refusals compare too. */
function outcome(f: () => Bytes | string): { value?: string; error?: string; plain?: boolean } {
  try {
    const value = f();
    if (typeof value === "string") return { value };
    return { value: Buffer.from(value).toString("hex"), plain: Object.getPrototypeOf(value) === Uint8Array.prototype };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe("engine bundle (@bitlayer/devnet)", () => {
  it("is the package's entry, with the same exports as dist/src/index.js", async () => {
    assert.match(import.meta.resolve("@bitlayer/devnet"), /\/dist\/bundle\/index\.mjs$/);
    const bundled = await import("@bitlayer/devnet");
    const source = await import("../src/index.js");
    assert.deepEqual(Object.keys(bundled).sort(), Object.keys(source).sort());
  });

  it("runs a devnet: an L2 transaction, then the Bitcoin side (a chunk loaded on first use)", async () => {
    const { createDevnet } = await import("@bitlayer/devnet");
    const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
    try {
      const [from, to] = (await devnet.request({ method: "eth_accounts", params: [] })) as string[];
      const hash = await devnet.request({ method: "eth_sendTransaction", params: [{ from, to, value: "0x1" }] });
      const receipt = (await devnet.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { status: string };
      assert.equal(receipt.status, "0x1");
      const status = (await devnet.request({ method: "bitlayer_status", params: [] })) as { bitcoin: { height: number } };
      assert.ok(status.bitcoin.height > 0, JSON.stringify(status));
    } finally {
      await devnet.close();
    }
  });

  it("a token's deploy and transfers give the same blocks as dist/src's: hashes, state roots, receipts", async () => {
    const { abi, bytecode } = getContract("Token");
    const token = new Interface(abi as InterfaceAbi);
    const blocks = async (module: { createDevnet: typeof import("../src/index.js").createDevnet }) => {
      const devnet = await module.createDevnet({ genesisTimestamp: 1_700_000_000 });
      const rpc = (method: string, params: unknown[] = []) => devnet.request({ method, params });
      try {
        const [owner, ...others] = (await rpc("eth_accounts")) as string[];
        let time = 1_700_000_000;
        const send = async (tx: object) => {
          await rpc("evm_setNextBlockTimestamp", [++time]);
          return (await rpc("eth_sendTransaction", [{ from: owner, ...tx }])) as string;
        };
        const deployed = await send({ data: bytecode + token.encodeDeploy(["T", "T", 10n ** 24n]).slice(2) });
        const { contractAddress: to } = (await rpc("eth_getTransactionReceipt", [deployed])) as { contractAddress: string };
        const hashes = [deployed];
        for (let i = 0; i < 20; i++)
          hashes.push(await send({ to, data: token.encodeFunctionData("transfer", [others[i % 5], BigInt(i + 1) * 10n ** 15n]) }));
        const receipts = await Promise.all(hashes.map((h) => rpc("eth_getTransactionReceipt", [h])));
        const heads = await Promise.all(hashes.map((_, i) => rpc("eth_getBlockByNumber", [`0x${(i + 1).toString(16)}`, false])));
        return { receipts, heads };
      } finally {
        await devnet.close();
      }
    };
    const bundled = await blocks(await import("@bitlayer/devnet"));
    assert.deepEqual(bundled, await blocks(await import("../src/index.js")));
    assert.equal((bundled.receipts as { status: string }[]).filter((r) => r.status === "0x1").length, 21);
  });

  it("the BN254, P-256 and BLS12-381 precompiles (curves the bundle loads on first use) answer as dist/src's", async () => {
    const g = `${"0".repeat(63)}1${"0".repeat(63)}2`; // BN254's G1 generator (1, 2)
    const calls = [
      ["0x0000000000000000000000000000000000000006", `0x${g}${g}`], // ecAdd: G + G
      ["0x0000000000000000000000000000000000000007", `0x${g}${"0".repeat(63)}3`], // ecMul: 3G
      ["0x0000000000000000000000000000000000000008", "0x"], // ecPairing of nothing: 1
      ["0x0000000000000000000000000000000000000100", `0x${"11".repeat(160)}`], // P256VERIFY (if the profile has it)
      ["0x000000000000000000000000000000000000000b", `0x${"00".repeat(256)}`], // BLS12-381 G1ADD: infinity + infinity
      ["0x0000000000000000000000000000000000000010", `0x${"00".repeat(63)}01`], // BLS12-381 MAP_FP_TO_G1 of 1
    ];
    const answers = async (module: { createDevnet: typeof import("../src/index.js").createDevnet }) => {
      // "prague": the profile with the BLS12-381 precompiles.
      const devnet = await module.createDevnet({ genesisTimestamp: 1_700_000_000, hardfork: "prague" });
      try {
        return await Promise.all(calls.map(([to, data]) => devnet.request({ method: "eth_call", params: [{ to, data }] })));
      } finally {
        await devnet.close();
      }
    };
    const bundled = await answers(await import("@bitlayer/devnet"));
    assert.deepEqual(bundled, await answers(await import("../src/index.js")));
    // 2G, as every BN254 library gives it.
    assert.equal(
      bundled[0],
      "0x030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4",
    );
    assert.equal(bundled[2], `0x${"0".repeat(63)}1`);
    assert.equal(bundled[4], `0x${"00".repeat(128)}`);
    assert.equal((bundled[5] as string).length, 2 + 256); // a G1 point, not an error
  });

  it("builds no cache of 65,536 BigInts nor runTx's default header as it loads: each is made on demand; no slow forms", () => {
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith(".mjs"));
    const sources = chunks.map((f) => readFileSync(`${BUNDLE}${f}`, "utf8"));
    assert.ok(!sources.some((s) => s.includes("BIGINT_CACHE")), "a chunk still builds @ethereumjs/util's BigInt cache");
    // bytesToBigInt itself is still there, with its short inputs made as asked (scripts/bundle-options.mjs).
    assert.ok(sources.some((s) => s.includes("BigInt(bytes[0]*256+bytes[1])")));
    // Nor runTx's default block header (with a mainnet Common), which a devnet never runs without.
    assert.ok(!sources.some((s) => s.includes("DEFAULT_HEADER=createBlockHeader()")), "runTx's default header is made at load");
    assert.ok(sources.some((s) => s.includes("DEFAULT_HEADER_()")));
    // The two edited library functions (the test below checks their results): no chunk keeps the slow forms.
    assert.ok(!sources.some((s) => s.includes("hex+=hexes[bytes[i]]")), "a chunk keeps noble's bytesToHex loop");
    assert.ok(!sources.some((s) => s.includes("...new Uint8Array(length-msg.length)")), "a chunk keeps setLength's spread");
  });

  it("edits two library functions for speed, with the libraries' results: bytesToHex, setLengthLeft / Right", async () => {
    const { functions: edited, text } = await bundledLibraryFunctions();
    // The edits were made (scripts/bundle-options.mjs): Buffer's hex encoder, padding by one copy.
    assert.ok(text.includes('toString("hex")') && !text.includes("hex+=hexes[bytes[i]]"), "noble's bytesToHex loop is still there");
    assert.ok(text.includes("__bitlayerPadded") && !text.includes("...new Uint8Array(length-msg.length)"), "setLength still spreads");
    const noble = (await import("@noble/hashes/utils.js")) as unknown as EditedFunctions;
    const util = (await import("@ethereumjs/util")) as unknown as EditedFunctions;
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 400; i++) {
      // A view into a larger buffer at an offset, as the EVM's and the trie's inputs often are; sometimes a Buffer.
      const backing = Uint8Array.from({ length: 48 }, () => random(256));
      const start = random(8);
      const view = backing.subarray(start, start + random(40));
      const input = i % 5 === 0 ? Buffer.from(view) : view;
      const length = random(48);
      assert.deepEqual(
        outcome(() => edited.bytesToHex(input)),
        outcome(() => noble.bytesToHex(input)),
        `bytesToHex #${i}`,
      );
      for (const name of ["setLengthLeft", "setLengthRight"] as const) {
        const options = i % 3 === 0 ? { allowTruncate: true } : {};
        assert.deepEqual(
          outcome(() => edited[name](input, length, options)),
          outcome(() => util[name](input, length, options)),
          `${name} #${i} (${input.length} bytes to ${length})`,
        );
      }
    }
  });

  it("starts a devnet without node:crypto or the precompiles' curves: each loads on first use", () => {
    // In a fresh process: what a start loads, at its first answer (a script that imports only the bundle).
    const script = `
      const { createDevnet } = await import(${JSON.stringify(`${BUNDLE}index.mjs`)});
      const devnet = await createDevnet({ hardfork: "prague" });
      await devnet.request({ method: "eth_chainId", params: [] });
      const atStart = process.moduleLoadList.includes("NativeModule crypto");
      // A BLS12-381 precompile builds its curve (which probes for random bytes: node:crypto) when first called.
      await devnet.request({ method: "eth_call", params: [{ to: "0x0000000000000000000000000000000000000010", data: "0x${"00".repeat(63)}01" }] });
      console.log(JSON.stringify({ atStart, afterCall: process.moduleLoadList.includes("NativeModule crypto") }));
      await devnet.close();`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out.trim().split("\n").at(-1) ?? ""), { atStart: false, afterCall: true });
  });

  it("starts without node:zlib, node:fs/promises, perf_hooks or util's lazy exports; a state dump and console.log load theirs", () => {
    // util: esbuild's interop would read every export's descriptor, and Node materialises the lazy ones (setTraceSigInt
    // loads worker_threads); lru-cache's clock read the \`performance\` global as it loaded.
    const modules = ["zlib", "fs/promises", "perf_hooks", "worker_threads", "internal/util/parse_args/parse_args"];
    const script = `
      const loaded = () => ${JSON.stringify(modules)}.filter((m) => process.moduleLoadList.includes("NativeModule " + m));
      const { createDevnet } = await import(${JSON.stringify(`${BUNDLE}index.mjs`)});
      const devnet = await createDevnet();
      await devnet.request({ method: "eth_chainId", params: [] });
      const atStart = loaded();
      const lines = [];
      devnet.onConsole((log) => lines.push(log.text));
      const [from] = devnet.accounts.map((a) => a.address);
      // console.sol's log(string,uint256) ("minted %d tokens", 42), sent to the console address: formatted with util.format.
      const data = "0xb60e72cc" + "40".padStart(64, "0") + "2a".padStart(64, "0") + "10".padStart(64, "0") + Buffer.from("minted %d tokens").toString("hex").padEnd(64, "0");
      await devnet.request({ method: "eth_sendTransaction", params: [{ from, to: "0x000000000000000000636f6e736f6c652e6c6f67", data }] });
      const dump = await devnet.request({ method: "anvil_dumpState", params: [] });
      console.log(JSON.stringify({ atStart, after: loaded(), lines, dumped: dump.startsWith("0x1f8b") }));
      await devnet.close();`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    const r = JSON.parse(out.trim().split("\n").at(-1) ?? "") as { atStart: string[]; after: string[]; lines: string[]; dumped: boolean };
    assert.deepEqual(r.atStart, []);
    assert.deepEqual(r.lines, ["minted 42 tokens"]);
    assert.ok(r.dumped, "a gzipped dump");
    assert.ok(r.after.includes("zlib"), JSON.stringify(r.after));
  });

  it("brings both chains up without its lazy modules; a custom mnemonic's wallet loads @scure/bip32, as dist/src answers", () => {
    // Fresh processes: a default devnet, then one with another mnemonic (its xpub is written by @scure/bip32's HDKey,
    // which the bundle loads on first use), each up to its Bitcoin wallet's descriptors.
    const run = (entry: string, mnemonic?: string) => {
      const script = `
        const { createDevnet } = await import(${JSON.stringify(entry)});
        const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000${mnemonic ? `, accounts: { mnemonic: ${JSON.stringify(mnemonic)} }` : ""} });
        await devnet.request({ method: "bitlayer_status" });
        const address = await devnet.bitcoinRequest("getnewaddress");
        await devnet.bitcoinRequest("sendtoaddress", [address, 1]);
        const coins = await devnet.bitcoinRequest("listunspent", [0, 9999999, [address]]);
        const lazy = globalThis[Symbol.for("bitlayer.lazyModules")] ?? [];
        await devnet.close();
        console.log(JSON.stringify({ lazy, address, descs: coins.map((c) => [c.desc, c.parent_descs]) }));`;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
      return JSON.parse(out.trim().split("\n").at(-1) ?? "") as { lazy: string[]; address: string; descs: unknown[] };
    };
    const source = fileURLToPath(new URL("../src/index.js", import.meta.url));
    const defaults = run(`${BUNDLE}index.mjs`);
    assert.deepEqual(defaults.lazy, []);
    assert.deepEqual({ ...defaults, lazy: [] }, run(source));
    const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const custom = run(`${BUNDLE}index.mjs`, mnemonic);
    assert.deepEqual(custom.lazy, ["@scure/bip32", "@noble/curves/secp256k1.js"]); // HDKey reads the curve as it loads
    assert.match(JSON.stringify(custom.descs), /tpub/);
    assert.deepEqual({ ...custom, lazy: [] }, run(source, mnemonic));
  });

  it("./client: the constants, the defaults and duration parsing, without the engine", async () => {
    const client = await import("@bitlayer/devnet/client");
    const engine = await import("../src/index.js");
    assert.equal(client.parseDuration("1h30m"), 5_400);
    assert.equal(client.BITCOIN_BRIDGE.address, engine.BITCOIN_BRIDGE.address);
    assert.deepEqual(client.BITCOIN_BRIDGE.abi, engine.BITCOIN_BRIDGE.abi);
    // The CLI's help and option defaults come from here.
    for (const name of [
      "DEVNET_CHAIN_ID",
      "PRESETS",
      "PROFILES",
      "DEFAULT_MNEMONIC",
      "DEFAULT_ACCOUNT_BALANCE",
      "DEFAULT_BITCOIN_RPC_PORT",
    ] as const)
      assert.deepEqual(client[name], engine[name], name);
  });

  it("imports Node's built-ins with require, as the CLI's bundle does (shared options: scripts/bundle-options.mjs)", () => {
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith(".mjs"));
    const imported = chunks.filter((f) =>
      /(import|export)\s*(\{[^}]*\}|\*\s*as\s*\w+|\w+)\s*from\s*"node:/.test(readFileSync(BUNDLE + f, "latin1")),
    );
    assert.deepEqual(imported, []);
  });

  it("keeps dynamic import() out of its chunks: one tiny module makes them (Hardhat's tsx rewrites every file holding one)", () => {
    // tsx adds an interop `.then` to each dynamic import of a loaded file and maps it with a source map built character
    // by character, on the main thread: for the ~650 KB shared chunk that was ~70 ms and ~60 MB at every `hardhat test`
    // (a console.ts import moved its lazy ABI decoder there), for the entry (~140 KB) ~15 ms of each network's start.
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith(".mjs"));
    assert.ok(chunks.length > 1, `no bundle in ${BUNDLE}: run npm run build`);
    assert.deepEqual(
      chunks.filter((f) => readFileSync(BUNDLE + f, "latin1").includes("import(")),
      ["dynamic-import.mjs"],
    );
    assert.ok(readFileSync(BUNDLE + "dynamic-import.mjs").length < 100);
    // The entry's lazy parts go through it, its own chunks and ethers' (external); the tests above load both kinds (the
    // Bitcoin side, a state dump, console.log's decoder) from the bundle.
    const entry = readFileSync(`${BUNDLE}index.mjs`, "latin1");
    assert.match(entry, /^import\{load as __bitlayerImport\}from"\.\/dynamic-import\.mjs";/);
    assert.match(entry, /__bitlayerImport\("\.\/chunk-[A-Z0-9]+\.mjs"\)/);
    assert.match(entry, /__bitlayerImport\("ethers\/abi"\)/);
  });

  it("every chunk is Latin-1, so that V8 keeps its source one byte per character", () => {
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith(".mjs"));
    assert.ok(chunks.length > 1, `no bundle in ${BUNDLE}: run npm run build`);
    const wide = chunks.filter((f) => [...readFileSync(BUNDLE + f, "utf8")].some((c) => (c.codePointAt(0) ?? 0) > 0xff));
    assert.deepEqual(wide, []);
  });
});
