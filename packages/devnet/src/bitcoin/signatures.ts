import { crypto, script, Transaction } from "bitcoinjs-lib";
import * as ecc from "tiny-secp256k1";
import { equalBytes } from "./coins.js";
import { BitcoinTxRejected } from "./errors.js";

/** The output an input spends: what its signature commits to. */
export interface Prevout {
  script: Uint8Array;
  value: bigint;
}

const SCRIPT_FAILED = "mandatory-script-verify-flag-failed";

function scriptError(detail: string, txid: string): BitcoinTxRejected {
  return new BitcoinTxRejected(`${SCRIPT_FAILED} (${detail})`, undefined, txid);
}

function isP2wpkh(s: Uint8Array): boolean {
  return s.length === 22 && s[0] === 0x00 && s[1] === 0x14;
}

function isP2tr(s: Uint8Array): boolean {
  return s.length === 34 && s[0] === 0x51 && s[1] === 0x20;
}

function p2pkhScriptCode(hash: Uint8Array): Uint8Array {
  return Uint8Array.from([0x76, 0xa9, 0x14, ...hash, 0x88, 0xac]);
}

/** Checks a P2WPKH spend: the witness's key hashes to the program and its ECDSA signature (BIP143) verifies. */
function verifyP2wpkh(tx: Transaction, index: number, prevout: Prevout, txid: string): void {
  const input = tx.ins[index];
  if (input.script.length !== 0) throw scriptError("Witness requires empty scriptSig", txid);
  if (input.witness.length !== 2) throw scriptError("Witness program hash mismatch", txid);
  const [sigBytes, pubkey] = input.witness;
  const program = prevout.script.subarray(2);
  if (!equalBytes(crypto.hash160(pubkey), program)) throw scriptError("Script failed an OP_EQUALVERIFY operation", txid);
  if (pubkey.length !== 33 || !ecc.isPoint(pubkey)) throw scriptError("Witness requires compressed public keys", txid);
  let decoded: { signature: Uint8Array; hashType: number };
  try {
    decoded = script.signature.decode(sigBytes);
  } catch {
    throw scriptError("Non-canonical DER signature", txid);
  }
  const hash = tx.hashForWitnessV0(index, p2pkhScriptCode(program), prevout.value, decoded.hashType);
  if (!ecc.verify(hash, pubkey, decoded.signature, true)) {
    throw scriptError("Script evaluated without error but finished with a false/empty top stack element", txid);
  }
}

/** Checks a P2TR key-path spend: the BIP340 Schnorr signature over the BIP341 sighash verifies against the output key. */
function verifyP2trKeyPath(tx: Transaction, index: number, prevouts: Prevout[], txid: string): void {
  const input = tx.ins[index];
  if (input.script.length !== 0) throw scriptError("Witness requires empty scriptSig", txid);
  let stack = input.witness;
  if (stack.length === 0) throw scriptError("Witness program was passed an empty witness", txid);
  let annex: Uint8Array | undefined;
  if (stack.length >= 2 && stack[stack.length - 1][0] === 0x50) {
    annex = stack[stack.length - 1];
    stack = stack.slice(0, -1);
  }
  if (stack.length !== 1) {
    throw new BitcoinTxRejected("bad-txns-nonstandard-inputs", "taproot script-path spends are not simulated", txid);
  }
  const sig = stack[0];
  if (sig.length !== 64 && sig.length !== 65) throw scriptError("Invalid Schnorr signature size", txid);
  const hashType = sig.length === 65 ? sig[64] : Transaction.SIGHASH_DEFAULT;
  const validType = hashType === 0 ? sig.length === 64 : [1, 2, 3, 0x81, 0x82, 0x83].includes(hashType);
  if (!validType) throw scriptError("Invalid Schnorr signature hash type", txid);
  if ((hashType & 3) === Transaction.SIGHASH_SINGLE && index >= tx.outs.length) {
    throw scriptError("Invalid Schnorr signature hash type", txid);
  }
  const hash = tx.hashForWitnessV1(
    index,
    prevouts.map((p) => p.script),
    prevouts.map((p) => p.value),
    hashType,
    undefined,
    annex,
  );
  const outputKey = prevouts[index].script.subarray(2);
  if (!ecc.isXOnlyPoint(outputKey) || !ecc.verifySchnorr(hash, outputKey, sig.subarray(0, 64))) {
    throw scriptError("Invalid Schnorr signature", txid);
  }
}

/**
 * Verifies every input's signature. Supported: P2WPKH and P2TR key-path spends. Any other kind of
 * output (P2PKH, P2SH, P2WSH, taproot script paths) is refused as `bad-txns-nonstandard-inputs` so that
 * nothing unchecked enters a block.
 */
export function verifyInputSignatures(tx: Transaction, prevouts: Prevout[], txid: string): void {
  tx.ins.forEach((_input, index) => {
    const prevout = prevouts[index];
    if (isP2wpkh(prevout.script)) verifyP2wpkh(tx, index, prevout, txid);
    else if (isP2tr(prevout.script)) verifyP2trKeyPath(tx, index, prevouts, txid);
    else
      throw new BitcoinTxRejected(
        "bad-txns-nonstandard-inputs",
        `input ${index}: only P2WPKH and P2TR key-path spends are simulated`,
        txid,
      );
  });
}
