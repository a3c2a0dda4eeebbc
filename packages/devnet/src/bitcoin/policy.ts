import type { Transaction } from "bitcoinjs-lib";
import { isUnspendable } from "./coins.js";
import { BitcoinTxRejected } from "./errors.js";
import { DUST_RELAY_FEE_PER_KVB, MAX_BLOCK_WEIGHT, MAX_MONEY, MAX_STANDARD_TX_VERSION, MIN_STANDARD_TX_NONWITNESS_SIZE } from "./params.js";

function isWitnessProgram(s: Uint8Array): boolean {
  if (s.length < 4 || s.length > 42) return false;
  if (s[0] !== 0x00 && (s[0] < 0x51 || s[0] > 0x60)) return false;
  return s[1] + 2 === s.length;
}

/** Bitcoin Core's dust threshold of an output at the default dust relay fee (294 sat for P2WPKH, 330 for P2TR, 546 for P2PKH). */
export function dustThreshold(s: Uint8Array): bigint {
  if (isUnspendable(s)) return 0n;
  const outputSize = 8 + (s.length < 253 ? 1 : 3) + s.length;
  const spendSize = isWitnessProgram(s) ? 32 + 4 + 1 + 26 + 4 : 32 + 4 + 1 + 107 + 4;
  return (BigInt(outputSize + spendSize) * DUST_RELAY_FEE_PER_KVB) / 1000n;
}

/** Bitcoin Core's FormatMoney: `50.00`, `0.00001`. */
export function formatMoney(sats: bigint): string {
  const sign = sats < 0n ? "-" : "";
  const abs = sats < 0n ? -sats : sats;
  let frac = (abs % 100_000_000n).toString().padStart(8, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${sign}${abs / 100_000_000n}.${frac}`;
}

/** Context-free checks (Bitcoin Core's CheckTransaction and IsStandardTx), in Core's order. */
export function checkTransactionShape(tx: Transaction, txid: string): void {
  const reject = (reason: string, debug?: string) => new BitcoinTxRejected(reason, debug, txid);
  if (tx.ins.length === 0) throw reject("bad-txns-vin-empty");
  if (tx.outs.length === 0) throw reject("bad-txns-vout-empty");
  if (tx.byteLength(false) * 4 > MAX_BLOCK_WEIGHT) throw reject("bad-txns-oversize");
  let total = 0n;
  for (const out of tx.outs) {
    if (out.value < 0n) throw reject("bad-txns-vout-negative");
    if (out.value > MAX_MONEY) throw reject("bad-txns-vout-toolarge");
    total += out.value;
    if (total > MAX_MONEY) throw reject("bad-txns-txouttotal-toolarge");
  }
  const seen = new Set<string>();
  for (const input of tx.ins) {
    const key = `${Buffer.from(input.hash).toString("hex")}:${input.index}`;
    if (seen.has(key)) throw reject("bad-txns-inputs-duplicate");
    seen.add(key);
  }
  if (tx.isCoinbase()) throw reject("coinbase");
  if (tx.ins.some((input) => input.index === 0xffffffff && input.hash.every((b) => b === 0))) throw reject("bad-txns-prevout-null");
  if (tx.version < 1 || tx.version > MAX_STANDARD_TX_VERSION) throw reject("version");
  if (tx.byteLength(false) < MIN_STANDARD_TX_NONWITNESS_SIZE) throw reject("tx-size-small");
  if (tx.outs.some((out) => out.value < dustThreshold(out.script))) throw reject("dust");
}
