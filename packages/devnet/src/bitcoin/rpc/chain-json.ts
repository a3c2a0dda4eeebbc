/**
 * Transactions, headers and blocks as Bitcoin Core's RPC answers show them (core_write.cpp TxToUniv,
 * rpc/blockchain.cpp blockheaderToJSON / blockToJSON), computed from the simulated chain's public accessors.
 *
 * @module
 */
import type { Block, Transaction } from "bitcoinjs-lib";
import { toPlainHex as hex } from "../../hex.js";
import type { BitcoinChain } from "../chain.js";
import { prevoutTxid } from "../coins.js";
import { compactSizeLength, wtxidOf } from "../ids.js";
import { type BtcAmount, btc, double } from "./amount.js";
import { scriptPubKeyJson, scriptToAsm } from "./script.js";

/** How much of each transaction a block answer shows (Core's TxVerbosity). */
export type TxDetail = "details" | "details-and-prevout";

/** The output an input spends, as Core's undo data holds it. */
export interface SpentOutput {
  value: bigint;
  script: Uint8Array;
  height: number;
  coinbase: boolean;
}

/**
 * The outputs a transaction's inputs spent, looked up in the chain's transaction index (Core reads
 * them from the block's undo data). Undefined for a coinbase or when a parent is unknown.
 */
export function spentOutputs(chain: BitcoinChain, tx: Transaction): SpentOutput[] | undefined {
  if (tx.isCoinbase()) return undefined;
  const spent: SpentOutput[] = [];
  for (const input of tx.ins) {
    const parent = chain.getTransaction(prevoutTxid(input.hash));
    const out = parent?.tx.outs[input.index];
    if (!parent || !out || parent.height === undefined) return undefined;
    spent.push({ value: out.value, script: out.script, height: parent.height, coinbase: parent.index === 0 });
  }
  return spent;
}

/** Core's TxToUniv. `spent` (undo data) adds `fee`, and `prevout` objects with "details-and-prevout". */
export function txToJson(
  tx: Transaction,
  options: { spent?: SpentOutput[]; detail?: TxDetail; includeHex?: boolean; blockHash?: string } = {},
): Record<string, unknown> {
  const coinbase = tx.isCoinbase();
  const vin = tx.ins.map((input, i) => {
    const entry: Record<string, unknown> = coinbase
      ? { coinbase: hex(input.script) }
      : {
          txid: prevoutTxid(input.hash),
          vout: input.index,
          scriptSig: { asm: scriptToAsm(input.script, true), hex: hex(input.script) },
        };
    if (input.witness.length > 0) entry.txinwitness = input.witness.map(hex);
    const prev = options.spent?.[i];
    if (prev && options.detail === "details-and-prevout") {
      entry.prevout = {
        generated: prev.coinbase,
        height: prev.height,
        value: btc(prev.value),
        scriptPubKey: scriptPubKeyJson(prev.script),
      };
    }
    entry.sequence = input.sequence;
    return entry;
  });
  const vout = tx.outs.map((out, n) => ({ value: btc(out.value), n, scriptPubKey: scriptPubKeyJson(out.script) }));
  const weight = tx.weight();
  const json: Record<string, unknown> = {
    txid: tx.getId(),
    hash: wtxidOf(tx),
    version: tx.version,
    size: tx.byteLength(),
    vsize: Math.ceil(weight / 4),
    weight,
    locktime: tx.locktime,
    vin,
    vout,
  };
  if (options.spent) {
    const valueIn = options.spent.reduce((sum, p) => sum + p.value, 0n);
    const valueOut = tx.outs.reduce((sum, o) => sum + o.value, 0n);
    json.fee = btc(valueIn - valueOut);
  }
  if (options.blockHash) json.blockhash = options.blockHash;
  if (options.includeHex) json.hex = tx.toHex();
  return json;
}

/** Core's GetDifficulty: the regtest target 0x207fffff gives 4.656542373906925e-10. */
export function difficulty(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256;
    shift++;
  }
  while (shift > 29) {
    diff /= 256;
    shift--;
  }
  return diff;
}

/** The work a header with these bits proves: 2^256 / (target + 1) (Core's GetBlockProof). */
function blockProof(bits: number): bigint {
  const exponent = BigInt(bits >>> 24);
  const mantissa = BigInt(bits & 0x007fffff);
  const target = exponent <= 3n ? mantissa >> (8n * (3n - exponent)) : mantissa << (8n * (exponent - 3n));
  if (target === 0n || bits & 0x00800000) return 0n;
  return (1n << 256n) / (target + 1n);
}

/** Total work of the chain up to and including `height`, as Core's 64-digit hex `chainwork`. */
export function chainwork(chain: BitcoinChain, height: number): string {
  let work = 0n;
  for (let h = 0; h <= height; h++) work += blockProof(chain.getBlock(h)!.bits);
  return work.toString(16).padStart(64, "0");
}

/** Core's blockheaderToJSON. */
export function blockHeaderJson(chain: BitcoinChain, height: number): Record<string, unknown> {
  const block = chain.getBlock(height)!;
  const json: Record<string, unknown> = {
    hash: block.getId(),
    confirmations: chain.height - height + 1,
    height,
    version: block.version,
    versionHex: (block.version >>> 0).toString(16).padStart(8, "0"),
    merkleroot: Buffer.from(block.merkleRoot!).reverse().toString("hex"),
    time: block.timestamp,
    mediantime: chain.medianTimePast(height),
    nonce: block.nonce,
    bits: (block.bits >>> 0).toString(16).padStart(8, "0"),
    difficulty: double(difficulty(block.bits)),
    chainwork: chainwork(chain, height),
    nTx: block.transactions!.length,
  };
  if (height > 0) json.previousblockhash = chain.getBlock(height - 1)!.getId();
  if (height < chain.height) json.nextblockhash = chain.getBlock(height + 1)!.getId();
  return json;
}

/** Core's blockToJSON: the header fields, sizes and weight, then txids (verbosity 1) or transactions (2, 3). */
export function blockJson(chain: BitcoinChain, height: number, detail?: TxDetail): Record<string, unknown> {
  const block: Block = chain.getBlock(height)!;
  const txs = block.transactions!;
  const stripped = 80 + compactSizeLength(txs.length) + txs.reduce((n, tx) => n + tx.byteLength(false), 0);
  const size = block.byteLength(false, true);
  return {
    ...blockHeaderJson(chain, height),
    strippedsize: stripped,
    size,
    weight: stripped * 3 + size,
    tx: detail ? txs.map((tx) => txToJson(tx, { spent: spentOutputs(chain, tx), detail, includeHex: true })) : txs.map((tx) => tx.getId()),
  };
}

/** Sum of amounts, as a {@link BtcAmount}. */
export function sumBtc(values: bigint[]): BtcAmount {
  return btc(values.reduce((a, b) => a + b, 0n));
}
