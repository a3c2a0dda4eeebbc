/**
 * Remembered elliptic-curve results of Taproot, shared by the devnet's signer and the chain's verifier:
 * every Take of a week's warp tweaks and checks the same few keys, and each point operation costs
 * 0.05–0.5 ms (the native binding, or @noble/curves without it).
 *
 * - Key tweaks (BIP341's `Q = P + t·G`) are a pure function: a tweak computed when an output was built
 *   is the one its control block is later checked against, byte for byte.
 * - Signatures the devnet itself made, with the public key derived from the signing key here, are valid
 *   by BIP340's correctness: the chain's verifier takes each such (sighash, key, signature) once instead
 *   of verifying it again, as Bitcoin Core's signature cache spares verifying a signature twice. Any other
 *   signature (everything a client sends) is verified in full.
 *
 * @module
 */

import { plainHexToBytes, toPlainHex } from "../hex.js";
import { signSchnorr } from "./bip340.js";
import * as ecc from "./ecc.js";
import { KNOWN_TWEAKS, KNOWN_X_ONLY } from "./known-keys.generated.js";

/** Bounds on what is remembered: past them the memory is simply cleared. */
const MAX_TWEAKS = 4096;
const MAX_SIGNATURES = 4096;

export interface TweakedKey {
  parity: 0 | 1;
  xOnlyPubkey: Uint8Array;
}

const tweaks = new Map<string, TweakedKey>();
// The devnet's own key-path outputs, written out (known-keys.generated.ts): a start tweaks no key.
const rememberKnownTweaks = () => {
  for (const [internalKey, tweak, parity, output] of KNOWN_TWEAKS)
    tweaks.set(internalKey + tweak, { parity, xOnlyPubkey: plainHexToBytes(output) });
};
rememberKnownTweaks();

/** `ecc.xOnlyPointAddTweak`, remembered; null (and errors) as it gives them, not remembered. */
export function xOnlyPointAddTweak(internalKey: Uint8Array, tweak: Uint8Array): TweakedKey | null {
  const key = toPlainHex(internalKey) + toPlainHex(tweak);
  const known = tweaks.get(key);
  if (known) return { parity: known.parity, xOnlyPubkey: Uint8Array.from(known.xOnlyPubkey) };
  const tweaked = ecc.xOnlyPointAddTweak(internalKey, tweak);
  if (tweaked) {
    if (tweaks.size >= MAX_TWEAKS) {
      tweaks.clear();
      rememberKnownTweaks();
    }
    tweaks.set(key, { parity: tweaked.parity, xOnlyPubkey: Uint8Array.from(tweaked.xOnlyPubkey) });
  }
  return tweaked;
}

const xOnlyKeys = new WeakMap<Uint8Array, Uint8Array>();

/** The BIP340 x-only public key of a private key, remembered per key object (treat it as read-only). */
export function xOnlyOf(privateKey: Uint8Array): Uint8Array {
  let xOnly = xOnlyKeys.get(privateKey);
  if (!xOnly) {
    const known = privateKey.length === 32 ? KNOWN_X_ONLY.get(toPlainHex(privateKey)) : undefined;
    if (known !== undefined) xOnly = plainHexToBytes(known);
    else {
      const point = ecc.pointFromScalar(privateKey, true);
      if (!point) throw new Error("invalid private key");
      xOnly = point.slice(1);
    }
    xOnlyKeys.set(privateKey, xOnly);
  }
  return xOnly;
}

const ZERO_AUX = new Uint8Array(32);
const ownSignatures = new Set<string>();

/**
 * BIP340-signs `hash` with `privateKey` (32 zero bytes of aux randomness: deterministic), and notes the
 * signature with the key's own public key, so that the chain's verifier takes it once without verifying again.
 */
export function signSchnorrNoted(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const sig = signSchnorr(hash, privateKey, ZERO_AUX);
  if (ownSignatures.size >= MAX_SIGNATURES) ownSignatures.clear();
  ownSignatures.add(toPlainHex(hash) + toPlainHex(xOnlyOf(privateKey)) + toPlainHex(sig));
  return sig;
}

/** Whether (hash, key, 64-byte signature) is one the devnet made: true once (the note is used up). */
export function takeOwnSignature(hash: Uint8Array, pubkey: Uint8Array, sig: Uint8Array): boolean {
  return ownSignatures.delete(toPlainHex(hash) + toPlainHex(pubkey) + toPlainHex(sig));
}
