/**
 * Where a generated project takes the Devkit's own packages (@bitlayer/cli, @bitlayer/devnet, @bitlayer/plugins)
 * from. They are not published yet, so by default from tarballs that `npm run pack` wrote in a Devkit clone:
 *
 * 1. `BITLAYER_PACKAGES=registry` or `BITLAYER_PACKAGES=<folder of tarballs>`, when set;
 * 2. the packs folder recorded in this CLI's package by `npm run pack` (dist/packs.json), if the tarballs are there;
 * 3. when this CLI runs from a Devkit checkout, `<checkout>/packs` (packed first if missing or older than the build);
 * 4. else the npm registry (`^<version>`).
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../errors.js";
import { VERSION } from "../version.js";

/** The Devkit packages a project depends on, by their name without the scope. */
export const DEVKIT_PACKAGES = ["cli", "devnet", "plugins"] as const;
export type DevkitPackage = (typeof DEVKIT_PACKAGES)[number];

export type PackageSource = { kind: "tarballs"; dir: string; why: string } | { kind: "registry"; version: string; why: string };

export function tarballName(pkg: DevkitPackage, version: string = VERSION): string {
  return `bitlayer-${pkg}-${version}.tgz`;
}

/** The dependency spec of `@bitlayer/<pkg>` in a generated package.json. */
export function specFor(source: PackageSource, pkg: DevkitPackage): string {
  return source.kind === "registry" ? `^${source.version}` : `file:${join(source.dir, tarballName(pkg))}`;
}

function tarballsIn(dir: string): boolean {
  return DEVKIT_PACKAGES.every((pkg) => existsSync(join(dir, tarballName(pkg))));
}

const here = dirname(fileURLToPath(import.meta.url));

/** The packs folder `npm run pack` recorded in this package (dist/packs.json beside the bundle). */
function recordedPacksDir(): string | undefined {
  const file = join(here, "packs.json");
  if (!existsSync(file)) return undefined;
  const { dir } = JSON.parse(readFileSync(file, "utf8")) as { dir?: string };
  return typeof dir === "string" ? dir : undefined;
}

/** The Devkit checkout this CLI runs from (its root package.json is "bitlayer-devkit"), if it does. */
export function checkoutRoot(from: string = here): string | undefined {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const pkgFile = join(dir, "package.json");
    if (!existsSync(pkgFile) || !existsSync(join(dir, "packages", "cli"))) continue;
    try {
      if ((JSON.parse(readFileSync(pkgFile, "utf8")) as { name?: string }).name === "bitlayer-devkit") return dir;
    } catch {
      // not a package.json we can read: keep looking
    }
  }
  return undefined;
}

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** Whether the checkout's tarballs are missing or older than its build (tsc's build info, the CLI bundle). */
function packsStale(root: string): boolean {
  const packs = join(root, "packs");
  if (!tarballsIn(packs)) return true;
  const built = Math.max(
    mtime(join(root, "packages/cli/dist/bitlayer.mjs")),
    ...DEVKIT_PACKAGES.map((pkg) => mtime(join(root, "packages", pkg, "dist/tsconfig.tsbuildinfo"))),
  );
  return Math.min(...DEVKIT_PACKAGES.map((pkg) => mtime(join(packs, tarballName(pkg))))) < built;
}

/** Decides where the project's @bitlayer packages come from; `pack` refreshes a checkout's tarballs when needed. */
export function resolvePackageSource(env: NodeJS.ProcessEnv = process.env, pack: (root: string) => void = runPack): PackageSource {
  const override = env.BITLAYER_PACKAGES?.trim();
  if (override === "registry") return { kind: "registry", version: VERSION, why: "BITLAYER_PACKAGES=registry" };
  if (override) {
    const dir = resolve(override);
    if (!tarballsIn(dir))
      throw new CliError(
        "INVALID_ARGUMENT",
        `BITLAYER_PACKAGES=${override}: ${tarballName("cli")}, ${tarballName("devnet")} and ${tarballName("plugins")} are not all there (npm run pack writes them)`,
      );
    return { kind: "tarballs", dir, why: "BITLAYER_PACKAGES" };
  }
  const recorded = recordedPacksDir();
  if (recorded && tarballsIn(recorded)) return { kind: "tarballs", dir: recorded, why: "the tarballs this CLI was packed with" };
  const root = checkoutRoot();
  if (root) {
    if (packsStale(root)) pack(root);
    return { kind: "tarballs", dir: join(root, "packs"), why: "this Devkit checkout's tarballs" };
  }
  return { kind: "registry", version: VERSION, why: "the npm registry" };
}

/** Runs the checkout's `scripts/pack.mjs` (what `npm run pack` runs), its output on stderr. */
function runPack(root: string): void {
  process.stderr.write("Packing the Devkit's packages (npm run pack) for the new project...\n");
  const result = spawnSync(process.execPath, [join(root, "scripts", "pack.mjs")], { cwd: root, stdio: ["ignore", 2, 2] });
  if (result.status !== 0)
    throw new CliError("INSTALL_FAILED", `npm run pack failed in ${root} (exit code ${result.status}); run it there to see why`);
}
