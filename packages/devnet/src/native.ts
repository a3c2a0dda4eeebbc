/**
 * The optional native secp256k1 binding (the `secp256k1` package's prebuilt N-API module): signing, recovery and
 * key tweaks in ~0.05–0.1 ms where the JavaScript and WebAssembly curves take 2–4 ms. Every caller keeps a
 * library fallback for when it is missing, or when BITLAYER_JS_CRYPTO=1 asks for the JS code paths.
 *
 * @module
 */

import { createRequire } from "node:module";

export interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(privateKey: Uint8Array, compressed: boolean): Uint8Array;
  privateKeyTweakAdd(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  publicKeyTweakAdd(publicKey: Uint8Array, tweak: Uint8Array, compressed: boolean): Uint8Array;
}

/** Loads an optional native module (CommonJS, prebuilt N-API); undefined when unavailable or BITLAYER_JS_CRYPTO=1. */
export function loadNative<T>(id: string): T | undefined {
  if (process.env.BITLAYER_JS_CRYPTO === "1") return undefined;
  try {
    return createRequire(import.meta.url)(id) as T;
  } catch {
    return undefined;
  }
}

/** The native secp256k1 binding, or undefined. */
export const native = loadNative<NativeSecp256k1>("secp256k1");
