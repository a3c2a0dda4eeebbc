import * as nodeCrypto from "node:crypto";
import { Block, Transaction } from "bitcoinjs-lib";

// bitcoinjs-lib hashes in JavaScript and again on every getId(); a long warp asks for the same ids
// many times per block. Blocks and transactions in the chain are never changed once built, so their
// ids are computed once (natively) and kept beside the object.
const txids = new WeakMap<Transaction, string>();
/** Hashes of blocks not mined here (genesis, restored blocks): display order, and internal order as latin1. */
const blockIds = new WeakMap<Block, string>();
const blockHashes = new WeakMap<Block, string>();

/**
 * A block the chain mined: a plain bitcoinjs-lib Block that carries its hash (found by {@link solve}) and
 * id itself, without a WeakMap entry each (a week's warp mines 1008 of them). Never changed once solved.
 */
export class ChainBlock extends Block {
  /** Internal-order hash as latin1, set by solve(). */
  hashLatin1: string | undefined;
  id: string | undefined;
}

// Node 21.7+ has a one-shot hash (no Hash object per call); Node 20 falls back to createHash. Asked for
// a latin1 string (one char per byte) it costs ~0.6 µs where a Buffer costs ~2 µs (a Buffer result gets
// its own off-heap store): hashes are taken as strings and turned into bytes only where bytes are kept.
// ("binary" is Node's other name for latin1.)
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: "binary") => string }).hash;
const sha256Latin1: (data: Uint8Array) => string = oneShot
  ? (data) => oneShot("sha256", data, "binary")
  : (data) => nodeCrypto.createHash("sha256").update(data).digest("binary");

/** Scratch for the inner hash and for reversing a hash into its display order (synchronous users only). */
const scratch = Buffer.allocUnsafe(32);

/** Bitcoin's double SHA-256 as a latin1 string (internal byte order). */
function hash256Latin1(data: Uint8Array): string {
  scratch.write(sha256Latin1(data), 0, "latin1");
  return sha256Latin1(scratch);
}

/** The display-order hex (txid, block hash) of a hash256Latin1 result. */
function displayHex(hash: string): string {
  scratch.write(hash, 0, "latin1");
  return scratch.reverse().toString("hex");
}

/** SHA-256, with Node's native hash. */
export function sha256(data: Uint8Array): Buffer {
  return Buffer.from(sha256Latin1(data), "latin1");
}

/** Bitcoin's double SHA-256, with Node's native hash. */
export function hash256(data: Uint8Array): Buffer {
  return Buffer.from(hash256Latin1(data), "latin1");
}

/** Bytes of Bitcoin's compact-size (var-int) encoding of `n`. */
export function compactSizeLength(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

/** Bitcoin's compact-size (var-int) encoding of `n`, as bitcoinjs-lib's varuint writes it. */
export function compactSize(n: number): Buffer {
  const b = Buffer.allocUnsafe(compactSizeLength(n));
  writeCompactSize(b, n, 0);
  return b;
}

/** Writes `n` as a compact size at `at`; returns the offset after it. */
export function writeCompactSize(b: Buffer, n: number, at: number): number {
  if (n < 0xfd) return b.writeUInt8(n, at);
  if (n <= 0xffff) return b.writeUInt16LE(n, b.writeUInt8(0xfd, at));
  if (n <= 0xffffffff) return b.writeUInt32LE(n, b.writeUInt8(0xfe, at));
  return b.writeBigUInt64LE(BigInt(n), b.writeUInt8(0xff, at));
}

/** Writes an output value (int64 LE); any amount of money through Numbers (Node's BigInt writer is slower). */
export function writeValue(b: Buffer, value: bigint, at: number): number {
  if (value < 0n || value > 0x1fffffffffffffn) return b.writeBigInt64LE(value, at);
  const n = Number(value);
  b.writeUInt32LE(n % 0x100000000, at);
  return b.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

/** Bytes of a transaction's serialization, with (`segwit`) or without its witnesses. */
function serializedSize(tx: Transaction, segwit: boolean): number {
  let size = 8 + compactSizeLength(tx.ins.length) + compactSizeLength(tx.outs.length) + (segwit ? 2 : 0);
  for (const input of tx.ins) {
    size += 40 + compactSizeLength(input.script.length) + input.script.length;
    if (segwit) {
      size += compactSizeLength(input.witness.length);
      for (const item of input.witness) size += compactSizeLength(item.length) + item.length;
    }
  }
  for (const out of tx.outs) size += 8 + compactSizeLength(out.script.length) + out.script.length;
  return size;
}

/** A transaction's BIP141 weight and virtual size, as `weight()` and `virtualSize()` give them (sized once, not four times). */
export function weightOf(tx: Transaction): { weight: number; vsize: number } {
  const weight = serializedSize(tx, false) * 3 + serializedSize(tx, tx.hasWitnesses());
  return { weight, vsize: Math.ceil(weight / 4) };
}

/**
 * A transaction's serialization, byte for byte as bitcoinjs-lib writes it, with Buffer's native writes
 * (bitcoinjs's writer costs most of a coinbase's txid): with its witnesses when `witness` is asked for
 * and it has any (`toBuffer()`), else without (the txid's preimage).
 */
function serialize(tx: Transaction, witness: boolean): Buffer {
  const segwit = witness && tx.hasWitnesses();
  const b = Buffer.allocUnsafe(serializedSize(tx, segwit));
  let at = b.writeUInt32LE(tx.version, 0);
  if (segwit) at = b.writeUInt8(1, b.writeUInt8(0, at)); // marker and flag
  at = writeCompactSize(b, tx.ins.length, at);
  for (const input of tx.ins) {
    b.set(input.hash, at);
    at = b.writeUInt32LE(input.index, at + 32);
    at = writeCompactSize(b, input.script.length, at);
    b.set(input.script, at);
    at = b.writeUInt32LE(input.sequence, at + input.script.length);
  }
  at = writeCompactSize(b, tx.outs.length, at);
  for (const out of tx.outs) {
    at = writeValue(b, out.value, at);
    at = writeCompactSize(b, out.script.length, at);
    b.set(out.script, at);
    at += out.script.length;
  }
  if (segwit) {
    for (const input of tx.ins) {
      at = writeCompactSize(b, input.witness.length, at);
      for (const item of input.witness) {
        at = writeCompactSize(b, item.length, at);
        b.set(item, at);
        at += item.length;
      }
    }
  }
  b.writeUInt32LE(tx.locktime, at);
  return b;
}

/** A transaction's serialization without witnesses (the txid's preimage), as bitcoinjs-lib writes it. */
export function nonWitnessBytes(tx: Transaction): Buffer {
  return serialize(tx, false);
}

/** A transaction's full serialization (`toBuffer()`), as bitcoinjs-lib writes it. */
export function transactionBytes(tx: Transaction): Buffer {
  return serialize(tx, true);
}

/** The latin1 txid hash of a ChainTransaction (its own, remembered); set by the class below. */
let chainTxHash: (tx: ChainTransaction) => string;

/**
 * A transaction the chain holds (a coinbase it built, or its own copy of an accepted one): a plain
 * bitcoinjs-lib Transaction whose txid and wtxid hashes are computed once, natively, and remembered,
 * so that everyone reading the chain (the bridge's scan of every block, RPC answers) gets them for free.
 * Never changed once its hashes have been asked for (the chain asks only once a transaction is complete).
 */
export class ChainTransaction extends Transaction {
  #hash: string | undefined; // latin1
  #witnessHash: Uint8Array | undefined;
  #id: string | undefined;

  /** The chain's own copy of `tx` (as `clone()` copies it). */
  static copyOf(tx: Transaction): ChainTransaction {
    return Object.assign(new ChainTransaction(), tx.clone());
  }

  override getHash(forWitness?: boolean): Uint8Array {
    if (forWitness) {
      // A coinbase's wtxid is 32 zero bytes (bitcoinjs's rule); any other's hashes the full serialization.
      this.#witnessHash ??= this.isCoinbase()
        ? super.getHash(true)
        : this.hasWitnesses()
          ? hash256(transactionBytes(this))
          : this.getHash(false);
      return new Uint8Array(this.#witnessHash);
    }
    return latin1Bytes(this.#txHash());
  }

  override getId(): string {
    this.#id ??= displayHex(this.#txHash());
    return this.#id;
  }

  /** The txid's hash in internal order, as a latin1 string (computed once). */
  #txHash(): string {
    this.#hash ??= hash256Latin1(nonWitnessBytes(this));
    return this.#hash;
  }

  static {
    chainTxHash = (tx) => tx.#txHash();
  }
}

/** A transaction's wtxid (its hash with the witness), in display order. */
export function wtxidOf(tx: Transaction): string {
  return Buffer.from(tx.getHash(true)).reverse().toString("hex");
}

/** A transaction's txid (display order); remembered, so do not change the transaction afterwards. */
export function txidOf(tx: Transaction): string {
  if (tx instanceof ChainTransaction) return tx.getId();
  let id = txids.get(tx);
  if (id === undefined) {
    id = displayHex(hash256Latin1(nonWitnessBytes(tx)));
    txids.set(tx, id);
  }
  return id;
}

/** A plain Uint8Array (not a Buffer, whose slice() would share) holding a latin1 string's bytes. */
function latin1Bytes(s: string): Uint8Array {
  const bytes = new Uint8Array(s.length);
  Buffer.from(bytes.buffer, 0, s.length).write(s, 0, "latin1");
  return bytes;
}

/** A block's hash in internal order as latin1; remembered. */
function blockHashLatin1(block: Block): string {
  if (block instanceof ChainBlock && block.hashLatin1 !== undefined) return block.hashLatin1;
  let hash = blockHashes.get(block);
  if (hash === undefined) {
    hash = hash256Latin1(block.toBuffer(true));
    blockHashes.set(block, hash);
  }
  return hash;
}

/** A block's hash (display order); remembered, so do not change the block afterwards. */
export function blockIdOf(block: Block): string {
  if (block instanceof ChainBlock) {
    block.id ??= displayHex(blockHashLatin1(block));
    return block.id;
  }
  let id = blockIds.get(block);
  if (id === undefined) {
    id = displayHex(blockHashLatin1(block));
    blockIds.set(block, id);
  }
  return id;
}

/** A block's hash in internal order (as the next header's prevHash carries it): a fresh copy; remembered. */
export function blockHashOf(block: Block): Buffer {
  return Buffer.from(blockHashLatin1(block), "latin1");
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

const targets = new Map<number, Buffer>();

/** The 32-byte big-endian target of compact `bits`, as bitcoinjs-lib's checkProofOfWork computes it; remembered. */
function targetOf(bits: number): Buffer {
  const known = targets.get(bits);
  if (known) return known;
  const target = Buffer.alloc(32);
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  target.writeUIntBE(mantissa, 32 - exponent, 3);
  targets.set(bits, target);
  return target;
}

/** Whether a hash (internal order, latin1: its last byte is the most significant) is at most `target`. */
function meetsTarget(hash: string, target: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const a = hash.charCodeAt(31 - i);
    if (a !== target[i]) return a < target[i];
  }
  return true;
}

/**
 * Finds the first nonce meeting the block's target by hashing its 80-byte header natively, and remembers
 * the resulting block hash. Returns false when no nonce does.
 */
export function solve(block: Block): boolean {
  const header = headerBytes(block);
  const target = targetOf(block.bits);
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    header.writeUInt32LE(nonce, 76);
    const hash = hash256Latin1(header);
    if (meetsTarget(hash, target)) {
      block.nonce = nonce;
      if (block instanceof ChainBlock) block.hashLatin1 = hash;
      else blockHashes.set(block, hash);
      return true;
    }
  }
  return false;
}

/** A transaction's txid hash in internal byte order (as merkle trees and inputs use it), latin1. */
function txHashLatin1(tx: Transaction): string {
  return tx instanceof ChainTransaction ? chainTxHash(tx) : Buffer.from(txidOf(tx), "hex").reverse().toString("latin1");
}

/** The merkle root of latin1 hashes, natively hashed (the last of an odd level paired with itself). */
function merkleRootLatin1(hashes: string[]): string {
  let level = hashes;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash256Latin1(Buffer.from(level[i] + (level[i + 1] ?? level[i]), "latin1")));
    level = next;
  }
  return level[0];
}

/** The merkle root of transactions (by txid), natively hashed, as the header carries it. */
export function merkleRoot(transactions: readonly Transaction[]): Buffer {
  return Buffer.from(merkleRootLatin1(transactions.map(txHashLatin1)), "latin1");
}

/**
 * BIP141's witness commitment, as `Block.calculateMerkleRoot(transactions, true)` computes it: the merkle
 * root of the wtxids (the coinbase's is zero) hashed with the coinbase's witness reserved value.
 */
export function witnessCommitment(transactions: readonly Transaction[]): Buffer {
  const wtxids = transactions.map((tx) => {
    const hash = tx.getHash(true);
    return Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString("latin1");
  });
  const reserved = transactions[0].ins[0].witness[0];
  return hash256(Buffer.concat([Buffer.from(merkleRootLatin1(wtxids), "latin1"), reserved]));
}
