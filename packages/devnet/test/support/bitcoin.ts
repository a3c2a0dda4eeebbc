// Keys, coins and transaction builders shared by the simulated Bitcoin chain's tests.

import assert from "node:assert/strict";
import { initEccLib, Psbt, payments, type Transaction } from "bitcoinjs-lib";
import { ECPairFactory, type ECPairInterface } from "ecpair";
import * as ecc from "tiny-secp256k1";
import { BitcoinChain, BitcoinTxRejected } from "../../src/bitcoin/index.js";

initEccLib(ecc);
export const ECPair = ECPairFactory(ecc);
export const alice = ECPair.fromPrivateKey(Buffer.alloc(32, 1));
export const bob = ECPair.fromPrivateKey(Buffer.alloc(32, 2));
export const aliceScript = payments.p2wpkh({ pubkey: alice.publicKey }).output!;
export const bobScript = payments.p2wpkh({ pubkey: bob.publicKey }).output!;
export const T0 = 1_700_000_000;

export interface Utxo {
  txid: string;
  vout: number;
  value: bigint;
  script: Uint8Array;
}

/** A P2WPKH spend built and signed with bitcoinjs-lib's Psbt. */
export function spendP2wpkh(
  key: ECPairInterface,
  inputs: Utxo[],
  outputs: { script: Uint8Array; value: bigint }[],
  opts: { sequence?: number; version?: number; locktime?: number } = {},
): Transaction {
  const psbt = new Psbt();
  psbt.setVersion(opts.version ?? 2);
  if (opts.locktime !== undefined) psbt.setLocktime(opts.locktime);
  for (const u of inputs) {
    psbt.addInput({ hash: u.txid, index: u.vout, sequence: opts.sequence, witnessUtxo: { script: u.script, value: u.value } });
  }
  for (const o of outputs) psbt.addOutput({ script: o.script, value: o.value });
  psbt.signAllInputs(key);
  psbt.finalizeAllInputs();
  return psbt.extractTransaction(true);
}

/** Output 0 of the coinbase at `height`. */
export function coinbaseUtxo(chain: BitcoinChain, height: number): Utxo {
  const cb = chain.getBlock(height)!.transactions![0];
  return { txid: cb.getId(), vout: 0, value: cb.outs[0].value, script: cb.outs[0].script };
}

/** Output `vout` of `tx`, as a coin to spend. */
export function outputOf(tx: Transaction, vout = 0): Utxo {
  return { txid: tx.getId(), vout, value: tx.outs[vout].value, script: tx.outs[vout].script };
}

export function rejection(fn: () => unknown): BitcoinTxRejected {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BitcoinTxRejected, `expected BitcoinTxRejected, got ${err}`);
    return err;
  }
  assert.fail("expected a rejection");
}

/** A chain with 101 blocks paid to alice: block 1's coinbase is mature for the next block. */
export function matureChain(): BitcoinChain {
  const chain = new BitcoinChain();
  chain.mine({ timestamp: T0, payoutScript: aliceScript, count: 101 });
  return chain;
}
