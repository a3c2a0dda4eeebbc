// npm run pack: installable tarballs of the Devkit's packages, for using them outside this checkout before they are
// published: packs/bitlayer-devnet-<v>.tgz, packs/bitlayer-plugins-<v>.tgz, packs/bitlayer-cli-<v>.tgz.
// It builds nothing: run `npm run build` first. The CLI's tarball carries the templates (dist/templates) and the
// absolute path of packs/ (dist/packs.json), where `bitlayer init` finds the tarballs a new project depends on.
//   npm run pack && npm install --global ./packs/bitlayer-cli-<v>.tgz
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const packs = join(root, "packs");
const PACKAGES = ["devnet", "plugins", "cli"];
const BUILT = [
  "packages/devnet/dist/src/index.js",
  "packages/devnet/dist/bundle/index.mjs",
  "packages/plugins/dist/src/index.js",
  "packages/cli/dist/bitlayer.mjs",
];

for (const file of BUILT)
  if (!existsSync(join(root, file))) {
    console.error(`error: ${file} is missing: run \`npm run build\` first (npm run pack packs the build, it does not build)`);
    process.exit(1);
  }

const cliDist = join(root, "packages/cli/dist");
const extras = [join(cliDist, "templates"), join(cliDist, "packs.json")];
const version = JSON.parse(readFileSync(join(root, "packages/cli/package.json"), "utf8")).version;

/** templates/ without what a run of their tests leaves; `.gitignore` as `_gitignore` (npm drops .gitignore files). */
function copyTemplates(to) {
  const skip = new Set(["node_modules", "artifacts", "cache", "package-lock.json"]);
  cpSync(join(root, "templates"), to, { recursive: true, filter: (src) => !skip.has(basename(src)) });
  for (const entry of readdirSync(to, { recursive: true, withFileTypes: true }))
    if (entry.name === ".gitignore") renameSync(join(entry.parentPath, entry.name), join(entry.parentPath, "_gitignore"));
}

const npm = process.env.npm_execpath;
function npmPack(dir) {
  const [command, args] = npm ? [process.execPath, [npm]] : [process.platform === "win32" ? "npm.cmd" : "npm", []];
  const result = spawnSync(command, [...args, "pack", "--pack-destination", packs, "--ignore-scripts", "--json"], {
    cwd: dir,
    encoding: "utf8",
    shell: !npm && process.platform === "win32",
  });
  if (result.status !== 0) {
    console.error(`error: npm pack failed in ${relative(root, dir)}: ${(result.stderr || result.stdout).trim().split("\n").at(-1)}`);
    process.exit(1);
  }
  return JSON.parse(result.stdout)[0].filename.replace(/^@/, "").replace("/", "-");
}

mkdirSync(packs, { recursive: true });
// Tarballs of other versions would be confusing: only the current ones stay.
for (const name of readdirSync(packs)) if (/^bitlayer-(cli|devnet|plugins)-.*\.tgz$/.test(name)) rmSync(join(packs, name));
try {
  for (const extra of extras) rmSync(extra, { recursive: true, force: true });
  copyTemplates(extras[0]);
  writeFileSync(extras[1], `${JSON.stringify({ dir: packs, version }, null, 2)}\n`);
  for (const pkg of PACKAGES) {
    const file = npmPack(join(root, "packages", pkg));
    console.log(`packs/${file}`);
  }
} finally {
  // Only the tarball carries them: in the checkout, init reads templates/ and packs/ directly.
  for (const extra of extras) rmSync(extra, { recursive: true, force: true });
}
console.log(`Install the bitlayer command from them: npm install --global ./packs/bitlayer-cli-${version}.tgz`);
