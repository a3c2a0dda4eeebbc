import { format } from "node:util";
import type { Message } from "@ethereumjs/evm";
import { equalsBytes, hexToBytes } from "@ethereumjs/util";
import type { VM } from "@ethereumjs/vm";
import { CONSOLE_ADDRESS } from "../defaults.js";

export { CONSOLE_ADDRESS };

const CONSOLE_BYTES = hexToBytes(CONSOLE_ADDRESS);

/** One Solidity console.log line. */
export interface ConsoleLog {
  /** The line as Hardhat prints it: the arguments through util.format (%s, %d, %i, %o, %%). */
  text: string;
  /** A mined transaction, or an eth_call (nothing is mined). */
  kind: "transaction" | "call";
  /** The mined transaction that logged it (kind "transaction"). */
  transactionHash?: string;
  /** Its block (kind "transaction"). */
  blockNumber?: bigint;
}

/** What a console.log belongs to, stamped on every line. */
export type ConsoleSource = Omit<ConsoleLog, "text">;

/**
 * console.sol's functions: log() and its one-type loggers, then log(...) with one to four of
 * uint256, string, bool, address. Older console.sol versions (and forge-std's console.sol) hash
 * "uint"/"int" instead of "uint256"/"int256": those selectors decode the same way.
 */
function consoleSignatures(): string[][] {
  const single = ["int256", "uint256", "string", "bool", "address", "bytes"];
  for (let n = 1; n <= 32; n++) single.push(`bytes${n}`);
  const base = ["uint256", "string", "bool", "address"];
  let combos: string[][] = [[]];
  const all: string[][] = [[], ...single.map((t) => [t])];
  for (let n = 1; n <= 4; n++) {
    combos = combos.flatMap((prefix) => base.map((t) => [...prefix, t]));
    if (n > 1) all.push(...combos);
  }
  return all;
}

interface Decoder {
  /** Selector → argument types, built from the signatures with ethers. */
  table: Map<number, string[]>;
  decode(types: string[], data: Uint8Array): readonly unknown[];
}

let decoder: Promise<Decoder> | undefined;

/**
 * Built on the first console.log: ethers (and the ~2 000 selector hashes) are loaded only by a
 * devnet whose contracts log, so starting one stays fast (as signing, in rpc/methods/sign.ts).
 */
function consoleDecoder(): Promise<Decoder> {
  decoder ??= Promise.all([import("ethers/abi"), import("ethers/hash")]).then(([{ AbiCoder }, { id }]) => {
    const table = new Map<number, string[]>();
    for (const types of consoleSignatures()) {
      const canonical = `log(${types.join(",")})`;
      const legacy = canonical.replace(/\buint256\b/g, "uint").replace(/\bint256\b/g, "int");
      for (const sig of [canonical, legacy]) table.set(Number.parseInt(id(sig).slice(2, 10), 16), types);
    }
    const coder = AbiCoder.defaultAbiCoder();
    return { table, decode: (types, data) => coder.decode(types, data) };
  });
  return decoder;
}

/** A console.log call's arguments as Hardhat renders them, or undefined if it is not one. */
export async function decodeConsoleArgs(calldata: Uint8Array): Promise<string[] | undefined> {
  if (calldata.length < 4) return undefined;
  const selector = ((calldata[0] << 24) | (calldata[1] << 16) | (calldata[2] << 8) | calldata[3]) >>> 0;
  const { table, decode } = await consoleDecoder();
  const types = table.get(selector);
  if (!types) return undefined;
  let values: readonly unknown[];
  try {
    // Strings are decoded as bytes and read leniently (invalid UTF-8 is replaced, as Hardhat does).
    values = decode(
      types.map((t) => (t === "string" ? "bytes" : t)),
      calldata.subarray(4),
    );
  } catch {
    return undefined;
  }
  return types.map((type, i) => {
    const value = values[i];
    if (type === "string") return Buffer.from(hexToBytes(value as `0x${string}`)).toString("utf8");
    if (type === "bool") return value ? "true" : "false";
    if (type === "address") return (value as string).toLowerCase();
    return typeof value === "bigint" ? value.toString(10) : String(value);
  });
}

/**
 * Formats decoded arguments as Hardhat's node does: the first is the format string, with %d and
 * %i read as %s (integers may exceed a Number), unless escaped as %%d.
 */
export function formatConsoleArgs(args: string[]): string {
  const [first, ...rest] = args;
  if (first === undefined) return "";
  return format(first.replace(/((?<!%)(?:%%)*)(%[di])/g, "$1%s"), ...rest);
}

/** The console.log lines of raw console calls (unknown selectors are skipped). */
export async function consoleLogs(calls: Uint8Array[], source: ConsoleSource): Promise<ConsoleLog[]> {
  const logs: ConsoleLog[] = [];
  for (const calldata of calls) {
    const args = await decodeConsoleArgs(calldata);
    if (args) logs.push({ text: formatConsoleArgs(args), ...source });
  }
  return logs;
}

interface Recorder {
  recording: boolean;
  /** Console calls of the transaction running now. */
  current: Uint8Array[];
  /** Console calls of each transaction that has finished, by transaction object. */
  done: Map<unknown, Uint8Array[]>;
}

const recorders = new WeakMap<VM, Recorder>();

/**
 * Subscribes once per VM (the VM keeps the listeners; nothing outlives it). The EVM awaits its
 * beforeMessage listeners on every call frame anyway; ours is synchronous and compares one address,
 * so a VM whose contracts never log pays nothing measurable.
 */
function recorderOf(vm: VM): Recorder {
  let recorder = recorders.get(vm);
  if (!recorder) {
    const r: Recorder = { recording: false, current: [], done: new Map() };
    vm.evm.events?.on("beforeMessage", (message: Message) => {
      if (r.recording && message.to !== undefined && equalsBytes(message.to.bytes, CONSOLE_BYTES)) r.current.push(message.data.slice());
    });
    vm.events.on("afterTx", (event) => {
      if (r.recording && r.current.length > 0) {
        r.done.set(event.transaction, r.current);
        r.current = [];
      }
    });
    recorders.set(vm, r);
    recorder = r;
  }
  return recorder;
}

/** Whether the recording `captureConsole` runs on `vm` has any console call yet. */
export function consoleRecorded(vm: VM): boolean {
  const r = recorders.get(vm);
  return r !== undefined && (r.current.length > 0 || r.done.size > 0);
}

/**
 * Runs `fn` recording the console calls made on `vm`, by transaction object (calls of an execution
 * that did not finish are under `undefined`). Never nest on one VM: the chain lock serializes the
 * live VM, and every view of a past state has its own.
 */
export async function captureConsole<T>(vm: VM, fn: () => Promise<T>): Promise<{ value: T; logs: Map<unknown, Uint8Array[]> }> {
  const r = startRecording(vm);
  try {
    const value = await fn();
    return { value, logs: takeRecorded(r) };
  } finally {
    r.recording = false;
  }
}

function startRecording(vm: VM): Recorder {
  const r = recorderOf(vm);
  r.recording = true;
  r.current = [];
  r.done = new Map();
  return r;
}

function takeRecorded(r: Recorder): Map<unknown, Uint8Array[]> {
  const logs = r.done;
  if (r.current.length > 0) logs.set(undefined, r.current);
  r.done = new Map();
  r.current = [];
  return logs;
}

/**
 * Runs an eth_call's execution, then reports its console.log lines (a reverted call's too, as
 * Hardhat prints them) through `emit`.
 */
export async function withCallConsole<T>(vm: VM, fn: () => Promise<T>, emit: (log: ConsoleLog) => void): Promise<T> {
  const r = startRecording(vm);
  try {
    return await fn();
  } finally {
    r.recording = false;
    const calls = [...takeRecorded(r).values()].flat();
    if (calls.length > 0) for (const log of await consoleLogs(calls, { kind: "call" })) emit(log);
  }
}
