import type { Common } from "@ethereumjs/common";
import { RLP } from "@ethereumjs/rlp";
import type { TransactionType, TypedTransaction } from "@ethereumjs/tx";
import { hexToBytes, KECCAK256_RLP } from "@ethereumjs/util";
import type { TxReceipt } from "@ethereumjs/vm";
import { encodeReceipt } from "@ethereumjs/vm";
import { keccak256 } from "ethereum-cryptography/keccak.js";
import { encodeRlp } from "./rlp.js";
import type { StoredReceipt } from "./types.js";

type NodeValue = Uint8Array | NodeValue[];

/** Hex-prefix encoding of a nibble path (Yellow Paper, appendix C). */
export function hexPrefix(nibbles: number[], leaf: boolean): Uint8Array {
  const odd = nibbles.length % 2;
  const out = new Uint8Array(1 + (nibbles.length - odd) / 2);
  out[0] = ((leaf ? 2 : 0) + odd) << 4;
  let i = 0;
  if (odd) out[0] |= nibbles[i++];
  for (let j = 1; i < nibbles.length; j++, i += 2) out[j] = (nibbles[i] << 4) | nibbles[i + 1];
  return out;
}

function nibblesOf(key: Uint8Array): number[] {
  const out: number[] = [];
  for (const byte of key) out.push(byte >> 4, byte & 15);
  return out;
}

/**
 * Root of a trie built in one pass from all its entries (what the library does
 * with one insert, one node rewrite and one rehash per entry). Used for the
 * transactions and receipts tries of every block; checked against the library in tests.
 */
export function trieRoot(values: Uint8Array[], hash: (data: Uint8Array) => Uint8Array): Uint8Array {
  if (values.length === 0) return KECCAK256_RLP;
  const entries = values.map((value, i) => ({ path: nibblesOf(RLP.encode(i)), value })).sort((a, b) => compare(a.path, b.path));
  const ref = (node: NodeValue): NodeValue => {
    const encoded = encodeRlp(node);
    return encoded.length < 32 ? node : hash(encoded);
  };
  const build = (items: typeof entries, depth: number): NodeValue => {
    if (items.length === 1) return [hexPrefix(items[0].path.slice(depth), true), items[0].value];
    const first = items[0].path;
    const last = items[items.length - 1].path;
    let shared = 0;
    while (depth + shared < first.length && depth + shared < last.length && first[depth + shared] === last[depth + shared]) shared++;
    if (shared > 0) return [hexPrefix(first.slice(depth, depth + shared), false), ref(build(items, depth + shared))];
    const branch: NodeValue[] = Array.from({ length: 17 }, () => new Uint8Array());
    let start = 0;
    if (items[0].path.length === depth) {
      branch[16] = items[0].value;
      start = 1;
    }
    while (start < items.length) {
      const nibble = items[start].path[depth];
      let end = start;
      while (end < items.length && items[end].path[depth] === nibble) end++;
      branch[nibble] = ref(build(items.slice(start, end), depth + 1));
      start = end;
    }
    return branch;
  };
  return hash(encodeRlp(build(entries, 0)));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function hasherOf(common: Common): (data: Uint8Array) => Uint8Array {
  return common.customCrypto.keccak256 ?? keccak256;
}

export function transactionsRoot(txs: TypedTransaction[], common: Common): Uint8Array {
  return trieRoot(
    txs.map((tx) => tx.serialize()),
    hasherOf(common),
  );
}

/** The receipts root of stored receipts (to check a loaded state against its headers). */
export function storedReceiptsRoot(receipts: StoredReceipt[], common: Common): Uint8Array {
  return receiptsRoot(
    receipts.map((r) => ({
      type: r.type,
      receipt: {
        status: r.status,
        cumulativeBlockGasUsed: r.cumulativeGasUsed,
        bitvector: r.logsBloom,
        logs: r.logs.map((log) => [
          hexToBytes(log.address as `0x${string}`),
          log.topics.map((t) => hexToBytes(t as `0x${string}`)),
          hexToBytes(log.data as `0x${string}`),
        ]),
      },
    })),
    common,
  );
}

export function receiptsRoot(receipts: { receipt: TxReceipt; type: number }[], common: Common): Uint8Array {
  return trieRoot(
    receipts.map((r) => encodeReceipt(r.receipt, r.type as TransactionType)),
    hasherOf(common),
  );
}
