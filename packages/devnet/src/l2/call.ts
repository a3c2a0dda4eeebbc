import type { Block, HeaderData } from "@ethereumjs/block";
import type { EVM } from "@ethereumjs/evm";
import { createAddressFromString } from "@ethereumjs/util";
import type { RunTxResult, VM } from "@ethereumjs/vm";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import type { L2Chain } from "./chain.js";
import { withCallConsole } from "./console.js";
import { executeTx } from "./execute.js";
import { sameRunAt, withGasProbe } from "./gas-probe.js";
import { attachBudget, checkBudgetOf, DEFAULT_RPC_EVM_TIMEOUT_MS, DEFAULT_RPC_GAS_CAP, ExecutionBudget } from "./limits.js";
import { executionBlock, type MinedBlock, mineBlock } from "./miner.js";
import { refuseUnavailableTxType } from "./profile.js";
import { decodeRevert } from "./revert.js";
import {
  checkGasFits,
  feeTooLowIn,
  INTRINSIC_GAS_BELOW,
  impersonatedTx,
  intrinsicGasTooLow,
  libErrorMessage,
  requestType,
  type TxRequest,
  txData,
} from "./transactions.js";
import type { StoredBlock } from "./types.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * Where a call runs. `live` targets are the chain's current state (call inside
 * `chain.exclusive`), others a past block's. The block context is the target block's
 * (geth, Hardhat and Anvil run `latest` in the latest block), unless `next` asks for the
 * block being built: "next" on the current state (eth_sendTransaction's estimate), "pool"
 * on the current state plus the pool's executable transactions (the `pending` tag).
 */
export interface CallTarget {
  block: StoredBlock;
  live: boolean;
  next?: "next" | "pool";
}

/** Header fields an execution runs with. */
export type ContextHeader = HeaderData & { number: bigint; timestamp: bigint; baseFeePerGas?: bigint };

/** A state to run on, and the block context to run in. */
export interface ExecutionView {
  vm: VM;
  header: ContextHeader;
  /** The pending block, when the view was built with the pool's transactions. */
  pending?: MinedBlock;
  /** The chain's live-execution VM (give it back with `releaseLiveVm`), not a copy of its own. */
  reused: boolean;
}

/** A stored block's context header, built once (a stored block does not change). */
const storedContexts = new WeakMap<StoredBlock, ContextHeader>();

function contextOf(stored: StoredBlock): ContextHeader {
  let context = storedContexts.get(stored);
  if (!context) {
    const h = stored.block.header;
    // The header's own values (undefined where its hardfork has no such field): its JSON form, hex strings, cost an
    // encode here and a decode for each context block built from it.
    context = {
      parentHash: h.parentHash,
      uncleHash: h.uncleHash,
      coinbase: h.coinbase,
      stateRoot: h.stateRoot,
      transactionsTrie: h.transactionsTrie,
      receiptTrie: h.receiptTrie,
      logsBloom: h.logsBloom,
      difficulty: h.difficulty,
      number: h.number,
      gasLimit: h.gasLimit,
      gasUsed: h.gasUsed,
      timestamp: h.timestamp,
      extraData: h.extraData,
      mixHash: h.mixHash,
      nonce: h.nonce,
      baseFeePerGas: h.baseFeePerGas,
      withdrawalsRoot: h.withdrawalsRoot,
      blobGasUsed: h.blobGasUsed,
      excessBlobGas: h.excessBlobGas,
      parentBeaconBlockRoot: h.parentBeaconBlockRoot,
      requestsHash: h.requestsHash,
      blockAccessListHash: h.blockAccessListHash,
      slotNumber: h.slotNumber,
    };
    storedContexts.set(stored, context);
  }
  return context;
}

/** EVMs whose beforeMessage already checks their budget (a reused VM subscribes once). */
const budgeted = new WeakSet<EVM>();

/** The RPC execution limits of a chain (options rpcGasCap / rpcEvmTimeout). */
export function rpcLimits(chain: L2Chain): { gasCap: bigint; timeoutMs: number } {
  return { gasCap: chain.config.rpcGasCap ?? DEFAULT_RPC_GAS_CAP, timeoutMs: chain.config.rpcEvmTimeoutMs ?? DEFAULT_RPC_EVM_TIMEOUT_MS };
}

/** geth's wording for an RPC execution that ran out of time. */
export function callBudget(chain: L2Chain): ExecutionBudget {
  const ms = rpcLimits(chain).timeoutMs;
  return new ExecutionBudget(ms, `execution aborted (timeout = ${ms / 1000}s, the devnet's rpcEvmTimeout)`);
}

/**
 * A throw-away VM over the target's state, under `budget`. Nothing it does reaches the chain:
 * it is a copy at the target's root, with a checkpoint that is never committed, so an
 * execution aborted half-way (time, trace size) leaves nothing behind. For live targets,
 * call inside `chain.exclusive`.
 */
export async function executionView(
  chain: L2Chain,
  target: CallTarget,
  budget: ExecutionBudget,
  options: { reuse?: boolean } = {},
): Promise<ExecutionView> {
  const root = target.live ? await chain.state.getStateRoot() : chain.viewRoot(target.block);
  // A pending view builds a block on its VM: it gets a copy of its own.
  const reused = target.live && options.reuse === true && target.next !== "pool";
  const vm = reused
    ? await chain.acquireLiveVm(root)
    : await chain.vmAt(root, target.live ? "the current state" : `the state of block ${target.block.number}`);
  await vm.stateManager.checkpoint();
  const evm = vm.evm as EVM;
  attachBudget(evm, budget);
  if (!budgeted.has(evm)) {
    budgeted.add(evm);
    evm.events?.on("beforeMessage", () => checkBudgetOf(evm));
  }
  if (!target.live || !target.next) return { vm, header: contextOf(target.block), reused };
  const header = chain.nextHeader();
  if (target.next === "next") return { vm, header, reused };
  const candidates = chain.pool.executable(await chain.poolSenderNonces());
  const pending = await mineBlock(vm, chain.common, header, candidates, root);
  return { vm, header, pending, reused };
}

/** The pending block (eth_getBlockByNumber("pending")): the next block built from the pool, not committed. */
export async function pendingBlock(chain: L2Chain): Promise<StoredBlock> {
  const view = await executionView(chain, { block: chain.head, live: true, next: "pool" }, callBudget(chain));
  return (view.pending as MinedBlock).stored;
}

/**
 * The block a request runs in. As geth does for calls (NoBaseFee), a request that names no
 * fee runs with base fee 0, so that it needs no balance for gas.
 */
export function contextFor(chain: L2Chain, header: ContextHeader, req: TxRequest): Block {
  const feeless = namesNoFee(req);
  let blocks = contextBlocks.get(header);
  if (!blocks) {
    blocks = {};
    contextBlocks.set(header, blocks);
  }
  // Frozen blocks, reused for every request in the same context (a stored block's header is the same object).
  const mode = feeless ? "feeless" : "paying";
  let block = blocks[mode];
  if (!block) {
    block = executionBlock(chain.common, feeless ? { ...header, baseFeePerGas: 0n } : header);
    blocks[mode] = block;
  }
  return block;
}

const contextBlocks = new WeakMap<ContextHeader, { paying?: Block; feeless?: Block }>();

function namesNoFee(req: TxRequest): boolean {
  return req.gasPrice === undefined && req.maxFeePerGas === undefined && req.maxPriorityFeePerGas === undefined;
}

/** Runs a request as a transaction on `vm`. Errors the devnet raised (limits) pass through. */
export async function runRequest(
  chain: L2Chain,
  vm: VM,
  context: Block,
  req: TxRequest,
  gas: bigint,
  reportAccessList = false,
): Promise<RunTxResult> {
  const from = createAddressFromString(req.from ?? ZERO_ADDRESS);
  const nonce = (await vm.stateManager.getAccount(from))?.nonce ?? 0n;
  const type = requestType(req);
  // No fee named: a zero-price transaction of the same kind (access list and authorizations cost gas).
  const feeless: TxRequest =
    type === 4
      ? { ...req, gas, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }
      : { ...req, gas, gasPrice: 0n, maxFeePerGas: undefined, maxPriorityFeePerGas: undefined, type: req.accessList ? 1 : 0 };
  const data = txData(namesNoFee(req) ? feeless : { ...req, gas }, {
    nonce,
    gas,
    baseFee: context.header.baseFeePerGas ?? 0n,
    chainId: chain.config.chainId,
  });
  try {
    const tx = impersonatedTx(chain, data, from);
    return await executeTx(vm, tx, context, 0n, { skipNonce: true, reportAccessList, allowSenderWithCode: true });
  } catch (error) {
    if (error instanceof DevnetError) throw error;
    const msg = libErrorMessage(error);
    // The same refusal, code and words as admission gives it (a send without gas is estimated first).
    const feeTooLow = feeTooLowIn(msg);
    if (feeTooLow) throw feeTooLow;
    const intrinsic = INTRINSIC_GAS_BELOW.exec(msg);
    if (intrinsic) throw intrinsicGasTooLow(intrinsic[1], intrinsic[2]);
    if (/enough funds|balance/i.test(msg))
      throw new DevnetError("INSUFFICIENT_FUNDS", `insufficient funds for gas * price + value: ${msg}`);
    throw new DevnetError("INVALID_PARAMS", msg);
  }
}

export async function failure(result: RunTxResult, gas: bigint): Promise<DevnetError> {
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

/**
 * Gas a request may use: what it asks for, else the context block's gas limit, never more
 * than the RPC gas cap (geth caps silently too: "caller gas above allowance, capping") nor the
 * block's gas limit (the EVM refuses a transaction that does not fit its block).
 */
export function gasFor(chain: L2Chain, header: ContextHeader, req: TxRequest): bigint {
  if (req.gas !== undefined) checkGasFits(req.gas);
  const blockLimit = BigInt(header.gasLimit as bigint);
  const cap = rpcLimits(chain).gasCap < blockLimit ? rpcLimits(chain).gasCap : blockLimit;
  const gas = req.gas ?? blockLimit;
  return gas > cap ? cap : gas;
}

/**
 * Runs `fn` on a view of the target, after refusing what the profile cannot run. A live view
 * reuses the chain's live-execution VM (the caller holds the chain lock) and gives it back after.
 */
async function withView<T>(chain: L2Chain, target: CallTarget, req: TxRequest, fn: (view: ExecutionView) => Promise<T>): Promise<T> {
  refuseUnavailableTxType(chain.config.profile, requestType(req));
  // With an empty pool the pending block is the next block on the current state: no block to build.
  const at: CallTarget = target.next === "pool" && chain.pool.size === 0 ? { ...target, next: "next" } : target;
  const view = await executionView(chain, at, callBudget(chain), { reuse: true });
  try {
    return await fn(view);
  } finally {
    if (view.reused) await chain.releaseLiveVm(view.vm);
  }
}

/** eth_call: the return data, or an EXECUTION_REVERTED error carrying the revert data. */
export async function call(chain: L2Chain, target: CallTarget, req: TxRequest): Promise<Uint8Array> {
  return withView(chain, target, req, async ({ vm, header }) => {
    const gas = gasFor(chain, header, req);
    const result = await withCallConsole(
      vm,
      () => runRequest(chain, vm, contextFor(chain, header, req), req, gas),
      (log) => chain.emit("console", log),
    );
    if (result.execResult.exceptionError) throw await failure(result, gas);
    return result.execResult.returnValue;
  });
}

/** A plain transfer's gas (its intrinsic cost). */
const TX_GAS = 21_000n;

/** eth_estimateGas: the smallest gas limit that succeeds (binary search above the used amount). */
export async function estimateGas(chain: L2Chain, target: CallTarget, req: TxRequest): Promise<bigint> {
  return withView(chain, target, req, async ({ vm, header }) => {
    const cap = gasFor(chain, header, req);
    const context = contextFor(chain, header, req);
    const attempt = async (gas: bigint) => {
      await vm.stateManager.checkpoint();
      try {
        return await runRequest(chain, vm, context, req, gas);
      } finally {
        await vm.stateManager.revert();
      }
    };
    // geth's short cut for a plain transfer (no data, a recipient without code): one run at 21,000 rather than a
    // run at the cap and a search. Anything else (an access list, a precompile, too little money) fails at 21,000
    // and takes the search, which reports it.
    if (req.to && !req.data?.length && cap >= TX_GAS) {
      const code = await vm.stateManager.getCode(createAddressFromString(req.to));
      if (code.length === 0) {
        const plain = await attempt(TX_GAS).catch(() => undefined);
        if (plain && !plain.execResult.exceptionError) return TX_GAS;
      }
    }
    const { result: first, probe } = await withGasProbe(vm.evm as EVM, () => attempt(cap));
    if (first.execResult.exceptionError) throw await failure(first, cap);
    // Refunds are paid after execution, so the limit must cover gas before refunds.
    let lo = first.totalGasSpent - 1n;
    let hi = first.totalGasSpent + (first.gasRefund ?? 0n);
    if (hi > cap) hi = cap;
    // Without refunds, `hi` is what the run used (or the EIP-7623 floor, more): a run that would take the same steps
    // with `hi` succeeds with it, and any less runs out or is below the floor. The search would end at `hi` too.
    if ((first.gasRefund ?? 0n) === 0n && sameRunAt(probe, cap, hi, vm.common.param("sstoreSentryEIP2200Gas"))) return hi;
    const ok = async (gas: bigint) => {
      try {
        return !(await attempt(gas)).execResult.exceptionError;
      } catch (error) {
        // A limit (time) ends the estimate; a refusal at this gas (e.g. intrinsic) is a "no".
        if (error instanceof DevnetError && error.code === "LIMIT_EXCEEDED") throw error;
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
  return withView(chain, target, req, async ({ vm, header }) => {
    const gas = gasFor(chain, header, req);
    const withList = { ...req, type: req.type ?? (req.authorizationList ? 4 : 1), accessList: req.accessList ?? [] };
    const result = await runRequest(chain, vm, contextFor(chain, header, req), withList, gas, true);
    const list = (result.accessList ?? []).map((item) => ({ address: item.address, storageKeys: item.storageKeys }));
    const error = result.execResult.exceptionError ? (await failure(result, gas)).message : undefined;
    return { accessList: list, gasUsed: result.totalGasSpent, error };
  });
}
