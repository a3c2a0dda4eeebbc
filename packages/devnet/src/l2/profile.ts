import { paramsBlock } from "@ethereumjs/block";
import { type Common, createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import { paramsTx } from "@ethereumjs/tx";
import { ecrecover, keccak256 } from "./crypto.js";

/** EVM rule sets the devnet can run. "bitlayer" mirrors the real network. */
export const PROFILES = ["bitlayer", "cancun", "prague"] as const;
export type EvmProfile = (typeof PROFILES)[number];

/** Opcodes the Bitlayer network does not offer: PREVRANDAO, BLOBHASH, BLOBBASEFEE. */
export const BITLAYER_REMOVED_OPCODES = [0x44, 0x49, 0x4a] as const;

export function hardforkOf(profile: EvmProfile): Hardfork {
  return profile === "prague" ? Hardfork.Prague : Hardfork.Cancun;
}

export function createChainCommon(chainId: bigint, profile: EvmProfile): Common {
  const common = createCustomCommon({ chainId: Number(chainId), name: "bitlayer-devnet" }, Mainnet, {
    hardfork: hardforkOf(profile),
    customCrypto: keccak256 ? { ecrecover, keccak256 } : { ecrecover },
  });
  // Merged once here, so that transactions and headers can pass `params: {}` (see `libOptions`).
  common.updateParams(paramsTx);
  common.updateParams(paramsBlock);
  return common;
}

/**
 * Options for creating transactions and headers. Without `params`, the libraries
 * deep-copy their parameter tables into the Common on every object they create
 * (~50 µs each); the tables are already merged by `createChainCommon`.
 */
export function libOptions(common: Common): { common: Common; params: Record<string, never> } {
  return { common, params: {} };
}

/** EVM options for a profile: removing an opcode makes it execute as INVALID. */
export function evmOptionsFor(profile: EvmProfile): { customOpcodes?: { opcode: number }[] } {
  if (profile !== "bitlayer") return {};
  return { customOpcodes: BITLAYER_REMOVED_OPCODES.map((opcode) => ({ opcode })) };
}
