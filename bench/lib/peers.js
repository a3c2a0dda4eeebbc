// Ganache and Tevm are not devDependencies (CI installs must not grow): the bench installs them on first use,
// at pinned versions from the npm registry, into bench/.cache/peers (gitignored).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const PEER_VERSIONS = { ganache: "7.9.2", tevm: "2.0.0-next.101" };
export const CACHE = path.join(path.dirname(fileURLToPath(import.meta.url)), "../.cache/peers");

function installedVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(CACHE, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned peers that are missing; returns { name: error message } for those that could not be. */
export function ensurePeers(names, log) {
  const missing = names.filter((n) => installedVersion(n) !== PEER_VERSIONS[n]);
  if (!missing.length) return {};
  fs.mkdirSync(CACHE, { recursive: true });
  const pkg = { private: true, description: "bench peers, installed by bench/lib/peers.js", dependencies: {} };
  for (const n of Object.keys(PEER_VERSIONS)) pkg.dependencies[n] = PEER_VERSIONS[n];
  fs.writeFileSync(path.join(CACHE, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  log(`installing ${missing.map((n) => `${n}@${PEER_VERSIONS[n]}`).join(", ")} into ${path.relative(process.cwd(), CACHE)} (once)`);
  const failed = {};
  try {
    // No install scripts: Ganache's optional native add-ons fall back to JavaScript.
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], {
      cwd: CACHE,
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 600_000,
    });
  } catch (err) {
    for (const n of missing)
      failed[n] = `npm install failed: ${String(err.stderr ?? err.message)
        .trim()
        .split("\n")
        .slice(-3)
        .join(" ")}`;
  }
  for (const n of missing) if (!failed[n] && installedVersion(n) !== PEER_VERSIONS[n]) failed[n] = "not installed";
  return failed;
}

export function peerVersion(name) {
  return installedVersion(name);
}

export async function importPeer(name) {
  const resolved = createRequire(path.join(CACHE, "package.json")).resolve(name);
  return import(pathToFileURL(resolved).href);
}

export function peerBin(name) {
  return path.join(CACHE, "node_modules/.bin", name);
}
