// The CLI's bundle (npm run build): V8 keeps each module's source in the heap for as long as the process runs, one
// byte per character only if every character is Latin-1. One comment with an arrow or a dash made a whole chunk a
// two-byte string (the bundle is minified to drop comments): this checks it stays so.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rpc, startDevnet, stop } from "./devnet-helpers.js";

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
