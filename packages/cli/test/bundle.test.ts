// The CLI's bundle (npm run build): V8 keeps each module's source in the heap for as long as the process runs, one
// byte per character only if every character is Latin-1. One comment with an arrow or a dash made a whole chunk a
// two-byte string (the bundle is minified to drop comments): this checks it stays so.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

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
});
