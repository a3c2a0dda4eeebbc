/**
 * Payments from the Taproot outputs the devnet holds keys for (the bridge's locked BTC, the broker's
 * funds): coins chosen largest first, key-path signatures, change back to the payer.
 *
 * @module
 */
import { Transaction } from "bitcoinjs-lib";
import { outpointKey, prevoutTxid } from "../bitcoin/coins.js";
import type { BitcoinChain } from "../bitcoin/index.js";
import { COINBASE_MATURITY } from "../bitcoin/params.js";
import { dustThreshold } from "../bitcoin/policy.js";
import { type SchnorrKey, signKeyPath, type TaprootOutput } from "../rollup/taproot.js";

/** A payer: its key and the key-path output its coins sit in. */
export interface Payer {
  key: SchnorrKey;
  output: TaprootOutput;
}

/** A confirmed, spendable coin of a payer. */
export interface PayerCoin {
  txid: string;
  vout: number;
  value: bigint;
}

const INPUT_VSIZE = 58n;
const OUTPUT_VSIZE = 43n;
const OVERHEAD_VSIZE = 11n;

/** The payer's confirmed coins that the next block may spend: mature, not spent by a mempool transaction. */
export function spendableCoins(chain: BitcoinChain, script: Uint8Array): PayerCoin[] {
  const spent = new Set<string>();
  for (const entry of chain.mempoolEntries()) {
    for (const input of entry.tx.ins) spent.add(outpointKey(prevoutTxid(input.hash), input.index));
  }
  const next = chain.height + 1;
  const mine = Buffer.from(script);
  return chain
    .listCoins()
    .filter(({ txid, vout, coin }) => {
      if (!mine.equals(coin.script) || spent.has(`${txid}:${vout}`)) return false;
      return !coin.coinbase || next - coin.height >= COINBASE_MATURITY;
    })
    .map(({ txid, vout, coin }) => ({ txid, vout, value: coin.value }));
}

/**
 * A signed transaction paying `outputs` from `payer`'s coins, with a fee of exactly `fee` sats (the
 * bridge's accounting depends on it) or, with `fee: "auto"`, 2 sat/vB. Undefined when the coins do
 * not cover it, or would need so many inputs that the fee falls under 1 sat/vB.
 */
export function buildPayment(
  chain: BitcoinChain,
  payer: Payer,
  outputs: readonly { script: Uint8Array; value: bigint }[],
  fee: bigint | "auto",
): Transaction | undefined {
  const coins = spendableCoins(chain, payer.output.script).sort((a, b) =>
    b.value > a.value ? 1 : b.value < a.value ? -1 : a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : a.vout - b.vout,
  );
  const paid = outputs.reduce((sum, o) => sum + o.value, 0n);
  const dust = dustThreshold(payer.output.script);
  const chosen: PayerCoin[] = [];
  let total = 0n;
  for (const coin of coins) {
    chosen.push(coin);
    total += coin.value;
    const vsize = OVERHEAD_VSIZE + INPUT_VSIZE * BigInt(chosen.length) + OUTPUT_VSIZE * BigInt(outputs.length + 1);
    const f = fee === "auto" ? 2n * vsize : fee;
    if (f < vsize) return undefined;
    const change = total - paid - f;
    if (change === 0n || change >= dust) return sign(payer, chosen, outputs, change);
  }
  return undefined;
}

function sign(payer: Payer, coins: PayerCoin[], outputs: readonly { script: Uint8Array; value: bigint }[], change: bigint): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  for (const coin of coins) tx.addInput(Buffer.from(coin.txid, "hex").reverse(), coin.vout, 0xfffffffd);
  for (const o of outputs) tx.addOutput(o.script, o.value);
  if (change > 0n) tx.addOutput(payer.output.script, change);
  const prevouts = { scripts: coins.map(() => payer.output.script), values: coins.map((c) => c.value) };
  coins.forEach((_, i) => {
    signKeyPath(tx, i, prevouts, payer.output, payer.key);
  });
  return tx;
}
