import type { Transaction } from "bitcoinjs-lib";
import { outpointKey, prevoutTxid } from "./coins.js";

/** A transaction waiting in the simulated mempool. */
export interface MempoolEntry {
  tx: Transaction;
  txid: string;
  fee: bigint;
  vsize: number;
  weight: number;
  /** Arrival order: ties in fee rate are mined first come, first served. */
  sequence: number;
}

/** The mempool's contents at one moment; entries are never changed once added, so it shares them. */
export interface MempoolSnapshot {
  readonly entries: readonly MempoolEntry[];
  readonly nextSequence: number;
}

/** The mempool: transactions by txid, and which mempool transaction spends each outpoint. */
export class Mempool {
  private readonly entries = new Map<string, MempoolEntry>();
  private readonly spenders = new Map<string, string>();
  private nextSequence = 0;

  get size(): number {
    return this.entries.size;
  }

  has(txid: string): boolean {
    return this.entries.has(txid);
  }

  get(txid: string): MempoolEntry | undefined {
    return this.entries.get(txid);
  }

  /** The txid of the mempool transaction spending an outpoint, if any. */
  spenderOf(key: string): string | undefined {
    return this.spenders.get(key);
  }

  add(entry: Omit<MempoolEntry, "sequence">): MempoolEntry {
    const full = { ...entry, sequence: this.nextSequence++ };
    this.insert(full);
    return full;
  }

  private insert(entry: MempoolEntry): void {
    this.entries.set(entry.txid, entry);
    for (const input of entry.tx.ins) this.spenders.set(outpointKey(prevoutTxid(input.hash), input.index), entry.txid);
  }

  /** The contents, in time proportional to the number of entries. */
  snapshot(): MempoolSnapshot {
    return { entries: [...this.entries.values()], nextSequence: this.nextSequence };
  }

  /** A mempool holding a snapshot's contents, arrival order and next arrival number included. */
  static fromSnapshot(snapshot: MempoolSnapshot): Mempool {
    const mempool = new Mempool();
    for (const entry of snapshot.entries) mempool.insert(entry);
    mempool.nextSequence = snapshot.nextSequence;
    return mempool;
  }

  remove(txid: string): void {
    const entry = this.entries.get(txid);
    if (!entry) return;
    this.entries.delete(txid);
    for (const input of entry.tx.ins) this.spenders.delete(outpointKey(prevoutTxid(input.hash), input.index));
  }

  /** Entries in arrival order. */
  list(): MempoolEntry[] {
    return [...this.entries.values()].sort((a, b) => a.sequence - b.sequence);
  }

  /**
   * Picks transactions for a block: highest fee rate first (ties by arrival), a transaction only after
   * the mempool parents it spends, within `maxWeight`. Returns them in a valid block order.
   */
  select(maxWeight: number): MempoolEntry[] {
    if (this.entries.size === 0) return []; // most blocks of a warp
    const byRate = this.list().sort((a, b) => {
      const diff = b.fee * BigInt(a.vsize) - a.fee * BigInt(b.vsize);
      return diff > 0n ? 1 : diff < 0n ? -1 : a.sequence - b.sequence;
    });
    const chosen: MempoolEntry[] = [];
    const included = new Set<string>();
    const skipped = new Set<string>();
    let weight = 0;
    let progress = true;
    while (progress) {
      progress = false;
      for (const entry of byRate) {
        if (included.has(entry.txid) || skipped.has(entry.txid)) continue;
        if (weight + entry.weight > maxWeight) {
          skipped.add(entry.txid);
          continue;
        }
        const parentsReady = entry.tx.ins.every((input) => {
          const parent = prevoutTxid(input.hash);
          return !this.entries.has(parent) || included.has(parent);
        });
        if (!parentsReady) continue;
        chosen.push(entry);
        included.add(entry.txid);
        weight += entry.weight;
        progress = true;
      }
    }
    return chosen;
  }
}
