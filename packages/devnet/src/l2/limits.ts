import { type EVM, type EVMOpts, type ExecResult, getActivePrecompiles, type PrecompileFunc, type PrecompileInput } from "@ethereumjs/evm";
import { DevnetError } from "../errors.js";

/** geth's RPCGasCap default: the most gas one eth_call / eth_estimateGas / debug_traceCall may use. */
export const DEFAULT_RPC_GAS_CAP = 50_000_000n;
/** geth's RPCEVMTimeout default: how long one RPC execution may run. */
export const DEFAULT_RPC_EVM_TIMEOUT_MS = 5_000;
/** geth's default tracer timeout. */
export const DEFAULT_TRACE_TIMEOUT_MS = 5_000;
/** Longest `timeout` a trace may ask for. */
export const MAX_TRACE_TIMEOUT_MS = 60_000;

/** How many interpreter steps (JUMPDESTs, trace steps) run between two looks at the clock. */
const CHECK_EVERY = 1024;
/** How many clock checks between two yields to the event loop (other clients get answered). */
const YIELD_EVERY = 16;

/**
 * Precompiles whose running time is not bounded by their gas at JS speed, and which cannot be
 * interrupted once started: their cost in ms is estimated from their input, conservatively
 * (measured on a busy 2-core machine: blake2f ~400 rounds/ms, BN254 pairing ~70 ms/pair).
 */
const SLOW_PRECOMPILES: Record<string, { name: string; work: (data: Uint8Array) => { units: number; what: string; ms: number } }> = {
  "0000000000000000000000000000000000000008": {
    name: "ecPairing (0x08)",
    work: (data) => {
      const pairs = Math.floor(data.length / 192);
      return { units: pairs, what: `${pairs} pairs`, ms: pairs * 100 };
    },
  },
  "0000000000000000000000000000000000000009": {
    name: "blake2f (0x09)",
    work: (data) => {
      const rounds = data.length >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0) : 0;
      return { units: rounds, what: `${rounds} rounds`, ms: rounds / 200 };
    },
  },
  "000000000000000000000000000000000000000f": {
    name: "BLS12-381 pairing (0x0f)",
    work: (data) => {
      const pairs = Math.floor(data.length / 384);
      return { units: pairs, what: `${pairs} pairs`, ms: pairs * 100 };
    },
  },
};

/**
 * A wall-clock budget for one RPC execution (eth_call & co., traces). It is attached to the
 * EVM that runs it (always a throw-away copy, never the miner's), so mined transactions keep
 * consensus behaviour. Past the deadline the run is aborted with LIMIT_EXCEEDED.
 */
export class ExecutionBudget {
  private readonly deadline: number;
  private steps = 0;
  private checks = 0;

  /** `limit` names the bound in the error, e.g. "execution aborted (timeout = 5s)". */
  constructor(
    readonly timeoutMs: number,
    private readonly limit: string,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }

  exceeded(detail: string): DevnetError {
    return new DevnetError("LIMIT_EXCEEDED", `${this.limit}: ${detail}`);
  }

  /** Throws past the deadline. */
  check(): void {
    if (Date.now() > this.deadline) throw this.exceeded(`the execution ran longer than ${this.timeoutMs} ms`);
  }

  /**
   * Called on every counted step: looks at the clock every CHECK_EVERY steps and, every few
   * checks, answers true to ask the caller to yield to the event loop.
   */
  step(): boolean {
    if (++this.steps % CHECK_EVERY !== 0) return false;
    this.check();
    return ++this.checks % YIELD_EVERY === 0;
  }

  /** Refuses, before it starts, a precompile call that would not finish in the time left. */
  beforePrecompile(name: string, estimate: { what: string; ms: number }): void {
    const left = this.deadline - Date.now();
    if (estimate.ms > left) {
      throw this.exceeded(`a ${name} call with ${estimate.what} would run past the ${this.timeoutMs} ms limit (refused before it started)`);
    }
  }
}

const budgets = new WeakMap<EVM, ExecutionBudget>();

/** Attaches `budget` to `evm` (a throw-away copy) for the rest of its life. */
export function attachBudget(evm: EVM, budget: ExecutionBudget): void {
  budgets.set(evm, budget);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * JUMPDEST as ethereumjs runs it (1 gas, no effect), plus the budget's clock check: every loop
 * passes a JUMPDEST, so no execution can outlive its budget by more than CHECK_EVERY iterations.
 */
const jumpdest = {
  opcode: 0x5b,
  opcodeName: "JUMPDEST",
  baseFee: 1,
  logicFunction: (runState: { interpreter: { _evm: EVM } }): void | Promise<void> => {
    const budget = budgets.get(runState.interpreter._evm);
    if (budget?.step()) return yieldToEventLoop();
  },
};

/** A message (call, create, precompile call) starts: the budget's clock is checked. */
export function checkBudgetOf(evm: EVM): void {
  budgets.get(evm)?.check();
}

/** The slow precompiles, wrapped to refuse (under a budget) what would not finish in time. */
function guardedPrecompiles(): { address: `0x${string}`; function: PrecompileFunc }[] {
  return Object.entries(SLOW_PRECOMPILES).map(([address, { name, work }]) => {
    let original: PrecompileFunc | undefined;
    return {
      address: `0x${address}`,
      function: (input: PrecompileInput): ExecResult | Promise<ExecResult> => {
        const budget = budgets.get(input._EVM as EVM);
        if (budget) budget.beforePrecompile(name, work(input.data));
        // The library's own implementation (the map built without custom entries).
        original ??= getActivePrecompiles(input.common).get(address) as PrecompileFunc;
        return original(input);
      },
    };
  });
}

/** EVM options that make budgets enforceable; `hardforkHasBls` keeps 0x0f off before Prague. */
export function budgetEvmOptions(hardforkHasBls: boolean): Required<Pick<EVMOpts, "customOpcodes" | "customPrecompiles">> {
  return {
    customOpcodes: [jumpdest],
    customPrecompiles: guardedPrecompiles().filter((p) => hardforkHasBls || !p.address.endsWith("0f")),
  };
}
