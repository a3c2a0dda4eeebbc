/**
 * What a run saw of the gas it was given: whether anything in it could behave differently with less gas left.
 *
 * eth_estimateGas runs a request at the cap, then again at the gas it used to confirm that limit is enough, because
 * a few opcodes make a run depend on the gas left and not only on running out: GAS reads it, the calls and creates
 * forward a share of it (EIP-150's 63/64), and SSTORE refuses to run with 2,300 or less left (EIP-2200's sentry).
 * A run that executed none of the first kind, and whose every SSTORE would still have had more than the sentry left
 * at the smaller limit, runs the same steps with that limit: the confirming run can be skipped.
 *
 * The probe wraps those opcodes' handlers in the EVM's opcode table for one run (@ethereumjs keeps no hook for it
 * other than the `step` event, which costs more than the run it would save). If the table is not what this expects,
 * there is no probe and the estimate does every run.
 *
 * @module
 */

import type { EVM } from "@ethereumjs/evm";

/** GAS, CREATE, CALL, CALLCODE, DELEGATECALL, CREATE2, STATICCALL. */
const GAS_DEPENDENT: readonly number[] = [0x5a, 0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa];
const SSTORE = 0x55;

type Handler = (...args: never[]) => unknown;
interface OpEntry {
  opHandler: Handler;
  gasHandler?: Handler;
}
interface RunStateLike {
  interpreter: { getGasLeft(): bigint };
}

/** What one run did that depends on its gas limit. */
export interface GasProbe {
  /** It executed GAS, a call or a create. */
  gasDependent: boolean;
  /** The least gas left at any SSTORE (undefined: no SSTORE ran). */
  leastLeftAtSstore: bigint | undefined;
}

function opcodeTable(evm: EVM): (OpEntry | undefined)[] | undefined {
  const table = (evm as unknown as { _opcodeMap?: unknown })._opcodeMap;
  if (!Array.isArray(table)) return undefined;
  const entries = [...GAS_DEPENDENT, SSTORE].map((op) => table[op] as Partial<OpEntry> | undefined);
  if (!entries.every((e) => typeof e?.opHandler === "function")) return undefined;
  if (typeof (table[SSTORE] as Partial<OpEntry>).gasHandler !== "function") return undefined;
  return table as OpEntry[];
}

/**
 * Runs `run` with the probe on: its result and what it saw, or no probe if the EVM's opcode table is not there.
 * The EVM must not run anything else meanwhile (the caller holds the chain's lock on it).
 */
export async function withGasProbe<T>(evm: EVM, run: () => Promise<T>): Promise<{ result: T; probe?: GasProbe }> {
  const table = opcodeTable(evm);
  if (!table) return { result: await run() };
  const probe: GasProbe = { gasDependent: false, leastLeftAtSstore: undefined };
  const saved = new Map<number, OpEntry>();
  const flag =
    (handler: Handler): Handler =>
    (...args) => {
      probe.gasDependent = true;
      return handler(...args);
    };
  for (const op of GAS_DEPENDENT) {
    const entry = table[op] as OpEntry;
    saved.set(op, entry);
    table[op] = { ...entry, opHandler: flag(entry.opHandler), ...(entry.gasHandler ? { gasHandler: flag(entry.gasHandler) } : {}) };
  }
  const sstore = table[SSTORE] as OpEntry & { gasHandler: Handler };
  saved.set(SSTORE, sstore);
  table[SSTORE] = {
    ...sstore,
    gasHandler: ((runState: RunStateLike, ...rest: never[]) => {
      const left = runState.interpreter.getGasLeft();
      if (probe.leastLeftAtSstore === undefined || left < probe.leastLeftAtSstore) probe.leastLeftAtSstore = left;
      return (sstore.gasHandler as (...args: unknown[]) => unknown)(runState, ...rest);
    }) as Handler,
  };
  try {
    return { result: await run(), probe };
  } finally {
    for (const [op, entry] of saved) table[op] = entry;
  }
}

/**
 * Whether a run at `given` gas that `probe` watched runs the same steps at `limit` (less): nothing read or forwarded
 * the gas left, and every SSTORE keeps more than `sentry` left with `given - limit` less.
 */
export function sameRunAt(probe: GasProbe | undefined, given: bigint, limit: bigint, sentry: bigint): boolean {
  if (!probe || probe.gasDependent) return false;
  return probe.leastLeftAtSstore === undefined || probe.leastLeftAtSstore - (given - limit) > sentry;
}
