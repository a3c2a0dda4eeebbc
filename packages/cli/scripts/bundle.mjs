// Bundles the CLI (dist/bitlayer.mjs, plus chunks dist/bitlayer-<hash>.mjs) so that it starts fast: the entry holds
// the commands' definitions; what only some commands run (the engine, for devnet and dev) is a chunk they import when
// they run. Native and binary packages stay external, and so do the terminal UI (ink, react) and the file watcher
// (chokidar), which the commands that need them load with import(). ethers is bundled: the engine loads parts of it on
// first use (the bridge's ABI when the settlement layer starts, signing, revert reasons); from node_modules the ABI
// part alone is 85 module files, ~130 ms to load and ~7 MB of the idle process; from a chunk, a few ms.
import { readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundleOptions } from "../../../scripts/bundle-options.mjs";

// Chunks of an earlier build (their names are content hashes).
for (const file of readdirSync("dist")) if (/^bitlayer-[A-Z0-9]+\.mjs$/.test(file)) rmSync(`dist/${file}`);
// tiny-secp256k1's WebAssembly, which builds before the Bitcoin side moved to bitcoin/ecc.ts copied here.
rmSync("dist/secp256k1.wasm", { force: true });
await build({
  ...nodeBundleOptions,
  // devnet-run: what `bitlayer devnet` runs (the engine with it), an entry of its own so that bin/bitlayer.js can start
  // loading it alongside the CLI rather than after the arguments are parsed.
  entryPoints: { bitlayer: "dist/src/main.js", "devnet-run": "dist/src/devnet/run.js" },
  // Code that only some commands need (the engine, for devnet and dev) goes into chunks that load with them.
  chunkNames: "bitlayer-[hash]",
  outdir: "dist",
  // The engine of this checkout (packages/devnet), not whichever one node_modules/@bitlayer/devnet links to (in a git
  // worktree sharing another checkout's node_modules, that is the other checkout's).
  alias: { "@bitlayer/devnet": "../devnet/dist/src/index.js", "@bitlayer/devnet/client": "../devnet/dist/src/client.js" },
  external: ["secp256k1", "keccak", "ink", "react", "react/*", "chokidar"],
});
