// The esbuild options both bundles share: the CLI's (packages/cli/scripts/bundle.mjs) and the engine's
// (packages/devnet/scripts/bundle.mjs). ESM for Node, chunks for what loads later, minified whitespace and syntax.
import { readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join as joinPath } from "node:path";

const require = createRequire(import.meta.url);

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
    build.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => {
      if (LAZY_BUILTINS.has(args.path)) return { contents: lazyBuiltinModule(args.path), loader: "js" };
      return { contents: `module.exports = require("node:${args.path}");`, loader: "js" };
    });
  },
};
// Built-ins a start needs none of, each loaded with its internals when imported: node:crypto (~4 ms: OpenSSL's
// bindings; Bitcoin hashes, random ids, key derivation run later, if at all), node:zlib and node:fs/promises (state
// files), node:v8 and node:vm (the CLI's idle collection, a second after the start). node:util is loaded at start
// anyway, but esbuild's interop reads the descriptor of each of its exports, and Node materialises its lazy ones
// (parseArgs, diff, setTraceSigInt: the latter loads worker_threads). Imported, each is a module of its functions that
// loads the built-in on the first call. Their classes and objects are not there: importing one fails the build (a
// function's own properties, such as `inspect.custom`, are not there either: use Symbol.for("nodejs.util.inspect.custom")).
const LAZY_BUILTINS = new Set(["crypto", "zlib", "fs/promises", "v8", "vm", "util"]);
function lazyBuiltinModule(id) {
  const builtin = require(`node:${id}`);
  const functions = Object.keys(builtin).filter((name) => typeof builtin[name] === "function" && /^[a-z]/.test(name));
  return (
    `let builtin;\nconst load = () => (builtin ??= require("node:${id}"));\n` +
    functions.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`).join("\n")
  );
}
// @noble/hashes' utils (each copy in the tree, 1.3 to 2.x):
// - It reads `globalThis.crypto` for random bytes, at import (older copies) or when a curve is created (newer): that
//   global is Node's WebCrypto, which loads on first access (~8-13 ms of a start, for a few random bytes that
//   node:crypto's randomFillSync gives as well: the same CSPRNG).
// - bytesToHex appends one two-character string per byte, a chain of string pieces for each call, and @ethereumjs makes
//   its caches' keys with it (storage slots, trie nodes: ~10% of what a template's test round allocates). Buffer's hex
//   encoder gives the same lowercase text, in one flat string, ~2.5 times faster.
function randomFromNode(source) {
  if (!source.includes("globalThis.crypto")) return source;
  const shim =
    'import { randomFillSync as __bitlayerRandomFill } from "node:crypto";\n' +
    "const __bitlayerCrypto = { getRandomValues: (array) => __bitlayerRandomFill(array) };\n";
  return shim + source.replaceAll("globalThis.crypto", "__bitlayerCrypto");
}
const HEX_LOOP = "let hex = '';\n    for (let i = 0; i < bytes.length; i++) {\n        hex += hexes[bytes[i]];\n    }\n    return hex;";
const HEX_BUFFER = 'return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");';
function hexWithBuffer(source) {
  return source.split(HEX_LOOP).length === 2 ? source.replace(HEX_LOOP, HEX_BUFFER) : source;
}

// @ethereumjs/evm imports the BN254, P-256 and BLS12-381 curves at load for its precompiles (ecAdd/ecMul/ecPairing,
// P256VERIFY, 0x0b-0x11), and building them (field towers, constants; BLS12-381's points probe for random bytes, which
// loads node:crypto) costs ~10-20 ms of every start, for precompiles most runs never call: in the bundles they load on
// first use. Only property reads at call time reach them (checked in @ethereumjs/evm 10: precompiles/bn254/noble.js,
// 100-p256verify.js, bls12_381/noble.js), except the BLS module's two points at infinity, read at load: they are read
// where they are used instead.
const LAZY_CURVES = { "@noble/curves/bn254.js": "bn254", "@noble/curves/nist.js": "p256", "@noble/curves/bls12-381.js": "bls12_381" };
const BLS_ZEROS = ["const G1_ZERO = bls12_381.G1.Point.ZERO;\n", "const G2_ZERO = bls12_381.G2.Point.ZERO;\n"];

/**
 * A plugin that gives the importers of a module (`filter`, and `importer` if given) stand-ins for its exports, which
 * load the module on first use: `stubs(path)` is the stand-ins' code, with `load()` returning the module.
 * A require() of a bundled module is evaluated when first called (esbuild wraps it), not with the bundle. Each first
 * load is listed in `globalThis[Symbol.for("bitlayer.lazyModules")]`: tests check what a start loads.
 */
function lazyModule({ name, filter, importer, stubs }) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) => {
        if (args.namespace === name || (importer && !importer.test(args.importer))) return undefined;
        return { path: args.path, namespace: name, pluginData: { resolveDir: args.resolveDir } };
      });
      build.onLoad({ filter: /.*/, namespace: name }, (args) => {
        const path = JSON.stringify(args.path);
        const contents =
          "let module;\nconst load = () =>\n" +
          `  module ?? ((globalThis[Symbol.for("bitlayer.lazyModules")] ??= []).push(${path}), (module = require(${path})));\n` +
          `${stubs(args.path)}\n`;
        return { contents, loader: "js", resolveDir: args.pluginData.resolveDir };
      });
    },
  };
}
/** A stand-in for an object export: its properties are read at call time. */
const lazyObject = (name) =>
  `export const ${name} = new Proxy({}, { get: (_, key) => load().${name}[key], has: (_, key) => key in load().${name} });`;

export const lazyPrecompileCurves = lazyModule({
  name: "lazy-curve",
  filter: /^@noble\/curves\/(bn254|nist|bls12-381)\.js$/,
  importer: /[\\/]@ethereumjs[\\/]evm[\\/]/,
  stubs: (path) => lazyObject(LAZY_CURVES[path]),
});
function blsZerosWhereUsed(source) {
  if (!BLS_ZEROS.every((line) => source.includes(line))) return source;
  let contents = source;
  for (const line of BLS_ZEROS) contents = contents.replace(line, "");
  return contents.replaceAll(/\bG([12])_ZERO\b/g, "bls12_381.G$1.Point.ZERO");
}

// @ethereumjs/util's bytes.js (checked in @ethereumjs/util 10: dist/esm/bytes.js):
// - It builds a cache of 65,536 BigInts (0 to 2^16 - 1) when it loads, for bytesToBigInt on one- and two-byte inputs:
//   1.8 MB of the heap for the process's life (a tenth of an idle devnet's), and a few ms of every start spent making
//   and copying them through the young generation. In the bundles, those inputs make their BigInt when asked (a small
//   allocation, after the hex conversion the function does first anyway).
// - setLengthLeft / setLengthRight pad by spreading the input and a block of zeros into an array of numbers, then copy
//   that into a new Uint8Array: an iterator and a 32-element array for each stack word the EVM pads (SSTORE's key and
//   value, MSTORE, calls' addresses; ~4% of the first ERC-20 load's time). The bundles copy the input once into a
//   zeroed Uint8Array of the length: the same bytes, the same new plain Uint8Array.
const EAGER_BIGINT_CACHE = "for (let i = 0; i <= 256 * 256 - 1; i++) {\n    BIGINT_CACHE[i] = BigInt(i);\n}";
const CACHE_READS = [
  ["return BIGINT_CACHE[bytes[0]];", "return BigInt(bytes[0]);"],
  ["return BIGINT_CACHE[bytes[0] * 256 + bytes[1]];", "return BigInt(bytes[0] * 256 + bytes[1]);"],
];
const SPREAD_PADDING = [
  ["new Uint8Array([...msg, ...new Uint8Array(length - msg.length)])", "__bitlayerPadded(msg, length, true)"],
  ["new Uint8Array([...new Uint8Array(length - msg.length), ...msg])", "__bitlayerPadded(msg, length, false)"],
];
const PADDED =
  "function __bitlayerPadded(msg, length, right) {\n    const out = new Uint8Array(length);\n" +
  "    out.set(msg, right ? 0 : length - msg.length);\n    return out;\n}\n";
function withoutBigIntCache(source) {
  if (!source.includes(EAGER_BIGINT_CACHE) || !CACHE_READS.every(([read]) => source.includes(read))) return source;
  let contents = source.replace(EAGER_BIGINT_CACHE, "");
  for (const [read, made] of CACHE_READS) contents = contents.replaceAll(read, made);
  return contents.includes("BIGINT_CACHE[") ? source : contents;
}
function withoutSpreadPadding(source) {
  if (!SPREAD_PADDING.every(([spread]) => source.split(spread).length === 2)) return source;
  let contents = source;
  for (const [spread, padded] of SPREAD_PADDING) contents = contents.replace(spread, padded);
  return `${contents}\n${PADDED}`;
}

// @noble/curves' secp256k1 module builds its curves as it loads (fields, points, Schnorr's tagged hashes: ~4 ms of
// every start, as much again in collections), and the engine needs them only where the native binding is missing or
// for the Bitcoin side's keys. In the bundles its exports are stand-ins that load it on first use: objects whose
// properties are read at call time (checked in @noble/curves 2: plain objects of closures, no `this`). @ethereumjs/util
// reads the curve's order as it loads (constants.js): it gets the number itself, taken from the curve here.
const nobleSecp256k1Module = await import("@noble/curves/secp256k1.js");
const SECP256K1_EXPORTS = Object.keys(nobleSecp256k1Module);
const ORDER_READ = "export const SECP256K1_ORDER = secp256k1.Point.CURVE().n;";
const ORDER_VALUE = `export const SECP256K1_ORDER = 0x${nobleSecp256k1Module.secp256k1.Point.CURVE().n.toString(16)}n;`;
export const lazySecp256k1 = lazyModule({
  name: "lazy-secp256k1",
  filter: /^@noble\/curves\/secp256k1(\.js)?$/,
  stubs: () => SECP256K1_EXPORTS.map(lazyObject).join("\n"),
});

function secp256k1OrderValue(source) {
  return source.includes(ORDER_READ) ? source.replace(ORDER_READ, ORDER_VALUE) : source;
}

// @scure/bip32 reads the secp256k1 curve as it loads (which would load it: see above), for the Bitcoin side's keys
// where the native binding is missing and to write a custom mnemonic's xpub (the default's is written out): in the
// bundles HDKey is a stand-in that loads it on first use. The devnet only constructs HDKey and reads its statics
// (checked in src/bitcoin/keys.ts).
export const lazyBip32 = lazyModule({
  name: "lazy-bip32",
  filter: /^@scure\/bip32$/,
  stubs: () =>
    "export const HDKey = new Proxy(class {}, { construct: (_, args) => new (load().HDKey)(...args), get: (_, key) => load().HDKey[key] });\n" +
    "export const HARDENED_OFFSET = 0x80000000;",
});

// @ethereumjs/vm's runTx makes a default block header as it loads (a mainnet Common with it: ~1-2 ms of a start), for
// runs given no block: the devnet always gives one. In the bundles it is made when first asked for. Checked in
// @ethereumjs/vm 10: dist/esm/runTx.js.
const DEFAULT_HEADER_MADE = "const DEFAULT_HEADER = createBlockHeader();";
function lazyDefaultHeader(source) {
  if (!source.includes(DEFAULT_HEADER_MADE)) return source;
  return source
    .replace(DEFAULT_HEADER_MADE, "let defaultHeader;\nconst DEFAULT_HEADER_ = () => (defaultHeader ??= createBlockHeader());")
    .replaceAll(/\bDEFAULT_HEADER\b/g, "DEFAULT_HEADER_()");
}

// ethers' files import from its barrels ("../crypto/index.js"), and esbuild's code splitting follows a file's imports,
// not the names used: every chunk that needs keccak256 or getAddress was tied to all of the barrel's files, so the
// bridge's ABI coder brought ethers' transactions, wallets and signing key with its own secp256k1 curve to the Bitcoin
// side's start (209 KB of code; 81 KB now). Imports from a barrel are pointed at the files that define the names
// (ethers declares no side effects); names a barrel defines itself, or re-exports with `*`, stay with the barrel.
const ETHERS_BARREL_IMPORT = /import \{([^}]*)\} from "((?:\.\.?\/)+(?:[a-z0-9-]+\/)*index\.js)";/g;
const barrelExports = new Map();
/** The items of an import or export list ("a", "b as c"), without comments. */
const namesOf = (list) =>
  list
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
/** What a barrel exports, name → the file (beside the barrel) that defines it; names it defines itself are left out. */
function exportsOfBarrel(barrelPath) {
  let names = barrelExports.get(barrelPath);
  if (names) return names;
  names = new Map();
  const source = readFileSync(barrelPath, "utf8");
  const imported = new Map();
  for (const [, list, from] of source.matchAll(/import \{([^}]*)\} from "(\.\/[^"]+)";/g))
    for (const item of namesOf(list)) {
      const [name, local = name] = item.split(/\s+as\s+/);
      imported.set(local, { name, from });
    }
  for (const [, list] of source.matchAll(/export \{([^}]*)\};/g))
    for (const item of namesOf(list)) {
      const [local, exported = local] = item.split(/\s+as\s+/);
      if (imported.has(local)) names.set(exported, imported.get(local));
    }
  for (const [, list, from] of source.matchAll(/export \{([^}]*)\} from "(\.\/[^"]+)";/g))
    for (const item of namesOf(list)) {
      const [name, exported = name] = item.split(/\s+as\s+/);
      names.set(exported, { name, from });
    }
  barrelExports.set(barrelPath, names);
  return names;
}
function ethersBarrelsResolved(source, path) {
  return source.replace(ETHERS_BARREL_IMPORT, (_, list, barrel) => {
    const barrelPath = joinPath(dirname(path), barrel);
    const names = exportsOfBarrel(barrelPath);
    const items = namesOf(list);
    const direct = [];
    const rest = [];
    for (const item of items) {
      const [name, local = name] = item.split(/\s+as\s+/);
      const found = names.get(name);
      if (!found) rest.push(item);
      else {
        const file = `${barrel.slice(0, -"index.js".length)}${found.from.slice(2)}`;
        direct.push(`import { ${found.name === local ? local : `${found.name} as ${local}`} } from "${file}";`);
      }
    }
    if (rest.length > 0) direct.push(`import { ${rest.join(", ")} } from "${barrel}";`);
    return direct.join(" ");
  });
}

// lru-cache (each copy @ethereumjs keeps, 11.x) picks its clock as it loads by reading the `performance` global, which
// loads Node's perf_hooks and worker_threads internals (~1 ms of every start) for TTLs the engine never sets. In the
// bundles the clock is picked at its first use: the same clock, read later.
const EAGER_PERF =
  "const perf = typeof performance === 'object' &&\n    performance &&\n    typeof performance.now === 'function'\n    ? performance\n    : Date;";
const LAZY_PERF =
  "const perf = { now: () => (typeof performance === 'object' && performance && typeof performance.now === 'function' ? performance : Date).now() };";
function clockOnFirstUse(source) {
  return source.includes(EAGER_PERF) ? source.replace(EAGER_PERF, LAZY_PERF) : source;
}

// The edits above, by the library file they change. Each changes a known text and returns the source as it was where
// that text is not there as expected. esbuild loads a file with the first plugin that answers, so every edit of a file
// runs in this one loader, in order: a second loader for the same file would silently drop one of them.
const libraryFile = (...parts) => new RegExp(`[\\\\/]${parts.join("[\\\\/]")}$`);
const LIBRARY_EDITS = [
  { file: libraryFile("@noble", "hashes", "(esm[\\\\/])?(crypto|utils)\\.js"), edits: [randomFromNode, hexWithBuffer] },
  { file: libraryFile("@ethereumjs", "util", "dist", "esm", "bytes\\.js"), edits: [withoutBigIntCache, withoutSpreadPadding] },
  { file: libraryFile("@ethereumjs", "util", "dist", "esm", "constants\\.js"), edits: [secp256k1OrderValue] },
  { file: libraryFile("@ethereumjs", "evm", "dist", "esm", "precompiles", "bls12_381", "noble\\.js"), edits: [blsZerosWhereUsed] },
  { file: libraryFile("@ethereumjs", "vm", "dist", "esm", "runTx\\.js"), edits: [lazyDefaultHeader] },
  { file: libraryFile("ethers", "lib\\.esm", ".+\\.js"), edits: [ethersBarrelsResolved] },
  { file: libraryFile("lru-cache", "dist", "esm", "index\\.js"), edits: [clockOnFirstUse] },
];
export const libraryEdits = {
  name: "library-edits",
  setup(build) {
    const filter = new RegExp(LIBRARY_EDITS.map(({ file }) => `(?:${file.source})`).join("|"));
    build.onLoad({ filter }, (args) => {
      const source = readFileSync(args.path, "utf8");
      let contents = source;
      for (const { file, edits } of LIBRARY_EDITS) if (file.test(args.path)) for (const edit of edits) contents = edit(contents, args.path);
      return contents === source ? undefined : { contents, loader: "js" };
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
  plugins: [builtinsAsRequire, lazyPrecompileCurves, lazySecp256k1, lazyBip32, libraryEdits],
  logLevel: "warning",
  // Without comments and spaces: less to read and parse, and the sources (which V8 keeps in the heap) take half the
  // memory: a comment with one non-Latin-1 character (an arrow, a dash) made a whole chunk a two-byte string.
  // Identifiers are kept, so stack traces still name functions.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS code calls `require`: one that resolves from the bundle's own folder.
  banner: { js: "import { createRequire as __bitlayerRequire } from 'node:module'; const require = __bitlayerRequire(import.meta.url);" },
};
