import { paramsBlock } from "@ethereumjs/block";
import { type Common, createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import type { EVMOpts } from "@ethereumjs/evm";
import { paramsTx } from "@ethereumjs/tx";
import type { Address } from "@ethereumjs/util";
import { type EvmProfile, PROFILES } from "../defaults.js";
import { DevnetError, RpcErrorNumber } from "../errors.js";
import { ecrecover, keccak256 } from "./crypto.js";
import { budgetEvmOptions } from "./limits.js";

export { type EvmProfile, PROFILES };

/**
 * Opcodes the Bitlayer network does not offer: BLOBHASH, BLOBBASEFEE. Its node's jump table
 * (bitlayer-l2, core/vm/jump_table.go "Halving") builds on Shanghai/London, not the Merge table:
 * 0x44 is DIFFICULTY there, not PREVRANDAO (see `difficultyOpcode`).
 */
export const BITLAYER_REMOVED_OPCODES = [0x49, 0x4a] as const;

/** Block difficulty stamped by Bitlayer's PoS engine (consensus/merlion): in turn 2, otherwise 1. */
export const DIFFICULTY_IN_TURN = 2n;
export const DIFFICULTY_NO_TURN = 1n;

/**
 * Whether `proposer` is in turn for block `number`, as Bitlayer's engine decides it
 * (merlion Snapshot.inturn): the validators sorted by address ascending, the one at
 * index number mod count is in turn.
 */
export function isInTurn(number: bigint, proposer: string, validators: readonly string[]): boolean {
  const sorted = validators.map((v) => BigInt(v)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Number(number % BigInt(sorted.length))] === BigInt(proposer);
}

export function difficultyOf(number: bigint, proposer: string, validators: readonly string[]): bigint {
  return isInTurn(number, proposer, validators) ? DIFFICULTY_IN_TURN : DIFFICULTY_NO_TURN;
}

const bitlayerCommons = new WeakSet<Common>();

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
  if (profile === "bitlayer") bitlayerCommons.add(common);
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

/**
 * Options for creating transactions, headers and blocks. On the Bitlayer profile headers
 * carry a PoS-engine difficulty (1 or 2), which ethereumjs's post-Merge format check
 * (difficulty 0) would refuse: that check is skipped there, the rest of the header is built
 * and hashed as usual.
 */
export function libOptions(common: Common): { common: Common; params: Record<string, never>; skipConsensusFormatValidation?: boolean } {
  const options = { common: sharedCommon(common), params: {} };
  return bitlayerCommons.has(common) ? { ...options, skipConsensusFormatValidation: true } : options;
}

/** Called with the address of a contract whose code read 0x44 (DIFFICULTY) on the Bitlayer profile. */
export type DifficultyReadListener = (contract: Address) => void;

/**
 * 0x44 as Bitlayer's node runs it (London's DIFFICULTY, 2 gas): the header's difficulty,
 * which the PoS engine sets to 2 or 1. Contracts using it as randomness get a predictable
 * value: `onRead` lets the devnet warn.
 */
function difficultyOpcode(onRead?: DifficultyReadListener) {
  return {
    opcode: 0x44,
    opcodeName: "DIFFICULTY",
    baseFee: 2,
    logicFunction: (runState: {
      stack: { push(value: bigint): void };
      interpreter: { getBlockDifficulty(): bigint; getAddress(): Address };
    }) => {
      runState.stack.push(runState.interpreter.getBlockDifficulty());
      onRead?.(runState.interpreter.getAddress());
    },
  };
}

/**
 * EVM options for a profile: removing an opcode makes it execute as INVALID; every profile
 * gets the hooks that bound RPC executions (see limits.ts).
 */
export function evmOptionsFor(
  profile: EvmProfile,
  onDifficultyRead?: DifficultyReadListener,
): Required<Pick<EVMOpts, "customOpcodes" | "customPrecompiles">> {
  const budget = budgetEvmOptions(profile === "prague");
  if (profile !== "bitlayer") return budget;
  return {
    ...budget,
    customOpcodes: [...budget.customOpcodes, ...BITLAYER_REMOVED_OPCODES.map((opcode) => ({ opcode })), difficultyOpcode(onDifficultyRead)],
  };
}

/**
 * Refuses a transaction type the profile cannot run: EIP-7702 set-code transactions (type 4)
 * exist on "prague" only. geth's wording and number (-32000) for an unsupported type; the
 * message also carries viem's pattern for it, so viem reports TransactionTypeNotSupportedError.
 */
export function refuseUnavailableTxType(profile: EvmProfile, type: number): void {
  if (type === 4 && profile !== "prague") {
    throw new DevnetError(
      "UNSUPPORTED_TX_TYPE",
      `transaction type not supported: EIP-7702 set-code transactions (type 4) need the prague profile, this devnet runs ${profile} (transaction type not valid here)`,
      { rpcCode: RpcErrorNumber.invalidInput },
    );
  }
}
