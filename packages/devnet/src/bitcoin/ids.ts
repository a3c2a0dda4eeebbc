import { createHash } from "node:crypto";
import type { Block, Transaction } from "bitcoinjs-lib";

// bitcoinjs-lib hashes in JavaScript and again on every getId(); a long warp asks for the same ids
// many times per block. Blocks and transactions in the chain are never changed once built, so their
// ids are computed once (natively) and kept beside the object.
const txids = new WeakMap<Transaction, string>();
const blockIds = new WeakMap<Block, string>();

/** Bitcoin's double SHA-256, with Node's native hash. */
export function hash256(data: Uint8Array): Buffer {
  return createHash("sha256").update(createHash("sha256").update(data).digest()).digest();
}

/** A transaction's txid (display order); remembered, so do not change the transaction afterwards. */
export function txidOf(tx: Transaction): string {
  let id = txids.get(tx);
  if (id === undefined) {
    // Without witnesses the serialization is the txid's preimage: hash it natively.
    id = tx.hasWitnesses() ? tx.getId() : hash256(tx.toBuffer()).reverse().toString("hex");
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

/**
 * Finds a nonce meeting the block's target by hashing its 80-byte header natively, and remembers the
 * resulting block hash. Returns false when no nonce does.
 */
export function solve(block: Block): boolean {
  const header = Buffer.from(block.toBuffer(true));
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

/** The merkle root of transactions (by txid), natively hashed, as the header carries it. */
export function merkleRoot(transactions: readonly Transaction[]): Buffer {
  let level: Buffer[] = transactions.map((tx) => Buffer.from(txidOf(tx), "hex").reverse());
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash256(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}
