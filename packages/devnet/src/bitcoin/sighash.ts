/**
 * BIP341/342 signature hashes and BIP340 tagged hashes with Node's native SHA-256: bitcoinjs-lib hashes
 * them in JavaScript (and checks its arguments with a schema on every call), which was a third of a
 * Take's cost. Only the common case is written here (SIGHASH_DEFAULT or SIGHASH_ALL, no annex); any other
 * goes to bitcoinjs-lib's hashForWitnessV1, which a test checks this against on random transactions.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import type { Transaction } from "bitcoinjs-lib";
import { compactSize } from "./ids.js";

const tagHashes = new Map<string, Buffer>();

function tagged(tag: string): Hash {
  let tagHash = tagHashes.get(tag);
  if (!tagHash) {
    tagHash = createHash("sha256").update(tag).digest();
    tagHashes.set(tag, tagHash);
  }
  return createHash("sha256").update(tagHash).update(tagHash);
}

/** BIP340's tagged hash: SHA256(SHA256(tag) ‖ SHA256(tag) ‖ parts…). */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Buffer {
  const h = tagged(tag);
  for (const part of parts) h.update(part);
  return h.digest();
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n);
  return b;
}

function u64(n: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64LE(n);
  return b;
}

/**
 * The BIP341 signature hash of input `index` (BIP342's with `leafHash`), as `tx.hashForWitnessV1` gives
 * it for the same arguments.
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
  const prevouts = createHash("sha256");
  const sequences = createHash("sha256");
  for (const input of tx.ins) {
    prevouts.update(input.hash).update(u32(input.index));
    sequences.update(u32(input.sequence));
  }
  const amounts = createHash("sha256");
  for (const value of values) amounts.update(u64(value));
  const scriptPubKeys = createHash("sha256");
  for (const script of scripts) scriptPubKeys.update(compactSize(script.length)).update(script);
  const outputs = createHash("sha256");
  for (const out of tx.outs) outputs.update(u64(out.value)).update(compactSize(out.script.length)).update(out.script);
  const h = tagged("TapSighash")
    .update(Buffer.of(0x00, hashType))
    .update(u32(tx.version))
    .update(u32(tx.locktime))
    .update(prevouts.digest())
    .update(amounts.digest())
    .update(scriptPubKeys.digest())
    .update(sequences.digest())
    .update(outputs.digest())
    .update(Buffer.of(leafHash ? 2 : 0))
    .update(u32(index));
  if (leafHash) h.update(leafHash).update(Buffer.of(0x00, 0xff, 0xff, 0xff, 0xff));
  return h.digest();
}
