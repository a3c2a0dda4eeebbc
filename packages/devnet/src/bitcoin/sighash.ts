/**
 * BIP341/342 signature hashes and BIP340 tagged hashes with Node's native SHA-256: bitcoinjs-lib hashes
 * them in JavaScript (and checks its arguments with a schema on every call), which was a third of a
 * Take's cost. Only the common case is written here (SIGHASH_DEFAULT or SIGHASH_ALL, no annex); any other
 * goes to bitcoinjs-lib's hashForWitnessV1, which a test checks this against on random transactions.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Transaction } from "bitcoinjs-lib";
import { compactSizeLength, sha256, writeCompactSize, writeValue } from "./ids.js";

/** SHA256(tag) ‖ SHA256(tag), the prefix of every hash with that tag. */
const tagPrefixes = new Map<string, Buffer>();

function tagPrefix(tag: string): Buffer {
  let prefix = tagPrefixes.get(tag);
  if (!prefix) {
    const tagHash = createHash("sha256").update(tag).digest();
    prefix = Buffer.concat([tagHash, tagHash]);
    tagPrefixes.set(tag, prefix);
  }
  return prefix;
}

/** BIP340's tagged hash: SHA256(SHA256(tag) ‖ SHA256(tag) ‖ parts…), hashed in one native call. */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Buffer {
  return sha256(Buffer.concat([tagPrefix(tag), ...parts]));
}

/** Scripts, each behind its compact-size length (and its value first, when given): what sha_scriptpubkeys and sha_outputs hash. */
function scriptsBytes(scripts: readonly Uint8Array[], values?: readonly bigint[]): Buffer {
  let size = 0;
  for (const script of scripts) size += (values ? 8 : 0) + compactSizeLength(script.length) + script.length;
  const b = Buffer.allocUnsafe(size);
  let at = 0;
  scripts.forEach((script, i) => {
    if (values) at = writeValue(b, values[i], at);
    at = writeCompactSize(b, script.length, at);
    b.set(script, at);
    at += script.length;
  });
  return b;
}

/**
 * The BIP341 signature hash of input `index` (BIP342's with `leafHash`), as `tx.hashForWitnessV1` gives
 * it for the same arguments. Each of its hashes is taken over one buffer in one native call.
 */
export function taprootSighash(
  tx: Transaction,
  index: number,
  scripts: readonly Uint8Array[],
  values: readonly bigint[],
  hashType: number,
  leafHash?: Uint8Array,
  annex?: Uint8Array,
): Uint8Array {
  const common =
    (hashType === 0x00 || hashType === 0x01) &&
    annex === undefined &&
    scripts.length === tx.ins.length &&
    values.length === tx.ins.length &&
    values.every((v) => typeof v === "bigint" && v >= 0n && v <= 0x7fffffffffffffffn) &&
    tx.outs.length > 0 &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    index <= 0xffffffff &&
    (leafHash === undefined || leafHash.length === 32);
  if (!common) return tx.hashForWitnessV1(index, [...scripts], [...values], hashType, leafHash, annex);
  const n = tx.ins.length;
  const prevouts = Buffer.allocUnsafe(36 * n);
  const sequences = Buffer.allocUnsafe(4 * n);
  const amounts = Buffer.allocUnsafe(8 * n);
  tx.ins.forEach((input, i) => {
    prevouts.set(input.hash, 36 * i);
    prevouts.writeUInt32LE(input.index, 36 * i + 32);
    sequences.writeUInt32LE(input.sequence, 4 * i);
    writeValue(amounts, values[i], 8 * i);
  });
  const prefix = tagPrefix("TapSighash");
  const m = Buffer.allocUnsafe(prefix.length + 2 + 8 + 5 * 32 + 1 + 4 + (leafHash ? 37 : 0));
  m.set(prefix, 0);
  let at = m.writeUInt8(hashType, m.writeUInt8(0x00, prefix.length));
  at = m.writeUInt32LE(tx.locktime >>> 0, m.writeUInt32LE(tx.version >>> 0, at));
  for (const part of [
    prevouts,
    amounts,
    scriptsBytes(scripts),
    sequences,
    scriptsBytes(
      tx.outs.map((out) => out.script),
      tx.outs.map((out) => out.value),
    ),
  ]) {
    m.set(sha256(part), at);
    at += 32;
  }
  at = m.writeUInt32LE(index, m.writeUInt8(leafHash ? 2 : 0, at));
  if (leafHash) {
    m.set(leafHash, at);
    m.writeUInt32LE(0xffffffff, m.writeUInt8(0x00, at + 32));
  }
  return sha256(m);
}
