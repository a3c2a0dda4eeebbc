// Test controls for how the next blocks are built (Hardhat's and Anvil's names). The settings live
// in L2Chain.settings: hardhat_reset and state loads clear them, snapshots keep Hardhat's share.
import { hexToBytes } from "@ethereumjs/util";
import { MAX_TIMESTAMP } from "../../clock/clock.js";
import { DevnetError, RpcErrorNumber } from "../../errors.js";
import { timestampTooLarge } from "../../l2/chain.js";
import { defineMethod, required } from "../registry.js";
import { Address, Bytes32, Quantity } from "../schemas.js";

export const hardhatSetNextBlockBaseFeePerGas = defineMethod({
  name: "hardhat_setNextBlockBaseFeePerGas",
  aliases: ["anvil_setNextBlockBaseFeePerGas"],
  group: "test controls",
  summary:
    "Sets the base fee of the next block only (later blocks follow EIP-1559 from it). Fee checks, eth_gasPrice and eth_feeHistory use it.",
  params: [required("baseFeePerGas", Quantity)],
  returns: "true",
  handler: (ctx, [baseFee]) => {
    if (baseFee >= 2n ** 128n)
      throw new DevnetError("INVALID_PARAMS", "hardhat_setNextBlockBaseFeePerGas: the base fee must be below 2^128");
    return ctx.core.chain.exclusive(async () => {
      ctx.core.chain.settings.baseFee = baseFee;
      return true;
    });
  },
});

export const hardhatSetCoinbase = defineMethod({
  name: "hardhat_setCoinbase",
  aliases: ["anvil_setCoinbase"],
  group: "test controls",
  summary: "Sets the fee recipient (block.coinbase) of every later block, instead of the proposing validator.",
  params: [required("address", Address)],
  returns: "true",
  handler: (ctx, [address]) =>
    ctx.core.chain.exclusive(async () => {
      ctx.core.chain.settings.coinbase = address;
      return true;
    }),
});

export const evmSetBlockGasLimit = defineMethod({
  name: "evm_setBlockGasLimit",
  aliases: ["anvil_setBlockGasLimit"],
  group: "test controls",
  summary: "Sets the gas limit of every later block. Pooled transactions above it are dropped; eth_call's default gas follows it.",
  params: [required("gasLimit", Quantity)],
  returns: "true",
  handler: (ctx, [gasLimit]) => {
    // Hardhat answers both with -32000.
    if (gasLimit === 0n) {
      throw new DevnetError("INVALID_PARAMS", "Block gas limit must be greater than 0", { rpcCode: RpcErrorNumber.invalidInput });
    }
    if (gasLimit >= 2n ** 64n) {
      throw new DevnetError("INVALID_PARAMS", "evm_setBlockGasLimit: the gas limit must be below 2^64", {
        rpcCode: RpcErrorNumber.invalidInput,
      });
    }
    return ctx.core.chain.exclusive(async () => {
      ctx.core.chain.setBlockGasLimit(gasLimit);
      return true;
    });
  },
});

export const hardhatSetPrevRandao = defineMethod({
  name: "hardhat_setPrevRandao",
  aliases: ["anvil_setNextBlockPrevRandao"],
  group: "test controls",
  summary:
    "Sets the next block's mixHash, which PREVRANDAO (0x44) returns (cancun and prague profiles). Refused on the bitlayer profile, where 0x44 is DIFFICULTY.",
  params: [required("prevRandao", Bytes32)],
  returns: "true",
  handler: (ctx, [prevRandao]) => {
    const chain = ctx.core.chain;
    if (chain.config.profile === "bitlayer") {
      throw new DevnetError(
        "NOT_SUPPORTED",
        "hardhat_setPrevRandao is not available on the bitlayer profile: as on Bitlayer's network, opcode 0x44 is DIFFICULTY there (2 in turn, 1 out of turn), not PREVRANDAO. Start the devnet with --hardfork cancun or prague to set it.",
      );
    }
    return chain.exclusive(async () => {
      chain.settings.prevRandao = hexToBytes(prevRandao as `0x${string}`);
      return true;
    });
  },
});

export const hardhatSetMinGasPrice = defineMethod({
  name: "hardhat_setMinGasPrice",
  aliases: ["anvil_setMinGasPrice"],
  group: "test controls",
  summary: "Refused, as by Hardhat and Anvil: there is no minimum gas price when EIP-1559 is active (every profile); the base fee sets it.",
  params: [required("minGasPrice", Quantity)],
  returns: "never (error)",
  handler: () => {
    throw new DevnetError("NOT_SUPPORTED", "hardhat_setMinGasPrice is not supported when EIP-1559 is active");
  },
});

export const anvilSetBlockTimestampInterval = defineMethod({
  name: "anvil_setBlockTimestampInterval",
  group: "test controls",
  summary:
    "Stamps each later block `seconds` after its parent (0 means 1: timestamps always increase), until anvil_removeBlockTimestampInterval.",
  params: [required("seconds", Quantity)],
  returns: "null",
  handler: (ctx, [seconds]) => {
    if (seconds > BigInt(MAX_TIMESTAMP)) throw timestampTooLarge(seconds, "interval");
    return ctx.core.chain.exclusive(async () => {
      ctx.core.chain.settings.timestampInterval = seconds;
      return null;
    });
  },
});

export const anvilRemoveBlockTimestampInterval = defineMethod({
  name: "anvil_removeBlockTimestampInterval",
  group: "test controls",
  summary: "Ends anvil_setBlockTimestampInterval: blocks follow the clock again. false if no interval was set.",
  params: [],
  returns: "boolean",
  handler: (ctx) =>
    ctx.core.chain.exclusive(async () => {
      const had = ctx.core.chain.settings.timestampInterval !== undefined;
      ctx.core.chain.settings.timestampInterval = undefined;
      return had;
    }),
});

export const blockControlMethods = [
  hardhatSetNextBlockBaseFeePerGas,
  hardhatSetCoinbase,
  evmSetBlockGasLimit,
  hardhatSetPrevRandao,
  hardhatSetMinGasPrice,
  anvilSetBlockTimestampInterval,
  anvilRemoveBlockTimestampInterval,
];
