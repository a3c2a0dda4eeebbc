import { createHmac, pbkdf2Sync } from "node:crypto";
import { toChecksumAddress } from "@ethereumjs/util";
import { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC } from "../defaults.js";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import { addressOfKey, native } from "./crypto.js";

export { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC };

export interface DevAccount {
  /** Checksummed address. */
  address: string;
  /** 0x-prefixed private key. Public knowledge: never use it on a real network. */
  privateKey: string;
}

const HARDENED = 0x80000000;

/**
 * BIP-32 child key derivation (private parent → private child) with node:crypto
 * and the native curve: deriving 20 accounts takes ~2 ms instead of ~90 ms in JS.
 */
function deriveChild(key: Uint8Array, chainCode: Uint8Array, index: number, nat: NonNullable<typeof native>) {
  const data = new Uint8Array(37);
  if (index >= HARDENED) data.set(key, 1);
  else data.set(nat.publicKeyCreate(key, true), 0);
  new DataView(data.buffer).setUint32(33, index);
  const I = createHmac("sha512", chainCode).update(data).digest();
  return { key: nat.privateKeyTweakAdd(new Uint8Array(key), I.subarray(0, 32)), chainCode: new Uint8Array(I.subarray(32)) };
}

/** The accounts Hardhat and Anvil derive: BIP-44 path m/44'/60'/0'/0/i. */
export async function deriveDevAccounts(mnemonic: string, count: number): Promise<DevAccount[]> {
  if (mnemonic !== DEFAULT_MNEMONIC) {
    const { Mnemonic } = await import("ethers");
    if (!Mnemonic.isValidMnemonic(mnemonic))
      throw new DevnetError("INVALID_PARAMS", "invalid devnet option accounts.mnemonic: not a valid BIP-39 mnemonic");
  }
  if (!native) {
    const { HDNodeWallet, Mnemonic } = await import("ethers");
    const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), "m/44'/60'/0'/0");
    return Array.from({ length: count }, (_, i) => {
      const child = root.deriveChild(i);
      return { address: child.address, privateKey: child.privateKey };
    });
  }
  const nat = native;
  const seed = pbkdf2Sync(mnemonic.normalize("NFKD"), "mnemonic", 2048, 64, "sha512");
  const master = createHmac("sha512", "Bitcoin seed").update(seed).digest();
  let node: { key: Uint8Array; chainCode: Uint8Array } = { key: master.subarray(0, 32), chainCode: master.subarray(32) };
  for (const index of [44 + HARDENED, 60 + HARDENED, HARDENED, 0]) node = deriveChild(node.key, node.chainCode, index, nat);
  const keys = Array.from({ length: count }, (_, i) => deriveChild(node.key, node.chainCode, i, nat).key);
  return keys.map((key) => ({ address: toChecksumAddress(addressOfKey(key)), privateKey: bytesToHex(key) }));
}
