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

const shared = new WeakMap<Common, Common>();

/**
 * The Common that transactions and headers keep. Their constructors copy the
 * Common and rebuild its parameter cache (a deep copy without `params`), ~25-50 µs
 * per object on the hot path; this one is built once, with the tables merged by
 * `createChainCommon`, and hands out itself. Nothing changes its hardfork.
 */
function sharedCommon(base: Common): Common {
  let common = shared.get(base);
  if (!common) {
    const instance = base.copy();
    const updateParams = instance.updateParams.bind(instance);
    instance.copy = () => instance;
    instance.updateParams = (params) => {
      if (Object.keys(params).length > 0) updateParams(params);
    };
    shared.set(base, instance);
    common = instance;
  }
  return common;
}

/** Options for creating transactions, headers and blocks. */
export function libOptions(common: Common): { common: Common; params: Record<string, never> } {
  return { common: sharedCommon(common), params: {} };
}

/** EVM options for a profile: removing an opcode makes it execute as INVALID. */
export function evmOptionsFor(profile: EvmProfile): { customOpcodes?: { opcode: number }[] } {
  if (profile !== "bitlayer") return {};
  return { customOpcodes: BITLAYER_REMOVED_OPCODES.map((opcode) => ({ opcode })) };
}
