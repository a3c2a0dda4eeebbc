#!/usr/bin/env node
// bitlayer-install-node22-optionals: run from a project's `prepare` script (the Devkit's own, and every project
// `bitlayer init` writes), i.e. on the project's Node 22 (the `node` npm package: npm puts node_modules/.bin first on
// PATH). When `npm install` itself ran on an older Node, npm skipped optional dependencies that declare
// `engines: node >= 22` — Hardhat 3's native EDR binary among them. Installing once more from Node 22 adds them.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

// Resolve as the project does (from its folder), and as Hardhat does (EDR from Hardhat's own folder when there).
const fromProject = createRequire(join(process.cwd(), "package.json"));
const major = Number(process.versions.node.split(".")[0]);

function edrLoads() {
  let from = fromProject;
  try {
    from = createRequire(fromProject.resolve("hardhat/package.json"));
  } catch {
    // no Hardhat: EDR from the project itself
  }
  try {
    from("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

if (major < 22) {
  console.warn(`warning: prepare ran on Node ${process.versions.node}; the project's Node 22 (npm package "node") is missing`);
} else if (!edrLoads()) {
  const npm = process.env.npm_execpath;
  if (!npm) {
    console.error("error: run this through npm (npm install)");
    process.exit(1);
  }
  console.log("Installing Node 22-only optional dependencies (Hardhat's EDR) with Node", process.versions.node);
  const result = spawnSync(process.execPath, [npm, "install", "--ignore-scripts", "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (result.status !== 0 || !edrLoads()) {
    console.error("error: Hardhat's native EDR package could not be installed");
    process.exit(1);
  }
}
