// `npm run bench`: every workload against the Bitlayer devnet and its peers (Anvil, Hardhat 3, Ganache, Tevm where
// they apply), interleaved over several rounds (round r: each devnet in turn), medians and Bitlayer/peer ratios as
// markdown on stdout, progress on stderr. See docs/performance.md and `node bench/run.js --help`.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { deployToken, signTokenTransfers, TRANSFER_GAS, tokenBalance } from "./lib/erc20.js";
import { ensurePeers, peerBin, peerVersion } from "./lib/peers.js";
import { freePort, groupRssMB, logTail, sleep, start, stop } from "./lib/processes.js";
import { median, ratioTable, workloadTable } from "./lib/report.js";
import { agent, rpc } from "./lib/rpc.js";
import { removeStarter, runTests, setupStarter } from "./lib/template.js";
import { accounts, feeParams, fundSenders, sendAndMine, signTransfers } from "./lib/transfers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SENDERS = 32; // HTTP load: sender accounts, and the requests in flight of the 32-in-flight modes
const CAP_MS = 60_000; // per HTTP throughput measurement
const START_TIMEOUT_MS = 60_000;
// Each failed poll of a starting devnet waits this long before the next: a start is measured up to this much late
// (half of it on average). At 10 ms that was ~6% of this devnet's start and ~1.5% of Hardhat's node's; a refused
// connection costs the starting process nothing, so the polls can be close.
const START_POLL_MS = 2;
const log = (...args) => console.error(...args);

const USAGE = `Usage: npm run bench [-- options]     (node bench/run.js [options])

Runs every workload against the Bitlayer devnet and its peers, interleaved over rounds, and prints medians,
Bitlayer/peer ratios and the performance targets as markdown on stdout (progress on stderr).

Options:
  --only LIST    devnets and/or workloads to run, comma-separated (default: all)
                 devnets:   bitlayer, anvil, hardhat, ganache, tevm
                 workloads: start, http, erc20, inproc, warp, template
  --rounds N     rounds (default 3; each round runs each devnet in turn)
  --count N      transfers per HTTP mode and ERC-20 run (default 1000; in process: 2×N per mode, each capped at 30 s)
  --quick        a smoke run: 1 round, --count 100, 5 template rounds
  -h, --help     this help`;

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
const MNEMONIC = "test test test test test test test test test test test junk";

const bitlayerArgs = (port) => ["devnet", "--host", "127.0.0.1", "--port", String(port), "--btc-port", "0", "--silent"];

// server: how the devnet starts as a process (cold start, HTTP loads, RSS); inproc: whether bench/inproc.js knows it.
const DEVNETS = {
  bitlayer: {
    label: "Bitlayer",
    server: { cmd: process.execPath, args: (port) => [bitlayerCli, ...bitlayerArgs(port)], cwd: ROOT, needs: bitlayerCli },
    inproc: true,
    version: () => versionOf(process.execPath, [bitlayerCli, "--version"]),
  },
  anvil: {
    label: "Anvil",
    server: { cmd: anvilBin, args: (port) => ["--host", "127.0.0.1", "--port", String(port), "--silent"], cwd: ROOT, needs: anvilBin },
    inprocNa: "a separate (Rust) process: no in-process mode",
    version: () => versionOf(anvilBin, ["--version"]),
  },
  hardhat: {
    label: "Hardhat",
    server: {
      cmd: NODE22,
      args: (port) => [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
      cwd: hardhatDir,
      needs: hardhatCli,
    },
    inproc: true,
    version: () => versionOf(NODE22, [hardhatCli, "--version"], hardhatDir),
  },
  ganache: {
    label: "Ganache",
    peer: true,
    server: {
      cmd: process.execPath,
      args: (port) => [
        peerBin("ganache"),
        "--server.host",
        "127.0.0.1",
        "--server.port",
        String(port),
        "--logging.quiet",
        "--wallet.mnemonic",
        MNEMONIC,
      ],
      cwd: ROOT,
      needs: peerBin("ganache"),
    },
    inproc: true,
    version: () => peerVersion("ganache"),
  },
  tevm: {
    label: "Tevm",
    peer: true,
    serverNa: "Tevm is a library (an in-process memory client): no devnet server to start",
    inproc: true,
    version: () => peerVersion("tevm"),
  },
};
const WORKLOADS = ["start", "http", "erc20", "inproc", "warp", "template"];

// Every metric: the workload it belongs to, how to print it, which way is better.
const M = (key, workload, label, digits, better) => ({ key, workload, label, digits, better });
const METRICS = [
  M("startMs", "start", "Cold start: spawn to first eth_chainId (ms)", 0, "lower"),
  M("npxStartMs", "start", "Cold start with `npx bitlayer devnet` (ms)", 0, "lower"),
  M("npxOverheadMs", "start", "npx overhead: npx minus direct (ms)", 0, "lower"),
  M("tps1", "http", "Transfers/s over HTTP, 1 in flight", 0, "higher"),
  M("tps32", "http", "Transfers/s over HTTP, 32 in flight", 0, "higher"),
  M("idleMB", "http", "Idle RSS (MB)", 1, "lower"),
  M("loadedMB", "http", "Loaded RSS, max (MB)", 1, "lower"),
  M("erc20tps", "erc20", "ERC-20 transfers/s over HTTP, 32 in flight", 0, "higher"),
  M("inAuto", "inproc", "In-process transfers/s, automine (a block per transfer)", 0, "higher"),
  M("inBatched", "inproc", "In-process transfers/s, batched blocks (automine off, evm_mine)", 0, "higher"),
  M("warpMs", "warp", "7-day warp with 50 batches pending (ms)", 0, "lower"),
  M("neutralWallMs", "template", "Network-neutral tests: `hardhat test mocha` wall time (ms)", 0, "lower"),
  M("neutralMochaMs", "template", "Network-neutral tests: mocha's own time (ms)", 0, "lower"),
  M("fullWallMs", "template", "Starter's full suite (4 tests): wall time (ms)", 0, "lower"),
  M("fullMochaMs", "template", "Starter's full suite: mocha's own time (ms)", 0, "lower"),
];
const WORKLOAD_TITLES = {
  start: "Cold start",
  http: "Simple transfers over HTTP, and memory",
  erc20: "ERC-20 transfers over HTTP",
  inproc: "In process, a state root on every block",
  warp: "Settlement: 7-day warp (Bitlayer only: the peers have no settlement layer)",
  template: "Template test suite (templates/starter, `hardhat test mocha`)",
};

function versionOf(cmd, args, cwd = ROOT) {
  try {
    const out = execFileSync(cmd, args, { cwd, timeout: 15_000, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return out
      .trim()
      .split("\n")[0]
      .replace(/^.*version:?\s*/i, "");
  } catch {
    return "unknown";
  }
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        only: { type: "string" },
        rounds: { type: "string" },
        count: { type: "string" },
        quick: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  const int = (name, v, dflt) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not "${v}"`);
    return n;
  };
  const only = values.only?.split(",").map((s) => s.trim().toLowerCase()) ?? [];
  const unknown = only.filter((k) => !DEVNETS[k] && !WORKLOADS.includes(k));
  if (unknown.length) {
    throw new UsageError(
      `--only: unknown ${unknown.join(", ")} (devnets: ${Object.keys(DEVNETS).join(", ")}; workloads: ${WORKLOADS.join(", ")})`,
    );
  }
  const pickedDevnets = only.filter((k) => DEVNETS[k]);
  const pickedWorkloads = only.filter((k) => WORKLOADS.includes(k));
  return {
    help: values.help,
    quick: values.quick,
    rounds: int("rounds", values.rounds, values.quick ? 1 : 3),
    count: int("count", values.count, values.quick ? 100 : 1000),
    templateRounds: values.quick ? 5 : 50,
    devnets: Object.keys(DEVNETS).filter((k) => !pickedDevnets.length || pickedDevnets.includes(k)),
    workloads: WORKLOADS.filter((w) => !pickedWorkloads.length || pickedWorkloads.includes(w)),
  };
}

class UsageError extends Error {}
class StartError extends Error {}

// results[devnet][metric] = values over rounds; notes[devnet][metric] = why a cell is n/a or what it means.
const results = {};
const notes = {};
const errors = [];
const put = (d, k, v) => {
  results[d] ??= {};
  results[d][k] ??= [];
  results[d][k].push(v);
};
const note = (d, k, text) => {
  notes[d] ??= {};
  notes[d][k] = text;
};

// Cold start = spawn until the first successful eth_chainId, polled every START_POLL_MS.
async function waitReady(proc, url, t0) {
  for (;;) {
    if (proc.exit) throw new StartError(`exited (${proc.exit}) before answering eth_chainId: ${logTail(proc, 600)}`);
    try {
      await rpc(url, "eth_chainId", [], 1000);
      return performance.now() - t0;
    } catch {}
    if (performance.now() - t0 > START_TIMEOUT_MS) throw new StartError(`no eth_chainId answer after ${START_TIMEOUT_MS} ms`);
    await sleep(START_POLL_MS);
  }
}

async function startServer(key, cmd, args, cwd, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const t0 = performance.now();
  const proc = start(key, cmd, typeof args === "function" ? args(port) : args, { cwd, env });
  try {
    return { proc, url, ms: await waitReady(proc, url, t0) };
  } catch (err) {
    await stop(proc, { keepLog: true });
    throw err;
  }
}

// `npx bitlayer devnet` from the repo root, where node_modules/.bin/bitlayer is the workspace's link to the CLI.
// npx and the CLI run on the same Node as the direct start (its folder first in PATH).
async function npxStart() {
  const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  const { proc, ms } = await startServer("bitlayer-npx", "npx", (port) => ["bitlayer", ...bitlayerArgs(port)], ROOT, env);
  await stop(proc);
  return ms;
}

// One round of the server workloads on one devnet: a cold start, then idle RSS, the transfer loads and loaded RSS
// on that instance.
async function serverRound(key, opts) {
  const def = DEVNETS[key];
  const want = (w) => opts.workloads.includes(w);
  if (!want("start") && !want("http") && !want("erc20")) return;
  if (def.serverNa) {
    for (const k of ["startMs", "tps1", "tps32", "idleMB", "loadedMB", "erc20tps"]) note(key, k, "n/a");
    return;
  }
  if (key === "bitlayer" && want("start")) {
    const npx = await npxStart();
    put(key, "npxStartMs", npx);
    log(`  npx bitlayer devnet: ${npx.toFixed(0)} ms`);
  }
  const { cmd, args, cwd } = def.server;
  const { proc, url, ms } = await startServer(key, cmd, args, cwd);
  try {
    put(key, "startMs", ms);
    log(`  cold start: ${ms.toFixed(0)} ms`);
    if (key === "bitlayer" && want("start")) {
      const npx = results.bitlayer.npxStartMs.at(-1);
      put(key, "npxOverheadMs", npx - ms);
    }
    if (!want("http") && !want("erc20")) return;
    if (key === "bitlayer") await rpc(url, "bitlayer_status"); // both chains up before the idle sample
    await sleep(1000); // let start-up work settle before the idle sample
    const idle = groupRssMB(proc.pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, groupRssMB(proc.pid));
    }, 100);
    try {
      const fee = await feeParams(url);
      const { funder, senders } = accounts(SENDERS);
      const txCount = (want("http") ? opts.count * 2 : 0) + (want("erc20") ? opts.count * Number(TRANSFER_GAS / 21_000n + 1n) : 0);
      await fundSenders(url, funder, senders, txCount, fee);
      if (want("http")) {
        for (const c of [1, SENDERS]) {
          const batch = await signTransfers(url, senders, opts.count, fee); // signed before the clock starts
          const r = await sendAndMine(url, batch, c, CAP_MS);
          put(key, `tps${c}`, r.tps);
          if (r.capped) note(key, `tps${c}`, "capped");
          log(
            `  ${c} in flight: ${r.count} transfers in ${r.elapsedMs.toFixed(0)} ms = ${r.tps.toFixed(0)}/s${r.capped ? " (time cap hit)" : ""}`,
          );
        }
      }
      if (want("erc20")) {
        const token = await deployToken(url, funder, senders, BigInt(opts.count), fee);
        const batch = await signTokenTransfers(url, token, senders, opts.count, fee);
        const before = await tokenBalance(url, token);
        const r = await sendAndMine(url, batch, SENDERS, CAP_MS);
        const got = (await tokenBalance(url, token)) - before;
        if (got !== BigInt(r.count)) throw new Error(`ERC-20: ${r.count} transfers mined, the recipient got ${got} tokens`);
        put(key, "erc20tps", r.tps);
        if (r.capped) note(key, "erc20tps", "capped");
        log(`  ERC-20, 32 in flight: ${r.count} in ${r.elapsedMs.toFixed(0)} ms = ${r.tps.toFixed(0)}/s`);
      }
    } finally {
      clearInterval(sampler);
      if (want("http")) {
        put(key, "idleMB", idle);
        put(key, "loadedMB", Math.max(peak, groupRssMB(proc.pid)));
      }
    }
  } finally {
    await stop(proc);
  }
}

// In-process workloads run in a fresh Node 22 process each (bench/inproc.js), one JSON line back.
function inprocRun(key, workload, ...args) {
  const cwd = key === "hardhat" ? hardhatDir : ROOT;
  return new Promise((resolve) => {
    execFile(
      NODE22,
      [path.join(ROOT, "bench/inproc.js"), key, workload, ...args.map(String)],
      { cwd, timeout: 300_000, maxBuffer: 1 << 20 },
      (err, stdout) => {
        const line = stdout.trim().split("\n").at(-1);
        try {
          resolve(JSON.parse(line));
        } catch {
          resolve({ error: err?.message ?? "no result" });
        }
      },
    );
  });
}

async function inprocRound(key, opts) {
  const def = DEVNETS[key];
  if (!def.inproc) {
    note(key, "inAuto", "n/a");
    note(key, "inBatched", "n/a");
    return;
  }
  for (const [mode, metric] of [
    ["automine", "inAuto"],
    ["batched", "inBatched"],
  ]) {
    const r = await inprocRun(key, mode, opts.count * 2, 30_000);
    if (r.error) {
      errors.push(`${def.label}, in process, ${mode}: ${r.error}`);
      log(`  in process, ${mode}: ERROR ${r.error}`);
      continue;
    }
    put(key, metric, r.tps);
    const flags = [r.capped && "capped at 30 s", !r.stateRoots && "no state root change seen"].filter(Boolean);
    if (flags.length) note(key, metric, flags.join(", "));
    log(`  in process, ${mode}: ${r.count} transfers in ${r.elapsedMs.toFixed(0)} ms (${r.blocks} blocks) = ${r.tps.toFixed(0)}/s`);
  }
}

async function templateRound(starter, key, opts) {
  const network = key === "bitlayer" ? "bitlayer" : "default";
  const r = await runTests(starter, network, ["test/BenchNeutral.ts"], { BENCH_ROUNDS: String(opts.templateRounds) });
  if (r.error) {
    errors.push(`${DEVNETS[key].label}, template (neutral tests): ${r.error}`);
    log(`  template: ERROR ${r.error}`);
  } else {
    put(key, "neutralWallMs", r.wallMs);
    put(key, "neutralMochaMs", r.mochaMs);
    log(`  template, network-neutral tests: ${r.wallMs.toFixed(0)} ms wall, mocha ${r.mochaMs?.toFixed(0)} ms`);
  }
  if (key !== "bitlayer") return;
  const full = await runTests(starter, "bitlayer", ["test/Counter.ts"]);
  if (full.error) {
    errors.push(`Bitlayer, template (full suite): ${full.error}`);
    log(`  template, full suite: ERROR ${full.error}`);
  } else {
    put(key, "fullWallMs", full.wallMs);
    put(key, "fullMochaMs", full.mochaMs);
    log(`  template, full suite (${full.passing} passing): ${full.wallMs.toFixed(0)} ms wall, mocha ${full.mochaMs?.toFixed(0)} ms`);
  }
}

const value = (d, m) => median(results[d.key]?.[m.key] ?? []);

function checklist() {
  const v = (d, k) => median(results[d]?.[k] ?? []);
  const items = [];
  // [label, measured text, met?, by how much when missed]
  const check = (label, ok, shown, miss) => {
    if (ok === undefined) items.push(`- [ ] ${label}: not measured in this run`);
    else items.push(`- [${ok ? "x" : " "}] ${label}: **${ok ? "MET" : "MISSED"}** (${shown}${ok ? "" : `; missed by ${miss}`})`);
  };
  const ge = (label, a, b, factor, unit, bLabel) => {
    if (a === undefined || b === undefined) return check(label, undefined);
    const need = b * factor;
    check(
      label,
      a >= need,
      `${a.toFixed(0)} vs ${need.toFixed(0)} ${unit} (${bLabel})`,
      `${(need - a).toFixed(0)} ${unit}, ${((1 - a / need) * 100).toFixed(0)}%`,
    );
  };
  // `decimals`: as the metric's table shows it (a value rounded up to the limit would read as missed).
  const lt = (label, a, limit, unit, decimals = a < 10 ? 1 : 0) => {
    if (a === undefined) return check(label, undefined);
    check(
      label,
      a < limit,
      `${a.toFixed(decimals)} ${unit}, limit ${limit}`,
      `${(a - limit).toFixed(decimals)} ${unit}, ${((a / limit - 1) * 100).toFixed(0)}%`,
    );
  };
  for (const c of [1, 32]) {
    ge(`Transfers/s over HTTP, ${c} in flight ≥ Anvil's`, v("bitlayer", `tps${c}`), v("anvil", `tps${c}`), 1, "/s", "Anvil");
    ge(
      `Transfers/s over HTTP, ${c} in flight ≥ 1.5× Hardhat node`,
      v("bitlayer", `tps${c}`),
      v("hardhat", `tps${c}`),
      1.5,
      "/s",
      "1.5× Hardhat",
    );
  }
  ge("ERC-20 transfers/s over HTTP (32 in flight) ≥ Anvil's", v("bitlayer", "erc20tps"), v("anvil", "erc20tps"), 1, "/s", "Anvil");
  const auto = v("bitlayer", "inAuto");
  if (auto === undefined) check("In process ≥ 5000 transfers/s, a state root per block (automine)", undefined);
  else
    check(
      "In process ≥ 5000 transfers/s, a state root per block (automine)",
      auto >= 5000,
      `${auto.toFixed(0)}/s`,
      `${(5000 - auto).toFixed(0)}/s, ${((1 - auto / 5000) * 100).toFixed(0)}%`,
    );
  const start = v("bitlayer", "startMs");
  lt("Cold start < 250 ms", start, 250, "ms");
  const hh = v("hardhat", "startMs");
  if (start === undefined || hh === undefined) check("Cold start ≥ 4× faster than Hardhat node", undefined);
  else
    check(
      "Cold start ≥ 4× faster than Hardhat node",
      hh / start >= 4,
      `${(hh / start).toFixed(2)}× faster: ${start.toFixed(0)} vs ${hh.toFixed(0)} ms`,
      `${(start - hh / 4).toFixed(0)} ms (needs ≤ ${(hh / 4).toFixed(0)} ms)`,
    );
  lt("7-day warp with 50 batches pending < 200 ms", v("bitlayer", "warpMs"), 200, "ms");
  for (const [k, what] of [
    ["neutralWallMs", "wall time"],
    ["neutralMochaMs", "mocha's time"],
  ]) {
    const a = v("bitlayer", k);
    const b = v("hardhat", k);
    if (a === undefined || b === undefined) check(`Template suite ≤ 1.2× Hardhat's simulated network (${what})`, undefined);
    else
      check(
        `Template suite ≤ 1.2× Hardhat's simulated network (${what})`,
        a <= 1.2 * b,
        `${(a / b).toFixed(2)}×: ${a.toFixed(0)} vs ${b.toFixed(0)} ms`,
        `${(a - 1.2 * b).toFixed(0)} ms over 1.2×`,
      );
  }
  lt("Idle RSS < 70 MB (both chains)", v("bitlayer", "idleMB"), 70, "MB", 1);
  const npx = v("bitlayer", "npxOverheadMs");
  if (npx === undefined) check("npx ≤ 100 ms over direct", undefined);
  else check("npx ≤ 100 ms over direct", npx <= 100, `${npx.toFixed(0)} ms over direct`, `${(npx - 100).toFixed(0)} ms`);
  return items.join("\n");
}

async function main() {
  const opts = parseOptions();
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const devnets = opts.devnets.map((key) => ({ key, ...DEVNETS[key] }));
  const skipped = {};
  const peers = devnets.filter((d) => d.peer).map((d) => d.key);
  if (peers.length && opts.workloads.some((w) => ["start", "http", "erc20", "inproc"].includes(w))) {
    Object.assign(skipped, ensurePeers(peers, log));
  }
  for (const d of devnets) {
    if (d.server && !fs.existsSync(d.server.needs) && !skipped[d.key])
      skipped[d.key] = `${path.relative(ROOT, d.server.needs)} does not exist`;
  }
  const live = devnets.filter((d) => !skipped[d.key]);
  for (const d of live) d.versionText = d.version();

  let starter;
  const want = (w) => opts.workloads.includes(w);
  const tplDevnets = live.filter((d) => d.key === "bitlayer" || d.key === "hardhat");
  try {
    if (want("template") && tplDevnets.length) {
      log("template: setting up templates/starter (untimed)");
      try {
        starter = await setupStarter(ROOT, NODE22, log);
      } catch (err) {
        errors.push(
          `template setup: ${String(err.stderr ?? err.message)
            .trim()
            .split("\n")
            .slice(-5)
            .join(" | ")}`,
        );
        log(`  ERROR ${errors.at(-1)}`);
      }
    }
    for (let round = 1; round <= opts.rounds; round++) {
      for (const d of live) {
        log(`round ${round}/${opts.rounds}: ${d.label}`);
        try {
          await serverRound(d.key, opts);
        } catch (err) {
          errors.push(`${d.label}, round ${round}: ${err.message}`);
          log(`  ERROR ${err.message}`);
        }
        if (want("inproc")) await inprocRound(d.key, opts);
        if (want("warp") && d.key === "bitlayer") {
          const r = await inprocRun("bitlayer", "warp", 50);
          if (r.error) errors.push(`Bitlayer, warp: ${r.error}`);
          else {
            put("bitlayer", "warpMs", r.warpMs);
            log(`  7-day warp, 50 batches pending: ${r.warpMs.toFixed(0)} ms`);
          }
        }
        if (starter && tplDevnets.includes(d)) await templateRound(starter, d.key, opts);
      }
    }
  } finally {
    removeStarter(starter);
  }

  // The report.
  const cpus = os.cpus();
  const node22Version = NODE22 === process.execPath ? process.version : versionOf(NODE22, ["--version"]);
  const out = [
    "## Devnet benchmark",
    "",
    `- Date: ${new Date().toISOString()}; ${opts.rounds} round(s), interleaved (each round runs each devnet in turn); medians below; run took ${((performance.now() - started) / 60_000).toFixed(1)} min`,
    `- Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${os.type()} ${os.release()}; load average at the end ${os.loadavg()[0].toFixed(2)}`,
    `- Node: ${process.version} (bench client, Bitlayer and Ganache servers, npx), ${node22Version} (Hardhat node, every in-process workload, the template's tests)`,
    ...devnets.map(
      (d) =>
        `- ${d.label}: ${skipped[d.key] ? `n/a: ${skipped[d.key]}` : (d.versionText ?? "unknown")}${d.key === "bitlayer" ? " (this checkout)" : ""}`,
    ),
    `- Loads: HTTP: ${opts.count} pre-signed 21,000-gas value transfers per mode from ${SENDERS} senders, timed until all are mined; ERC-20: ${opts.count} \`transfer\` calls of a minimal token (solc ${versionOf(process.execPath, ["-e", "console.log(require('solc').version())"]).replace(/\.Emscripten.*$/, "")}), 32 in flight; in process: ${opts.count * 2} transfers per mode, one sender, sequential (capped at 30 s); template: the starter's network-neutral tests ×${opts.templateRounds} deploy+increment rounds and 10 reverts`,
    "- Cold start of `npx bitlayer devnet`: run from the repo root, where node_modules/.bin/bitlayer is the workspace's link to packages/cli",
    "",
  ];
  for (const w of opts.workloads) {
    const metrics = METRICS.filter((m) => m.workload === w);
    const t = workloadTable(`${WORKLOAD_TITLES[w]} (median of ${opts.rounds})`, metrics, live, (d, m) => {
      const x = value(d, m);
      const n = notes[d.key]?.[m.key];
      if (x === undefined && !n) return undefined;
      return { value: x ?? n, note: x === undefined ? undefined : n };
    });
    if (t) out.push(t, "");
  }
  const na = [];
  for (const d of devnets) {
    if (skipped[d.key]) na.push(`- ${d.label}: not run: ${skipped[d.key]}`);
    if (d.serverNa && !skipped[d.key]) na.push(`- ${d.label}, server workloads (cold start, HTTP, ERC-20, RSS): n/a: ${d.serverNa}`);
    if (d.inprocNa && want("inproc")) na.push(`- ${d.label}, in process: n/a: ${d.inprocNa}`);
  }
  if (want("inproc")) {
    na.push(
      "- In process, every devnet computes a state root per block (checked: the last two blocks' roots differ). Tevm's auto mining does not mine `eth_sendRawTransaction`, so its automine mode is a send and an `anvil_mine` per transfer; Tevm's `eth_getTransactionReceipt` fails here (BigInt error), so transfers are verified by nonce and the recipient's balance for every devnet.",
    );
  }
  if (want("template"))
    na.push(
      "- Template: Anvil, Ganache and Tevm n/a (the comparison is Hardhat 3's own simulated network, `--network default`); the full suite's finality and warp tests run on Bitlayer only.",
    );
  if (na.length) out.push("### Not applicable", "", ...na, "");
  const ours = live.find((d) => d.key === "bitlayer");
  if (ours) {
    for (const peer of live.filter((d) => d.key !== "bitlayer")) {
      const t = ratioTable(ours, peer, METRICS, value);
      if (t) out.push(t, "");
    }
  }
  out.push("### Targets", "", checklist(), "");
  if (errors.length) out.push("### Errors", "", ...errors.map((e) => `- ${e}`), "");
  console.log(out.join("\n"));
  if (errors.length) process.exitCode = 1;
}

try {
  await main();
} catch (err) {
  console.error(err instanceof UsageError ? `bench: ${err.message}\n(node bench/run.js --help lists the options)` : err.stack);
  process.exitCode = err instanceof UsageError ? 2 : 1;
} finally {
  agent.destroy();
}
