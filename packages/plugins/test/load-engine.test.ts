// The engine loads inside the user's test process: loadEngine turns on Node's compile cache there (Node >= 22.1), so
// that later runs do not compile the engine again; NODE_DISABLE_COMPILE_CACHE still turns it off.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const LOAD_ENGINE = fileURLToPath(new URL("../src/common/load-engine.js", import.meta.url));

// A fresh Node process (this one may have the cache on already): the cache's folder before and after loadEngine, and
// whether the engine loaded.
function probe(env: NodeJS.ProcessEnv): { before?: string; after?: string; engine: boolean } {
  const script = `
    import module from "node:module";
    const before = module.getCompileCacheDir();
    const { loadEngine } = await import(${JSON.stringify(LOAD_ENGINE)});
    const engine = await loadEngine();
    console.log(JSON.stringify({ before, after: module.getCompileCacheDir(), engine: typeof engine.createDevnet === "function" }));`;
  const clean = { ...env };
  delete clean.NODE_COMPILE_CACHE;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: clean, encoding: "utf8" });
  return JSON.parse(out);
}

describe("plugins: loadEngine", () => {
  const hasCache = typeof module.enableCompileCache === "function";
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bitlayer-compile-cache-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the engine with Node's compile cache on, where Node has one", function () {
    if (!hasCache) this.skip();
    const { before, after, engine } = probe({ ...process.env, TMPDIR: dir });
    assert.equal(engine, true);
    assert.equal(before, undefined);
    assert.ok(after?.startsWith(join(dir, "node-compile-cache")), `cache folder: ${after}`);
    // The engine's modules were written to it (at the process's exit).
    assert.ok(readdirSync(after ?? dir, { recursive: true }).length > 1, "nothing in the compile cache");
  });

  it("leaves it off when NODE_DISABLE_COMPILE_CACHE is set", function () {
    if (!hasCache) this.skip();
    const { after, engine } = probe({ ...process.env, TMPDIR: dir, NODE_DISABLE_COMPILE_CACHE: "1" });
    assert.equal(engine, true);
    assert.equal(after, undefined);
  });
});
