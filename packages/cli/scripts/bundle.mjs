// Bundles the CLI into one file (dist/bitlayer.mjs) so that it starts fast. Native and binary
// packages stay external, and so do the terminal UI (ink, react) and the file watcher (chokidar), which
// only some commands load, with import() when they need them; everything the devnet loads on first use (Bitcoin, the wallet) stays in the
// bundle on purpose: esbuild hoists an external's static import to the top of the bundle, which would
// load it at every start. tiny-secp256k1 reads its WebAssembly next to the module that loads it: the
// bundle, so the file is copied beside it.
import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
await build({
  entryPoints: ["dist/src/main.js"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/bitlayer.mjs",
  external: ["ethers", "secp256k1", "keccak", "ink", "react", "react/*", "chokidar"],
  logLevel: "warning",
  banner: { js: "import { createRequire as __bitlayerRequire } from 'node:module'; const require = __bitlayerRequire(import.meta.url);" },
});
const wasm = require.resolve("tiny-secp256k1").replace(/lib[\\/](cjs[\\/])?index\.c?js$/, "lib/secp256k1.wasm");
copyFileSync(wasm, "dist/secp256k1.wasm");
