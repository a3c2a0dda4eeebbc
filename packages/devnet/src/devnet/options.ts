import * as z from "zod";
import { BRIDGE_MODES, type BridgeConfig, type BridgeMode } from "../bridge/types.js";
import { DEVNET_CHAIN_ID, PRESETS, type Preset } from "../defaults.js";
import { DevnetError } from "../errors.js";
import { DEFAULT_ACCOUNT_BALANCE, DEFAULT_ACCOUNT_COUNT, DEFAULT_MNEMONIC } from "../l2/accounts.js";
import type { L2ChainConfig, MiningMode } from "../l2/chain.js";
import { DEFAULT_RPC_EVM_TIMEOUT_MS, DEFAULT_RPC_GAS_CAP } from "../l2/limits.js";
import { type EvmProfile, PROFILES } from "../l2/profile.js";
import { MAX_CHAIN_BLOCKS } from "../l2/store.js";
import { defaultValidators } from "../l2/validators.js";
import type { SettlementConfig } from "../rollup/engine.js";
import { MAX_BITCOIN_BLOCKS, PREMINE_BLOCKS } from "./settlement.js";

export { DEVNET_CHAIN_ID, PRESETS, type Preset };

const PRESET_DEFAULTS: Record<
  Preset,
  { blockTime: number; confirmations: number; challengePeriod: number; assertBlocks: number; forceInclusionWindow: number }
> = {
  // 600 s Bitcoin blocks, anchored at 6 confirmations, a 7-day window (1008 blocks), 72 h to include a forced transaction.
  mainnet: { blockTime: 600, confirmations: 6, challengePeriod: 7 * 24 * 3600, assertBlocks: 144, forceInclusionWindow: 72 * 3600 },
  // 1 s Bitcoin blocks and a 1-minute window: soft → anchored → hard in about a minute of wall time.
  fast: { blockTime: 1, confirmations: 6, challengePeriod: 60, assertBlocks: 6, forceInclusionWindow: 120 },
};

/** Largest relative lock BIP68 can express in blocks: the longest challenge window. */
export const MAX_WINDOW_BLOCKS = 0xffff;

/** Bitlayer mainnet's block gas limit. */
export const DEFAULT_BLOCK_GAS_LIMIT = 40_000_000;

export interface DevnetOptions {
  /** Chain id (default 202601). */
  chainId?: number | bigint;
  /** EVM rules: "bitlayer" (default: Cancun with 0x44 = DIFFICULTY, without BLOBHASH/BLOBBASEFEE), "cancun" or "prague". */
  hardfork?: EvmProfile;
  accounts?: {
    /** BIP-39 mnemonic (default: the well-known "test test ... junk"). */
    mnemonic?: string;
    /** How many dev accounts to derive and fund (default 20). */
    count?: number;
    /** Balance of each, in wei (default 10 000 BTC). */
    balance?: bigint | number | string;
  };
  mining?: {
    /** "auto" (default): a block as soon as transactions arrive; "interval": every `intervalMs`; "manual": only on evm_mine. */
    mode?: MiningMode;
    /** Block interval for "interval" mode, in ms (default 3000, as mainnet). */
    intervalMs?: number;
  };
  /** Unix seconds of the genesis block. Fixing it makes block hashes reproducible. */
  genesisTimestamp?: number;
  /** Whether virtual time follows the wall clock (default: yes, unless genesisTimestamp is set). */
  followWallClock?: boolean;
  /** Block gas limit (default 40 000 000, as Bitlayer mainnet). */
  blockGasLimit?: bigint | number;
  /**
   * Most gas one eth_call, eth_estimateGas, eth_createAccessList or debug_traceCall may use
   * (default 50 000 000, geth's RPCGasCap); a request asking for more is capped, as geth does.
   */
  rpcGasCap?: bigint | number;
  /** Longest one eth_call / eth_estimateGas / eth_createAccessList may run, in ms (default 5000, geth's RPCEVMTimeout). */
  rpcEvmTimeout?: number;
  /** Base fee of the genesis block, in wei (default 1 gwei). */
  initialBaseFee?: bigint | number;
  /**
   * Most blocks the chain holds, genesis included (default and most: 200 000). Every block stays
   * in memory, and a state file holds at most that many; past it, mining is refused with LIMIT_EXCEEDED.
   */
  maxBlocks?: number;
  /** Number of simulated PoS validators (default 4). */
  validators?: number;
  /**
   * With automine, a send whose transaction is mined and fails (reverts, runs out of gas) answers
   * with a JSON-RPC error carrying the revert data and the transaction hash, as Hardhat's node does
   * (default true; hardhat-ethers and hardhat-chai-matchers rely on it). false: the send answers the
   * hash and the receipt has status 0, as Anvil and Bitlayer's own nodes do.
   */
  throwOnTransactionFailures?: boolean;
  /** Settlement timing preset (default "mainnet"); the options below override it. */
  preset?: Preset;
  bitcoin?: {
    /** Seconds of virtual time between two Bitcoin blocks (default 600). */
    blockTime?: number;
    /**
     * Most blocks the simulated Bitcoin chain holds, genesis and premine included (default and most:
     * MAX_BITCOIN_BLOCKS = 200 000). Past it, Bitcoin stops: warps and mining that would pass it are refused.
     */
    maxBlocks?: number;
  };
  rollup?: {
    /** Bitcoin confirmations that make a claim, and its L2 blocks, anchored (`safe`) (default 6). */
    confirmations?: number;
    /** Challenge window in seconds (default 7 days); enforced in Bitcoin blocks: ceil(period / blockTime), 2 to 65535. */
    challengePeriod?: number;
    /** "optimistic" (default: a challenge window) or "validity" (a simulated proof, no window). */
    proofMode?: "optimistic" | "validity";
    /** Whether the built-in honest watcher runs (default true). */
    watcher?: boolean;
    /** Blocks the operator's Assert stays open to a Disprove (default 144 = 1 day; fast preset 6). */
    assertBlocks?: number;
  };
  /** The BTC bridge (see docs/bridge.md). */
  bridge?: {
    /** "standard" (paid after hard finality, the default) or "broker" (a broker pays at once, reimbursed after hard finality). */
    mode?: BridgeMode;
    /** Confirmations before a Bitcoin header, a peg-in or a forced transaction reaches the L2 (default 6). */
    depositConfirmations?: number;
    /** Seconds the sequencer has to include a forced transaction (default 72 h; 120 s with the fast preset). */
    forceInclusionWindow?: number;
  };
}

const bigintLike = z.union([
  z.bigint(),
  z.number().int().nonnegative(),
  z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/, "expected a decimal or 0x-hex integer"),
]);

const optionsSchema = z
  .object({
    chainId: z.union([z.number().int().positive(), z.bigint().positive()]).optional(),
    hardfork: z.enum(PROFILES).optional(),
    accounts: z
      .object({
        // Checked against the BIP-39 word list when the accounts are derived.
        mnemonic: z.string().min(1).optional(),
        count: z.number().int().min(0).max(1000).optional(),
        balance: bigintLike.optional(),
      })
      .strict()
      .optional(),
    mining: z
      .object({
        mode: z.enum(["auto", "interval", "manual"]).optional(),
        intervalMs: z.number().int().min(1).max(86_400_000).optional(),
      })
      .strict()
      .optional(),
    genesisTimestamp: z
      .number()
      .int()
      .min(0)
      .max(2 ** 40)
      .optional(),
    followWallClock: z.boolean().optional(),
    blockGasLimit: z.union([z.bigint(), z.number().int()]).optional(),
    rpcGasCap: z.union([z.bigint().min(21_000n), z.number().int().min(21_000)]).optional(),
    rpcEvmTimeout: z.number().int().min(1).max(600_000).optional(),
    initialBaseFee: z.union([z.bigint(), z.number().int().nonnegative()]).optional(),
    validators: z.number().int().min(1).max(100).optional(),
    maxBlocks: z.number().int().min(2).max(MAX_CHAIN_BLOCKS).optional(),
    throwOnTransactionFailures: z.boolean().optional(),
    preset: z.enum(PRESETS).optional(),
    bitcoin: z
      .object({
        blockTime: z.number().int().min(1).max(86_400).optional(),
        maxBlocks: z
          .number()
          .int()
          .min(PREMINE_BLOCKS + 2)
          .max(MAX_BITCOIN_BLOCKS)
          .optional(),
      })
      .strict()
      .optional(),
    rollup: z
      .object({
        confirmations: z.number().int().min(1).max(10_000).optional(),
        challengePeriod: z
          .number()
          .int()
          .min(1)
          .max(10 * 365 * 24 * 3600)
          .optional(),
        proofMode: z.enum(["optimistic", "validity"]).optional(),
        watcher: z.boolean().optional(),
        assertBlocks: z.number().int().min(1).max(MAX_WINDOW_BLOCKS).optional(),
      })
      .strict()
      .optional(),
    bridge: z
      .object({
        mode: z.enum(BRIDGE_MODES).optional(),
        depositConfirmations: z.number().int().min(1).max(10_000).optional(),
        forceInclusionWindow: z
          .number()
          .int()
          .min(1)
          .max(10 * 365 * 24 * 3600)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Validates user options and fills in the defaults; throws INVALID_PARAMS naming the option. */
export function resolveOptions(options: DevnetOptions = {}): {
  chain: L2ChainConfig;
  clock: { genesisTimestamp?: number; followWallClock?: boolean };
  settlement: SettlementConfig & { watcher: boolean; maxBitcoinBlocks: number; bridge: BridgeConfig };
} {
  // Parsed once per devnet: without zod's compiled fast path (generating and compiling it costs more than it saves here).
  const parsed = optionsSchema.safeParse(options, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevnetError("INVALID_PARAMS", `invalid devnet option ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const o = parsed.data;
  const gasLimit = BigInt(o.blockGasLimit ?? DEFAULT_BLOCK_GAS_LIMIT);
  if (gasLimit < 21_000n) throw new DevnetError("INVALID_PARAMS", "invalid devnet option blockGasLimit: must be at least 21000");
  const preset = PRESET_DEFAULTS[o.preset ?? "mainnet"];
  const blockTime = o.bitcoin?.blockTime ?? preset.blockTime;
  const challengePeriod = o.rollup?.challengePeriod ?? preset.challengePeriod;
  const windowBlocks = Math.ceil(challengePeriod / blockTime);
  if (windowBlocks < 2 || windowBlocks > MAX_WINDOW_BLOCKS) {
    throw new DevnetError(
      "INVALID_PARAMS",
      `invalid devnet option rollup.challengePeriod: ${challengePeriod} s at ${blockTime} s per Bitcoin block is ${windowBlocks} blocks; the window must be 2 to ${MAX_WINDOW_BLOCKS} blocks (a BIP68 relative lock)`,
    );
  }
  return {
    chain: {
      chainId: BigInt(o.chainId ?? DEVNET_CHAIN_ID),
      profile: o.hardfork ?? "bitlayer",
      mnemonic: o.accounts?.mnemonic ?? DEFAULT_MNEMONIC,
      accountCount: o.accounts?.count ?? DEFAULT_ACCOUNT_COUNT,
      accountBalance: o.accounts?.balance === undefined ? DEFAULT_ACCOUNT_BALANCE : BigInt(o.accounts.balance),
      blockGasLimit: gasLimit,
      initialBaseFee: BigInt(o.initialBaseFee ?? 1_000_000_000),
      validators: defaultValidators(o.validators ?? 4),
      maxBlocks: o.maxBlocks ?? MAX_CHAIN_BLOCKS,
      mining: { mode: o.mining?.mode ?? "auto", intervalMs: o.mining?.intervalMs ?? 3000 },
      rpcGasCap: BigInt(o.rpcGasCap ?? DEFAULT_RPC_GAS_CAP),
      rpcEvmTimeoutMs: o.rpcEvmTimeout ?? DEFAULT_RPC_EVM_TIMEOUT_MS,
      throwOnTransactionFailures: o.throwOnTransactionFailures ?? true,
    },
    clock: { genesisTimestamp: o.genesisTimestamp, followWallClock: o.followWallClock },
    settlement: {
      bitcoinBlockTime: blockTime,
      confirmations: o.rollup?.confirmations ?? preset.confirmations,
      windowBlocks,
      assertBlocks: o.rollup?.assertBlocks ?? preset.assertBlocks,
      proofMode: o.rollup?.proofMode ?? "optimistic",
      watcher: o.rollup?.watcher ?? true,
      maxBitcoinBlocks: o.bitcoin?.maxBlocks ?? MAX_BITCOIN_BLOCKS,
      bridge: {
        mode: o.bridge?.mode ?? "standard",
        depositConfirmations: o.bridge?.depositConfirmations ?? 6,
        forceInclusionSeconds: o.bridge?.forceInclusionWindow ?? preset.forceInclusionWindow,
      },
    },
  };
}
