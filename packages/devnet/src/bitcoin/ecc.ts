/**
 * The secp256k1 operations of the devnet's Bitcoin side, as tiny-secp256k1 gives them (same bytes, same null for
 * results at infinity or zero, same TypeErrors for malformed input), without its WebAssembly (~9 MB of RSS and
 * ~40 ms to load): on the native binding where it has the operation, else on @noble/curves (pure JavaScript, which
 * the EVM side loads anyway). `nobleEcc` is the JavaScript path alone (without the binding, or with
 * BITLAYER_JS_CRYPTO=1, the default is it); the module's own exports are the default, so that it can stand in for
 * `import * as ecc from "tiny-secp256k1"` and for bitcoinjs-lib's initEccLib.
 *
 * @module
 */

import { SECP256K1_ORDER } from "@ethereumjs/util";
import { schnorr, secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { type NativeSecp256k1, native } from "../native.js";
import { signBip340With } from "./bip340.js";

export interface XOnlyPointAddTweakResult {
  parity: 0 | 1;
  xOnlyPubkey: Uint8Array;
}

/** tiny-secp256k1's functions that the devnet uses, with its signatures. */
export interface Ecc {
  /** A 33- or 65-byte SEC1 point (hybrid 0x06/0x07 included, as libsecp256k1 parses) on the curve. */
  isPoint(p: Uint8Array): boolean;
  /** A BIP340 x-only key: 32 bytes, x < p, on the curve. */
  isXOnlyPoint(p: Uint8Array): boolean;
  /** x(P) + tweak·G with its y parity, P the even-y point of `p`; null at infinity. */
  xOnlyPointAddTweak(p: Uint8Array, tweak: Uint8Array): XOnlyPointAddTweakResult | null;
  pointFromScalar(d: Uint8Array, compressed?: boolean): Uint8Array | null;
  privateNegate(d: Uint8Array): Uint8Array;
  /** d + tweak mod n; null when that is zero. */
  privateAdd(d: Uint8Array, tweak: Uint8Array): Uint8Array | null;
  /** ECDSA, RFC 6979 nonce (`e`: its extra data), low-s, 64-byte compact. */
  sign(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  /** BIP340 with aux randomness `e` (32 zero bytes when absent, as libsecp256k1 has it). */
  signSchnorr(h: Uint8Array, d: Uint8Array, e?: Uint8Array): Uint8Array;
  /** ECDSA verification of a compact signature; `strict` rejects high-s ones instead of normalising them. */
  verify(h: Uint8Array, Q: Uint8Array, signature: Uint8Array, strict?: boolean): boolean;
  verifySchnorr(h: Uint8Array, Q: Uint8Array, signature: Uint8Array): boolean;
}

// @ethereumjs/util's constant, which the bundles write out (scripts/bundle-options.mjs): reading it from @noble/curves
// would build the curve, which a start does not need.
const N = SECP256K1_ORDER;
const HALF_N = N >> 1n;
const ZERO32 = new Uint8Array(32);

// tiny-secp256k1's argument checks and their messages (lib/validate.js), thrown before any curve arithmetic.
const fail = (what: string): never => {
  throw new TypeError(`Expected ${what}`);
};
const bytes = (x: unknown, ...lengths: number[]): x is Uint8Array => x instanceof Uint8Array && lengths.includes(x.length);
const below = (x: Uint8Array, bound: bigint) => bytesToNumberBE(x) < bound;
const checkPrivate = (d: Uint8Array) => {
  const value = bytes(d, 32) ? bytesToNumberBE(d) : 0n;
  if (value === 0n || value >= N) fail("Private");
};
const checkTweak = (t: Uint8Array) => {
  if (!bytes(t, 32) || !below(t, N)) fail("Tweak");
};
const checkHash = (h: Uint8Array) => {
  if (!bytes(h, 32)) fail("Hash");
};
const checkExtraData = (e: Uint8Array | undefined) => {
  if (e !== undefined && !bytes(e, 32)) fail("Extra Data (32 bytes)");
};
const to32 = (n: bigint) => numberToBytesBE(n, 32);

/** The signing operations' checks, shared by both paths. */
function checkSign(h: Uint8Array, d: Uint8Array, e: Uint8Array | undefined): void {
  checkHash(h);
  checkPrivate(d);
  checkExtraData(e);
}

/**
 * The verifications' checks in tiny-secp256k1's order: hash, key length, signature (r and s below n), then a key of
 * the right length that is not on the curve throws too.
 */
function checkVerify(h: Uint8Array, Q: Uint8Array, signature: Uint8Array, lengths: number[], parses: (Q: Uint8Array) => boolean) {
  checkHash(h);
  if (!bytes(Q, ...lengths)) fail("Point");
  if (!bytes(signature, 64) || !below(signature.subarray(0, 32), N) || !below(signature.subarray(32), N)) fail("Signature");
  if (!parses(Q)) fail("Point");
}

/** The operations on a curve implementation: the binding's (`binding`), else @noble/curves's. */
export function eccWith(binding: NativeSecp256k1 | undefined): Ecc {
  const core = binding ? nativeCore(binding) : nobleCore;
  const isPoint = (p: Uint8Array) => bytes(p, 33, 65) && core.parses(p);
  const isXOnlyPoint = (p: Uint8Array) => bytes(p, 32) && core.parses(p);
  return {
    isPoint,
    isXOnlyPoint,
    xOnlyPointAddTweak(p, tweak) {
      if (!bytes(p, 32)) fail("Point");
      checkTweak(tweak);
      if (!core.parses(p)) fail("Point");
      const q = core.addTweak(p, tweak);
      return q && { parity: (q[0] & 1) as 0 | 1, xOnlyPubkey: q.slice(1) };
    },
    pointFromScalar(d, compressed = true) {
      checkPrivate(d);
      return core.pointOf(d, compressed);
    },
    privateNegate(d) {
      checkPrivate(d);
      return to32(N - bytesToNumberBE(d));
    },
    privateAdd(d, tweak) {
      checkPrivate(d);
      checkTweak(tweak);
      const sum = (bytesToNumberBE(d) + bytesToNumberBE(tweak)) % N;
      return sum === 0n ? null : to32(sum);
    },
    sign(h, d, e) {
      checkSign(h, d, e);
      return core.sign(h, d, e);
    },
    signSchnorr(h, d, e) {
      checkSign(h, d, e);
      return core.signSchnorr(h, d, e ?? ZERO32);
    },
    verify(h, Q, signature, strict = false) {
      checkVerify(h, Q, signature, [33, 65, 32], isPoint);
      const s = bytesToNumberBE(signature.subarray(32));
      const sig = !strict && s > HALF_N ? Uint8Array.of(...signature.subarray(0, 32), ...to32(N - s)) : signature;
      return core.verify(h, Q, sig);
    },
    verifySchnorr(h, Q, signature) {
      checkVerify(h, Q, signature, [32], isXOnlyPoint);
      // BIP340 verification is not in the binding: @noble/curves on both paths.
      return schnorr.verify(signature, h, Q);
    },
  };
}

/** What differs between the paths, on inputs already checked (keys valid, tweaks below n). */
interface Core {
  /** `p` (32-byte x-only, or 33/65-byte SEC1) is a point. */
  parses(p: Uint8Array): boolean;
  /** Compressed lift_x(p) + tweak·G, or null at infinity. */
  addTweak(p: Uint8Array, tweak: Uint8Array): Uint8Array | null;
  pointOf(d: Uint8Array, compressed: boolean): Uint8Array;
  sign(h: Uint8Array, d: Uint8Array, e: Uint8Array | undefined): Uint8Array;
  signSchnorr(h: Uint8Array, d: Uint8Array, aux: Uint8Array): Uint8Array;
  /** Low-s only. */
  verify(h: Uint8Array, Q: Uint8Array, signature: Uint8Array): boolean;
}

const even = (x: Uint8Array) => Uint8Array.of(0x02, ...x);

function nativeCore(binding: NativeSecp256k1): Core {
  const pointOf = (d: Uint8Array, compressed: boolean) => binding.publicKeyCreate(d, compressed);
  return {
    parses: (p) => binding.publicKeyVerify(p.length === 32 ? even(p) : p),
    addTweak(p, tweak) {
      try {
        return binding.publicKeyTweakAdd(even(p), tweak, true);
      } catch {
        return null; // the point and tweak are valid: only infinity is left
      }
    },
    pointOf,
    // The binding's libsecp256k1 is older than tiny-secp256k1's: its RFC 6979 nonce takes a hash >= n unreduced.
    sign: (h, d, e) => (below(h, N) ? binding.ecdsaSign(h, d, { data: e }).signature : nobleCore.sign(h, d, e)),
    // A copy: signBip340With remembers each key object's point, and callers of this may reuse their arrays.
    signSchnorr: (h, d, aux) => signBip340With(h, new Uint8Array(d), aux, (k) => pointOf(k, true)),
    verify: (h, Q, signature) => binding.ecdsaVerify(signature, h, Q),
  };
}

/** A SEC1 point as noble parses it: libsecp256k1's hybrid form (0x06/0x07, the y parity repeated) as uncompressed. */
function nobleParse(p: Uint8Array) {
  if (p.length === 65 && (p[0] === 0x06 || p[0] === 0x07)) {
    if ((p[0] & 1) !== (p[64] & 1)) throw new Error("hybrid key with the wrong parity");
    return secp256k1.Point.fromBytes(Uint8Array.of(0x04, ...p.subarray(1)));
  }
  return secp256k1.Point.fromBytes(p);
}

const nobleCore: Core = {
  parses(p) {
    try {
      if (p.length === 32) schnorr.utils.lift_x(bytesToNumberBE(p));
      else nobleParse(p);
      return true;
    } catch {
      return false;
    }
  },
  addTweak(p, tweak) {
    const t = bytesToNumberBE(tweak);
    const point = schnorr.utils.lift_x(bytesToNumberBE(p));
    const sum = t === 0n ? point : point.add(secp256k1.Point.BASE.multiply(t));
    return sum.is0() ? null : sum.toBytes(true);
  },
  pointOf: (d, compressed) => secp256k1.getPublicKey(d, compressed),
  sign: (h, d, e) => secp256k1.sign(h, d, { prehash: false, lowS: true, extraEntropy: e ?? false }),
  signSchnorr: (h, d, aux) => schnorr.sign(h, d, aux),
  verify: (h, Q, signature) =>
    secp256k1.verify(signature, h, nobleParse(Q).toBytes(true), { prehash: false, lowS: true, format: "compact" }),
};

/**
 * Whether a signature from a transaction verifies. tiny-secp256k1's API, and so this one, throws on a signature whose
 * r or s is out of range; Bitcoin Core's parsers take such a signature as one that does not verify: so does this.
 */
export function verifiesFromTransaction(verify: () => boolean): boolean {
  try {
    return verify();
  } catch (error) {
    if (error instanceof TypeError && error.message === "Expected Signature") return false;
    throw error;
  }
}

/** The JavaScript path alone. */
export const nobleEcc: Ecc = eccWith(undefined);
/** The devnet's: native where the binding has the operation. */
export const ecc: Ecc = native ? eccWith(native) : nobleEcc;

export const {
  isPoint,
  isXOnlyPoint,
  xOnlyPointAddTweak,
  pointFromScalar,
  privateNegate,
  privateAdd,
  sign,
  signSchnorr,
  verify,
  verifySchnorr,
} = ecc;
