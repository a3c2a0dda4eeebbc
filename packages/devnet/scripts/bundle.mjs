// Bundles the engine (dist/bundle/index.mjs, plus chunks) for the packages that import it at run time: the Hardhat
// plugins load it inside the test process, where every module file costs a trip through the module loader (and
// through the TypeScript loader Hardhat installs): ~500 files took 1.3 s there, one bundle a fraction of it. What only
// some requests need (the Bitcoin side, the state file, WebSocket) stays in chunks loaded on first use. Native and
// binary packages stay external, and so does ethers (the plugins' own copy is then shared). Types stay in dist/src.
import { readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundleOptions } from "../../../scripts/bundle-options.mjs";

rmSync("dist/bundle", { recursive: true, force: true });
await build({
  ...nodeBundleOptions,
  entryPoints: { index: "dist/src/index.js" },
  chunkNames: "chunk-[hash]",
  outdir: "dist/bundle",
  external: ["ethers", "ethers/*", "secp256k1", "keccak"],
});
console.log(`dist/bundle: ${readdirSync("dist/bundle").length} files`);
