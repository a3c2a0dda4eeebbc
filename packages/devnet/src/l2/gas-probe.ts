/**
 * What a run saw of the gas it was given: whether anything in it could behave differently with less gas left.
 *
 * eth_estimateGas runs a request at the cap, then again at the gas it used to confirm that limit is enough, because
 * a few opcodes make a run depend on the gas left and not only on running out: GAS reads it, the calls and creates
 * forward a share of it (EIP-150's 63/64), and SSTORE refuses to run with 2,300 or less left (EIP-2200's sentry).
 * A run that executed none of the first kind, and whose every SSTORE would still have had more than the sentry left
 * at the smaller limit, runs the same steps with that limit: the confirming run can be skipped.
 *
 * The probe runs with a copy of the EVM's opcode table whose entries for those opcodes wrap their handlers
 * (@ethereumjs keeps no hook for it other than the `step` event, which costs more than the run it would save). If the
 * table is not what this expects, there is no probe and the estimate does every run.
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

type OpTable = (OpEntry | undefined)[];

function opcodeTable(evm: EVM): OpTable | undefined {
  const table = (evm as unknown as { _opcodeMap?: unknown })._opcodeMap;
  if (!Array.isArray(table)) return undefined;
  const entries = [...GAS_DEPENDENT, SSTORE].map((op) => table[op] as Partial<OpEntry> | undefined);
  if (!entries.every((e) => typeof e?.opHandler === "function")) return undefined;
  if (typeof (table[SSTORE] as Partial<OpEntry>).gasHandler !== "function") return undefined;
  return table as OpTable;
}

/** A copy of an EVM's opcode table with those opcodes' handlers wrapped to report to `current`. */
interface ProbeTable {
  table: OpTable;
  current: GasProbe | undefined;
}

/**
 * One probe table per opcode table, made once. The probe runs with it in the table's place and puts the table back
 * after, rather than changing entries of the table in place: whatever keeps something derived from an EVM's table
 * (the remembered jump analysis holds its entries, jump-analysis.ts) sees two tables, each always the same.
 */
const probeTables = new WeakMap<OpTable, ProbeTable>();

function probeTableOf(table: OpTable): ProbeTable {
  let made = probeTables.get(table);
  if (made) return made;
  const probing: ProbeTable = { table: [...table], current: undefined };
  const flag =
    (handler: Handler): Handler =>
    (...args) => {
      if (probing.current) probing.current.gasDependent = true;
      return handler(...args);
    };
  for (const op of GAS_DEPENDENT) {
    const entry = table[op] as OpEntry;
    probing.table[op] = { ...entry, opHandler: flag(entry.opHandler), ...(entry.gasHandler ? { gasHandler: flag(entry.gasHandler) } : {}) };
  }
  const sstore = table[SSTORE] as OpEntry & { gasHandler: Handler };
  probing.table[SSTORE] = {
    ...sstore,
    gasHandler: ((runState: RunStateLike, ...rest: never[]) => {
      const probe = probing.current;
      if (probe) {
        const left = runState.interpreter.getGasLeft();
        if (probe.leastLeftAtSstore === undefined || left < probe.leastLeftAtSstore) probe.leastLeftAtSstore = left;
      }
      return (sstore.gasHandler as (...args: unknown[]) => unknown)(runState, ...rest);
    }) as Handler,
  };
  made = probing;
  probeTables.set(table, made);
  return made;
}

/**
 * Runs `run` with the probe on: its result and what it saw, or no probe if the EVM's opcode table is not there.
 * The EVM must not run anything else meanwhile (the caller holds the chain's lock on it).
 */
export async function withGasProbe<T>(evm: EVM, run: () => Promise<T>): Promise<{ result: T; probe?: GasProbe }> {
  const table = opcodeTable(evm);
  if (!table) return { result: await run() };
  const probe: GasProbe = { gasDependent: false, leastLeftAtSstore: undefined };
  const probing = probeTableOf(table);
  const holder = evm as unknown as { _opcodeMap: OpTable };
  probing.current = probe;
  holder._opcodeMap = probing.table;
  try {
    return { result: await run(), probe };
  } finally {
    holder._opcodeMap = table;
    probing.current = undefined;
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
