// Bundles the engine (dist/bundle/index.mjs, plus chunks) for the packages that import it at run time: the Hardhat
// plugins load it inside the test process, where every module file costs a trip through the module loader (and
// through the TypeScript loader Hardhat installs): ~500 files took 1.3 s there, one bundle a fraction of it. What only
// some requests need (the Bitcoin side, the state file, WebSocket) stays in chunks loaded on first use. Native and
// binary packages stay external, and so does ethers (the plugins' own copy is then shared). Types stay in dist/src.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { nodeBundleOptions } from "../../../scripts/bundle-options.mjs";

const OUT = "dist/bundle";
/** The one module left with a dynamic import() (see below). */
const DYNAMIC_IMPORT = "dynamic-import.mjs";

rmSync(OUT, { recursive: true, force: true });
const { metafile } = await build({
  ...nodeBundleOptions,
  entryPoints: { index: "dist/src/index.js" },
  chunkNames: "chunk-[hash]",
  outdir: OUT,
  external: ["ethers", "ethers/*", "secp256k1", "keccak"],
  metafile: true,
});

// Hardhat runs tests under tsx, whose loader rewrites every JavaScript file that holds a dynamic `import(` (an interop
// `.then` on each, mapped by a source map it builds character by character), on the main thread, at every test run:
// for the entry chunk (~140 KB, the RPC methods' lazy parts) ~15 ms of each in-process network's start. The chunks'
// dynamic imports go through one tiny module instead, beside them, so that each resolves as it did (same folder). Each
// rewritten call is one esbuild emitted for a dynamic import it lists in the metafile; any other `import(` fails the build.
writeFileSync(join(OUT, DYNAMIC_IMPORT), "export const load = (specifier) => import(specifier);\n");
for (const [file, output] of Object.entries(metafile.outputs)) {
  if (!file.endsWith(".mjs")) continue;
  const specifiers = output.imports.filter((i) => i.kind === "dynamic-import").map((i) => (i.external ? i.path : `./${basename(i.path)}`));
  if (specifiers.length === 0) continue;
  let source = readFileSync(file, "latin1");
  for (const specifier of new Set(specifiers))
    source = source.replaceAll(`import(${JSON.stringify(specifier)})`, `__bitlayerImport(${JSON.stringify(specifier)})`);
  if (source.includes("import(")) throw new Error(`${file}: an import( that is not one of the metafile's dynamic imports`);
  writeFileSync(file, `import{load as __bitlayerImport}from"./${DYNAMIC_IMPORT}";${source}`, "latin1");
}
console.log(`dist/bundle: ${readdirSync(OUT).length} files`);
