// Benchmarks the settlement layer in process: a 7-day warp with batches pending, transfers/s with
// batches sealed (and re-executed by the watcher) every second vs. none during the run, and start-up
// with both chains. Prints medians of several rounds as a markdown table (progress to stderr).
// Usage: node bench/settlement.js [--rounds N] [--batches N] [--transfers N]   (see docs/performance.md)
// `npm run bench` runs the 7-day warp too (the same function); this script adds the settlement on/off comparison.
import { parseArgs } from "node:util";
import { Wallet } from "ethers";
import { importEngine } from "./lib/engine.js";
import { GENESIS, warpWithBatches } from "./lib/warp.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    batches: { type: "string", default: "50" },
    transfers: { type: "string", default: "2000" },
  },
});
const ROUNDS = Number(values.rounds);
const BATCHES = Number(values.batches);
const TRANSFERS = Number(values.transfers);
const log = (...args) => console.error(...args);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const t0 = performance.now();
const { createDevnet } = await importEngine();
const importMs = performance.now() - t0;

const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"; // dev account #0

/** Signed transfers sent in process one after another (automine: a block and a state root each). */
async function transfersPerSecond(options) {
  const devnet = await createDevnet(options);
  const wallet = new Wallet(KEY);
  const chainId = BigInt(await devnet.request({ method: "eth_chainId" }));
  const raws = [];
  for (let nonce = 0; nonce < TRANSFERS; nonce++) {
    raws.push(
      await wallet.signTransaction({
        to: "0x000000000000000000000000000000000000bEEF",
        value: 1n,
        nonce,
        gasLimit: 21_000n,
        gasPrice: 10n ** 10n,
        chainId,
      }),
    );
  }
  const start = performance.now();
  for (const raw of raws) await devnet.request({ method: "eth_sendRawTransaction", params: [raw] });
  const seconds = (performance.now() - start) / 1000;
  const batches = (await devnet.request({ method: "bitlayer_status" })).rollup.batches;
  await devnet.close();
  return { tps: TRANSFERS / seconds, batches };
}

async function startUp() {
  const start = performance.now();
  const devnet = await createDevnet({ genesisTimestamp: GENESIS });
  await devnet.request({ method: "eth_chainId" });
  const l2 = performance.now() - start;
  await devnet.bitcoinRequest("getblockcount");
  const both = performance.now() - start;
  await devnet.close();
  return { l2, both };
}

const warps = [];
const on = [];
const off = [];
const stress = [];
const starts = [];
let batchesSealed = 0;
for (let round = 1; round <= ROUNDS; round++) {
  log(`round ${round}/${ROUNDS}`);
  warps.push(await warpWithBatches(createDevnet, BATCHES));
  // Interleaved so that the machine's noise hits both alike.
  // Off: no Bitcoin block falls due during the run. On: the default cadence (600 s of virtual time;
  // automine stamps each block a second after its parent, so the run's clock crosses several).
  off.push((await transfersPerSecond({ bitcoin: { blockTime: 86_400 } })).tps);
  const defaults = await transfersPerSecond({});
  on.push(defaults.tps);
  batchesSealed = defaults.batches;
  // Stress: a Bitcoin block and a batch every second of virtual time, i.e. about one per transfer.
  stress.push((await transfersPerSecond({ preset: "fast" })).tps);
  starts.push(await startUp());
}

const fmt = (n, d = 0) => n.toFixed(d);
console.log(`| measure (median of ${ROUNDS}) | value |`);
console.log("|---|---|");
console.log(`| 7-day warp, ${BATCHES} batches pending | ${fmt(median(warps))} ms |`);
console.log(`| transfers/s in process, settlement off (no Bitcoin block falls due) | ${fmt(median(off))} |`);
console.log(`| transfers/s in process, settlement on (600 s cadence; ${batchesSealed} batches in the last run) | ${fmt(median(on))} |`);
console.log(`| ratio on / off | ${fmt(median(on) / median(off), 2)}× |`);
console.log(`| transfers/s in process, fast preset (a batch per transfer: stress) | ${fmt(median(stress))} |`);
console.log(`| module import | ${fmt(importMs)} ms |`);
console.log(`| createDevnet to first L2 answer | ${fmt(median(starts.map((s) => s.l2)))} ms |`);
console.log(`| createDevnet to first Bitcoin answer (both chains) | ${fmt(median(starts.map((s) => s.both)))} ms |`);
