import {
  calculateSigRecovery,
  concatBytes,
  ecrecover as jsEcrecover,
  privateToAddress as jsPrivateToAddress,
  publicToAddress,
  setLengthLeft,
  toChecksumAddress,
} from "@ethereumjs/util";
import { bytesToHex } from "../hex.js";
import { loadAddon, native } from "../native.js";

export { native };

type Ecrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint) => Uint8Array;

/** The `keccak` package's native sponge (its stream-based wrapper costs more than the hashing). */
interface KeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

function loadKeccak(): KeccakState | undefined {
  if (process.env.BITLAYER_JS_CRYPTO === "1") return undefined;
  try {
    const { addon } = loadAddon<{ KeccakState?: new () => KeccakState } | (new () => KeccakState)>("keccak");
    const State = typeof addon === "function" ? addon : addon.KeccakState;
    return State ? new State() : undefined;
  } catch {
    return undefined;
  }
}

const sponge = loadKeccak();

/**
 * Native Keccak-256 (~3× faster than JS on trie nodes), or undefined to let the
 * libraries use their own. One sponge, reset per hash: hashing is synchronous.
 */
export const keccak256: ((data: Uint8Array) => Uint8Array) | undefined = sponge
  ? (data) => {
      sponge.initialize(1088, 512);
      sponge.absorb(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      sponge.absorbLastFewBits(0x01);
      const digest = sponge.squeeze(32);
      return new Uint8Array(digest.buffer, digest.byteOffset, 32);
    }
  : undefined;

/** Which signature-recovery implementation is in use ("native" is ~25× faster than "js"). */
export const cryptoBackend: "native" | "js" = native ? "native" : "js";

/**
 * Public-key recovery for transactions: native secp256k1 when it loads,
 * the library's JS implementation otherwise. Same contract as @ethereumjs/util's ecrecover.
 */
const nat = native;
export const ecrecover: Ecrecover = nat
  ? (msgHash, v, r, s, chainId) => {
      const recovery = calculateSigRecovery(v, chainId);
      if (recovery !== 0n && recovery !== 1n) throw new Error("Invalid signature v value");
      const sig = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32));
      return nat.ecdsaRecover(sig, Number(recovery), msgHash, false).slice(1);
    }
  : jsEcrecover;

/** Lower-case address of a private key (hashed natively when the addons loaded: the dev accounts at start). */
export function addressOfKey(privateKey: Uint8Array): string {
  if (!native) return bytesToHex(jsPrivateToAddress(privateKey));
  const publicKey = native.publicKeyCreate(privateKey, false).slice(1);
  return bytesToHex(keccak256 ? keccak256(publicKey).slice(12) : publicToAddress(publicKey));
}

/**
 * EIP-55 mixed-case checksum of a lower-case 0x address, as @ethereumjs/util's toChecksumAddress gives it, with the
 * native Keccak when it loaded (a cold JavaScript Keccak costs ~0.5 ms a call at start).
 */
export function checksumAddress(address: string): string {
  if (!keccak256) return toChecksumAddress(address);
  const lower = address.slice(2).toLowerCase();
  const hash = Buffer.from(keccak256(Buffer.from(lower, "ascii"))).toString("hex");
  let out = "0x";
  for (let i = 0; i < lower.length; i++) out += Number.parseInt(hash[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  return out;
}

/**
 * An ECDSA signature of a 32-byte digest (RFC 6979, low s), as ethereumjs's `tx.sign` makes it: native
 * secp256k1 when it loads (~2 ms → ~0.1 ms with the JS curve), undefined otherwise (sign with the library).
 */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): { r: bigint; s: bigint; recovery: number } | undefined {
  if (!native) return undefined;
  const { signature, recid } = native.ecdsaSign(digest, privateKey);
  const hex = Buffer.from(signature).toString("hex");
  return { r: BigInt(`0x${hex.slice(0, 64)}`), s: BigInt(`0x${hex.slice(64)}`), recovery: recid };
}
