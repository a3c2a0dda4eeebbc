import type { EVM, EVMResult, InterpreterStep, Message } from "@ethereumjs/evm";
import { bigIntToBytes, setLengthLeft } from "@ethereumjs/util";
import type { RunTxResult, VM } from "@ethereumjs/vm";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import { type CallTarget, contextFor, executionView, gasFor, runRequest } from "./call.js";
import type { L2Chain } from "./chain.js";
import { executeTx } from "./execute.js";
import { attachBudget, DEFAULT_TRACE_TIMEOUT_MS, ExecutionBudget, MAX_TRACE_TIMEOUT_MS } from "./limits.js";
import { replayContext } from "./miner.js";
import { refuseUnavailableTxType } from "./profile.js";
import { decodeRevert } from "./revert.js";
import { requestType, type TxRequest } from "./transactions.js";

export interface TraceOptions {
  tracer?: "callTracer";
  tracerConfig?: { onlyTopCall?: boolean; withLog?: boolean };
  disableStack?: boolean;
  disableStorage?: boolean;
  enableMemory?: boolean;
  enableReturnData?: boolean;
  /** Go duration, as geth takes it ("5s", "500ms"); default 5s, at most 60s. */
  timeout?: string;
}

export interface StructLog {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
  memory?: string[];
  storage?: Record<string, string>;
  refund?: number;
  error?: string;
}

export interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value: string;
  gas: string;
  gasUsed: string;
  input: string;
  output?: string;
  error?: string;
  revertReason?: string;
  calls?: CallFrame[];
}

/**
 * What one trace may hold. geth keeps a whole struct-log trace in memory too; these bounds
 * keep one request from exhausting the devnet's heap (a loop filling the stack captures 1024
 * words per step). Beyond them the trace is abandoned with LIMIT_EXCEEDED.
 */
export const TRACE_LIMITS = {
  /** Struct-log entries (opcode steps) in one trace. */
  structLogs: 100_000,
  /** Stack entries, memory words and storage entries captured over one trace. */
  words: 1_000_000,
  /** Call frames of one callTracer trace. */
  callFrames: 50_000,
  /** Bytes of input and output captured over one callTracer trace. */
  callBytes: 32 * 1024 * 1024,
} as const;

const word = (n: bigint) => bytesToHex(setLengthLeft(bigIntToBytes(n), 32)).slice(2);
const q = (n: bigint) => `0x${n.toString(16)}`;

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (time.ParseDuration: "5s", "1m30s", "250ms") in ms; bounded to (0, 60s]. */
export function traceTimeoutMs(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_TRACE_TIMEOUT_MS;
  const parts = [...timeout.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== timeout) {
    throw new DevnetError("INVALID_PARAMS", `invalid trace timeout "${timeout}": expected a duration such as "5s" or "500ms"`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
  if (!(ms > 0) || ms > MAX_TRACE_TIMEOUT_MS) {
    throw new DevnetError("INVALID_PARAMS", `trace timeout "${timeout}" must be above 0 and at most ${MAX_TRACE_TIMEOUT_MS / 1000}s`);
  }
  return ms;
}

function traceBudget(options: TraceOptions): ExecutionBudget {
  const ms = traceTimeoutMs(options.timeout);
  return new ExecutionBudget(ms, `execution timeout: the trace ran past its timeout of ${ms} ms (option "timeout", default 5s)`);
}

function tooLarge(what: string, limit: number): DevnetError {
  return new DevnetError(
    "LIMIT_EXCEEDED",
    `trace limit exceeded: more than ${limit} ${what} (the devnet's bound on one trace; try tracer "callTracer", disableStack or a smaller execution)`,
  );
}

/** What the traced execution's outermost frame reports. */
interface Outcome {
  result: RunTxResult;
  gasLimit: bigint;
  gasUsed: bigint;
}

/**
 * Records what the EVM of `vm` does while `run` executes, within the trace bounds and the
 * budget; answers geth's struct-log trace or a callTracer tree.
 */
async function traceRun(vm: VM, budget: ExecutionBudget, options: TraceOptions, run: () => Promise<Outcome>): Promise<unknown> {
  const evm = vm.evm as EVM;
  const events = evm.events;
  if (!events) throw new DevnetError("INTERNAL_ERROR", "the EVM has no event emitter to trace with");
  attachBudget(evm, budget);
  if (options.tracer === "callTracer") return callTrace(events, options, run);
  return structLogTrace(events, budget, options, run);
}

async function callTrace(events: NonNullable<EVM["events"]>, options: TraceOptions, run: () => Promise<Outcome>): Promise<CallFrame> {
  const stack: CallFrame[] = [];
  const reverted: CallFrame[] = [];
  let top: CallFrame | undefined;
  let frames = 0;
  let bytes = 0;
  const capture = (data: Uint8Array) => {
    bytes += data.length;
    if (bytes > TRACE_LIMITS.callBytes) throw tooLarge("bytes of call input and output", TRACE_LIMITS.callBytes);
    return bytesToHex(data);
  };
  events.on("beforeMessage", (msg: Message) => {
    if (++frames > TRACE_LIMITS.callFrames) throw tooLarge("call frames", TRACE_LIMITS.callFrames);
    const frame: CallFrame = {
      type:
        msg.to === undefined
          ? msg.salt
            ? "CREATE2"
            : "CREATE"
          : msg.delegatecall
            ? "DELEGATECALL"
            : msg.isStatic && stack.length > 0 && !stack[stack.length - 1].type.startsWith("STATIC")
              ? "STATICCALL"
              : "CALL",
      from: msg.caller.toString(),
      to: msg.to?.toString(),
      value: q(msg.value),
      gas: q(msg.gasLimit),
      gasUsed: "0x0",
      input: capture(msg.data),
    };
    const parentFrame = stack[stack.length - 1];
    if (parentFrame && !options.tracerConfig?.onlyTopCall) {
      parentFrame.calls ??= [];
      parentFrame.calls.push(frame);
    }
    stack.push(frame);
  });
  events.on("afterMessage", (result: EVMResult) => {
    const frame = stack.pop();
    if (!frame) return;
    const exec = result.execResult;
    frame.gasUsed = q(exec.executionGasUsed);
    if (result.createdAddress) frame.to = result.createdAddress.toString();
    frame.output = capture(exec.returnValue);
    if (exec.exceptionError) {
      frame.error = exec.exceptionError.error === "revert" ? "execution reverted" : exec.exceptionError.error;
      reverted.push(frame);
    }
    if (stack.length === 0) top = frame;
  });
  const outcome = await run();
  if (!top) throw new DevnetError("INTERNAL_ERROR", "trace produced no call frame");
  for (const frame of reverted) {
    const reason = await decodeRevert(frame.output ?? "0x");
    if (reason) frame.revertReason = reason;
  }
  // The outermost frame reports the transaction's whole gas, intrinsic cost included.
  top.gas = q(outcome.gasLimit);
  top.gasUsed = q(outcome.gasUsed);
  return top;
}

async function structLogTrace(
  events: NonNullable<EVM["events"]>,
  budget: ExecutionBudget,
  options: TraceOptions,
  run: () => Promise<Outcome>,
): Promise<unknown> {
  const logs: StructLog[] = [];
  const storage = new Map<string, Record<string, string>>();
  let words = 0;
  const count = (n: number) => {
    words += n;
    if (words > TRACE_LIMITS.words) throw tooLarge("captured words (stack, memory and storage entries)", TRACE_LIMITS.words);
  };
  // Two parameters: the EVM waits for `next`, which lets the trace yield to the event loop.
  events.on("step", (step: InterpreterStep, next?: () => void) => {
    if (logs.length >= TRACE_LIMITS.structLogs) throw tooLarge("struct logs (steps)", TRACE_LIMITS.structLogs);
    const log: StructLog = {
      pc: step.pc,
      op: step.opcode.name,
      gas: Number(step.gasLeft),
      gasCost: Number(step.opcode.dynamicFee ?? 0n) + step.opcode.fee,
      depth: step.depth + 1,
    };
    if (!options.disableStack) {
      count(step.stack.length);
      log.stack = step.stack.map((v) => q(v));
    }
    if (options.enableMemory) {
      count(Math.ceil(step.memory.length / 32));
      const mem: string[] = [];
      for (let i = 0; i < step.memory.length; i += 32)
        mem.push(
          bytesToHex(step.memory.subarray(i, i + 32))
            .slice(2)
            .padEnd(64, "0"),
        );
      log.memory = mem;
    }
    if (step.gasRefund > 0n) log.refund = Number(step.gasRefund);
    if (!options.disableStorage && (step.opcode.name === "SLOAD" || step.opcode.name === "SSTORE")) {
      const addr = step.address.toString();
      const slots = storage.get(addr) ?? {};
      storage.set(addr, slots);
      const n = step.stack.length;
      if (step.opcode.name === "SSTORE" && n >= 2) slots[word(step.stack[n - 1])] = word(step.stack[n - 2]);
      log.storage = { ...slots };
      count(Object.keys(slots).length);
    }
    logs.push(log);
    if (budget.step()) setImmediate(() => next?.());
    else next?.();
  });
  const { result } = await run();
  // Geth shows an SLOAD's loaded value on the next step; fill it from the stack then.
  for (let i = 0; i < logs.length - 1; i++) {
    if (logs[i].op === "SLOAD" && logs[i].storage && logs[i + 1].stack && logs[i].stack) {
      const slot = (logs[i].stack as string[])[(logs[i].stack as string[]).length - 1];
      const loaded = (logs[i + 1].stack as string[])[(logs[i + 1].stack as string[]).length - 1];
      (logs[i].storage as Record<string, string>)[word(BigInt(slot))] = word(BigInt(loaded));
    }
  }
  return {
    gas: Number(result.totalGasSpent),
    failed: result.execResult.exceptionError !== undefined,
    returnValue: bytesToHex(result.execResult.returnValue).slice(2),
    structLogs: logs,
  };
}

/**
 * Re-executes a mined transaction on top of its block's earlier transactions
 * (from the state the block ran on) and records what the EVM did.
 */
export async function traceTransaction(chain: L2Chain, hash: string, options: TraceOptions): Promise<unknown> {
  const budget = traceBudget(options);
  const loc = chain.store.findTx(hash);
  if (!loc) throw new DevnetError("INVALID_PARAMS", `transaction ${hash} not found (pending transactions cannot be traced)`);
  const { block, index } = loc;
  const vm = await chain.vmAt(block.preStateRoot, `cannot trace: the state before block ${block.number}`);
  await vm.stateManager.checkpoint(); // never committed: the replay stays in this copy
  const context = replayContext(chain.common, block.block.header);
  let gasUsed = 0n;
  // Replays of mined transactions: admission rules were checked when they were mined.
  const replay = { allowSenderWithCode: true };
  // The earlier transactions run under their own budget of the same length.
  attachBudget(vm.evm as EVM, traceBudget(options));
  for (let i = 0; i < index; i++) gasUsed += (await executeTx(vm, block.transactions[i], context, gasUsed, replay)).totalGasSpent;
  const tx = block.transactions[index];
  return traceRun(vm, budget, options, async () => ({
    result: await executeTx(vm, tx, context, gasUsed, replay),
    gasLimit: tx.gasLimit,
    gasUsed: block.receipts[index].gasUsed,
  }));
}

/** debug_traceCall: traces a call (as eth_call runs it) at a block, with the same tracers and bounds. */
export async function traceCall(chain: L2Chain, target: CallTarget, req: TxRequest, options: TraceOptions): Promise<unknown> {
  refuseUnavailableTxType(chain.config.profile, requestType(req));
  const budget = traceBudget(options);
  const { vm, header } = await executionView(chain, target, budget);
  const gas = gasFor(chain, header, req);
  const context = contextFor(chain, header, req);
  return traceRun(vm, budget, options, async () => {
    const result = await runRequest(chain, vm, context, req, gas);
    return { result, gasLimit: gas, gasUsed: result.totalGasSpent };
  });
}
