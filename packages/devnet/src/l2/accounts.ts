import { HDNodeWallet, Mnemonic } from "ethers";

export const DEFAULT_MNEMONIC = "test test test test test test test test test test test junk";
export const DEFAULT_ACCOUNT_COUNT = 20;
/** 10 000 BTC, in wei (18 decimals). */
export const DEFAULT_ACCOUNT_BALANCE = 10_000n * 10n ** 18n;

export interface DevAccount {
  /** Checksummed address. */
  address: string;
  /** 0x-prefixed private key. Public knowledge: never use it on a real network. */
  privateKey: string;
}

/** The accounts Hardhat and Anvil derive: BIP-44 path m/44'/60'/0'/0/i. */
export function deriveDevAccounts(mnemonic: string, count: number): DevAccount[] {
  const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), "m/44'/60'/0'/0");
  const accounts: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const child = root.deriveChild(i);
    accounts.push({ address: child.address, privateKey: child.privateKey });
  }
  return accounts;
}
