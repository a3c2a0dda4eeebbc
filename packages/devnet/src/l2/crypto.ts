import {
  calculateSigRecovery,
  concatBytes,
  ecrecover as jsEcrecover,
  privateToAddress as jsPrivateToAddress,
  setLengthLeft,
  toChecksumAddress,
} from "@ethereumjs/util";
import { keccak256 as jsKeccak256 } from "ethereum-cryptography/keccak.js";
import keccakWasm from "hash-wasm/dist/keccak.umd.min.js";
import { bytesToHex } from "../hex.js";
import { loadAddon, native } from "../native.js";

export { native };

type IHasher = { init(): IHasher; update(data: Uint8Array): IHasher; digest(outputType: "binary"): Uint8Array };
const { createKeccak } = keccakWasm as { createKeccak(bits: 256): Promise<IHasher> };

type Ecrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint) => Uint8Array;

/** The `keccak` package's native sponge (its stream-based wrapper costs more than the hashing). */
interface KeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  absorbLastFewBits(bits: number): void;
  squeeze(length: number): Buffer;
}

/** BITLAYER_JS_CRYPTO=1: the libraries' own JS for hashing and signatures (tests of that path). */
const jsCrypto = process.env.BITLAYER_JS_CRYPTO === "1";

function loadKeccak(): KeccakState | undefined {
  if (jsCrypto) return undefined;
  try {
    const { addon } = loadAddon<{ KeccakState?: new () => KeccakState } | (new () => KeccakState)>("keccak");
    const State = typeof addon === "function" ? addon : addon.KeccakState;
    return State ? new State() : undefined;
  } catch {
    return undefined;
  }
}

const sponge = loadKeccak();

/** The native sponge's Keccak-256: four calls into the addon and a new Buffer per hash (~3.6 µs for 32 bytes here). */
const nativeKeccak256 = sponge
  ? (data: Uint8Array): Uint8Array => {
      sponge.initialize(1088, 512);
      sponge.absorb(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      sponge.absorbLastFewBits(0x01);
      const digest = sponge.squeeze(32);
      return new Uint8Array(digest.buffer, digest.byteOffset, 32);
    }
  : undefined;

/**
 * hash-wasm's Keccak-256 (WebAssembly, ~1.4 µs for 32 bytes here: the addon's cost is its calls, not the hashing; a
 * block hashes a few hundred keys and nodes). Its module compiles asynchronously: until it is ready, hashes go to the
 * native sponge. Only its keccak module is loaded (the package's main entry carries every algorithm it has).
 */
let wasmHasher: IHasher | undefined;
let wasmStarting: Promise<void> | undefined;
let wasmSettled = false;

/**
 * Starts compiling the WebAssembly Keccak (once); settles when it is ready, or has failed to (no WebAssembly: the
 * native sponge goes on). Not at load: a devnet that mines nothing does not need it, and compiling it pages in V8's
 * WebAssembly compiler (~1.2 MB of an idle devnet's resident memory). Compiling completes in a task of the event loop:
 * a caller that only awaits in-process work (a test's provider calls, a loop of sends) never gives it one, and would
 * hash on the slower path for good, so the in-process provider waits for it while it compiles (`wasmKeccakCompiling`).
 */
export function startWasmKeccak(): Promise<void> {
  wasmStarting ??= (
    jsCrypto
      ? Promise.resolve()
      : createKeccak(256).then(
          (hasher) => {
            wasmHasher = hasher;
          },
          () => undefined,
        )
  ).finally(() => {
    wasmSettled = true;
  });
  return wasmStarting;
}

/** Whether startWasmKeccak was called and has not settled yet (the provider's check before each request: no await). */
export const wasmKeccakCompiling = (): boolean => wasmStarting !== undefined && !wasmSettled;

/** Until the WebAssembly is ready: the native sponge, or the JS hash where the addon has no build for the platform. */
const beforeWasm = nativeKeccak256 ?? jsKeccak256;

/**
 * Keccak-256 off the JS libraries' path (~7 µs per short input with @noble/hashes), or undefined to let the libraries
 * use their own (BITLAYER_JS_CRYPTO=1). Synchronous: each hash runs init, update and digest at once.
 */
export const keccak256: ((data: Uint8Array) => Uint8Array) | undefined = jsCrypto
  ? undefined
  : (data) => (wasmHasher ? wasmHasher.init().update(data).digest("binary") : beforeWasm(data));

/** Keccak-256 for the devnet's own hashing (batch roots): `keccak256`, or the JS one where that is off. */
export const keccak256OrJs: (data: Uint8Array) => Uint8Array = keccak256 ?? jsKeccak256;

/** Whether hashes now go to WebAssembly (tests wait for it, and compare both paths). */
export const keccakBackends = {
  wasmStarted: () => wasmStarting !== undefined,
  wasmReady: () => wasmHasher !== undefined,
  native: nativeKeccak256,
  beforeWasm,
};

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

/** The address of a 64-byte public key, hashed with `keccak256OrJs` (the libraries hash it with JavaScript Keccak). */
export function addressOfPublicKey(publicKey: Uint8Array): Uint8Array {
  return keccak256OrJs(publicKey).subarray(12);
}

/** Lower-case address of a private key (hashed natively when the addons loaded: the dev accounts at start). */
export function addressOfKey(privateKey: Uint8Array): string {
  if (!native) return bytesToHex(jsPrivateToAddress(privateKey));
  return bytesToHex(addressOfPublicKey(native.publicKeyCreate(privateKey, false).slice(1)));
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
