// The esbuild options both bundles share: the CLI's (packages/cli/scripts/bundle.mjs) and the engine's
// (packages/devnet/scripts/bundle.mjs). ESM for Node, chunks for what loads later, minified whitespace and syntax.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";

// Node's own modules through `require` rather than `import`: an ESM import of a built-in builds a facade that reads
// every export, which runs the lazy getters too (node:fs's ReadStream loads the fs streams): ~20 ms of a start for
// the chunks the devnet imports. `require` hands over the module object; esbuild's interop reads exports on use.
const builtins = new Set(builtinModules);
export const builtinsAsRequire = {
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
// @noble/hashes reads `globalThis.crypto` for random bytes, at import (older copies) or when a curve is created (newer):
// that global is Node's WebCrypto, which loads on first access (~8-13 ms of a start, for a few random bytes that
// node:crypto's randomFillSync gives as well: the same CSPRNG).
export const nobleRandomFromNode = {
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
// @ethereumjs/evm imports the BN254 and P-256 curves at load for two families of precompiles (ecAdd/ecMul/ecPairing,
// P256VERIFY), and building them (field towers, constants) costs ~10-20 ms of every start, for precompiles most runs
// never call: in the bundles they load on first use. Only property reads at call time reach them (checked in
// @ethereumjs/evm 10: precompiles/bn254/noble.js, 100-p256verify.js). BLS12-381 stays as it is: its module reads the
// curve's points at load.
const LAZY_CURVES = { "@noble/curves/bn254.js": "bn254", "@noble/curves/nist.js": "p256" };
export const lazyPrecompileCurves = {
  name: "lazy-precompile-curves",
  setup(build) {
    build.onResolve({ filter: /^@noble\/curves\/(bn254|nist)\.js$/ }, (args) => {
      if (args.namespace === "lazy-curve" || !/[\\/]@ethereumjs[\\/]evm[\\/]/.test(args.importer)) return undefined;
      return { path: args.path, namespace: "lazy-curve", pluginData: { resolveDir: args.resolveDir } };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy-curve" }, (args) => {
      const name = LAZY_CURVES[args.path];
      // A require() of a bundled module is evaluated when first called (esbuild wraps it), not with the bundle.
      const contents =
        `let curve;\nconst load = () => (curve ??= require(${JSON.stringify(args.path)}).${name});\n` +
        `export const ${name} = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });\n`;
      return { contents, loader: "js", resolveDir: args.pluginData.resolveDir };
    });
  },
};

// @ethereumjs/util builds a cache of 65,536 BigInts (0 to 2^16 - 1) when it loads, for bytesToBigInt on one- and
// two-byte inputs: 1.8 MB of the heap for the process's life (a tenth of an idle devnet's), and a few ms of every start
// spent making and copying them through the young generation. In the bundles, those inputs make their BigInt when
// asked (a small allocation, after the hex conversion the function does first anyway). Checked in @ethereumjs/util 10:
// dist/esm/bytes.js; a source that does not read as expected is left as it is.
const EAGER_BIGINT_CACHE = "for (let i = 0; i <= 256 * 256 - 1; i++) {\n    BIGINT_CACHE[i] = BigInt(i);\n}";
const CACHE_READS = [
  ["return BIGINT_CACHE[bytes[0]];", "return BigInt(bytes[0]);"],
  ["return BIGINT_CACHE[bytes[0] * 256 + bytes[1]];", "return BigInt(bytes[0] * 256 + bytes[1]);"],
];
export const noBigIntCache = {
  name: "no-bigint-cache",
  setup(build) {
    build.onLoad({ filter: /[\\/]@ethereumjs[\\/]util[\\/]dist[\\/]esm[\\/]bytes\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(EAGER_BIGINT_CACHE) || !CACHE_READS.every(([read]) => source.includes(read))) return undefined;
      let contents = source.replace(EAGER_BIGINT_CACHE, "");
      for (const [read, made] of CACHE_READS) contents = contents.replaceAll(read, made);
      if (contents.includes("BIGINT_CACHE[")) return undefined;
      return { contents, loader: "js" };
    });
  },
};

/** Options for a Node ESM bundle with chunks (`outdir`, entry points and externals are each bundle's own). */
export const nodeBundleOptions = {
  bundle: true,
  splitting: true,
  outExtension: { ".js": ".mjs" },
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [builtinsAsRequire, nobleRandomFromNode, lazyPrecompileCurves, noBigIntCache],
  logLevel: "warning",
  // Without comments and spaces: less to read and parse, and the sources (which V8 keeps in the heap) take half the
  // memory: a comment with one non-Latin-1 character (an arrow, a dash) made a whole chunk a two-byte string.
  // Identifiers are kept, so stack traces still name functions.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS code calls `require`: one that resolves from the bundle's own folder.
  banner: { js: "import { createRequire as __bitlayerRequire } from 'node:module'; const require = __bitlayerRequire(import.meta.url);" },
};
