import { type Common, createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { ecrecover } from "./crypto.js";

/** EVM rule sets the devnet can run. "bitlayer" mirrors the real network. */
export const PROFILES = ["bitlayer", "cancun", "prague"] as const;
export type EvmProfile = (typeof PROFILES)[number];

/** Opcodes the Bitlayer network does not offer: PREVRANDAO, BLOBHASH, BLOBBASEFEE. */
export const BITLAYER_REMOVED_OPCODES = [0x44, 0x49, 0x4a] as const;

export function hardforkOf(profile: EvmProfile): Hardfork {
  return profile === "prague" ? Hardfork.Prague : Hardfork.Cancun;
}

export function createChainCommon(chainId: bigint, profile: EvmProfile): Common {
  return createCustomCommon({ chainId: Number(chainId), name: "bitlayer-devnet" }, Mainnet, {
    hardfork: hardforkOf(profile),
    customCrypto: { ecrecover },
  });
}

/** EVM options for a profile: removing an opcode makes it execute as INVALID. */
export function evmOptionsFor(profile: EvmProfile): { customOpcodes?: { opcode: number }[] } {
  if (profile !== "bitlayer") return {};
  return { customOpcodes: BITLAYER_REMOVED_OPCODES.map((opcode) => ({ opcode })) };
}
