/**
 * What a claim commits to, computed from L2 data alone, so that anyone holding the L2 blocks (over the
 * L2 RPC) can rebuild a batch's commitment and compare it with the claim read from Bitcoin.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { keccak256OrJs as keccak256 } from "../l2/crypto.js";

/** The fields a claim commits to. Roots are 0x-prefixed 32-byte hex. */
export interface BatchHeader {
  /** Position of the batch in the devnet's history (0, 1, ...), across claim chains. */
  index: number;
  firstBlock: bigint;
  lastBlock: bigint;
  /** State root the batch's first block ran on. */
  preStateRoot: string;
  /** State root after the batch's last block, as the operator claims it. */
  postStateRoot: string;
  /** {@link batchTransactionsRoot} of the batch's blocks. */
  transactionsRoot: string;
  /** Root of the batch's withdrawals (all zeros when it has none). */
  withdrawalsRoot: string;
}

/** Domain tag hashed in front of every commitment (version 1 of the layout). */
export const COMMITMENT_TAG = "BITLAYER-DEVNET/batch/v1";

/** The withdrawals root of a batch without withdrawals. */
export const EMPTY_WITHDRAWALS_ROOT = `0x${"00".repeat(32)}`;

function rootBytes(hex: string, what: string): Buffer {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`${what} must be 32 bytes of 0x-hex, got ${hex}`);
  return Buffer.from(hex.slice(2), "hex");
}

/**
 * The root of a batch's transactions: keccak256 over the concatenated `transactionsRoot` of its blocks,
 * in order (each block's own trie root already commits to its transactions).
 * @example
 * batchTransactionsRoot([block5.transactionsRoot, block6.transactionsRoot])
 */
export function batchTransactionsRoot(blockTransactionRoots: readonly string[]): string {
  const all = Buffer.concat(blockTransactionRoots.map((root, i) => rootBytes(root, `transactionsRoot of block ${i}`)));
  return `0x${Buffer.from(keccak256(all)).toString("hex")}`;
}

/**
 * sha256(tag ‖ index u64 ‖ firstBlock u64 ‖ lastBlock u64 ‖ preStateRoot ‖ postStateRoot ‖
 * transactionsRoot ‖ withdrawalsRoot), integers big-endian: 32 bytes that the claim's OP_RETURN carries
 * and its Taproot output commits to.
 * @example
 * const commitment = batchCommitment({ index: 0, firstBlock: 1n, lastBlock: 3n, preStateRoot, postStateRoot, transactionsRoot, withdrawalsRoot: EMPTY_WITHDRAWALS_ROOT });
 */
export function batchCommitment(header: BatchHeader): Uint8Array {
  const numbers = Buffer.alloc(24);
  numbers.writeBigUInt64BE(BigInt(header.index), 0);
  numbers.writeBigUInt64BE(header.firstBlock, 8);
  numbers.writeBigUInt64BE(header.lastBlock, 16);
  return createHash("sha256")
    .update(COMMITMENT_TAG)
    .update(numbers)
    .update(rootBytes(header.preStateRoot, "preStateRoot"))
    .update(rootBytes(header.postStateRoot, "postStateRoot"))
    .update(rootBytes(header.transactionsRoot, "transactionsRoot"))
    .update(rootBytes(header.withdrawalsRoot, "withdrawalsRoot"))
    .digest();
}
