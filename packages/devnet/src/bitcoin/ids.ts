import * as nodeCrypto from "node:crypto";
import { type Block, Transaction } from "bitcoinjs-lib";

// bitcoinjs-lib hashes in JavaScript and again on every getId(); a long warp asks for the same ids
// many times per block. Blocks and transactions in the chain are never changed once built, so their
// ids are computed once (natively) and kept beside the object.
const txids = new WeakMap<Transaction, string>();
const blockIds = new WeakMap<Block, string>();

// Node 21.7+ has a one-shot hash (no Hash object per call); Node 20 falls back to createHash.
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: "buffer") => Buffer }).hash;
const sha256: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot("sha256", data, "buffer")
  : (data) => nodeCrypto.createHash("sha256").update(data).digest();

/** Bitcoin's double SHA-256, with Node's native hash. */
export function hash256(data: Uint8Array): Buffer {
  return sha256(sha256(data));
}

/** Bytes of Bitcoin's compact-size (var-int) encoding of `n`. */
export function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Bitcoin's compact-size (var-int) encoding of `n`, as bitcoinjs-lib's varuint writes it. */
export function compactSize(n: number): Buffer {
  const b = Buffer.allocUnsafe(compactSizeLength(n));
  writeVarInt(b, n, 0);
  return b;
}

function writeVarInt(b: Buffer, n: number, at: number): number {
  if (n < 0xfd) return b.writeUInt8(n, at);
  if (n <= 0xffff) return b.writeUInt16LE(n, b.writeUInt8(0xfd, at));
  if (n <= 0xffffffff) return b.writeUInt32LE(n, b.writeUInt8(0xfe, at));
  return b.writeBigUInt64LE(BigInt(n), b.writeUInt8(0xff, at));
}

/**
 * A transaction's serialization without witnesses (the txid's preimage), byte for byte as bitcoinjs-lib
 * writes it, with Buffer's native writes (bitcoinjs's writer costs most of a coinbase's txid).
 */
export function nonWitnessBytes(tx: Transaction): Buffer {
  let size = 8 + compactSizeLength(tx.ins.length) + compactSizeLength(tx.outs.length);
  for (const input of tx.ins) size += 40 + compactSizeLength(input.script.length) + input.script.length;
  for (const out of tx.outs) size += 8 + compactSizeLength(out.script.length) + out.script.length;
  const b = Buffer.allocUnsafe(size);
  let at = b.writeUInt32LE(tx.version, 0);
  at = writeVarInt(b, tx.ins.length, at);
  for (const input of tx.ins) {
    b.set(input.hash, at);
    at = b.writeUInt32LE(input.index, at + 32);
    at = writeVarInt(b, input.script.length, at);
    b.set(input.script, at);
    at = b.writeUInt32LE(input.sequence, at + input.script.length);
  }
  at = writeVarInt(b, tx.outs.length, at);
  for (const out of tx.outs) {
    at = b.writeBigInt64LE(out.value, at);
    at = writeVarInt(b, out.script.length, at);
    b.set(out.script, at);
    at += out.script.length;
  }
  b.writeUInt32LE(tx.locktime, at);
  return b;
}

/**
 * A transaction the chain holds (a coinbase it built, or its own copy of an accepted one): a plain
 * bitcoinjs-lib Transaction whose txid and wtxid hashes are computed once, natively, and remembered,
 * so that everyone reading the chain (the bridge's scan of every block, RPC answers) gets them for free.
 * Never changed once its hashes have been asked for (the chain asks only once a transaction is complete).
 */
export class ChainTransaction extends Transaction {
  #hash: Uint8Array | undefined;
  #witnessHash: Uint8Array | undefined;
  #id: string | undefined;

  /** The chain's own copy of `tx` (as `clone()` copies it). */
  static copyOf(tx: Transaction): ChainTransaction {
    return Object.assign(new ChainTransaction(), tx.clone());
  }

  override getHash(forWitness?: boolean): Uint8Array {
    if (forWitness) {
      // A coinbase's wtxid is 32 zero bytes (bitcoinjs's rule); any other's hashes the full serialization.
      this.#witnessHash ??= this.isCoinbase() ? super.getHash(true) : this.hasWitnesses() ? hash256(this.toBuffer()) : this.getHash(false);
      return Uint8Array.from(this.#witnessHash);
    }
    this.#hash ??= hash256(nonWitnessBytes(this));
    return Uint8Array.from(this.#hash);
  }

  override getId(): string {
    this.#id ??= Buffer.from(this.getHash(false)).reverse().toString("hex");
    return this.#id;
  }
}

/** A transaction's txid (display order); remembered, so do not change the transaction afterwards. */
export function txidOf(tx: Transaction): string {
  if (tx instanceof ChainTransaction) return tx.getId();
  let id = txids.get(tx);
  if (id === undefined) {
    id = hash256(nonWitnessBytes(tx)).reverse().toString("hex");
    txids.set(tx, id);
  }
  return id;
}

/** A block's hash (display order); remembered, so do not change the block afterwards. */
export function blockIdOf(block: Block): string {
  let id = blockIds.get(block);
  if (id === undefined) {
    id = hash256(block.toBuffer(true)).reverse().toString("hex");
    blockIds.set(block, id);
  }
  return id;
}

/** The 80-byte header as Block.toBuffer(true) writes it (nonce 0 unless set). */
function headerBytes(block: Block): Buffer {
  const header = Buffer.allocUnsafe(80);
  header.writeInt32LE(block.version, 0);
  header.set(block.prevHash!, 4);
  header.set(block.merkleRoot!, 36);
  header.writeUInt32LE(block.timestamp, 68);
  header.writeUInt32LE(block.bits, 72);
  header.writeUInt32LE(block.nonce, 76);
  return header;
}

/**
 * Finds a nonce meeting the block's target by hashing its 80-byte header natively, and remembers the
 * resulting block hash. Returns false when no nonce does.
 */
export function solve(block: Block): boolean {
  const header = headerBytes(block);
  const target = Buffer.alloc(32);
  const exponent = block.bits >>> 24;
  const mantissa = block.bits & 0x007fffff;
  target.writeUIntBE(mantissa, 32 - exponent, 3);
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    header.writeUInt32LE(nonce, 76);
    const hash = hash256(header).reverse();
    if (hash.compare(target) <= 0) {
      block.nonce = nonce;
      blockIds.set(block, hash.toString("hex"));
      return true;
    }
  }
  return false;
}

/** A transaction's txid in internal byte order (as merkle trees and inputs use it). */
function txHash(tx: Transaction): Uint8Array {
  return tx instanceof ChainTransaction ? tx.getHash(false) : Buffer.from(txidOf(tx), "hex").reverse();
}

/** The merkle root of transactions (by txid), natively hashed, as the header carries it. */
export function merkleRoot(transactions: readonly Transaction[]): Buffer {
  let level: Uint8Array[] = transactions.map(txHash);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash256(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return Buffer.from(level[0]);
}
