import type { Transaction } from "bitcoinjs-lib";
import {
  LOCKTIME_THRESHOLD,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_GRANULARITY,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
} from "./params.js";

const SEQUENCE_FINAL = 0xffffffff;

/** BIP113 median time past: the median timestamp of the 11 blocks ending at `height`. */
export function medianTimePast(blocks: readonly { timestamp: number }[], height: number): number {
  // insertion sort of at most 11 numbers, without the slice, map and comparator calls of a general sort
  const times: number[] = [];
  for (let h = Math.max(0, height - 10); h <= height; h++) {
    const t = blocks[h].timestamp;
    let i = times.length;
    for (; i > 0 && times[i - 1] > t; i--) times[i] = times[i - 1];
    times[i] = t;
  }
  return times[Math.floor(times.length / 2)];
}

/** Bitcoin Core's IsFinalTx: is `tx`'s nLockTime satisfied in a block at `height` with median time past `mtp`? */
export function isFinalTx(tx: Transaction, height: number, mtp: number): boolean {
  if (tx.locktime === 0) return true;
  const limit = tx.locktime < LOCKTIME_THRESHOLD ? height : mtp;
  if (tx.locktime < limit) return true;
  return tx.ins.every((input) => input.sequence === SEQUENCE_FINAL);
}

/**
 * BIP68 relative lock-time check (Bitcoin Core's CalculateSequenceLocks + EvaluateSequenceLocks) for a
 * transaction to be included in a block at `height` whose predecessor has median time past `tipMtp`.
 * `coinHeights[i]` is the height of the block that created input i's coin (the next height for a coin
 * still in the mempool); `mtpAt(h)` gives the median time past of block h.
 */
export function sequenceLocksSatisfied(
  tx: Transaction,
  coinHeights: number[],
  height: number,
  tipMtp: number,
  mtpAt: (height: number) => number,
): boolean {
  if (tx.version < 2) return true;
  let minHeight = -1;
  let minTime = -1;
  tx.ins.forEach((input, i) => {
    if ((input.sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) return;
    const value = input.sequence & SEQUENCE_LOCKTIME_MASK;
    const coinHeight = coinHeights[i];
    if ((input.sequence & SEQUENCE_LOCKTIME_TYPE_FLAG) !== 0) {
      const coinTime = mtpAt(Math.max(coinHeight - 1, 0));
      minTime = Math.max(minTime, coinTime + (value << SEQUENCE_LOCKTIME_GRANULARITY) - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + value - 1);
    }
  });
  return minHeight < height && minTime < tipMtp;
}

/**
 * Bitcoin Core's CheckSequence (BIP112), the test OP_CHECKSEQUENCEVERIFY applies once its operand `n`
 * is known to be non-negative without the disable flag: the input's nSequence must itself be a BIP68
 * lock (version 2 or more, disable flag clear) of the same kind as `n` (blocks or 512-second units)
 * and at least as long.
 */
export function checkSequence(tx: Transaction, index: number, n: bigint): boolean {
  const sequence = tx.ins[index].sequence >>> 0;
  // Core compares the version as unsigned
  if (tx.version >>> 0 < 2) return false;
  if ((sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) return false;
  const mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
  const txMasked = sequence & mask;
  const nMasked = Number(n & BigInt(mask));
  if (txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG !== nMasked < SEQUENCE_LOCKTIME_TYPE_FLAG) return false;
  return nMasked <= txMasked;
}
