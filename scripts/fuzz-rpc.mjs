#!/usr/bin/env node
// A bounded, seeded fuzzer for the devnet's JSON-RPC server, as a hostile client meets it (issue 5, A and B).
// It starts the built server (packages/devnet/dist) in a child process on 127.0.0.1 and a free port, sends
// generated params for every method of the registry and its aliases, plus protocol abuse over HTTP and
// WebSocket, checks chain invariants after each mutating call, and kills the server it started at the end.
//
//   node scripts/fuzz-rpc.mjs [--seed 1] [--seconds 150] [--count 8000] [--rss-mb 1024] [--out findings.json]
//
// Flags: -32603 answers, HTTP 500, malformed answers, no answer within 10 s, a dead server, RSS growth past
// --rss-mb, invariant breaks. Reports (does not assert) the slowest eth_chainId probes and what was in flight.
// Exit code: 0 when nothing was flagged, 1 otherwise. Not part of `npm test` (run it by hand; build first).

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const devnetDist = join(root, "packages/devnet/dist/src/index.js");
const { methodRegistry } = await import(devnetDist);

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const SEED = Number(opt("seed", 1));
const SECONDS = Number(opt("seconds", 150));
const COUNT = Number(opt("count", 8000));
const RSS_MB = Number(opt("rss-mb", 1024));
const OUT = opt("out", undefined);
const TIMEOUT_MS = 10_000;
const deadline = Date.now() + SECONDS * 1000;
const timeLeft = () => deadline - Date.now();

// ---------- seeded randomness (mulberry32) ----------
let rngState = SEED >>> 0 || 1;
function rand() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
function shuffle(list) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
const chance = (p) => rand() < p;
const hex = (n) => `0x${BigInt(n).toString(16)}`;
const randHex = (bytes) => `0x${Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, "0")).join("")}`;

// ---------- findings ----------
const findings = [];
const slowProbes = [];
const stats = { requests: 0, http: 0, ws: 0, batches: 0, errors: 0, results: 0, invariantChecks: 0, revertEpisodes: 0 };
function shorten(value, max = 300) {
  let text;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? hex(v) : v));
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}
function flag(kind, detail) {
  const entry = { kind, ...detail };
  findings.push(entry);
  console.log(`  FINDING [${kind}] ${shorten(detail, 600)}`);
}

// ---------- the server under test (child process) ----------
const serverSource = `
import { createDevnet, startServer } from ${JSON.stringify(devnetDist)};
const devnet = await createDevnet({ genesisTimestamp: 1700000000 });
const server = await startServer(devnet, { host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ port: server.port }));
setInterval(() => console.log(JSON.stringify({ rss: process.memoryUsage().rss })), 250).unref();
process.stdin.on("end", () => process.exit(0)); // the fuzzer went away: so does its server
process.stdin.resume();
process.on("uncaughtException", (e) => { console.error("uncaughtException", e); process.exit(70); });
`;
let server;
async function startChild() {
  const child = spawn(process.execPath, ["--input-type=module", "-e", serverSource], { stdio: ["pipe", "pipe", "pipe"] });
  const state = { child, port: 0, rss: 0, baseRss: 0, maxRss: 0, dead: false, exit: undefined, stderr: "" };
  child.stderr.on("data", (d) => {
    state.stderr = (state.stderr + d.toString()).slice(-4000);
  });
  child.on("exit", (code, signal) => {
    state.dead = true;
    state.exit = { code, signal };
  });
  await new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (d) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const msg = JSON.parse(line);
          if (msg.port) {
            state.port = msg.port;
            resolve();
          }
          if (msg.rss) {
            state.rss = msg.rss;
            if (!state.baseRss) state.baseRss = msg.rss;
            state.maxRss = Math.max(state.maxRss, msg.rss);
          }
        } catch {
          // console.log output of the devnet itself
        }
      }
    });
    child.on("exit", () => reject(new Error(`server exited at start: ${state.stderr}`)));
  });
  return state;
}
function stopChild(state) {
  if (state && !state.dead) state.child.kill("SIGKILL");
}

// ---------- transport ----------
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const inFlight = new Set();

/** POSTs a raw body; resolves { status, body, text } or { timeout } / { neterror }. */
function post(body, { useAgent = agent, timeout = TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: "/",
        agent: useAgent,
        headers: { "content-type": "application/json", "content-length": payload.length },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = { unparsable: text.slice(0, 200) };
          }
          resolve({ status: res.statusCode, body: parsed, text });
        });
        res.on("error", (e) => resolve({ neterror: String(e) }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ timeout: true });
    }, timeout);
    req.on("error", (e) => {
      clearTimeout(timer);
      resolve({ neterror: String(e) });
    });
    req.end(payload);
  });
}

let nextId = 1;
/** The last fuzz calls and their answers, shown with an invariant break. */
const recent = [];
/** One JSON-RPC call over HTTP (the fuzzer's own calls: setup and invariant checks). */
async function rpc(method, params = []) {
  const r = await post(JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }));
  if (r.timeout || r.neterror) throw new Error(`${method}: ${r.timeout ? "timeout" : r.neterror}`);
  if (r.body?.error) {
    const e = new Error(`${method}: ${r.body.error.message}`);
    e.rpc = r.body.error;
    throw e;
  }
  return r.body?.result;
}
async function rpcBatch(calls) {
  const body = calls.map(([method, params], i) => ({ jsonrpc: "2.0", id: i, method, params }));
  const r = await post(JSON.stringify(body));
  if (r.timeout || r.neterror || !Array.isArray(r.body)) throw new Error(`batch: ${shorten(r)}`);
  const byId = new Map(r.body.map((x) => [x.id, x]));
  return calls.map((_c, i) => byId.get(i));
}

// WebSocket client of the fuzz calls; requests matched by id.
let wsClient;
async function openWs() {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}`);
  const pending = new Map();
  const client = { ws, pending, closed: false, notifications: 0 };
  ws.on("message", (data) => {
    let msg;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    const list = Array.isArray(msg) ? msg : [msg];
    if (!Array.isArray(msg) && msg.method === "eth_subscription") {
      client.notifications++;
      return;
    }
    const key = Array.isArray(msg) ? `batch:${list.map((m) => m.id).join(",")}` : String(msg.id);
    const waiter = pending.get(key) ?? (Array.isArray(msg) ? pending.get("batch") : undefined);
    if (waiter) waiter(msg);
  });
  ws.on("close", () => {
    client.closed = true;
  });
  ws.on("error", () => {
    client.closed = true;
  });
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return client;
}
function wsCall(client, body, idKey) {
  return new Promise((resolve) => {
    if (client.closed) return resolve({ neterror: "socket closed" });
    const timer = setTimeout(() => {
      client.pending.delete(idKey);
      resolve({ timeout: true });
    }, TIMEOUT_MS);
    client.pending.set(idKey, (msg) => {
      clearTimeout(timer);
      client.pending.delete(idKey);
      resolve({ status: 200, body: msg });
    });
    client.ws.send(body);
  });
}

// ---------- the world the fuzzer knows (filled by setup) ----------
const world = {
  accounts: [],
  contracts: [],
  txHashes: [],
  blockHashes: [],
  filterIds: [],
  subIds: [],
  snapshotIds: [],
};

// Contracts, hand-assembled so the fuzzer needs no compiler.
const initcode = (runtime) => {
  const len = (runtime.length / 2).toString(16).padStart(2, "0");
  return `0x60${len}600c60003960${len}6000f3${runtime}`;
};
const RUNTIMES = {
  // SSTORE(0, calldata[0..32]); LOG1(topic 1); STOP
  storeAndLog: "600035600055600160006000a100",
  // REVERT with 32 bytes of memory
  revert: "60206000fd",
  // JUMPDEST PUSH1 0 JUMP: loops until out of gas
  loop: "5b600056",
  // SELFDESTRUCT to CALLER
  selfdestruct: "33ff",
};

// ---------- generators ----------
const EDGE_NUMBERS = [
  0,
  1,
  -1,
  0.5,
  2 ** 53,
  2 ** 53 - 1,
  1e308,
  -0,
  "0x0",
  "0x",
  "0x00",
  "0x1",
  hex(2n ** 53n),
  hex(2n ** 63n),
  hex(2n ** 64n - 1n),
  hex(2n ** 64n),
  hex(2n ** 128n),
  hex(2n ** 255n),
  hex(2n ** 256n - 1n),
  hex(2n ** 256n),
  `0x${"f".repeat(65)}`,
  "-0x1",
  "0xG",
  "1",
  "100",
  "1e3",
  "0x1.5",
  " 0x1",
  "0X1",
  "",
];
const WEIRD = () =>
  pick([
    null,
    true,
    false,
    {},
    [],
    "",
    "latest",
    { a: 1 },
    [1, 2, 3],
    "x".repeat(pick([10, 1025, 70_000])),
    `0x${"ab".repeat(pick([1, 20, 32, 33, 5000]))}`,
    "\u0000\uffff\ud800",
    deep(pick([10, 70, 1000])),
    Array.from({ length: pick([100, 5000]) }, (_v, i) => i),
    { __proto__: null, constructor: 1, toString: 2 },
    { ["__proto__"]: { polluted: true } },
    pick(EDGE_NUMBERS),
  ]);
function deep(n) {
  let v = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const someAddress = () =>
  pick([
    ...world.accounts.slice(0, 4),
    ...world.contracts,
    "0x0000000000000000000000000000000000000000",
    "0x0000000000000000000000000000000000000001",
    "0x0000000000000000000000000000000000000009",
    "0x000000000000000000000000000000000000000a",
    "0x000000000000000000636f6e736f6c652e6c6f67",
    randHex(20),
  ]);
const someHash = () => pick([...world.txHashes.slice(-8), ...world.blockHashes.slice(-8), randHex(32), `0x${"0".repeat(64)}`]);
const someQuantity = () => pick([hex(int(4)), hex(int(100)), hex(int(1_000_000)), hex(10n ** 18n), int(10), hex(21000)]);
const someBlockTag = () =>
  pick([
    "latest",
    "pending",
    "earliest",
    "safe",
    "finalized",
    hex(0),
    hex(int(6)),
    hex(1_000_000),
    { blockNumber: hex(int(4)) },
    { blockHash: pick(world.blockHashes.length ? world.blockHashes : [randHex(32)]) },
    { blockHash: randHex(32), requireCanonical: true },
  ]);
const someData = () =>
  pick([
    "0x",
    randHex(32),
    randHex(int(64)),
    `0x${"00".repeat(int(200))}`,
    `0x${RUNTIMES.loop}`,
    initcode(pick(Object.values(RUNTIMES))),
    `0x${"5b600056".repeat(10)}`,
    `0x${"60ff".repeat(1100)}`,
  ]);
function someTx() {
  const tx = {};
  if (chance(0.9)) tx.from = pick([...world.accounts.slice(0, 3), someAddress()]);
  if (chance(0.8)) tx.to = chance(0.1) ? null : someAddress();
  if (chance(0.4)) tx.value = pick([hex(0), hex(1), hex(10n ** 18n), hex(2n ** 256n - 1n)]);
  if (chance(0.4)) tx.gas = pick([hex(21000), hex(100_000), hex(30_000_000), hex(2n ** 64n - 1n), hex(1)]);
  if (chance(0.5)) tx.data = someData();
  const feeRoll = rand();
  if (feeRoll < 0.2) tx.gasPrice = pick([hex(0), hex(10n ** 9n), hex(10n ** 10n), hex(2n ** 200n)]);
  else if (feeRoll < 0.36) {
    tx.maxFeePerGas = pick([hex(10n ** 10n), hex(0), hex(2n ** 255n)]);
    tx.maxPriorityFeePerGas = pick([hex(1), hex(0), hex(10n ** 11n)]);
  }
  if (chance(0.15)) tx.nonce = pick([hex(0), hex(int(5)), hex(2n ** 64n - 1n), hex(2n ** 64n)]);
  if (chance(0.1)) tx.type = pick([hex(0), hex(1), hex(2), hex(3), hex(4), hex(7)]);
  if (chance(0.1)) tx.chainId = pick([hex(202601), hex(1), hex(2n ** 64n)]);
  if (chance(0.08)) tx.accessList = [{ address: someAddress(), storageKeys: [randHex(32)] }];
  if (chance(0.05))
    tx.authorizationList = Array.from({ length: pick([1, 3, 1000]) }, () => ({
      chainId: hex(202601),
      address: someAddress(),
      nonce: hex(0),
      yParity: hex(int(2)),
      r: randHex(32),
      s: randHex(32),
    }));
  if (chance(0.03)) tx.blobVersionedHashes = [randHex(32)];
  if (chance(0.05)) tx.input = tx.data ?? "0x";
  return tx;
}
function someFilter() {
  const f = {};
  if (chance(0.3)) f.blockHash = someHash();
  else {
    if (chance(0.6)) f.fromBlock = someBlockTag();
    if (chance(0.6)) f.toBlock = someBlockTag();
  }
  if (chance(0.6)) f.address = chance(0.5) ? someAddress() : Array.from({ length: pick([0, 2, 10, 1000, 1001]) }, someAddress);
  if (chance(0.5)) f.topics = [pick([null, randHex(32), `0x${"0".repeat(63)}1`, [randHex(32), null]])];
  return f;
}
const someTypedData = () => ({
  types: {
    EIP712Domain: [
      { name: "name", type: "string" },
      { name: "chainId", type: "uint256" },
    ],
    Mail: [
      { name: "to", type: "address" },
      { name: "contents", type: "string" },
      { name: "amount", type: pick(["uint256", "uint8", "bytes32", "Mail", "Missing", "uint256[]"]) },
    ],
  },
  domain: { name: "fuzz", chainId: pick([202601, 1, "0x1", -1]) },
  primaryType: pick(["Mail", "EIP712Domain", "Nope"]),
  message: { to: someAddress(), contents: "hi", amount: pick([1, "0x10", -1, 2 ** 300, "x", [1]]) },
});
const someTraceOptions = () =>
  pick([
    {},
    { tracer: "callTracer" },
    { tracer: "callTracer", tracerConfig: { onlyTopCall: true } },
    { disableStack: true, disableStorage: true },
    { enableMemory: true, enableReturnData: true },
    { timeout: pick(["1s", "100ms", "0s", "61s", "-1s", "1h", "abc", "1e9s"]) },
    { tracer: pick(["prestateTracer", "4byteTracer", "js"]) },
  ]);

/** A valid-looking value for a parameter type label. */
function validFor(label, name) {
  switch (label) {
    case "Quantity":
      return someQuantity();
    case "Address":
      return someAddress();
    case "Hash":
      return someHash();
    case "BlockTag":
      return someBlockTag();
    case "Data":
      return name === "state" ? pick(["0x", randHex(100), "0x1f8b08000000000000ff"]) : someData();
    case "Slot":
      return pick([hex(0), hex(1), randHex(32), randHex(3)]);
    case "Bytes32":
      return randHex(32);
    case "Boolean":
      return chance(0.5);
    case "String":
      return pick([...world.filterIds.slice(-4), ...world.subIds.slice(-2), hex(int(20)), "0x0", "nope"]);
    case "TransactionRequest":
      return someTx();
    case "Filter":
      return someFilter();
    case "TraceOptions":
      return someTraceOptions();
    case "TypedData":
      return chance(0.2) ? JSON.stringify(someTypedData()) : someTypedData();
    case "number[]":
      return pick([[], [25, 75], [0, 50, 100], [50, 10], [101], Array.from({ length: 100 }, (_v, i) => i)]);
    case "string":
      return pick(["newHeads", "logs", "newPendingTransactions", "syncing"]);
    case "object":
      return pick([{}, { forking: { jsonRpcUrl: "http://x" } }, { extra: 1 }]);
    default:
      // unions (evm_mine's options) and anything new: a mix
      return pick([hex(int(3)), { timestamp: 1800000000 + int(1000), blocks: int(3) }, { blocks: hex(2n ** 64n) }, {}]);
  }
}

/** Param lists for one call of `spec`: valid-looking, edge or broken. */
function paramsFor(spec, name) {
  const list = spec.params.map((p) => {
    if (p.optional && chance(0.3)) return undefined;
    if (chance(0.75)) return validFor(p.type.label, p.name);
    return chance(0.5) ? pick(EDGE_NUMBERS) : WEIRD();
  });
  while (list.length && list[list.length - 1] === undefined) list.pop();
  const roll = rand();
  if (roll < 0.04) return undefined; // params missing
  if (roll < 0.07) return null;
  if (roll < 0.1) return { 0: list[0] }; // params as an object
  if (roll < 0.13) return [...list, WEIRD()]; // one too many
  if (roll < 0.16) return list.slice(0, Math.max(0, list.length - 1));
  if (roll < 0.18) return [...list.map((v) => v ?? null), ...Array.from({ length: 50 }, () => null)];
  // Some state methods get dangerous values: keep the chain small enough to check.
  // Valid-looking block counts stay small so the invariants can walk the chain: each mined block costs the
  // server about 4.5 KB of heap, so repeated hardhat_mine 100000 exhausts it (a known, unfixed limit).
  if ((name === "hardhat_mine" || name === "anvil_mine") && typeof list[0] === "string" && /^0x[0-9a-f]+$/.test(list[0])) {
    if (BigInt(list[0]) > 1000n && BigInt(list[0]) <= 100_000n) list[0] = hex(int(1000));
  }
  if (name === "evm_setIntervalMining" || name === "anvil_setIntervalMining") {
    if (typeof list[0] === "string" && /^0x[0-9a-f]+$/.test(list[0]) && BigInt(list[0]) < 200n) list[0] = hex(pick([0, 0, 500]));
  }
  return list;
}

// ---------- invariants ----------
const READ_ONLY =
  /^(eth_(?!send|sign|newFilter|newBlock|newPending|uninstall|subscribe|unsubscribe)|net_|web3_|txpool_|debug_|hardhat_getAutomine|anvil_getAutomine|hardhat_metadata|anvil_metadata|anvil_nodeInfo|anvil_dumpState|hardhat_dumpState|personal_sign|eth_sign)/;
const isMutating = (name) => !READ_ONLY.test(name);

let checkpoint; // { number, hash, nonces: Map }
const tampered = new Set(); // accounts whose nonce a control set since the checkpoint
let tamperAll = false;

async function chainInvariants(after) {
  stats.invariantChecks++;
  const latest = await rpc("eth_getBlockByNumber", ["latest", false]);
  const n = BigInt(latest.number);
  const [byHash, byNumber, parent, blockNumber] = await rpcBatch([
    ["eth_getBlockByHash", [latest.hash, false]],
    ["eth_getBlockByNumber", [latest.number, false]],
    ["eth_getBlockByNumber", [hex(n > 0n ? n - 1n : 0n), false]],
    ["eth_blockNumber", []],
  ]);
  const broken = (what, detail) => flag("invariant", { after, what, ...detail, recent: recent.slice() });
  if (byHash.result?.hash !== latest.hash || byHash.result?.number !== latest.number)
    broken("eth_getBlockByHash(latest.hash) differs from latest", { latest: latest.hash, byHash: shorten(byHash) });
  if (byNumber.result?.hash !== latest.hash)
    broken("eth_getBlockByNumber(latest.number) is not latest", { latest: latest.hash, byNumber: shorten(byNumber) });
  if (n > 0n && parent.result?.hash !== latest.parentHash)
    broken("latest.parentHash is not block n-1", { parentHash: latest.parentHash, parent: shorten(parent) });
  if (BigInt(blockNumber.result ?? 0) < n)
    broken("eth_blockNumber below latest", { blockNumber: blockNumber.result, latest: latest.number });
  if (latest.hash) world.blockHashes.push(latest.hash);

  // Nonces: between two checkpoints on the same chain, each dev account's nonce grows by its mined transactions.
  const nonceCalls = world.accounts.map((a) => ["eth_getTransactionCount", [a, latest.number]]);
  const nonces = new Map((await rpcBatch(nonceCalls)).map((r, i) => [world.accounts[i], BigInt(r.result ?? -1)]));
  // The head read by number is the live state (as Hardhat); once a block is mined on top it is the sealed
  // root, which misses what test controls changed since. A block mined meanwhile (interval or automine
  // picking up the pool) makes this round's nonces unusable: start again from the next check.
  const [headAfter] = await rpcBatch([["eth_blockNumber", []]]);
  if (BigInt(headAfter.result ?? 0) !== n) {
    checkpoint = undefined;
    return;
  }
  let comparable = checkpoint && !tamperAll && checkpoint.number <= n && n - checkpoint.number <= 2000n;
  if (comparable && checkpoint.number > 0n) {
    const [old] = await rpcBatch([["eth_getBlockByNumber", [hex(checkpoint.number), false]]]);
    comparable = old.result?.hash === checkpoint.hash; // else a revert or reset replaced the chain
  }
  if (comparable) {
    const mined = new Map();
    for (let from = checkpoint.number + 1n; from <= n; from += 200n) {
      const to = from + 199n > n ? n : from + 199n;
      const calls = [];
      for (let b = from; b <= to; b++) calls.push(["eth_getBlockByNumber", [hex(b), true]]);
      const blocks = await rpcBatch(calls);
      let prevHash;
      for (const [i, blk] of blocks.entries()) {
        const block = blk?.result;
        if (!block) {
          broken("missing block inside the chain", { number: hex(from + BigInt(i)), answer: shorten(blk) });
          continue;
        }
        if (BigInt(block.number) !== from + BigInt(i))
          broken("block number not contiguous", { asked: hex(from + BigInt(i)), got: block.number });
        if (prevHash && block.parentHash !== prevHash) broken("parentHash chain broken", { number: block.number });
        prevHash = block.hash;
        for (const tx of block.transactions) {
          const sender = tx.from?.toLowerCase();
          mined.set(sender, (mined.get(sender) ?? 0n) + 1n);
          if (tx.hash && world.txHashes.length < 500) world.txHashes.push(tx.hash);
        }
      }
    }
    for (const account of world.accounts) {
      if (tampered.has(account)) continue;
      const expected = checkpoint.nonces.get(account) + (mined.get(account) ?? 0n);
      if (nonces.get(account) !== expected)
        broken("nonce does not match mined transactions", {
          account,
          nonce: String(nonces.get(account)),
          expected: String(expected),
          range: [String(checkpoint.number), String(n)],
        });
    }
  }
  checkpoint = { number: n, hash: latest.hash, nonces };
  tampered.clear();
  tamperAll = false;
}

function noteTamper(name, params) {
  // A reset or a load restarts snapshot ids: the episode's id may then name a snapshot the fuzz took.
  if (episode && /loadState|reset/.test(name)) episode.void = true;
  if (/setNonce|setAccountNonce/.test(name) && Array.isArray(params) && typeof params[0] === "string")
    tampered.add(params[0].toLowerCase());
  if (/loadState|reset|_revert/.test(name)) tamperAll = true; // state replaced, possibly on the same block
}

// Snapshot episodes: a snapshot, fuzz calls, a revert: a successful revert must give back the state exactly.
let episode;
async function startEpisode() {
  const before = await rpc("eth_getBlockByNumber", ["latest", false]);
  const id = await rpc("evm_snapshot");
  const latest = await rpc("eth_getBlockByNumber", ["latest", false]);
  const balances = await rpcBatch(world.accounts.slice(0, 6).map((a) => ["eth_getBalance", [a, "latest"]]));
  const nonces = await rpcBatch(world.accounts.slice(0, 6).map((a) => ["eth_getTransactionCount", [a, "latest"]]));
  const storage = await rpc("eth_getStorageAt", [world.contracts[0], "0x0", "latest"]);
  const after = await rpc("eth_getBlockByNumber", ["latest", false]);
  episode = {
    id,
    number: latest.number,
    hash: latest.hash,
    balances: balances.map((r) => r.result),
    nonces: nonces.map((r) => r.result),
    storage,
    calls: [],
    // Interval mining may add a block between the snapshot and these reads: the snapshot's own
    // state is then unknown here, and the episode proves nothing.
    void: before.hash !== latest.hash || after.hash !== latest.hash,
  };
}
async function endEpisode() {
  const e = episode;
  episode = undefined;
  let reverted;
  try {
    reverted = await rpc("evm_revert", [e.id]);
  } catch (error) {
    tamperAll = true;
    if (error.rpc?.code === -32603) flag("internal-error", { method: "evm_revert", params: [e.id], error: error.rpc });
    return;
  }
  tamperAll = true; // the chain invariants start again from the reverted state
  if (reverted !== true || e.void) return; // a reset, a load or another revert discarded it
  stats.revertEpisodes++;
  const latest = await rpc("eth_getBlockByNumber", ["latest", false]);
  if (latest.number !== e.number && BigInt(latest.number) > BigInt(e.number)) return; // interval mining went on
  const balances = await rpcBatch(world.accounts.slice(0, 6).map((a) => ["eth_getBalance", [a, "latest"]]));
  const nonces = await rpcBatch(world.accounts.slice(0, 6).map((a) => ["eth_getTransactionCount", [a, "latest"]]));
  const storage = await rpc("eth_getStorageAt", [world.contracts[0], "0x0", "latest"]);
  const now = await rpc("eth_getBlockByNumber", ["latest", false]);
  if (now.number !== latest.number) return; // mined meanwhile: inconclusive
  const diffs = [];
  if (latest.number !== e.number || latest.hash !== e.hash)
    diffs.push({ what: "latest block", before: [e.number, e.hash], after: [latest.number, latest.hash] });
  for (const [i, r] of balances.entries())
    if (r.result !== e.balances[i]) diffs.push({ what: `balance of ${world.accounts[i]}`, before: e.balances[i], after: r.result });
  for (const [i, r] of nonces.entries())
    if (r.result !== e.nonces[i]) diffs.push({ what: `nonce of ${world.accounts[i]}`, before: e.nonces[i], after: r.result });
  if (storage !== e.storage) diffs.push({ what: "contract storage", before: e.storage, after: storage });
  if (diffs.length)
    flag("invariant", {
      after: "evm_revert of a snapshot episode",
      what: "revert did not restore the state",
      diffs,
      calls: e.calls.slice(-15),
    });
}

// ---------- freeze probe ----------
let probing = true;
async function probeLoop() {
  while (probing) {
    if (server && !server.dead) {
      const busy = [...inFlight].map((x) => shorten(x, 160));
      const t0 = performance.now();
      const r = await post(JSON.stringify({ jsonrpc: "2.0", id: "probe", method: "eth_chainId", params: [] }), {
        useAgent: probeAgent,
        timeout: 15_000,
      });
      const ms = performance.now() - t0;
      const busyAfter = [...inFlight].map((x) => shorten(x, 160));
      if (ms > 200 || r.timeout)
        slowProbes.push({ ms: Math.round(ms), timeout: !!r.timeout, inFlight: [...new Set([...busy, ...busyAfter])].slice(0, 4) });
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}

// ---------- checking an answer ----------
function checkAnswer(where, request, r, { notification = false } = {}) {
  const desc = { via: where, request: shorten(request, 700) };
  if (r.timeout) return flag("timeout", { ...desc, after: `${TIMEOUT_MS} ms` });
  if (r.neterror) return flag("network-error", { ...desc, error: r.neterror });
  if (r.status === 500 || (r.status && r.status >= 500)) flag("http-500", { ...desc, status: r.status, body: shorten(r.body) });
  if (notification) return;
  const answers = Array.isArray(r.body) ? r.body : [r.body];
  for (const a of answers) {
    if (!a || typeof a !== "object" || a.unparsable !== undefined) {
      flag("malformed-answer", { ...desc, body: shorten(r.text ?? r.body) });
      continue;
    }
    if (a.error) {
      stats.errors++;
      if (a.error.code === -32603) flag("internal-error", { ...desc, error: shorten(a.error, 500) });
      if (!Number.isInteger(a.error.code) || typeof a.error.message !== "string")
        flag("malformed-error", { ...desc, error: shorten(a.error) });
    } else if ("result" in a) stats.results++;
    else flag("malformed-answer", { ...desc, body: shorten(a) });
  }
}

async function send(via, method, params) {
  const request = { jsonrpc: "2.0", id: nextId++, method };
  if (params !== undefined) request.params = params;
  const body = JSON.stringify(request);
  const tag = { method, params: shorten(params, 200) };
  inFlight.add(tag);
  stats.requests++;
  let r;
  if (via === "ws" && wsClient && !wsClient.closed) {
    stats.ws++;
    r = await wsCall(wsClient, body, String(request.id));
  } else {
    stats.http++;
    r = await post(body);
  }
  inFlight.delete(tag);
  recent.push(`${via} ${method} ${shorten(params, 160)} -> ${shorten(r.body?.error?.message ?? r.body?.result ?? r, 120)}`);
  if (recent.length > 12) recent.shift();
  checkAnswer(via, { method, params }, r);
  if (!r.timeout && !r.neterror && r.body && !Array.isArray(r.body)) {
    if (r.body.id !== request.id) flag("wrong-id", { method, sent: request.id, got: r.body.id });
    const result = r.body.result;
    if (typeof result === "string" && /^0x[0-9a-f]{64}$/.test(result) && /send/.test(method)) world.txHashes.push(result);
    if (typeof result === "string" && /Filter$/.test(method) && result.length < 100) world.filterIds.push(result);
    if (method === "eth_subscribe" && typeof result === "string") world.subIds.push(result);
  }
  return r;
}

async function aliveCheck(context) {
  if (server.dead) {
    flag("dead-server", { context, exit: server.exit, stderr: server.stderr.slice(-1500) });
    await restart();
    return false;
  }
  const r = await post(JSON.stringify({ jsonrpc: "2.0", id: 0, method: "eth_chainId", params: [] }));
  if (r.timeout || r.neterror) {
    flag("unresponsive-server", { context, answer: shorten(r) });
    await restart();
    return false;
  }
  if (server.rss - server.baseRss > RSS_MB * 1024 * 1024) {
    flag("rss-growth", { context, baseMb: Math.round(server.baseRss / 2 ** 20), nowMb: Math.round(server.rss / 2 ** 20) });
    server.baseRss = server.rss; // report each further growth once
  }
  return true;
}

let restarts = 0;
async function restart() {
  if (++restarts > 3) throw new Error("the server died three times: stopping");
  stopChild(server);
  server = await startChild();
  agent.destroy();
  probeAgent.destroy();
  if (wsClient) wsClient.ws.terminate();
  wsClient = await openWs();
  await setup();
}

// ---------- setup: a few transactions and contracts ----------
async function setup() {
  world.accounts = (await rpc("eth_accounts")).map((a) => a.toLowerCase());
  world.contracts = [];
  for (const runtime of Object.values(RUNTIMES)) {
    const hash = await rpc("eth_sendTransaction", [{ from: world.accounts[0], data: initcode(runtime), gas: hex(200_000) }]);
    world.txHashes.push(hash);
    const receipt = await rpc("eth_getTransactionReceipt", [hash]);
    world.contracts.push(receipt.contractAddress);
  }
  for (let i = 0; i < 3; i++) {
    const hash = await rpc("eth_sendTransaction", [{ from: world.accounts[i], to: world.contracts[0], data: randHex(32) }]);
    world.txHashes.push(hash);
  }
  checkpoint = undefined;
  await chainInvariants("setup");
}

// ---------- phases ----------
function allNames() {
  const names = [];
  for (const spec of methodRegistry.list()) for (const name of [spec.name, ...(spec.aliases ?? [])]) names.push({ name, spec });
  return names;
}

async function fuzzMethods(budget, share) {
  const names = allNames();
  const perMethod = new Map();
  let calls = 0;
  const stopAt = Date.now() + Math.max(0, timeLeft()) * share;
  while (calls < budget && Date.now() < stopAt) {
    const order = shuffle(names.slice());
    for (const { name, spec } of order) {
      if (calls >= budget || Date.now() >= stopAt) break;
      if (!episode && chance(0.03)) await startEpisode().catch((e) => flag("setup-error", { what: "snapshot episode", error: String(e) }));
      const params = paramsFor(spec, name);
      const via = chance(0.25) ? "ws" : "http";
      await send(via, name, params);
      calls++;
      perMethod.set(name, (perMethod.get(name) ?? 0) + 1);
      if (episode) episode.calls.push({ name, params: shorten(params, 150) });
      noteTamper(name, params);
      if (!(await aliveCheck(`${name} ${shorten(params, 200)}`))) continue;
      if (isMutating(name)) {
        try {
          await chainInvariants(`${name} ${shorten(params, 300)}`);
        } catch (error) {
          flag("invariant-check-failed", { after: name, params: shorten(params, 300), error: String(error), rpc: error.rpc });
        }
      }
      if (episode && episode.calls.length >= 25)
        await endEpisode().catch((e) => flag("invariant-check-failed", { after: "episode end", error: String(e) }));
    }
  }
  if (episode) await endEpisode().catch(() => undefined);
  return { calls, methods: perMethod.size, names: names.length };
}

async function fuzzBatches(count) {
  const names = allNames();
  for (let i = 0; i < count && timeLeft() > 25_000; i++) {
    const members = [];
    let expected = 0;
    const size = pick([1, 2, 5, 20, 100]);
    for (let j = 0; j < size; j++) {
      const { name, spec } = pick(names);
      const roll = rand();
      if (roll < 0.15)
        members.push({ jsonrpc: "2.0", method: name, params: paramsFor(spec, name) }); // notification
      else if (roll < 0.25) {
        members.push(
          pick([
            1,
            "x",
            null,
            [],
            { id: 5 },
            { jsonrpc: "1.0", id: 1, method: "eth_chainId" },
            { jsonrpc: "2.0", id: {}, method: "eth_chainId" },
          ]),
        );
        expected++;
      } else {
        const id = pick([nextId++, `s${nextId++}`, -nextId++, nextId++ + 0.5, 2 ** 53 + 2 * nextId++, "x".repeat(2000) + nextId++]);
        members.push({ jsonrpc: "2.0", id, method: name, params: paramsFor(spec, name) });
        expected++;
      }
    }
    const body = JSON.stringify(members);
    stats.batches++;
    const via = chance(0.3) ? "ws" : "http";
    const tag = { batch: size };
    inFlight.add(tag);
    let r;
    if (via === "ws" && expected === 0) {
      wsClient.ws.send(body); // notifications only: no answer comes back
      await new Promise((res) => setTimeout(res, 50));
      r = { status: 200, body: undefined };
    } else r = via === "ws" ? await wsCall(wsClient, body, "batch") : await post(body);
    inFlight.delete(tag);
    checkAnswer(
      `${via} batch`,
      members.map((m) => m?.method ?? m),
      r,
      { notification: expected === 0 },
    );
    if (!r.timeout && !r.neterror) {
      const got = Array.isArray(r.body) ? r.body.length : r.body === undefined || (via === "http" && r.status === 204) ? 0 : 1;
      if (got !== expected && !(expected === 0 && got === 0))
        flag("batch-shape", { via, members: size, expectedAnswers: expected, got, sample: shorten(r.body, 300) });
    }
    noteTamper("loadState", undefined); // batches may reset or load: rebase the invariants
    if (!(await aliveCheck(`batch of ${size}`))) continue;
    await chainInvariants(`batch ${i}`).catch((error) => flag("invariant-check-failed", { after: `batch ${i}`, error: String(error) }));
  }
}

/** Raw HTTP: bodies that are not what a JSON-RPC client sends. */
async function fuzzProtocol() {
  const raw = [
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    Buffer.concat([
      Buffer.from('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["'),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from('"]}'),
    ]),
    Buffer.from('{"jsonrpc":"2.0","id":1e400,"method":"eth_chainId"}'),
    Buffer.from('{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"eth_chainId"}'),
    Buffer.from(`{"jsonrpc":"2.0","id":"${"i".repeat(1_000_000)}","method":"eth_chainId"}`),
    Buffer.from(`{"jsonrpc":"2.0","id":1,"method":"${"m".repeat(100_000)}"}`),
    Buffer.from(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":${"[".repeat(100_000)}${"]".repeat(100_000)}}`),
    Buffer.from(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":${'{"a":'.repeat(30_000)}1${"}".repeat(30_000)}}`),
    Buffer.from(`[${'{"jsonrpc":"2.0","method":"eth_chainId"},'.repeat(999)}{"jsonrpc":"2.0","method":"eth_chainId"}]`),
    Buffer.from(`[${'{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},'.repeat(1000)}1]`),
    Buffer.from(`[${"[],".repeat(500)}[]]`),
    Buffer.from('{"jsonrpc":"2.0","id":1,"method":"__proto__"}'),
    Buffer.from('{"jsonrpc":"2.0","id":1,"method":"constructor"}'),
    Buffer.from('{"jsonrpc":"2.0","id":1,"method":"hasOwnProperty","params":[]}'),
    Buffer.from('{"__proto__":{"method":"evm_mine"},"jsonrpc":"2.0","id":1}'),
    Buffer.from('{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":{"__proto__":[]}}'),
    Buffer.from('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x0000000000000000000000000000000000000000"],"params":[1]}'),
    Buffer.from(""),
    Buffer.from("null"),
    Buffer.from("[]"),
    Buffer.from("\ufeff{}"),
    Buffer.from(`"${"a".repeat(9 * 1024 * 1024)}"`),
    Buffer.alloc(11 * 1024 * 1024, 0x20),
  ];
  for (const body of raw) {
    if (timeLeft() < 15_000) break;
    const tag = { raw: shorten(body.subarray(0, 80).toString("latin1"), 80) };
    inFlight.add(tag);
    const r = await post(body);
    inFlight.delete(tag);
    if (r.status === 413 || r.neterror?.includes("EPIPE") || r.neterror?.includes("ECONNRESET")) continue; // refused as too large
    checkAnswer("http raw", tag.raw, r, { notification: r.status === 204 });
    await aliveCheck(`raw body ${tag.raw}`);
  }
  // Odd HTTP: other verbs, bad content types, chunked and slow bodies.
  for (const method of ["GET", "PUT", "DELETE", "OPTIONS", "PATCH"]) {
    const r = await new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port: server.port, method, path: "/?x=1" }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode }));
      });
      req.on("error", (e) => resolve({ neterror: String(e) }));
      req.end();
    });
    if (r.neterror || r.status >= 500) flag("http-verb", { method, answer: r });
  }
  // A slow body (one byte every 100 ms) and a slowloris that never ends: others must not wait.
  const slow = net.connect(server.port, "127.0.0.1");
  const hang = net.connect(server.port, "127.0.0.1");
  hang.on("error", () => undefined);
  hang.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{");
  const slowBody = '{"jsonrpc":"2.0","id":7,"method":"eth_blockNumber"}';
  slow.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${slowBody.length}\r\n\r\n`);
  let slowAnswer = "";
  slow.on("data", (d) => {
    slowAnswer += d.toString();
  });
  slow.on("error", () => undefined);
  for (const ch of slowBody) {
    slow.write(ch);
    await new Promise((res) => setTimeout(res, 60));
    if (!(await aliveCheck("during a slow body"))) break;
  }
  await new Promise((res) => setTimeout(res, 300));
  if (!slowAnswer.includes('"id":7')) flag("slow-body", { answer: slowAnswer.slice(0, 200) });
  slow.destroy();
  hang.destroy();
  // Malformed HTTP itself.
  const bad = net.connect(server.port, "127.0.0.1");
  bad.on("error", () => undefined);
  bad.write("POST / HTTP/1.1\r\nContent-Length: -5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  await new Promise((res) => setTimeout(res, 200));
  bad.destroy();
  await aliveCheck("malformed HTTP");
}

/** WebSocket abuse: binary and broken frames, subscriptions, other connections' ids, many sockets. */
async function fuzzWebSocket() {
  const a = await openWs();
  const b = await openWs();
  const subs = [];
  for (const kind of ["newHeads", "logs", "newPendingTransactions"]) {
    const r = await wsCall(
      a,
      JSON.stringify({ jsonrpc: "2.0", id: `sub-${kind}`, method: "eth_subscribe", params: [kind] }),
      `sub-${kind}`,
    );
    checkAnswer("ws", { method: "eth_subscribe", kind }, r);
    if (r.body?.result) subs.push(r.body.result);
  }
  for (const id of subs) {
    const r = await wsCall(b, JSON.stringify({ jsonrpc: "2.0", id: "steal", method: "eth_unsubscribe", params: [id] }), "steal");
    checkAnswer("ws", { method: "eth_unsubscribe", other: id }, r);
    if (r.body?.result === true) flag("invariant", { what: "a connection ended another connection's subscription", id });
  }
  // Binary frame, invalid UTF-8 in a text frame (the ws library closes with 1007), huge ids.
  a.ws.send(Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: "bin", method: "eth_chainId" })), { binary: true });
  b.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1e300, method: "eth_chainId" }));
  const broken = await openWs();
  broken.ws._socket.write(Buffer.from([0x81, 0x84, 0, 0, 0, 0, 0xff, 0xfe, 0xfd, 0xfc])); // masked text frame, invalid UTF-8
  await new Promise((res) => setTimeout(res, 200));
  broken.ws.terminate();
  const r = await wsCall(a, JSON.stringify({ jsonrpc: "2.0", id: "after", method: "eth_chainId" }), "after");
  checkAnswer("ws", "eth_chainId after abuse", r);
  // Many short-lived sockets with subscriptions (each must be freed).
  for (let i = 0; i < 30 && timeLeft() > 10_000; i++) {
    const c = await openWs();
    c.ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_subscribe", params: ["newHeads"] }));
    c.ws.terminate();
  }
  await rpc("evm_mine").catch(() => undefined);
  a.ws.close();
  b.ws.close();
  await aliveCheck("websocket abuse");
}

// ---------- main ----------
const started = Date.now();
console.log(`fuzz-rpc: seed ${SEED}, up to ${COUNT} calls, ${SECONDS} s, server from ${devnetDist}`);
server = await startChild();
process.on("exit", () => stopChild(server));
// The server resetting a connection the fuzzer abused is expected; anything else is the fuzzer's own bug.
let resets = 0;
process.on("uncaughtException", (error) => {
  if (error?.code === "ECONNRESET" || error?.code === "EPIPE") {
    resets++;
    return;
  }
  stopChild(server);
  throw error;
});
process.on("SIGINT", () => {
  stopChild(server);
  process.exit(130);
});
wsClient = await openWs();
const probe = probeLoop();
let summary;
try {
  await setup();
  const methods = await fuzzMethods(COUNT, 0.6);
  console.log(`methods: ${methods.calls} calls over ${methods.methods}/${methods.names} method names`);
  await fuzzBatches(40);
  await fuzzProtocol();
  await fuzzWebSocket();
  await rpc("hardhat_reset").catch(() => undefined);
  await chainInvariants("final");
  await aliveCheck("final");
  summary = methods;
} catch (error) {
  flag("fuzzer-aborted", { error: String(error?.stack ?? error) });
} finally {
  probing = false;
  await probe;
  if (wsClient) wsClient.ws.terminate();
  stopChild(server);
  agent.destroy();
  probeAgent.destroy();
}

slowProbes.sort((x, y) => y.ms - x.ms);
const byKind = {};
for (const f of findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
console.log("\n=== fuzz-rpc summary ===");
console.log(
  `seed ${SEED}; ${Math.round((Date.now() - started) / 1000)} s; ${stats.requests} fuzz calls (${stats.http} HTTP, ${stats.ws} WebSocket) + ${stats.batches} batches; ${stats.results} results, ${stats.errors} errors`,
);
console.log(
  `method names covered: ${summary?.methods ?? "?"}/${summary?.names ?? "?"}; invariant checks ${stats.invariantChecks}; snapshot/revert episodes verified ${stats.revertEpisodes}`,
);
console.log(
  `server RSS: start ${Math.round(server.baseRss / 2 ** 20)} MB, max ${Math.round(server.maxRss / 2 ** 20)} MB; restarts ${restarts}; connection resets seen by the client ${resets}`,
);
console.log(
  `eth_chainId probe: ${slowProbes.length} answers over 200 ms; slowest: ${
    slowProbes
      .slice(0, 5)
      .map((p) => `${p.ms} ms${p.timeout ? " (timeout)" : ""} during ${p.inFlight.join(" | ") || "(nothing of ours)"}`)
      .join("\n  ") || "none"
  }`,
);
console.log(`findings: ${findings.length} ${JSON.stringify(byKind)}`);
if (OUT) writeFileSync(OUT, JSON.stringify({ seed: SEED, stats, findings, slowProbes: slowProbes.slice(0, 20) }, null, 2));
process.exit(findings.length ? 1 : 0);
