/**
 * The optional native secp256k1 binding (the `secp256k1` package's prebuilt N-API module): signing, recovery and
 * key tweaks in ~0.05–0.1 ms where the JavaScript and WebAssembly curves take 2–4 ms. Every caller keeps a
 * library fallback for when it is missing, or when BITLAYER_JS_CRYPTO=1 asks for the JS code paths.
 *
 * @module
 */

import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The binding's functions the devnet uses. privateKeyTweakAdd changes its first argument in place: pass a copy. */
export interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  /** RFC 6979 nonces, low-s; `data` is RFC 6979's extra entropy (section 3.6). */
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array, options?: { data?: Uint8Array }): { signature: Uint8Array; recid: number };
  /** Only low-s signatures verify. */
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, publicKey: Uint8Array): boolean;
  publicKeyCreate(privateKey: Uint8Array, compressed: boolean): Uint8Array;
  /** libsecp256k1's parse: 33 or 65 bytes (0x04, or hybrid 0x06/0x07), on the curve. */
  publicKeyVerify(publicKey: Uint8Array): boolean;
  privateKeyTweakAdd(privateKey: Uint8Array, tweak: Uint8Array): Uint8Array;
  publicKeyTweakAdd(publicKey: Uint8Array, tweak: Uint8Array, compressed: boolean): Uint8Array;
}

/**
 * A package's prebuilt N-API addon through its own node-gyp-build (what its entry would load), with a `require` that
 * resolves from the package; throws when it is missing.
 */
export function loadAddon<T>(pkg: string): { addon: T; require: NodeJS.Require } {
  const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  const require = createRequire(join(dir, "package.json"));
  return { addon: require("node-gyp-build")(dir) as T, require };
}

/** How many secp256k1 contexts were created (tests: none at start-up). */
export const nativeContexts = { created: 0 };

/**
 * The `secp256k1` package's addon, loaded (dlopen) now so that callers know whether it is there, but with its context
 * (its precomputed tables: ~12 ms and ~1 MB) created on the first call. The package's own entry creates the context
 * at once, and falls back to JavaScript (elliptic) when the addon is missing: callers have their own fallbacks.
 */
function loadSecp256k1(): NativeSecp256k1 | undefined {
  if (process.env.BITLAYER_JS_CRYPTO === "1") return undefined;
  let addon: { Secp256k1: new () => unknown };
  let wrap: (context: unknown) => NativeSecp256k1;
  try {
    let require: NodeJS.Require;
    ({ addon, require } = loadAddon<typeof addon>("secp256k1"));
    wrap = require("./lib/index.js");
  } catch {
    return undefined;
  }
  let context: NativeSecp256k1 | undefined;
  const get = () => {
    if (context === undefined) {
      context = wrap(new addon.Secp256k1());
      nativeContexts.created++;
    }
    return context;
  };
  return {
    ecdsaRecover: (sig, recid, msg32, compressed) => get().ecdsaRecover(sig, recid, msg32, compressed),
    ecdsaSign: (msg32, privateKey, options) => get().ecdsaSign(msg32, privateKey, options),
    ecdsaVerify: (sig, msg32, publicKey) => get().ecdsaVerify(sig, msg32, publicKey),
    publicKeyCreate: (privateKey, compressed) => get().publicKeyCreate(privateKey, compressed),
    publicKeyVerify: (publicKey) => get().publicKeyVerify(publicKey),
    privateKeyTweakAdd: (privateKey, tweak) => get().privateKeyTweakAdd(privateKey, tweak),
    publicKeyTweakAdd: (publicKey, tweak, compressed) => get().publicKeyTweakAdd(publicKey, tweak, compressed),
  };
}

/** The native secp256k1 binding, or undefined (missing, or BITLAYER_JS_CRYPTO=1). */
export const native = loadSecp256k1();
