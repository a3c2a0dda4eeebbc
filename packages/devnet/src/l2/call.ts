import type { Block } from "@ethereumjs/block";
import { bytesToHex, createAddressFromString } from "@ethereumjs/util";
import type { RunTxResult, VM } from "@ethereumjs/vm";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "./chain.js";
import { executeTx } from "./execute.js";
import { executionBlock } from "./miner.js";
import { decodeRevert } from "./revert.js";
import { impersonatedTx, libErrorMessage, type TxRequest, txData } from "./transactions.js";
import type { StoredBlock } from "./types.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Where a call runs: on top of the live state (latest/pending) or at a past block. */
export interface CallTarget {
  block: StoredBlock;
  live: boolean;
}

/**
 * Runs `fn` with a VM whose state is the target's and throws nothing away
 * permanently: live calls run inside a checkpoint that is always reverted.
 * Call inside `chain.exclusive`.
 */
export async function withStateAt<T>(chain: L2Chain, target: CallTarget, fn: (vm: VM, context: Block) => Promise<T>): Promise<T> {
  if (target.live) {
    await chain.state.checkpoint();
    try {
      return await fn(chain.vm, executionBlock(chain.common, { ...chain.nextHeader(), baseFeePerGas: 0n }));
    } finally {
      await chain.state.revert();
    }
  }
  const vm = await chain.vmAt(target.block.block.header.stateRoot, `the state of block ${target.block.number}`);
  const h = target.block.block.header;
  return fn(vm, executionBlock(chain.common, { ...h.toJSON(), baseFeePerGas: 0n, number: h.number, timestamp: h.timestamp }));
}

async function runRequest(
  chain: L2Chain,
  vm: VM,
  context: Block,
  req: TxRequest,
  gas: bigint,
  reportAccessList = false,
): Promise<RunTxResult> {
  const from = createAddressFromString(req.from ?? ZERO_ADDRESS);
  const nonce = (await vm.stateManager.getAccount(from))?.nonce ?? 0n;
  const noFee = req.gasPrice === undefined && req.maxFeePerGas === undefined && req.maxPriorityFeePerGas === undefined;
  const data = txData(
    noFee
      ? { ...req, gas, gasPrice: 0n, maxFeePerGas: undefined, maxPriorityFeePerGas: undefined, type: req.accessList ? 1 : 0 }
      : { ...req, gas },
    { nonce, gas, baseFee: context.header.baseFeePerGas ?? 0n, chainId: chain.config.chainId },
  );
  const tx = impersonatedTx(chain, data, from);
  try {
    return await executeTx(vm, tx, context, 0n, { skipNonce: true, reportAccessList, allowSenderWithCode: true });
  } catch (error) {
    const msg = libErrorMessage(error);
    if (/enough funds|balance/i.test(msg))
      throw new DevnetError("INSUFFICIENT_FUNDS", `insufficient funds for gas * price + value: ${msg}`);
    throw new DevnetError("INVALID_PARAMS", msg);
  }
}

async function failure(result: RunTxResult, gas: bigint): Promise<DevnetError> {
  const err = result.execResult.exceptionError;
  const data = bytesToHex(result.execResult.returnValue);
  if (err?.error === "revert") {
    const reason = await decodeRevert(data);
    return new DevnetError("EXECUTION_REVERTED", reason ? `execution reverted: ${reason}` : "execution reverted", { data });
  }
  if (err?.error === "out of gas") {
    return new DevnetError("EXECUTION_REVERTED", `out of gas: gas required exceeds allowance (${gas})`, { data });
  }
  return new DevnetError("EXECUTION_REVERTED", `execution failed: ${err?.error ?? "unknown error"}`, { data });
}

function capOf(chain: L2Chain, req: TxRequest): bigint {
  return req.gas ?? chain.config.blockGasLimit;
}

/** eth_call: the return data, or an EXECUTION_REVERTED error carrying the revert data. */
export async function call(chain: L2Chain, target: CallTarget, req: TxRequest): Promise<Uint8Array> {
  const gas = capOf(chain, req);
  return withStateAt(chain, target, async (vm, context) => {
    const result = await runRequest(chain, vm, context, req, gas);
    if (result.execResult.exceptionError) throw await failure(result, gas);
    return result.execResult.returnValue;
  });
}

/** eth_estimateGas: the smallest gas limit that succeeds (binary search above the used amount). */
export async function estimateGas(chain: L2Chain, target: CallTarget, req: TxRequest): Promise<bigint> {
  const cap = capOf(chain, req);
  return withStateAt(chain, target, async (vm, context) => {
    const attempt = async (gas: bigint) => {
      await vm.stateManager.checkpoint();
      try {
        return await runRequest(chain, vm, context, req, gas);
      } finally {
        await vm.stateManager.revert();
      }
    };
    const first = await attempt(cap);
    if (first.execResult.exceptionError) throw await failure(first, cap);
    // Refunds are paid after execution, so the limit must cover gas before refunds.
    let lo = first.totalGasSpent - 1n;
    let hi = first.totalGasSpent + (first.gasRefund ?? 0n);
    if (hi > cap) hi = cap;
    const ok = async (gas: bigint) => {
      try {
        return !(await attempt(gas)).execResult.exceptionError;
      } catch {
        return false;
      }
    };
    if (!(await ok(hi))) {
      lo = hi;
      hi = cap;
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (await ok(mid)) hi = mid;
      else lo = mid;
    }
    return hi;
  });
}

/** eth_createAccessList: the addresses and slots the call touches, and the gas it uses with them. */
export async function createAccessList(
  chain: L2Chain,
  target: CallTarget,
  req: TxRequest,
): Promise<{ accessList: { address: string; storageKeys: string[] }[]; gasUsed: bigint; error?: string }> {
  const gas = capOf(chain, req);
  return withStateAt(chain, target, async (vm, context) => {
    const result = await runRequest(chain, vm, context, { ...req, type: req.type ?? 1, accessList: req.accessList ?? [] }, gas, true);
    const list = (result.accessList ?? []).map((item) => ({ address: item.address, storageKeys: item.storageKeys }));
    const error = result.execResult.exceptionError ? (await failure(result, gas)).message : undefined;
    return { accessList: list, gasUsed: result.totalGasSpent, error };
  });
}
