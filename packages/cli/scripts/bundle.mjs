// Bundles the CLI (dist/bitlayer.mjs, plus chunks dist/bitlayer-<hash>.mjs) so that it starts fast: the entry holds
// the commands' definitions; what only some commands run (the engine, for devnet and dev) is a chunk they import when
// they run. Native and binary packages stay external, and so do the terminal UI (ink, react) and the file watcher
// (chokidar), which the commands that need them load with import(). tiny-secp256k1 reads its WebAssembly next to the
// module that loads it (a chunk in dist/), so the file is copied there.
import { copyFileSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
// Node's own modules through `require` rather than `import`: an ESM import of a built-in builds a facade that reads
// every export, which runs the lazy getters too (node:fs's ReadStream loads the fs streams): ~20 ms of a start for
// the chunks the devnet imports. `require` hands over the module object; esbuild's interop reads exports on use.
const builtins = new Set(builtinModules);
const builtinsAsRequire = {
  name: "builtins-as-require",
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z0-9_/]+$/ }, (args) => {
      const id = args.path.replace(/^node:/, "");
      if (args.kind !== "import-statement" || !builtins.has(id)) return undefined;
      return { path: id, namespace: "node-builtin" };
    });
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({
      contents: `module.exports = require("node:${args.path}");`,
      loader: "js",
    }));
  },
};
// Chunks of an earlier build (their names are content hashes).
for (const file of readdirSync("dist")) if (/^bitlayer-[A-Z0-9]+\.mjs$/.test(file)) rmSync(`dist/${file}`);
// @noble/hashes reads `globalThis.crypto` for random bytes, at import (older copies) or when a curve is created (newer):
// that global is Node's WebCrypto, which loads on first access (~8-13 ms of a start, for a few random bytes that
// node:crypto's randomFillSync gives as well: the same CSPRNG).
const nobleRandomFromNode = {
  name: "noble-random-from-node",
  setup(build) {
    build.onLoad({ filter: /[\\/]@noble[\\/]hashes[\\/](esm[\\/])?(crypto|utils)\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("globalThis.crypto")) return undefined;
      const shim =
        'import { randomFillSync as __bitlayerRandomFill } from "node:crypto";\n' +
        "const __bitlayerCrypto = { getRandomValues: (array) => __bitlayerRandomFill(array) };\n";
      return { contents: shim + source.replaceAll("globalThis.crypto", "__bitlayerCrypto"), loader: "js" };
    });
  },
};
await build({
  entryPoints: { bitlayer: "dist/src/main.js" },
  bundle: true,
  // Code that only some commands need (the engine, for devnet and dev) goes into chunks that load with them.
  splitting: true,
  chunkNames: "bitlayer-[hash]",
  outExtension: { ".js": ".mjs" },
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist",
  // The engine of this checkout (packages/devnet), not whichever one node_modules/@bitlayer/devnet links to (in a git
  // worktree sharing another checkout's node_modules, that is the other checkout's).
  alias: { "@bitlayer/devnet": "../devnet/dist/src/index.js", "@bitlayer/devnet/client": "../devnet/dist/src/client.js" },
  external: ["ethers", "secp256k1", "keccak", "ink", "react", "react/*", "chokidar"],
  plugins: [builtinsAsRequire, nobleRandomFromNode],
  logLevel: "warning",
  // Without comments and spaces: less to read and parse, and the sources (which V8 keeps in the heap) take half the
  // memory: a comment with one non-Latin-1 character (an arrow, a dash) made a whole chunk a two-byte string.
  // Identifiers are kept, so stack traces still name functions.
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: "import { createRequire as __bitlayerRequire } from 'node:module'; const require = __bitlayerRequire(import.meta.url);" },
});
const wasm = require.resolve("tiny-secp256k1").replace(/lib[\\/](cjs[\\/])?index\.c?js$/, "lib/secp256k1.wasm");
copyFileSync(wasm, "dist/secp256k1.wasm");
