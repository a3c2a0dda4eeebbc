import type { StoredBlock } from "./types.js";

export interface TxLocation {
  block: StoredBlock;
  index: number;
}

/**
 * Most blocks a chain holds, genesis included. Every block stays in memory (about 4.5 KB for an
 * empty one), so an unbounded chain would let one client exhaust the heap with a few large
 * hardhat_mine calls; the bound is also the most a state file may hold, so any chain can be saved.
 */
export const MAX_CHAIN_BLOCKS = 200_000;

/** The canonical chain: blocks by number and hash, transactions by hash. */
export class BlockStore {
  private readonly blocks: StoredBlock[] = [];
  private readonly byHash = new Map<string, StoredBlock>();
  private readonly txIndex = new Map<string, TxLocation>();

  get head(): StoredBlock {
    return this.blocks[this.blocks.length - 1];
  }

  get height(): bigint {
    return BigInt(this.blocks.length - 1);
  }

  append(stored: StoredBlock): void {
    if (stored.number !== BigInt(this.blocks.length)) throw new Error(`block ${stored.number} out of order`);
    this.blocks.push(stored);
    this.byHash.set(stored.hash, stored);
    for (const [index, hash] of stored.txHashes.entries()) this.txIndex.set(hash, { block: stored, index });
  }

  byNumber(n: bigint): StoredBlock | undefined {
    return n >= 0n && n < BigInt(this.blocks.length) ? this.blocks[Number(n)] : undefined;
  }

  getByHash(hash: string): StoredBlock | undefined {
    return this.byHash.get(hash.toLowerCase());
  }

  findTx(hash: string): TxLocation | undefined {
    return this.txIndex.get(hash.toLowerCase());
  }

  /** Drops every block above `n` (snapshot revert, reset). */
  truncate(n: bigint): void {
    while (BigInt(this.blocks.length - 1) > n) {
      const dropped = this.blocks.pop() as StoredBlock;
      this.byHash.delete(dropped.hash);
      for (const hash of dropped.txHashes) this.txIndex.delete(hash);
    }
  }

  /** Blocks from `from` to `to` inclusive, clamped to the chain. */
  *range(from: bigint, to: bigint): Iterable<StoredBlock> {
    const last = to < this.height ? to : this.height;
    for (let n = from < 0n ? 0n : from; n <= last; n++) yield this.blocks[Number(n)];
  }

  all(): readonly StoredBlock[] {
    return this.blocks;
  }
}
