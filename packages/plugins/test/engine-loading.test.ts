// The plugins load with every Hardhat connection, also to networks that are not a devnet (Hardhat's own, a testnet):
// the engine (@bitlayer/devnet's main entry, ~1 s to load in a test process before it was bundled) must load only
// for a devnet run in process. Type imports are erased by tsc, so any import left in the built files runs.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const DIST_SRC = fileURLToPath(new URL("../src/", import.meta.url));

describe("plugins: what loads the engine", () => {
  it("only common/load-engine.js imports @bitlayer/devnet (when an in-process devnet starts); the rest uses @bitlayer/devnet/client", () => {
    const files = readdirSync(DIST_SRC, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    assert.ok(files.length > 10, `no build in ${DIST_SRC}`);
    const staticImports: string[] = [];
    const dynamicImports: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(DIST_SRC, file), "utf8");
      if (/\bfrom\s*["']@bitlayer\/devnet["']/.test(code) || /^import\s*["']@bitlayer\/devnet["']/m.test(code)) staticImports.push(file);
      if (/\bimport\(\s*["']@bitlayer\/devnet["']\s*\)/.test(code)) dynamicImports.push(relative(DIST_SRC, join(DIST_SRC, file)));
    }
    assert.deepEqual(staticImports, []);
    assert.deepEqual(dynamicImports, ["common/load-engine.js"]);
    // ...and only the in-process devnets call it.
    const callers = files.filter((f) => !f.startsWith("common/") && /\bloadEngine\(\)/.test(readFileSync(join(DIST_SRC, f), "utf8")));
    assert.deepEqual(callers.sort(), ["hardhat/internal/in-process.js", "hardhat2/internal/provider.js"]);
  });
});
