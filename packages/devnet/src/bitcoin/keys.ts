/**
 * Deterministic keys of the devnet's Bitcoin actors, all from one BIP-39 mnemonic: the dev wallet's
 * BIP84 regtest keys (m/84'/1'/0'/{0,1}/i, bech32 `bcrt1q…` P2WPKH) and BIP86-style Taproot keys of
 * named actors (m/86'/1'/account'/0/0). Signing is deterministic: ECDSA with RFC 6979 nonces
 * (`ecc.ts`'s `sign`), BIP340 Schnorr with 32 zero bytes of auxiliary randomness, so the same
 * calls always give the same transactions.
 *
 * @module
 */

import { pbkdf2Sync } from "node:crypto";
import { HDKey } from "@scure/bip32";
import { validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { address, crypto, initEccLib, networks, payments } from "bitcoinjs-lib";
import { type ExtendedKey, HARDENED, masterKeyOfSeed, privateChild, publicChild } from "../bip32.js";
import { DEFAULT_MNEMONIC } from "../defaults.js";
import { plainHexToBytes, toPlainHex } from "../hex.js";
import { native } from "../native.js";
import * as ecc from "./ecc.js";
import { BitcoinChainError } from "./errors.js";
import { KNOWN_DEFAULT_WALLET } from "./known-keys.generated.js";

/** BIP32 version bytes of testnet/regtest extended keys (`tprv` / `tpub`), as Bitcoin Core prints them on regtest. */
export const REGTEST_VERSIONS = { private: 0x04358394, public: 0x043587cf } as const;

/** The account path of the dev wallet's keys (BIP84, coin type 1 = any test network). */
export const WALLET_ACCOUNT_PATH = "m/84'/1'/0'";

/** Receive (external) and change (internal) branches under the account. */
export const RECEIVE_BRANCH = 0;
export const CHANGE_BRANCH = 1;

// bitcoinjs-lib needs an ECC library for Taproot payments (deriveActorKey's p2tr output). Its check of the library
// (test vectors through the curve: it created the native context at every start) runs in the tests instead
// (bitcoin-ecc.test.ts: "passes bitcoinjs-lib's own check").
initEccLib(ecc, { DANGER_DO_NOT_VERIFY_ECCLIB: true });

const ZERO_AUX = new Uint8Array(32);

// The roots of the few mnemonics a process uses are kept: the seed's PBKDF2 and the first steps are the costly part.
const roots = new Map<string, ExtendedKey>();
const MAX_CACHED_ROOTS = 8;

/** The BIP32 master key of a mnemonic. Throws {@link BitcoinChainError} for an invalid mnemonic. */
function masterKey(mnemonic: string): ExtendedKey {
  const cached = roots.get(mnemonic);
  if (cached) return cached;
  if (!validateMnemonic(mnemonic, wordlist)) throw new BitcoinChainError("not a valid BIP-39 mnemonic (English word list)");
  // BIP-39's seed (PBKDF2-HMAC-SHA512, 2048 rounds, no passphrase), hashed natively: ~5 ms instead of ~180 in JavaScript.
  const seed = pbkdf2Sync(Buffer.from(mnemonic.normalize("NFKD"), "utf8"), Buffer.from("mnemonic", "utf8"), 2048, 64, "sha512");
  const root = masterKeyOfSeed(seed);
  if (roots.size >= MAX_CACHED_ROOTS) roots.delete(roots.keys().next().value as string);
  roots.set(mnemonic, root);
  return root;
}

/** CKDpriv, on the native curve, or with the library (the JavaScript curve) when the binding is missing. */
function privateStep(node: ExtendedKey, index: number): ExtendedKey {
  if (native) return privateChild(native, node, index);
  const child = new HDKey({ versions: REGTEST_VERSIONS, chainCode: node.chainCode, privateKey: node.key }).deriveChild(index);
  return { key: child.privateKey as Uint8Array, chainCode: child.chainCode as Uint8Array };
}

/** The private key at `path` ("m/84'/1'/0'/0/3") below the mnemonic's master key. */
function derivePath(mnemonic: string, path: string): ExtendedKey {
  if (!/^m(\/\d+'?)*$/.test(path)) throw new BitcoinChainError(`not a derivation path: ${path}`);
  return path
    .split("/")
    .slice(1)
    .reduce(
      (node, step) => privateStep(node, step.endsWith("'") ? Number.parseInt(step, 10) + HARDENED : Number(step)),
      masterKey(mnemonic),
    );
}

function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return native ? native.publicKeyCreate(privateKey, true) : (ecc.pointFromScalar(privateKey, true) as Uint8Array);
}

/** The dev wallet's account (m/84'/1'/0'): what its descriptors show, and its receive and change branches' public keys. */
export interface WalletAccount {
  /** The master key's fingerprint, 8 hex digits. */
  fingerprint: string;
  /** The account's extended public key (`tpub…`). */
  xpub: string;
  /** Public keys and chain codes of m/84'/1'/0'/0 (receive) and m/84'/1'/0'/1 (change). */
  branches: [ExtendedKey, ExtendedKey];
}

/** An extended public key written out as the hex of its key (33 bytes) and chain code (32 bytes). */
const knownKey = (text: string): ExtendedKey => ({ key: plainHexToBytes(text.slice(0, 66)), chainCode: plainHexToBytes(text.slice(66)) });

/**
 * The dev wallet's account of a mnemonic. Throws {@link BitcoinChainError} for an invalid mnemonic.
 * The default mnemonic's is written out (known-keys.generated.ts): a start derives no key.
 * @example walletAccount(mnemonic).xpub // "tpubDCTawRj1voCs…"
 */
export function walletAccount(mnemonic: string): WalletAccount {
  if (mnemonic !== DEFAULT_MNEMONIC) return deriveWalletAccount(mnemonic);
  const { fingerprint, xpub, branches } = KNOWN_DEFAULT_WALLET;
  return { fingerprint, xpub, branches: [knownKey(branches[0]), knownKey(branches[1])] };
}

/** {@link walletAccount}, derived (what known-keys.generated.ts writes out for the default mnemonic). */
export function deriveWalletAccount(mnemonic: string): WalletAccount {
  const fingerprintOf = (key: ExtendedKey) => {
    const id = crypto.hash160(publicKeyOf(key.key));
    return new DataView(id.buffer, id.byteOffset, 4).getUint32(0);
  };
  const parent = derivePath(mnemonic, "m/84'/1'");
  const account = privateStep(parent, HARDENED); // m/84'/1'/0' (WALLET_ACCOUNT_PATH)
  const publicKey = publicKeyOf(account.key);
  const xpub = new HDKey({
    versions: REGTEST_VERSIONS,
    depth: 3,
    index: HARDENED,
    parentFingerprint: fingerprintOf(parent),
    chainCode: account.chainCode,
    publicKey,
  }).publicExtendedKey;
  const neutered = { key: publicKey, chainCode: account.chainCode };
  return {
    fingerprint: fingerprintOf(masterKey(mnemonic)).toString(16).padStart(8, "0"),
    xpub,
    branches: [deriveChildPublicKey(neutered, RECEIVE_BRANCH), deriveChildPublicKey(neutered, CHANGE_BRANCH)],
  };
}

/**
 * CKDpub: the public child at `index` of an extended public key. The first keys of the default wallet's branches
 * (those a start derives, and a few more) are written out.
 * @example p2wpkhAddress(childPublicKey(account.branches[RECEIVE_BRANCH], 0).key)
 */
export function childPublicKey(parent: ExtendedKey, index: number): ExtendedKey {
  const known = KNOWN_DEFAULT_WALLET.children[knownBranch(parent)]?.[index];
  return known ? knownKey(known) : deriveChildPublicKey(parent, index);
}

/** Which of the default wallet's branches `parent` is (0 receive, 1 change), or -1. */
function knownBranch(parent: ExtendedKey): number {
  if (parent.key.length !== 33 || parent.chainCode.length !== 32) return -1;
  return KNOWN_DEFAULT_WALLET.branches.indexOf(`${toPlainHex(parent.key)}${toPlainHex(parent.chainCode)}`);
}

/** {@link childPublicKey}, derived. */
export function deriveChildPublicKey(parent: ExtendedKey, index: number): ExtendedKey {
  if (native) return publicChild(native, parent, index);
  const child = new HDKey({ versions: REGTEST_VERSIONS, chainCode: parent.chainCode, publicKey: parent.key }).deriveChild(index);
  return { key: child.publicKey as Uint8Array, chainCode: child.chainCode as Uint8Array };
}

/** A private key with what spending to and from it needs. */
export interface BitcoinKey {
  /** 32-byte secret key. */
  privateKey: Uint8Array;
  /** 33-byte compressed public key. */
  publicKey: Uint8Array;
  /** Derivation path from the master key, `h` marking hardened steps as Bitcoin Core writes it (e.g. `m/84h/1h/0h/0/3`). */
  path: string;
}

/**
 * The key at a derivation path below the mnemonic's master key. Throws {@link BitcoinChainError} for an invalid mnemonic.
 * @example deriveKeyAtPath(mnemonic, "m/84'/0'/0'/0/0").publicKey
 */
export function deriveKeyAtPath(mnemonic: string, path: string): BitcoinKey {
  const { key } = derivePath(mnemonic, path);
  return { privateKey: key, publicKey: publicKeyOf(key), path: path.replace(/'/g, "h") };
}

function checkIndex(index: number, what: string): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= HARDENED)
    throw new BitcoinChainError(`${what} must be an integer in [0, 2^31)`);
}

/**
 * The dev wallet's key at m/84'/1'/0'/branch/index (branch 0 = receive, 1 = change).
 * @example
 * const key = deriveWalletKey(mnemonic, RECEIVE_BRANCH, 0);
 * p2wpkhAddress(key.publicKey); // "bcrt1q…"
 */
export function deriveWalletKey(mnemonic: string, branch: number, index: number): BitcoinKey {
  checkIndex(branch, "branch");
  checkIndex(index, "index");
  const path = `${WALLET_ACCOUNT_PATH}/${branch}/${index}`;
  return deriveKeyAtPath(mnemonic, path);
}

/**
 * The Taproot key of a named devnet actor (rollup operator, watcher, …) at m/86'/1'/account'/0/0.
 * `publicKey` is the internal key; `outputKey`/`address` are its BIP86 key-path-only output (no script tree).
 * @example
 * const operator = deriveActorKey(mnemonic, 1);
 * operator.address; // "bcrt1p…"
 */
export function deriveActorKey(
  mnemonic: string,
  account: number,
): BitcoinKey & { xOnly: Uint8Array; outputKey: Uint8Array; address: string } {
  checkIndex(account, "account");
  const path = `m/86'/1'/${account}'/0/0`;
  const key = deriveKeyAtPath(mnemonic, path);
  const xOnly = key.publicKey.subarray(1, 33);
  const payment = payments.p2tr({ internalPubkey: xOnly, network: networks.regtest });
  return { ...key, xOnly, outputKey: payment.pubkey!, address: payment.address! };
}

/** The P2WPKH output script of a compressed public key: `OP_0 <hash160(pubkey)>`. */
export function p2wpkhScript(publicKey: Uint8Array): Uint8Array {
  return Uint8Array.from([0x00, 0x14, ...crypto.hash160(publicKey)]);
}

/**
 * The bech32 regtest address of a compressed public key.
 * @example p2wpkhAddress(key.publicKey) // "bcrt1q…"
 */
export function p2wpkhAddress(publicKey: Uint8Array): string {
  // The address's encoding alone: payments.p2wpkh validates every field first (~1 ms a call, 40 of them at start).
  return address.toBech32(crypto.hash160(publicKey), 0, networks.regtest.bech32);
}

/**
 * Deterministic ECDSA (RFC 6979) signature of a 32-byte hash, low-S, 64-byte compact form.
 * @example const sig = signEcdsa(sighash, key.privateKey); // script.signature.encode(sig, hashType) for a witness
 */
export function signEcdsa(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return ecc.sign(hash, privateKey);
}

/**
 * Deterministic BIP340 Schnorr signature (auxiliary randomness: 32 zero bytes).
 * @example const sig = signSchnorr(sighash, tweakedPrivateKey);
 */
export function signSchnorr(hash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return ecc.signSchnorr(hash, privateKey, ZERO_AUX);
}

/**
 * The BIP86 key-path secret of an internal private key: the key tweaked by `TapTweak(xonly(P))`,
 * negated first when P has an odd Y, as BIP341 requires. Sign key-path spends of
 * {@link deriveActorKey}'s output with it.
 * @example signSchnorr(sighash, taprootTweakedPrivateKey(operator.privateKey))
 */
export function taprootTweakedPrivateKey(privateKey: Uint8Array): Uint8Array {
  const publicKey = ecc.pointFromScalar(privateKey, true);
  if (!publicKey) throw new BitcoinChainError("invalid private key");
  const secret = publicKey[0] === 0x03 ? ecc.privateNegate(privateKey) : privateKey;
  const tweaked = ecc.privateAdd(secret, crypto.taggedHash("TapTweak", publicKey.subarray(1, 33)));
  if (!tweaked) throw new BitcoinChainError("tweak produced an invalid key");
  return tweaked;
}
