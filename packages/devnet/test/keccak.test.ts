// The devnet's Keccak-256 (l2/crypto.ts): hash-wasm's WebAssembly once it has compiled, the native addon's sponge
// until then. Every trie key and node, transaction and block hash goes through it, so both paths are checked against
// ethereum-cryptography's (@noble/hashes) on inputs of every size the devnet hashes, at any offset in a larger buffer.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { keccak256 as reference } from "ethereum-cryptography/keccak.js";
import { keccak256, keccakBackends, startWasmKeccak } from "../src/l2/crypto.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

async function wasmReady(): Promise<void> {
  await startWasmKeccak();
  assert.ok(keccakBackends.wasmReady(), "hash-wasm's keccak did not compile");
}

/** Runs an ES module script in a fresh Node; returns what it printed. */
function runFresh(script: string): string {
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
}
const srcUrl = (path: string) => JSON.stringify(new URL(`../src/${path}`, import.meta.url).href);

// Sizes around the rate (136 bytes) and its multiples, where the padding changes, and the devnet's usual inputs.
const SIZES = [0, 1, 20, 31, 32, 33, 64, 110, 135, 136, 137, 271, 272, 273, 532, 1000, 4096, 100_000];

/** `size` bytes that start `offset` bytes into a larger buffer (trie nodes and RLP items are such views). */
function view(size: number, offset: number): Uint8Array {
  const backing = randomBytes(size + offset + 3);
  return new Uint8Array(backing.buffer, backing.byteOffset + offset, size);
}

describe("keccak256 (l2/crypto.ts)", () => {
  it("is the devnet's hash on this machine (the native addon loads), and hash-wasm takes over once compiled", async () => {
    assert.ok(keccak256, "no keccak256: the native addon did not load");
    assert.ok(keccakBackends.native);
    await wasmReady();
  });

  it("is not compiled by a devnet that mined nothing; the first block starts it", () => {
    // Compiling pages in V8's WebAssembly compiler (~1.2 MB of an idle devnet's memory): a devnet that only answers
    // reads (a server's readiness probes, the dashboard's polls) does not need it.
    const script = `
      const { createDevnet, startServer } = await import(${srcUrl("index.js")});
      const { keccakBackends } = await import(${srcUrl("l2/crypto.js")});
      const devnet = await createDevnet();
      const server = await startServer(devnet, { port: 0 });
      const post = (method, params = []) => fetch(server.url, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) }).then((res) => res.json());
      for (const method of ["eth_chainId", "eth_blockNumber", "eth_getBalance"]) await post(method, method === "eth_getBalance" ? [devnet.accounts[0].address, "latest"] : []);
      for (let i = 0; i < 5; i++) await devnet.request({ method: "eth_getBlockByNumber", params: ["latest", false] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const idle = keccakBackends.wasmStarted();
      await post("evm_mine");
      const started = keccakBackends.wasmStarted();
      for (let i = 0; i < 200 && !keccakBackends.wasmReady(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
      process.stdout.write(JSON.stringify({ idle, started, ready: keccakBackends.wasmReady() }));
      await server.close();
      await devnet.close();
      process.exit(0);`;
    assert.deepEqual(JSON.parse(runFresh(script)), { idle: false, started: true, ready: true });
  });

  it("is ready after the first block also for an in-process caller that never lets the event loop turn", () => {
    // WebAssembly compiles in a task of the event loop, and a loop of in-process requests only ever awaits promises:
    // without the provider's wait, such a process hashed on the native path for good.
    const script = `
      const { createDevnet } = await import(${srcUrl("index.js")});
      const { keccakBackends } = await import(${srcUrl("l2/crypto.js")});
      const devnet = await createDevnet();
      await devnet.request({ method: "evm_mine" });
      for (let i = 0; i < 20; i++) await devnet.request({ method: "eth_blockNumber" });
      process.stdout.write(String(keccakBackends.wasmReady()));
      await devnet.close();
      process.exit(0);`;
    assert.equal(runFresh(script), "true");
  });

  it("with BITLAYER_JS_CRYPTO=1 it never compiles, and the provider stops waiting for it once started", () => {
    const script = `
      const { createDevnet } = await import(${srcUrl("index.js")});
      const { keccakBackends, wasmKeccakCompiling } = await import(${srcUrl("l2/crypto.js")});
      const devnet = await createDevnet();
      await devnet.request({ method: "evm_mine" });
      await devnet.request({ method: "eth_blockNumber" });
      process.stdout.write(JSON.stringify({ started: keccakBackends.wasmStarted(), compiling: wasmKeccakCompiling(), ready: keccakBackends.wasmReady() }));
      await devnet.close();
      process.exit(0);`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, BITLAYER_JS_CRYPTO: "1" },
    });
    assert.deepEqual(JSON.parse(out), { started: true, compiling: false, ready: false });
  });

  it("gives Keccak-256 (not SHA3-256) on both paths, for every size and offset", async () => {
    await wasmReady();
    const native = keccakBackends.native;
    assert.ok(keccak256 && native);
    // (Where the addon has no build for the platform, it is ethereum-cryptography's keccak256, this test's reference.)
    assert.equal(keccakBackends.beforeWasm, native, "the native sponge answers until the WebAssembly is ready");
    // The empty input's Keccak-256, as every Ethereum client has it (KECCAK256_NULL).
    assert.equal(hex(keccak256(new Uint8Array(0))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    for (const size of SIZES)
      for (const offset of [0, 1, 7]) {
        const data = view(size, offset);
        const want = hex(reference(data));
        assert.equal(hex(keccak256(data)), want, `hash-wasm, ${size} bytes at offset ${offset}`);
        assert.equal(hex(native(data)), want, `native, ${size} bytes at offset ${offset}`);
      }
    for (let i = 0; i < 500; i++) {
      const data = view(Math.floor(Math.random() * 600), Math.floor(Math.random() * 9));
      assert.equal(hex(keccak256(data)), hex(reference(data)));
    }
  });

  it("returns a digest of its own: the next hash does not overwrite it", async () => {
    await wasmReady();
    assert.ok(keccak256);
    const first = keccak256(Uint8Array.of(1));
    const saved = hex(first);
    keccak256(Uint8Array.of(2));
    assert.equal(hex(first), saved);
    assert.equal(first.length, 32);
    // Callers may keep or change what they get.
    first[0] ^= 0xff;
    assert.equal(hex(keccak256(Uint8Array.of(1))), saved);
  });
});
