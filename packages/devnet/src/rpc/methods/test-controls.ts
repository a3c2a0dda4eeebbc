import * as z from "zod";
import { MAX_TIMESTAMP } from "../../clock/clock.js";
import { DevnetError } from "../../errors.js";
import { bytesToHex } from "../../hex.js";
import { timestampTooLarge } from "../../l2/chain.js";
import { hardforkOf } from "../../l2/profile.js";
import { setAccountField } from "../../l2/snapshot.js";
import { DEFAULT_PRIORITY_FEE } from "../../l2/transactions.js";
import { quantity } from "../format.js";
import { defineMethod, optional, required } from "../registry.js";
import { Address, Bool, Bytes32, Data, Hash, paramType, Quantity, Slot } from "../schemas.js";

export const evmSnapshot = defineMethod({
  name: "evm_snapshot",
  aliases: ["anvil_snapshot"],
  group: "test controls",
  summary: "Saves the whole devnet (chain, pool, clock, finality) and returns an id for evm_revert.",
  params: [],
  returns: "Quantity (snapshot id)",
  handler: async (ctx) => quantity(await ctx.core.snapshot()),
});

export const evmRevert = defineMethod({
  name: "evm_revert",
  aliases: ["anvil_revert"],
  group: "test controls",
  summary: "Restores a snapshot; that snapshot and later ones are used up. false if the id is unknown.",
  params: [required("snapshotId", Quantity)],
  returns: "boolean",
  handler: (ctx, [id]) => ctx.core.revert(id),
});

const MineOptions = paramType(
  "Quantity | { timestamp?, blocks? }",
  "timestamp of the block to mine, or an object with timestamp and/or number of blocks",
  () =>
    z.union([
      Quantity.schema.transform((timestamp) => ({ timestamp, blocks: undefined as bigint | undefined })),
      z.object({ timestamp: Quantity.schema.optional(), blocks: Quantity.schema.optional() }).strict(),
    ]),
);

export const evmMine = defineMethod({
  name: "evm_mine",
  aliases: ["anvil_mine_detailed"],
  group: "test controls",
  summary: "Mines a block now (with any pooled transactions), optionally at a given timestamp.",
  params: [optional("options", MineOptions)],
  returns: '"0" (as Hardhat)',
  handler: async (ctx, [opts]) => {
    await ctx.core.chain.mine(opts?.blocks ?? 1n, 1n, opts?.timestamp);
    return "0";
  },
});

export const hardhatMine = defineMethod({
  name: "hardhat_mine",
  aliases: ["anvil_mine"],
  group: "test controls",
  summary:
    "Mines `count` blocks (default 1), `interval` seconds apart (default 1; 0 means 1, as in Hardhat: timestamps always increase). At most 100 000 per call.",
  params: [optional("count", Quantity), optional("interval", Quantity)],
  returns: "true",
  handler: async (ctx, [count, interval]) => {
    await ctx.core.chain.mine(count ?? 1n, interval ?? 1n);
    return true;
  },
});

export const evmIncreaseTime = defineMethod({
  name: "evm_increaseTime",
  aliases: ["anvil_increaseTime"],
  group: "test controls",
  summary:
    "Moves the devnet's clock forward; the next block's timestamp reflects it. Returns the total offset in seconds. The clock may not pass 2^53 - 1.",
  params: [required("seconds", Quantity)],
  // Hardhat answers these two with decimal strings, not quantities; its helpers and users parse them so.
  returns: "string (total time offset in seconds, decimal, as Hardhat)",
  handler: async (ctx, [seconds]) =>
    ctx.core.chain.exclusive(async () => {
      const target = BigInt(ctx.core.clock.now()) + seconds;
      if (target > BigInt(MAX_TIMESTAMP)) throw timestampTooLarge(target, "the clock's time");
      ctx.core.clock.warp(Number(seconds));
      return ctx.core.clock.state().offsetSeconds.toString();
    }),
});

export const evmSetNextBlockTimestamp = defineMethod({
  name: "evm_setNextBlockTimestamp",
  aliases: ["anvil_setNextBlockTimestamp"],
  group: "test controls",
  summary: "Fixes the timestamp of the next block (after the latest block's, at most 2^53 - 1); the clock continues from it.",
  params: [required("timestamp", Quantity)],
  returns: "string (the timestamp, decimal, as Hardhat)",
  handler: (ctx, [timestamp]) =>
    ctx.core.chain.exclusive(async () => {
      const latest = ctx.core.chain.head.block.header.timestamp;
      if (timestamp <= latest) {
        throw new DevnetError("INVALID_TIMESTAMP", `timestamp ${timestamp} must be greater than the latest block's ${latest}`);
      }
      if (timestamp > BigInt(MAX_TIMESTAMP)) throw timestampTooLarge(timestamp);
      ctx.core.chain.nextTimestamp = timestamp;
      return timestamp.toString();
    }),
});

export const evmSetAutomine = defineMethod({
  name: "evm_setAutomine",
  aliases: ["anvil_setAutomine"],
  group: "test controls",
  summary: "Turns automine on (a block as soon as transactions arrive) or off (manual, or interval if one is set).",
  params: [required("enabled", Bool)],
  returns: "true",
  handler: (ctx, [enabled]) => {
    const chain = ctx.core.chain;
    chain.setMiningMode(enabled ? "auto" : chain.mining.intervalMs > 0 && chain.mining.mode === "interval" ? "interval" : "manual");
    return true;
  },
});

export const hardhatGetAutomine = defineMethod({
  name: "hardhat_getAutomine",
  aliases: ["anvil_getAutomine"],
  group: "test controls",
  summary: "Whether automine is on.",
  params: [],
  returns: "boolean",
  handler: (ctx) => ctx.core.chain.mining.mode === "auto",
});

export const evmSetIntervalMining = defineMethod({
  name: "evm_setIntervalMining",
  aliases: ["anvil_setIntervalMining"],
  group: "test controls",
  summary: "Mines a block every `ms` milliseconds (0 turns interval mining off: manual).",
  params: [required("ms", Quantity)],
  returns: "true",
  handler: (ctx, [ms]) => {
    if (ms > 86_400_000n) throw new DevnetError("INVALID_PARAMS", "evm_setIntervalMining: at most 86400000 ms");
    ctx.core.chain.setMiningMode(ms === 0n ? "manual" : "interval", Number(ms));
    return true;
  },
});

export const hardhatSetBalance = defineMethod({
  name: "hardhat_setBalance",
  aliases: ["anvil_setBalance"],
  group: "test controls",
  summary: "Sets an account's balance, in wei.",
  params: [required("address", Address), required("balance", Quantity)],
  returns: "true",
  handler: async (ctx, [address, balance]) => {
    await setAccountField(ctx.core.chain, address, { balance });
    return true;
  },
});

export const hardhatSetNonce = defineMethod({
  name: "hardhat_setNonce",
  aliases: ["anvil_setNonce", "evm_setAccountNonce"],
  group: "test controls",
  summary:
    "Sets an account's nonce; it may not go down (as in Hardhat). Pooled transactions of the account with a lower nonce are dropped (their senders get NONCE_TOO_LOW).",
  params: [required("address", Address), required("nonce", Quantity)],
  returns: "true",
  handler: async (ctx, [address, nonce]) => {
    if (nonce >= 2n ** 64n) throw new DevnetError("INVALID_PARAMS", "hardhat_setNonce: nonce must be below 2^64");
    await setAccountField(ctx.core.chain, address, { nonce });
    await ctx.core.chain.prunePool();
    return true;
  },
});

export const hardhatSetCode = defineMethod({
  name: "hardhat_setCode",
  aliases: ["anvil_setCode"],
  group: "test controls",
  summary: "Replaces the bytecode at an address.",
  params: [required("address", Address), required("code", Data)],
  returns: "true",
  handler: async (ctx, [address, code]) => {
    await setAccountField(ctx.core.chain, address, { code: bytesToHex(code) });
    return true;
  },
});

export const hardhatSetStorageAt = defineMethod({
  name: "hardhat_setStorageAt",
  aliases: ["anvil_setStorageAt"],
  group: "test controls",
  summary: "Writes a 32-byte value into a storage slot.",
  params: [required("address", Address), required("slot", Slot), required("value", Bytes32)],
  returns: "true",
  handler: async (ctx, [address, slot, value]) => {
    await setAccountField(ctx.core.chain, address, { storage: { slot, value } });
    return true;
  },
});

export const hardhatImpersonateAccount = defineMethod({
  name: "hardhat_impersonateAccount",
  aliases: ["anvil_impersonateAccount"],
  group: "test controls",
  summary:
    "Lets eth_sendTransaction send from this address without its key; a contract address can send too (EIP-3607 is waived for it, as in Hardhat).",
  params: [required("address", Address)],
  returns: "true",
  handler: (ctx, [address]) => {
    ctx.core.chain.impersonated.add(address);
    return true;
  },
});

export const hardhatStopImpersonatingAccount = defineMethod({
  name: "hardhat_stopImpersonatingAccount",
  aliases: ["anvil_stopImpersonatingAccount"],
  group: "test controls",
  summary: "Ends an impersonation.",
  params: [required("address", Address)],
  returns: "boolean",
  handler: (ctx, [address]) => ctx.core.chain.impersonated.delete(address),
});

export const hardhatDropTransaction = defineMethod({
  name: "hardhat_dropTransaction",
  aliases: ["anvil_dropTransaction"],
  group: "test controls",
  summary: "Removes a pooled transaction; false if it is not in the pool.",
  params: [required("hash", Hash)],
  returns: "boolean",
  handler: (ctx, [hash]) => ctx.core.chain.dropTransaction(hash),
});

const ResetOptions = paramType("object", "ignored except that forking is refused: the devnet does not fork other networks", () =>
  z
    .object({ forking: z.unknown().optional() })
    .passthrough()
    .refine((o) => o.forking === undefined, "forking is not supported by the Bitlayer devnet"),
);

export const hardhatReset = defineMethod({
  name: "hardhat_reset",
  aliases: ["anvil_reset"],
  group: "test controls",
  summary:
    "A fresh start with the same options: new genesis, clock, configured mining mode; no pool, impersonations, snapshots (ids restart at 1) or filters.",
  params: [optional("options", ResetOptions)],
  returns: "true",
  handler: async (ctx) => {
    await ctx.core.reset();
    return true;
  },
});

export const hardhatMetadata = defineMethod({
  name: "hardhat_metadata",
  aliases: ["anvil_metadata"],
  group: "test controls",
  summary: "What this node is: client version, chain id, instance id, latest block.",
  params: [],
  returns: "{ clientVersion, chainId, instanceId, latestBlockNumber, latestBlockHash, profile, validators }",
  handler: (ctx) => {
    const chain = ctx.core.chain;
    return {
      clientVersion: "BitlayerDevnet/v0.1.0",
      chainId: Number(chain.config.chainId),
      instanceId: chain.store.byNumber(0n)?.hash,
      latestBlockNumber: Number(chain.store.height),
      latestBlockHash: chain.head.hash,
      profile: chain.config.profile,
      validators: chain.validators.validators.map((v) => ({ address: v.address, stake: v.stake.toString() })),
    };
  },
});

export const anvilNodeInfo = defineMethod({
  name: "anvil_nodeInfo",
  group: "test controls",
  summary: "The node's configuration in Anvil's shape: current block, hardfork, transaction order, fee and gas environment.",
  params: [],
  returns: "{ currentBlockNumber, currentBlockTimestamp, currentBlockHash, hardFork, transactionOrder, environment, forkConfig, network }",
  handler: (ctx) => {
    const chain = ctx.core.chain;
    const head = chain.head.block.header;
    return {
      currentBlockNumber: quantity(head.number),
      currentBlockTimestamp: Number(head.timestamp),
      currentBlockHash: chain.head.hash,
      hardFork: hardforkOf(chain.config.profile),
      transactionOrder: "fees",
      environment: {
        baseFee: quantity(chain.nextBaseFee()),
        chainId: Number(chain.config.chainId),
        gasLimit: quantity(chain.settings.gasLimit),
        gasPrice: quantity(chain.nextBaseFee() + DEFAULT_PRIORITY_FEE),
      },
      forkConfig: { forkUrl: null, forkBlockNumber: null, forkRetryBackoff: null },
      network: chain.config.profile === "bitlayer" ? "bitlayer" : "ethereum",
    };
  },
});

export const testControlMethods = [
  evmSnapshot,
  evmRevert,
  evmMine,
  hardhatMine,
  evmIncreaseTime,
  evmSetNextBlockTimestamp,
  evmSetAutomine,
  hardhatGetAutomine,
  evmSetIntervalMining,
  hardhatSetBalance,
  hardhatSetNonce,
  hardhatSetCode,
  hardhatSetStorageAt,
  hardhatImpersonateAccount,
  hardhatStopImpersonatingAccount,
  hardhatDropTransaction,
  hardhatReset,
  hardhatMetadata,
  anvilNodeInfo,
];
