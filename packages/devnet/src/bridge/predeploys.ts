/**
 * The protocol's contracts on the L2 (the Bitcoin light client and the bridge) and the system account
 * that feeds them. They are in every devnet's genesis state, at fixed addresses; this module is small
 * and loads with the L2 (the Bitcoin side of the bridge loads with the settlement layer).
 *
 * @module
 */
import { Account, type Address, createAddressFromString, equalsBytes } from "@ethereumjs/util";
import { checkedHexToBytes } from "../hex.js";
import { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS } from "./contracts.generated.js";

export { BITCOIN_BRIDGE, BITCOIN_LIGHT_CLIENT, SYSTEM_ADDRESS };

/** Wei per satoshi: 1 BTC is 10^18 wei on the L2 and 10^8 sats on Bitcoin. */
export const WEI_PER_SAT = 10n ** 10n;

/**
 * The bridge's genesis balance: the L2's reserve of BTC not yet minted (21 million BTC). A peg-in pays
 * out of it, a peg-out's burn returns into it; the dev accounts' balances are outside it.
 */
export const BRIDGE_RESERVE_WEI = 21_000_000n * 10n ** 18n;

const system = SYSTEM_ADDRESS.toLowerCase();
const systemBytes = createAddressFromString(SYSTEM_ADDRESS).bytes;

/** Whether `sender` (any case) is the system account, which only the devnet itself sends from. */
export function isSystemSender(sender: string): boolean {
  return sender.toLowerCase() === system;
}

/** The same for an Address, without formatting it (every executed transaction asks). */
export function isSystemAddress(sender: Address): boolean {
  return equalsBytes(sender.bytes, systemBytes);
}

/** Writes the predeployed contracts into a genesis state. */
export async function putPredeploys(state: {
  putAccount(address: Address, account: Account): Promise<void>;
  putCode(address: Address, code: Uint8Array): Promise<void>;
}): Promise<void> {
  for (const [contract, balance] of [
    [BITCOIN_LIGHT_CLIENT, 0n],
    [BITCOIN_BRIDGE, BRIDGE_RESERVE_WEI],
  ] as const) {
    const address = createAddressFromString(contract.address);
    await state.putAccount(address, new Account(0n, balance));
    // Buffer's decoder: every devnet's start decodes these ~10 KB, where the JS decoder took ~1.5 ms before it is warm.
    await state.putCode(address, checkedHexToBytes(contract.runtimeBytecode));
  }
}
