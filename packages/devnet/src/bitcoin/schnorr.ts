import { Transaction } from "bitcoinjs-lib";
import type { Prevout } from "./coins.js";
import * as ecc from "./ecc.js";
import { ScriptError, scriptError } from "./script-errors.js";
import { taprootSighash } from "./sighash.js";
import { takeOwnSignature } from "./taproot-cache.js";

/** A taproot input being verified, with what every BIP341 signature hash of it commits to. */
export interface TaprootInput {
  tx: Transaction;
  index: number;
  /** The outputs spent by every input of `tx` (BIP341 commits to all of them). */
  prevouts: Prevout[];
  txid: string;
  /** The BIP341 annex (last witness item, first byte 0x50), when present. */
  annex?: Uint8Array;
}

const SCHNORR_HASH_TYPES = [0x01, 0x02, 0x03, 0x81, 0x82, 0x83];

/**
 * Bitcoin Core's CheckSchnorrSignature: a 64-byte signature (SIGHASH_DEFAULT) or 65 bytes with an
 * explicit hash type, over the BIP341 signature hash (BIP342's when `leafHash` is given), verified
 * with BIP340 against the x-only key `pubkey`.
 */
export function checkSchnorrSignature(input: TaprootInput, sig: Uint8Array, pubkey: Uint8Array, leafHash?: Uint8Array): void {
  const { tx, index, prevouts, txid } = input;
  if (sig.length !== 64 && sig.length !== 65) throw scriptError(ScriptError.SCHNORR_SIG_SIZE, txid);
  const hashType = sig.length === 65 ? sig[64] : Transaction.SIGHASH_DEFAULT;
  // 65 bytes with hash type 0 would give two encodings of one signature, so BIP341 forbids it
  if (sig.length === 65 && !SCHNORR_HASH_TYPES.includes(hashType)) throw scriptError(ScriptError.SCHNORR_SIG_HASHTYPE, txid);
  if ((hashType & 3) === Transaction.SIGHASH_SINGLE && index >= tx.outs.length) {
    throw scriptError(ScriptError.SCHNORR_SIG_HASHTYPE, txid);
  }
  const hash = taprootSighash(
    tx,
    index,
    prevouts.map((p) => p.script),
    prevouts.map((p) => p.value),
    hashType,
    leafHash,
    input.annex,
  );
  // A signature the devnet itself just made for this very hash and key is valid: taken once, unverified.
  if (sig.length === 64 && takeOwnSignature(hash, pubkey, sig)) return;
  if (!ecc.isXOnlyPoint(pubkey) || !ecc.verifiesFromTransaction(() => ecc.verifySchnorr(hash, pubkey, sig.subarray(0, 64)))) {
    throw scriptError(ScriptError.SCHNORR_SIG, txid);
  }
}
