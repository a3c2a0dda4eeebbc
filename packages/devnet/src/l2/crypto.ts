import { createRequire } from "node:module";
import { calculateSigRecovery, concatBytes, ecrecover as jsEcrecover, setLengthLeft } from "@ethereumjs/util";

type Ecrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint) => Uint8Array;

interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
}

function loadNative(): NativeSecp256k1 | undefined {
  try {
    // The N-API build ships prebuilt binaries; it is an optional dependency.
    const mod = createRequire(import.meta.url)("secp256k1") as NativeSecp256k1;
    return mod;
  } catch {
    return undefined;
  }
}

const native = process.env.BITLAYER_JS_CRYPTO === "1" ? undefined : loadNative();

/** Which signature-recovery implementation is in use ("native" is ~25× faster than "js"). */
export const cryptoBackend: "native" | "js" = native ? "native" : "js";

/**
 * Public-key recovery for transactions: native secp256k1 when it loads,
 * the library's JS implementation otherwise. Same contract as @ethereumjs/util's ecrecover.
 */
export const ecrecover: Ecrecover = native
  ? (msgHash, v, r, s, chainId) => {
      const recovery = calculateSigRecovery(v, chainId);
      if (recovery !== 0n && recovery !== 1n) throw new Error("Invalid signature v value");
      const sig = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32));
      return native.ecdsaRecover(sig, Number(recovery), msgHash, false).slice(1);
    }
  : jsEcrecover;
