import { createAddressFromString, hexToBytes, setLengthLeft } from "@ethereumjs/util";
import { bytesToHex } from "../../hex.js";
import { type CallTarget, call, createAccessList, estimateGas } from "../../l2/call.js";
import type { L2Chain } from "../../l2/chain.js";
import type { RpcContext } from "../context.js";
import { quantity } from "../format.js";
import { defineMethod, optional, required } from "../registry.js";
import { Address, BlockTag, type BlockTagValue, Slot, TransactionRequest } from "../schemas.js";
import { readState } from "./state-access.js";

const block = optional("block", BlockTag, 'defaults to "latest"');
const PENDING: BlockTagValue = { kind: "tag", tag: "pending" };

export const ethGetBalance = defineMethod({
  name: "eth_getBalance",
  group: "eth",
  summary: "Balance of an account in wei (1 BTC = 10^18 wei; 1 sat = 10^10 wei).",
  params: [required("address", Address), block],
  returns: "Quantity",
  handler: async (ctx, [address, tag]) =>
    readState(ctx, ctx.core.resolveBlock(tag), async (state) =>
      quantity((await state.getAccount(createAddressFromString(address)))?.balance ?? 0n),
    ),
});

export const ethGetCode = defineMethod({
  name: "eth_getCode",
  group: "eth",
  summary: "Bytecode at an address.",
  params: [required("address", Address), block],
  returns: "Data",
  handler: async (ctx, [address, tag]) =>
    readState(ctx, ctx.core.resolveBlock(tag), async (state) => bytesToHex(await state.getCode(createAddressFromString(address)))),
});

export const ethGetStorageAt = defineMethod({
  name: "eth_getStorageAt",
  group: "eth",
  summary: "Value of a storage slot, as 32 bytes.",
  params: [required("address", Address), required("slot", Slot), block],
  returns: "Data (32 bytes)",
  handler: async (ctx, [address, slot, tag]) =>
    readState(ctx, ctx.core.resolveBlock(tag), async (state) =>
      bytesToHex(setLengthLeft(await state.getStorage(createAddressFromString(address), hexToBytes(slot as `0x${string}`)), 32)),
    ),
});

export const ethGetTransactionCount = defineMethod({
  name: "eth_getTransactionCount",
  group: "eth",
  summary: 'Nonce of an account; with "pending", counts its pooled transactions too.',
  params: [required("address", Address), block],
  returns: "Quantity",
  handler: async (ctx, [address, tag]) => {
    const chain = ctx.core.chain;
    const nonce = await readState(
      ctx,
      ctx.core.resolveBlock(tag),
      async (state) => (await state.getAccount(createAddressFromString(address)))?.nonce ?? 0n,
    );
    if (tag?.kind === "tag" && tag.tag === "pending") return quantity(chain.pool.pendingNonce(address, nonce));
    return quantity(nonce);
  },
});

/**
 * Runs an EVM execution at a block: on the live state under the chain lock, at a past block
 * without it. `latest` (the default) runs in the latest block; `pending` in the next block,
 * on the state with the pool's executable transactions applied (as Hardhat does).
 */
export function executeAt<T>(
  ctx: RpcContext,
  tag: BlockTagValue | undefined,
  fn: (chain: L2Chain, target: CallTarget) => Promise<T>,
): Promise<T> {
  const resolved = ctx.core.resolveBlock(tag);
  const target: CallTarget = tag?.kind === "tag" && tag.tag === "pending" ? { ...resolved, next: "pool" } : resolved;
  const chain = ctx.core.chain;
  return target.live ? chain.exclusive(() => fn(chain, target)) : fn(chain, target);
}

export const ethCall = defineMethod({
  name: "eth_call",
  group: "eth",
  summary: "Executes a call without creating a transaction. Reverts return error code 3 with the revert data.",
  params: [required("transaction", TransactionRequest), block],
  returns: "Data",
  handler: async (ctx, [req, tag]) => bytesToHex(await executeAt(ctx, tag, (chain, target) => call(chain, target, req))),
});

export const ethEstimateGas = defineMethod({
  name: "eth_estimateGas",
  group: "eth",
  summary: "Smallest gas limit with which the transaction succeeds. Reverts return error code 3 with the revert data.",
  params: [required("transaction", TransactionRequest), optional("block", BlockTag, 'defaults to "pending", as in Hardhat')],
  returns: "Quantity",
  // Hardhat estimates against the pending block by default (EDR keeps that), so a send that
  // becomes valid in the next block (a timelock's deadline) estimates as it will run.
  handler: async (ctx, [req, tag]) => quantity(await executeAt(ctx, tag ?? PENDING, (chain, target) => estimateGas(chain, target, req))),
});

export const ethCreateAccessList = defineMethod({
  name: "eth_createAccessList",
  group: "eth",
  summary: "Addresses and storage slots a transaction touches (EIP-2930), with the gas it uses.",
  params: [required("transaction", TransactionRequest), block],
  returns: "{ accessList, gasUsed, error? }",
  handler: async (ctx, [req, tag]) => {
    const result = await executeAt(ctx, tag, (chain, target) => createAccessList(chain, target, req));
    return { accessList: result.accessList, gasUsed: quantity(result.gasUsed), ...(result.error ? { error: result.error } : {}) };
  },
});

export const ethStateMethods = [
  ethGetBalance,
  ethGetCode,
  ethGetStorageAt,
  ethGetTransactionCount,
  ethCall,
  ethEstimateGas,
  ethCreateAccessList,
];
