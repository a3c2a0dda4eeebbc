// Benchmarks the Bitlayer devnet against Anvil and a Hardhat 3 node, one devnet after
// another on loopback, and prints a markdown report (progress goes to stderr).
// Usage: node bench/run.js [--only bitlayer,anvil,hardhat] [--count N]   (see docs/performance.md)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { freePort, groupRssMB, logTail, sleep, start, stop } from "./lib/processes.js";
import { ratios, table } from "./lib/report.js";
import { agent, rpc } from "./lib/rpc.js";
import { accounts, feeParams, fundSenders, sendAndMine, signTransfers } from "./lib/transfers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONCURRENCY = [1, 32]; // requests in flight; also the number of sender accounts (max)
const STARTS = 3; // cold starts per devnet; the last instance takes the load
const CAP_MS = 60_000; // per throughput measurement
const START_TIMEOUT_MS = 60_000;
const log = (...args) => console.error(...args);

// Hardhat 3 needs Node >= 22.13; the repo installs Node 22 as the `node` npm package.
const [major, minor] = process.versions.node.split(".").map(Number);
const NODE22 = major > 22 || (major === 22 && minor >= 13) ? process.execPath : path.join(ROOT, "node_modules/.bin/node");

const bitlayerCli = path.join(ROOT, "packages/cli/bin/bitlayer.js");
// node_modules/.bin/anvil is a Node wrapper that spawns the platform binary; run the binary
// itself so that an extra Node process (~45 MB, ~40 ms) is not counted against Anvil.
const anvilArch = { x64: "amd64", arm64: "arm64" }[process.arch];
const anvilNative = path.join(ROOT, `node_modules/@foundry-rs/anvil-${process.platform}-${anvilArch}/bin/anvil`);
const anvilBin = fs.existsSync(anvilNative) ? anvilNative : path.join(ROOT, "node_modules/.bin/anvil");
const hardhatCli = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");
const hardhatDir = path.join(ROOT, "bench/hardhat-node");

const DEVNETS = {
  bitlayer: {
    label: "Bitlayer",
    cmd: process.execPath,
    args: (port) => [
      bitlayerCli,
      "devnet",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--btc-port",
      "0",
      "--silent",
      ...(process.env.BENCH_BTC_BLOCK_TIME ? ["--btc-block-time", process.env.BENCH_BTC_BLOCK_TIME] : []),
    ],
    cwd: ROOT,
    needs: bitlayerCli,
    version: [process.execPath, [bitlayerCli, "--version"]],
  },
  anvil: {
    label: "Anvil",
    cmd: anvilBin,
    args: (port) => ["--host", "127.0.0.1", "--port", String(port), "--silent"],
    cwd: ROOT,
    needs: anvilBin,
    version: [anvilBin, ["--version"]],
  },
  hardhat: {
    label: "Hardhat",
    cmd: NODE22,
    args: (port) => [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    cwd: hardhatDir,
    needs: hardhatCli,
    version: [NODE22, [hardhatCli, "--version"]],
  },
};

// Known start failures and what to do about them.
const HINTS = [
  [
    /Cannot find native binding|HHE200: Plugin "builtin:node"/,
    "Hardhat's EDR native package is missing (npm install ran on Node 20, which skips it). Run `npm install` with " +
      "Node 22 first in PATH, or install @nomicfoundation/edr-linux-x64-gnu (the lock file's version) elsewhere and " +
      "run the bench with NODE_PATH=<that dir>/node_modules.",
  ],
];

class StartError extends Error {}

function versionOf([cmd, args], cwd) {
  try {
    const out = execFileSync(cmd, args, { cwd, timeout: 15_000, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return out
      .trim()
      .split("\n")[0]
      .replace(/^.*version:?\s*/i, ""); // "anvil Version: 1.7.1" -> "1.7.1"
  } catch {
    return "unknown";
  }
}

// Cold start = spawn until the first successful eth_chainId, polled every ~10 ms.
async function waitReady(proc, url, t0) {
  for (;;) {
    if (proc.exit) throw new StartError(`exited (${proc.exit}) before answering eth_chainId`);
    try {
      await rpc(url, "eth_chainId", [], 1000);
      return performance.now() - t0;
    } catch {}
    if (performance.now() - t0 > START_TIMEOUT_MS) throw new StartError(`no eth_chainId answer after ${START_TIMEOUT_MS} ms`);
    await sleep(10);
  }
}

async function measure(key, count) {
  const def = DEVNETS[key];
  const result = { key, label: def.label, metrics: {}, capped: {} };
  if (!fs.existsSync(def.needs)) {
    result.skipped = `${path.relative(ROOT, def.needs)} does not exist yet`;
    return result;
  }
  result.version = versionOf(def.version, def.cwd);
  const { metrics } = result;
  let proc;
  try {
    const starts = [];
    let url;
    for (let i = 0; i < STARTS; i++) {
      if (proc) await stop(proc);
      const port = await freePort();
      url = `http://127.0.0.1:${port}/`;
      const t0 = performance.now();
      proc = start(key, def.cmd, def.args(port), { cwd: def.cwd });
      starts.push(await waitReady(proc, url, t0));
    }
    metrics.startMs = [...starts].sort((a, b) => a - b)[Math.floor(STARTS / 2)];
    log(`  cold starts (ms): ${starts.map((s) => s.toFixed(0)).join(", ")}`);

    await sleep(1000); // let start-up work settle before the idle sample
    metrics.idleMB = groupRssMB(proc.pid);
    let peak = metrics.idleMB;
    const sampler = setInterval(() => {
      peak = Math.max(peak, groupRssMB(proc.pid));
    }, 100);
    try {
      const fee = await feeParams(url);
      const { funder, senders } = accounts(Math.max(...CONCURRENCY));
      await fundSenders(url, funder, senders, count * CONCURRENCY.length, fee);
      for (const c of CONCURRENCY) {
        const batch = await signTransfers(url, senders, count, fee); // signed before the clock starts
        const r = await sendAndMine(url, batch, c, CAP_MS);
        metrics[`tps${c}`] = r.tps;
        result.capped[`tps${c}`] = r.capped;
        log(
          `  ${c} in flight: ${r.count} transfers mined and verified in ${r.elapsedMs.toFixed(0)} ms = ${r.tps.toFixed(0)}/s${r.capped ? " (time cap hit)" : ""}`,
        );
      }
    } finally {
      clearInterval(sampler);
      metrics.loadedMB = Math.max(peak, groupRssMB(proc.pid));
    }
    await stop(proc);
  } catch (err) {
    const tail = proc ? logTail(proc) : "";
    if (proc) await stop(proc, { keepLog: true });
    result[err instanceof StartError ? "skipped" : "error"] = err.message;
    result.hint = HINTS.find(([re]) => re.test(tail))?.[1];
    if (tail) result.logTail = `log ${proc.logPath} ends with:\n${tail}`;
  }
  return result;
}

async function main() {
  const { values } = parseArgs({
    options: { only: { type: "string" }, count: { type: "string", default: "1000" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log("Usage: node bench/run.js [--only bitlayer,anvil,hardhat] [--count N]");
    return;
  }
  const only = values.only?.split(",").map((s) => s.trim().toLowerCase());
  const unknown = only?.filter((k) => !DEVNETS[k]) ?? [];
  const keys = Object.keys(DEVNETS).filter((k) => !only || only.includes(k)); // Bitlayer column first
  if (unknown.length) throw new Error(`unknown devnet(s): ${unknown.join(", ")} (known: ${Object.keys(DEVNETS).join(", ")})`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive integer");

  const results = [];
  for (const key of keys) {
    log(`${DEVNETS[key].label}:`);
    const r = await measure(key, count);
    for (const line of [r.skipped && `SKIPPED: ${r.skipped}`, r.error && `ERROR: ${r.error}`, r.hint, r.logTail]) {
      if (line) log(`  ${line}`);
    }
    results.push(r);
  }

  const measured = results.filter((r) => !r.skipped);
  const cpus = os.cpus();
  const node22Version = NODE22 === process.execPath ? process.version : versionOf([NODE22, ["--version"]], ROOT);
  const out = [
    "## Devnet benchmark",
    "",
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${os.type()} ${os.release()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM`,
    `- Node: ${process.version} (bench client and Bitlayer), ${node22Version} (Hardhat)`,
    ...results.map((r) => `- ${r.label}: ${r.version ?? "n/a"}`),
    `- Load: ${count} pre-signed 21,000-gas value transfers per mode from ${Math.max(...CONCURRENCY)} senders, timed until all are mined`,
    "",
  ];
  if (measured.length) out.push(table(measured), "");
  for (const r of results) {
    if (r.skipped || r.error) {
      out.push(`**${r.label} ${r.skipped ? "skipped" : "error"}:** ${r.skipped ?? r.error}${r.hint ? ` ${r.hint}` : ""}`, "");
    }
  }
  const ours = measured.find((r) => r.key === "bitlayer");
  for (const peer of measured.filter((r) => r.key !== "bitlayer")) {
    out.push(ours ? ratios(ours, peer) : `### Bitlayer vs ${peer.label}\n\nn/a: Bitlayer was not measured.`, "");
  }
  console.log(out.join("\n"));
  if (results.some((r) => r.error)) process.exitCode = 1;
}

try {
  await main();
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
} finally {
  agent.destroy();
}
