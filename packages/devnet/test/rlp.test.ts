import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex } from "@ethereumjs/util";
import { encodedLength, encodeRlp, type RlpInput } from "../src/l2/rlp.js";

/** Lengths where the encoding changes form: single byte, short string, long string, and each length-of-length step. */
const EDGE_LENGTHS = [0, 1, 2, 55, 56, 57, 255, 256, 257, 65_535, 65_536, 65_537];

function same(input: RlpInput, what: string): void {
  const expected = RLP.encode(input as Parameters<typeof RLP.encode>[0]);
  const actual = encodeRlp(input);
  assert.equal(bytesToHex(actual), bytesToHex(expected), what);
  assert.equal(encodedLength(input), expected.length, `${what}: length`);
}

/** A random nested list whose payloads land near the short/long boundaries. */
function randomValue(depth: number): RlpInput {
  if (depth === 0 || Math.random() < 0.4) {
    const pick = Math.random();
    if (pick < 0.2) return Uint8Array.of(Math.floor(Math.random() * 256));
    if (pick < 0.3) return new Uint8Array(0);
    if (pick < 0.5) return randomBytes(32);
    return randomBytes(Math.floor(Math.random() * 70));
  }
  return Array.from({ length: Math.floor(Math.random() * 18) }, () => randomValue(depth - 1));
}

describe("RLP encoding into one buffer (rlp.ts)", () => {
  it("gives the library's bytes for single bytes, short and long strings at every boundary", () => {
    for (let b = 0; b < 256; b++) same(Uint8Array.of(b), `byte 0x${b.toString(16)}`);
    for (const n of EDGE_LENGTHS) same(randomBytes(n), `${n} bytes`);
    // Offsets into a larger buffer, as trie values often are.
    const big = randomBytes(300);
    same(big.subarray(7, 7 + 60), "a view at an offset");
  });

  it("gives the library's bytes for lists at every payload boundary, nested", () => {
    same([], "the empty list");
    for (const n of EDGE_LENGTHS) {
      // One item of n - 1 bytes plus its one-byte prefix (n ≤ 56) makes an n-byte payload; longer ones take more.
      same([randomBytes(Math.max(0, n - 1))], `list around ${n} bytes`);
      same([[randomBytes(n)], Uint8Array.of(0x7f)], `nested list around ${n} bytes`);
    }
    // A trie branch: 16 children (hashes or empty) and a value.
    const branch = [...Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? new Uint8Array(0) : randomBytes(32))), randomBytes(0)];
    same(branch, "a branch node");
    same([[Uint8Array.of(0x20), randomBytes(10)], randomBytes(32)], "an extension with an embedded leaf");
  });

  it("gives the library's bytes for random nested input", () => {
    for (let i = 0; i < 300; i++) same(randomValue(3), `random input #${i}`);
  });
});
