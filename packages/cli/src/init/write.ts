/**
 * Writes a template into a new project folder: its files as they are, but `_gitignore` (npm leaves `.gitignore`
 * files out of packages) becomes `.gitignore`, and package.json gets the project's name and the @bitlayer packages'
 * specs for the chosen source.
 *
 * @module
 */

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CliError } from "../errors.js";
import { DEVKIT_PACKAGES, type PackageSource, specFor } from "./packages.js";

/** What a template folder may hold that is not part of it (a run of its tests in the checkout). */
const SKIP = new Set(["node_modules", "artifacts", "cache", "package-lock.json"]);

/** Refuses a target that exists and is not an empty folder (nothing is written). */
export function assertWritableTarget(dir: string, shown: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new CliError("TARGET_NOT_EMPTY", `${shown} exists and is not a folder; choose a new folder`);
  if (readdirSync(dir).length > 0) throw new CliError("TARGET_NOT_EMPTY", `${shown} is not empty; choose a new folder`);
}

/** An npm package name from a folder name: lowercase, only the characters npm allows. */
export function packageNameFor(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name || "bitlayer-app";
}

interface TemplatePackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

export function writeProject(templateDir: string, targetDir: string, source: PackageSource): void {
  mkdirSync(targetDir, { recursive: true });
  cpSync(templateDir, targetDir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) || src === templateDir });
  const ignore = join(targetDir, "_gitignore");
  if (existsSync(ignore)) renameSync(ignore, join(targetDir, ".gitignore"));

  const pkgFile = join(targetDir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as TemplatePackageJson;
  pkg.name = packageNameFor(targetDir);
  for (const name of DEVKIT_PACKAGES) {
    const key = `@bitlayer/${name}`;
    for (const deps of [pkg.dependencies, pkg.devDependencies]) if (deps && key in deps) deps[key] = specFor(source, name);
  }
  writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
}
