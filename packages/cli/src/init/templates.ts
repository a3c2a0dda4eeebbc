/**
 * The templates `bitlayer init` can write: folders with a package.json, found beside the running CLI (an installed
 * package carries a copy in dist/templates, made by `npm run pack`) or in the Devkit checkout it runs from.
 *
 * @module
 */

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Template {
  name: string;
  description: string;
  dir: string;
}

/** Listed first, in this order; any other template folder follows by name. */
const ORDER = ["starter", "bridge"];

function hasTemplates(dir: string): boolean {
  return existsSync(join(dir, "starter", "package.json"));
}

/** The templates folder: beside the running module (the packed CLI), else up the tree (a checkout: <repo>/templates). */
export function findTemplatesDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  const beside = join(from, "templates");
  if (hasTemplates(beside)) return beside;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "templates");
    if (hasTemplates(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`the templates were not found beside ${from} nor above it: reinstall the CLI (npm run pack in the Devkit clone)`);
}

export function listTemplates(templatesDir: string = findTemplatesDir()): Template[] {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(templatesDir, entry.name, "package.json")))
    .map((entry) => {
      const dir = join(templatesDir, entry.name);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { description?: string };
      return { name: entry.name, description: pkg.description ?? "", dir };
    })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}
