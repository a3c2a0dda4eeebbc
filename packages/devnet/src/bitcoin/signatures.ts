/**
 * Input signature checks of the simulated chain. Simulated: P2WPKH (BIP143 ECDSA), P2TR key path
 * (BIP340 Schnorr over the BIP341 sighash, annex included) and P2TR script path for the tapscript leaf
 * templates of `tapscript.ts` (BIP341 control block and commitment, BIP342 sighash, BIP112
 * OP_CHECKSEQUENCEVERIFY). Everything else (P2PKH, P2SH, P2WSH, other tapscripts) is refused as
 * `bad-txns-nonstandard-inputs`, so that nothing unchecked enters a block.
 *
 * @module
 */
import { crypto, script, type Transaction } from "bitcoinjs-lib";
import { equalBytes, type Prevout } from "./coins.js";
import * as ecc from "./ecc.js";
import { checkSchnorrSignature } from "./schnorr.js";
import { ScriptError, scriptError, unsimulatedInput } from "./script-errors.js";
import { verifyScriptPath } from "./tapscript.js";

const ANNEX_TAG = 0x50;

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
  if (input.script.length !== 0) throw scriptError(ScriptError.WITNESS_MALLEATED, txid);
  if (input.witness.length !== 2) throw scriptError(ScriptError.WITNESS_PROGRAM_MISMATCH, txid);
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
  if (!ecc.verifiesFromTransaction(() => ecc.verify(hash, pubkey, decoded.signature, true)))
    throw scriptError(ScriptError.EVAL_FALSE, txid);
}

/**
 * Checks a P2TR spend as BIP341 splits it: after the optional annex, one witness item is a key-path
 * signature by the output key; more are a script path.
 */
function verifyP2tr(tx: Transaction, index: number, prevouts: Prevout[], txid: string): void {
  const input = tx.ins[index];
  if (input.script.length !== 0) throw scriptError(ScriptError.WITNESS_MALLEATED, txid);
  let witness = input.witness;
  if (witness.length === 0) throw scriptError(ScriptError.WITNESS_PROGRAM_WITNESS_EMPTY, txid);
  let annex: Uint8Array | undefined;
  if (witness.length >= 2 && witness[witness.length - 1][0] === ANNEX_TAG) {
    annex = witness[witness.length - 1];
    witness = witness.slice(0, -1);
  }
  const taproot = { tx, index, prevouts, txid, annex };
  if (witness.length === 1) checkSchnorrSignature(taproot, witness[0], prevouts[index].script.subarray(2));
  else verifyScriptPath(taproot, witness);
}

/** Verifies every input's spend (see the module docs for what is simulated). */
export function verifyInputSignatures(tx: Transaction, prevouts: Prevout[], txid: string): void {
  tx.ins.forEach((_input, index) => {
    const prevout = prevouts[index];
    if (isP2wpkh(prevout.script)) verifyP2wpkh(tx, index, prevout, txid);
    else if (isP2tr(prevout.script)) verifyP2tr(tx, index, prevouts, txid);
    else throw unsimulatedInput(index, "only P2WPKH and P2TR spends are simulated", txid);
  });
}
