// The devnet's secp256k1 module (src/bitcoin/ecc.ts) against tiny-secp256k1, which it replaces at run time: every
// function on random and edge inputs (keys and tweaks near and at n, tweaks giving zero or infinity, points off the
// curve or with x >= p, hybrid keys, high-s and out-of-range signatures), once on the native binding and once on the
// JavaScript path, must give the same bytes, the same null and the same TypeError. And a devnet with both chains up
// does not load tiny-secp256k1 (its WebAssembly is ~9 MB of RSS).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { initEccLib } from "bitcoinjs-lib";
import * as tiny from "tiny-secp256k1";
import * as devnetEcc from "../src/bitcoin/ecc.js";
import { type Ecc, eccWith, nobleEcc } from "../src/bitcoin/ecc.js";
import { native } from "../src/native.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const be32 = (n: bigint) => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, "0"), "hex"));
const num = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString("hex") || "0"}`);
const random32 = () => new Uint8Array(randomBytes(32));
const randomKey = () => be32((num(random32()) % (N - 1n)) + 1n);
const ROUNDS = 12;

/** A call's outcome, comparable with deepEqual: its value (bytes as hex) or the error it threw. */
function outcome(f: () => unknown): unknown {
  const show = (v: unknown): unknown =>
    v instanceof Uint8Array
      ? Buffer.from(v).toString("hex")
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, show(x)]))
        : v;
  try {
    return { value: show(f()) };
  } catch (error) {
    return { throws: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

// Scalars at the edges of [1, n): below, at and above them, and 2^256 - 1.
const EDGE_SCALARS = [0n, 1n, 2n, 3n, N / 2n, N / 2n + 1n, N - 2n, N - 1n, N, N + 1n, 2n ** 256n - 1n].map(be32);
// x coordinates: the generator's, small ones on and off the curve, and values at and above p.
const EDGE_X = [
  "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffeeffffc2e",
  "0000000000000000000000000000000000000000000000000000000000000001",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000005",
  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f",
  "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30",
  "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
].map((x) => Uint8Array.from(Buffer.from(x, "hex")));

/** SEC1 encodings of a key's point: compressed, uncompressed, hybrid (right and wrong parity), and broken ones. */
function encodings(d: Uint8Array): Uint8Array[] {
  const c = tiny.pointFromScalar(d, true) as Uint8Array;
  const u = tiny.pointFromScalar(d, false) as Uint8Array;
  const withPrefix = (p: Uint8Array, prefix: number) => Uint8Array.of(prefix, ...p.subarray(1));
  const yOdd = u[64] & 1;
  const badY = Uint8Array.from(u);
  badY[64] ^= 1;
  return [
    c,
    u,
    withPrefix(u, 6 | yOdd),
    withPrefix(u, 7 - yOdd),
    withPrefix(c, 5),
    withPrefix(u, 5),
    badY,
    c.subarray(1),
    u.subarray(0, 64),
  ];
}

/** A valid key, its low-s ECDSA signature of `h`, and that signature with s negated (high-s). */
function signatures(h: Uint8Array, d: Uint8Array): Uint8Array[] {
  const low = tiny.sign(h, d);
  const high = Uint8Array.of(...low.subarray(0, 32), ...be32(N - num(low.subarray(32))));
  const r = low.subarray(0, 32);
  const s = low.subarray(32);
  return [
    low,
    high,
    Uint8Array.of(...be32(0n), ...s),
    Uint8Array.of(...r, ...be32(0n)),
    Uint8Array.of(...be32(N), ...s),
    Uint8Array.of(...r, ...be32(N)),
    Uint8Array.of(...be32(P - 1n), ...s),
    new Uint8Array(randomBytes(64)),
    low.subarray(0, 63),
  ];
}

function compareWith(ecc: Ecc): void {
  const same = (what: string, call: (e: Pick<Ecc, keyof Ecc>) => unknown) => {
    assert.deepEqual(
      outcome(() => call(ecc)),
      outcome(() => call(tiny as unknown as Ecc)),
      what,
    );
  };
  const keys = () => [...EDGE_SCALARS, ...Array.from({ length: ROUNDS }, randomKey)];

  it("isPoint and isXOnlyPoint", () => {
    for (const d of [randomKey(), randomKey(), be32(1n), be32(N - 1n)]) {
      for (const p of encodings(d)) same(`isPoint ${Buffer.from(p).toString("hex")}`, (e) => e.isPoint(p));
    }
    for (const x of [...EDGE_X, ...Array.from({ length: 4 * ROUNDS }, random32), new Uint8Array(31), new Uint8Array(33)]) {
      same(`isXOnlyPoint ${Buffer.from(x).toString("hex")}`, (e) => e.isXOnlyPoint(x));
      same(`isPoint ${Buffer.from(x).toString("hex")}`, (e) => e.isPoint(x));
    }
    same("isPoint of a string", (e) => e.isPoint("02" as unknown as Uint8Array));
  });

  it("pointFromScalar, privateNegate, privateAdd (tweaks >= n, sums of zero)", () => {
    for (const d of keys()) {
      for (const compressed of [true, false, undefined]) same("pointFromScalar", (e) => e.pointFromScalar(d, compressed));
      same("privateNegate", (e) => e.privateNegate(d));
      const toZero = be32((N - (num(d) % N)) % N);
      for (const t of [...EDGE_SCALARS, random32(), toZero]) same("privateAdd", (e) => e.privateAdd(d, t));
    }
  });

  it("xOnlyPointAddTweak (tweaks of zero and >= n, sums at infinity, x off the curve)", () => {
    for (const d of keys().filter((k) => tiny.isPrivate(k))) {
      const point = tiny.pointFromScalar(d, true) as Uint8Array;
      const x = point.subarray(1);
      const even = point[0] === 0x02 ? num(d) : N - num(d);
      for (const t of [...EDGE_SCALARS, random32(), be32(N - even)]) same("xOnlyPointAddTweak", (e) => e.xOnlyPointAddTweak(x, t));
    }
    for (const x of [...EDGE_X, random32(), new Uint8Array(33)]) {
      for (const t of [be32(1n), be32(N)]) same("xOnlyPointAddTweak", (e) => e.xOnlyPointAddTweak(x, t));
    }
  });

  it("sign (RFC 6979, with and without extra data; hashes >= n) and verify (strict and not)", () => {
    const hashes = [be32(0n), be32(N), be32(2n ** 256n - 1n), ...Array.from({ length: ROUNDS }, random32)];
    for (const [i, d] of keys().entries()) {
      const h = hashes[i % hashes.length];
      for (const extra of [undefined, random32(), new Uint8Array(32), new Uint8Array(31)]) {
        same("sign", (e) => e.sign(h, d, extra));
      }
      same("sign with a short hash", (e) => e.sign(h.subarray(1), d));
      if (!tiny.isPrivate(d)) continue;
      const [low, ...others] = signatures(h, d);
      const [compressed, uncompressed, hybrid, ...broken] = encodings(d);
      for (const sig of [low, ...others]) {
        for (const key of [compressed, uncompressed, hybrid, tiny.pointFromScalar(randomKey()) as Uint8Array]) {
          for (const strict of [true, false, undefined]) same("verify", (e) => e.verify(h, key, sig, strict));
        }
      }
      for (const key of broken) same("verify with a broken key", (e) => e.verify(h, key, low, true));
    }
  });

  it("signSchnorr (the callers' aux bytes, none) and verifySchnorr", () => {
    for (const d of keys()) {
      const h = random32();
      for (const aux of [new Uint8Array(32), random32(), undefined, new Uint8Array(16)]) {
        same("signSchnorr", (e) => e.signSchnorr(h, d, aux));
      }
      if (!tiny.isPrivate(d)) continue;
      const x = (tiny.pointFromScalar(d) as Uint8Array).subarray(1);
      const sig = tiny.signSchnorr(h, d, random32());
      const flipped = Uint8Array.from(sig);
      flipped[10] ^= 1;
      const candidates = [
        sig,
        flipped,
        Uint8Array.of(...sig.subarray(0, 32), ...be32(N - num(sig.subarray(32)))),
        Uint8Array.of(...be32(N), ...sig.subarray(32)),
        Uint8Array.of(...be32(P - 1n), ...sig.subarray(32)),
        Uint8Array.of(...sig.subarray(0, 32), ...be32(N)),
        new Uint8Array(64),
        sig.subarray(0, 63),
      ];
      for (const s of candidates) {
        same("verifySchnorr", (e) => e.verifySchnorr(h, x, s));
        same("verifySchnorr of another hash", (e) => e.verifySchnorr(random32(), x, s));
      }
      // Keys off the curve (x = 0, 5, p and random ones) once each: tiny-secp256k1 throws those from inside its
      // WebAssembly, which leaks its stack (a few thousand such throws in a process make it trap).
      for (const key of [...EDGE_X.slice(2, 6), random32()]) same("verifySchnorr", (e) => e.verifySchnorr(h, key, sig));
    }
  });

  it("passes bitcoinjs-lib's own check of an ECC library", () => {
    try {
      initEccLib(ecc); // a new instance: bitcoinjs-lib checks it
    } finally {
      initEccLib(devnetEcc); // the library is process-wide: back to the one src/bitcoin/keys.ts gave it
    }
  });
}

describe("simulated Bitcoin: secp256k1 without WebAssembly, byte for byte tiny-secp256k1's", function () {
  this.timeout(60_000);
  describe("on the native binding", () => {
    before(() => assert.ok(native, "the native binding is installed here"));
    compareWith(eccWith(native));
  });
  describe("on @noble/curves", () => compareWith(nobleEcc));
});

describe("a devnet with both chains up does not load tiny-secp256k1", function () {
  this.timeout(60_000);

  it("loads bitcoinjs-lib and the devnet's ecc module, not tiny-secp256k1", async () => {
    const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));
    const script = `
      import { registerHooks } from "node:module";
      const loaded = new Set();
      registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
      const { createDevnet } = await import(${JSON.stringify(entry)});
      const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
      const status = await devnet.request({ method: "bitlayer_status", params: [] });
      await devnet.close();
      process.stdout.write(JSON.stringify({ loaded: [...loaded], height: status.bitcoin.height }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
    const { loaded, height } = JSON.parse(stdout) as { loaded: string[]; height: number };
    assert.ok(height > 0, "the Bitcoin side is up");
    assert.ok(
      loaded.some((url) => url.includes("/bitcoinjs-lib/")),
      "the recorder saw the Bitcoin side's modules",
    );
    assert.ok(loaded.some((url) => url.endsWith("/bitcoin/ecc.js")));
    assert.deepEqual(
      loaded.filter((url) => url.includes("tiny-secp256k1")),
      [],
    );
  });

  it("the engine's and the CLI's bundles neither import it nor ship its WebAssembly", () => {
    const devnetBundle = fileURLToPath(new URL("../bundle/index.mjs", import.meta.url));
    const cliDist = fileURLToPath(new URL("../../../cli/dist/", import.meta.url));
    const files = [
      devnetBundle,
      ...readdirSync(cliDist)
        .filter((f) => /^bitlayer.*\.mjs$/.test(f))
        .map((f) => cliDist + f),
    ];
    assert.ok(files.length >= 2);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      assert.ok(!text.includes("tiny-secp256k1") && !text.includes("secp256k1.wasm"), file);
    }
    assert.ok(!readdirSync(cliDist).includes("secp256k1.wasm"));
  });
});
