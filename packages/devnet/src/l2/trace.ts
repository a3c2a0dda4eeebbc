import type { EVMResult, InterpreterStep, Message } from "@ethereumjs/evm";
import { bigIntToBytes, bytesToHex, setLengthLeft } from "@ethereumjs/util";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "./chain.js";
import { executeTx } from "./execute.js";
import { executionBlock } from "./miner.js";
import { decodeRevert } from "./revert.js";

export interface TraceOptions {
  tracer?: "callTracer";
  tracerConfig?: { onlyTopCall?: boolean; withLog?: boolean };
  disableStack?: boolean;
  disableStorage?: boolean;
  enableMemory?: boolean;
  enableReturnData?: boolean;
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

const word = (n: bigint) => bytesToHex(setLengthLeft(bigIntToBytes(n), 32)).slice(2);
const q = (n: bigint) => `0x${n.toString(16)}`;

/**
 * Re-executes a mined transaction on top of its block's earlier transactions
 * (from the state the block ran on) and records what the EVM did.
 */
export async function traceTransaction(chain: L2Chain, hash: string, options: TraceOptions): Promise<unknown> {
  const loc = chain.store.findTx(hash);
  if (!loc) throw new DevnetError("INVALID_PARAMS", `transaction ${hash} not found (pending transactions cannot be traced)`);
  const { block, index } = loc;
  const vm = await chain.vmAt(block.preStateRoot, `cannot trace: the state before block ${block.number}`);
  const h = block.block.header;
  const context = executionBlock(chain.common, {
    number: h.number,
    timestamp: h.timestamp,
    coinbase: h.coinbase,
    gasLimit: h.gasLimit,
    baseFeePerGas: h.baseFeePerGas,
    mixHash: h.mixHash,
    parentHash: h.parentHash,
    parentBeaconBlockRoot: h.parentBeaconBlockRoot,
  });
  let gasUsed = 0n;
  // Replays of mined transactions: admission rules were checked when they were mined.
  const replay = { allowSenderWithCode: true };
  for (let i = 0; i < index; i++) gasUsed += (await executeTx(vm, block.transactions[i], context, gasUsed, replay)).totalGasSpent;

  const events = vm.evm.events;
  if (!events) throw new DevnetError("INTERNAL_ERROR", "the EVM has no event emitter to trace with");
  const tx = block.transactions[index];
  const receipt = block.receipts[index];
  if (options.tracer === "callTracer") {
    const stack: CallFrame[] = [];
    const reverted: CallFrame[] = [];
    let top: CallFrame | undefined;
    events.on("beforeMessage", (msg: Message) => {
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
        input: bytesToHex(msg.data),
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
      frame.output = bytesToHex(exec.returnValue);
      if (exec.exceptionError) {
        frame.error = exec.exceptionError.error === "revert" ? "execution reverted" : exec.exceptionError.error;
        reverted.push(frame);
      }
      if (stack.length === 0) top = frame;
    });
    await executeTx(vm, tx, context, gasUsed, replay);
    if (!top) throw new DevnetError("INTERNAL_ERROR", "trace produced no call frame");
    for (const frame of reverted) {
      const reason = await decodeRevert(frame.output ?? "0x");
      if (reason) frame.revertReason = reason;
    }
    // The outermost frame reports the transaction's whole gas, intrinsic cost included.
    top.gas = q(tx.gasLimit);
    top.gasUsed = q(receipt.gasUsed);
    return top;
  }

  const logs: StructLog[] = [];
  const storage = new Map<string, Record<string, string>>();
  events.on("step", (step: InterpreterStep) => {
    const log: StructLog = {
      pc: step.pc,
      op: step.opcode.name,
      gas: Number(step.gasLeft),
      gasCost: Number(step.opcode.dynamicFee ?? 0n) + step.opcode.fee,
      depth: step.depth + 1,
    };
    if (!options.disableStack) log.stack = step.stack.map((v) => q(v));
    if (options.enableMemory) {
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
    }
    logs.push(log);
  });
  const result = await executeTx(vm, tx, context, gasUsed, replay);
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
