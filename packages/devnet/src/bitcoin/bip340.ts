/**
 * BIP340 Schnorr signing with the native secp256k1 binding's point multiplication (~0.05 ms) where
 * WebAssembly (tiny-secp256k1, no longer used) took ~0.4 ms: the binding has no BIP340, so the scheme's few steps
 * (tagged hashes, nonce, challenge, one scalar sum) are written here exactly as BIP340's reference
 * `schnorr_sign` has them. Deterministic like libsecp256k1's (the same key, message and aux give the
 * same 64 bytes), which a test checks on random keys and BIP340's own vectors. Without the binding (or
 * with BITLAYER_JS_CRYPTO=1) @noble/curves signs.
 *
 * @module
 */
import { schnorr } from "@noble/curves/secp256k1.js";
import { native } from "../native.js";
import { taggedHash } from "./sighash.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const toBigInt = (b: Uint8Array) => BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex")}`);
const to32 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, "0"), "hex");

/** A signing key as BIP340 uses it: the scalar with an even-y point, and that point's x. */
interface Bip340Key {
  d: bigint;
  px: Uint8Array;
  /** BIP340's t for 32 zero bytes of aux randomness (the devnet's own signer's): d xor H_aux(0), computed once. */
  tZeroAux?: Buffer;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);

// Remembered per key object (the devnet's keys are long-lived and never changed in place).
const keys = new WeakMap<Uint8Array, Bip340Key>();

function bip340Key(privateKey: Uint8Array, pointOf: (scalar: Uint8Array) => Uint8Array): Bip340Key {
  let key = keys.get(privateKey);
  if (!key) {
    const d0 = toBigInt(privateKey);
    if (d0 <= 0n || d0 >= N) throw new Error("invalid private key");
    const point = pointOf(privateKey);
    key = { d: point[0] === 0x02 ? d0 : N - d0, px: point.slice(1) };
    keys.set(privateKey, key);
  }
  return key;
}

/** BIP340's Sign(sk, m, a) over a 32-byte message, with `pointOf` computing compressed points k·G. */
export function signBip340With(
  hash: Uint8Array,
  privateKey: Uint8Array,
  aux: Uint8Array,
  pointOf: (scalar: Uint8Array) => Uint8Array,
): Uint8Array {
  if (hash.length !== 32 || aux.length !== 32) throw new Error("BIP340 signs 32-byte messages with 32 bytes of aux randomness");
  const key = bip340Key(privateKey, pointOf);
  const { d, px } = key;
  const auxT = () => to32(d ^ toBigInt(taggedHash("BIP0340/aux", aux)));
  let t: Buffer;
  if (isZero(aux)) {
    key.tZeroAux ??= auxT();
    t = key.tZeroAux;
  } else t = auxT();
  const k0 = toBigInt(taggedHash("BIP0340/nonce", t, px, hash)) % N;
  if (k0 === 0n) throw new Error("BIP340 nonce is zero");
  const r = pointOf(to32(k0));
  const k = r[0] === 0x02 ? k0 : N - k0;
  const rx = r.subarray(1);
  const e = toBigInt(taggedHash("BIP0340/challenge", rx, px, hash)) % N;
  return Buffer.concat([rx, to32((k + e * d) % N)]);
}

const binding = native;
const nativePoint = binding ? (scalar: Uint8Array) => binding.publicKeyCreate(scalar, true) : undefined;

/** BIP340-signs a 32-byte hash: natively when the binding is there, else with @noble/curves. */
export function signSchnorr(hash: Uint8Array, privateKey: Uint8Array, aux: Uint8Array): Uint8Array {
  return nativePoint ? signBip340With(hash, privateKey, aux, nativePoint) : schnorr.sign(hash, privateKey, aux);
}
