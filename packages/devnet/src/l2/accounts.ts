import { pbkdf2Sync } from "node:crypto";
import { type ExtendedKey, HARDENED, masterKeyOfSeed, privateChild } from "../bip32.js";
import { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC } from "../defaults.js";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import { DEFAULT_DEV_ACCOUNTS } from "../known-accounts.js";
import { addressOfKey, checksumAddress, native } from "./crypto.js";

export { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC };

export interface DevAccount {
  /** Checksummed address. */
  address: string;
  /** 0x-prefixed private key. Public knowledge: never use it on a real network. */
  privateKey: string;
}

/** The accounts Hardhat and Anvil derive: BIP-44 path m/44'/60'/0'/0/i (the default mnemonic's first ones written out). */
export async function deriveDevAccounts(mnemonic: string, count: number): Promise<DevAccount[]> {
  if (mnemonic === DEFAULT_MNEMONIC && count <= DEFAULT_DEV_ACCOUNTS.length) {
    return DEFAULT_DEV_ACCOUNTS.slice(0, count).map(([address, privateKey]) => ({ address, privateKey }));
  }
  return deriveAccounts(mnemonic, count);
}

/** BIP-44 derivation itself (what {@link deriveDevAccounts} does beyond the written-out accounts). */
export async function deriveAccounts(mnemonic: string, count: number): Promise<DevAccount[]> {
  if (mnemonic !== DEFAULT_MNEMONIC) {
    const { Mnemonic } = await import("ethers/wallet");
    if (!Mnemonic.isValidMnemonic(mnemonic))
      throw new DevnetError("INVALID_PARAMS", "invalid devnet option accounts.mnemonic: not a valid BIP-39 mnemonic");
  }
  if (!native) {
    const { HDNodeWallet, Mnemonic } = await import("ethers/wallet");
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), "m/44'/60'/0'/0");
    return Array.from({ length: count }, (_, i) => {
      const child = root.deriveChild(i);
      return { address: child.address, privateKey: child.privateKey };
    });
  }
  const nat = native;
  const seed = pbkdf2Sync(mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  // m/44'/60'/0'/0, then one child per account: ~2 ms for 20 accounts natively, ~90 ms in JavaScript.
  let node: ExtendedKey = masterKeyOfSeed(seed);
  for (const index of [44 + HARDENED, 60 + HARDENED, HARDENED, 0]) node = privateChild(nat, node, index);
  const keys = Array.from({ length: count }, (_, i) => privateChild(nat, node, i).key);
  return keys.map((key) => ({ address: checksumAddress(addressOfKey(key)), privateKey: bytesToHex(key) }));
}
