// The EVM's jump-destination analysis, remembered per contract code.
//
// @ethereumjs/evm analyses a message's code before its first jump, in every message: a pass over every byte that looks
// up each opcode and turns every PUSH's bytes into a bigint. ~47 µs for a 453-byte contract and ~530 µs for 12 KB (warm;
// several times more before the JIT has optimized it), paid again by every call, estimate and transaction. The result
// depends only on the code and on the opcode table of the interpreter's EVM, and the interpreter only reads it, so it
// is kept here per code and per table. The library does not export its interpreter: its prototype is found once, from
// a custom opcode run on a throw-away EVM (the runState a handler gets names its interpreter).
//
// The patch is on the library's class, so it holds for every EVM of this copy of the library in the process (the
// bundle has its own copy). It keeps the analysis per opcode table object: code that changes an EVM's table must put a
// new table in its place, not change entries of the table in place (the gas probe does so: gas-probe.ts).

import type { Common } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";

/** What the interpreter's analysis returns (read only by the interpreter and its opcode handlers). */
export interface Analysis {
  jumps: Uint8Array;
  pushes: Record<number, bigint>;
  opcodesCached: unknown[];
}

export interface InterpreterPrototype {
  _getValidJumpDestinations(this: InterpreterLike, code: Uint8Array): Analysis;
  lookupOpInfo(this: InterpreterLike, op: number): unknown;
}

export interface InterpreterLike {
  _evm: { _opcodeMap: object };
}

/** The library's own analysis, kept on the function that replaces it (tests compare the two). */
export const ORIGINAL = Symbol("the library's analysis");

/** Code bytes whose analyses are kept by content (~10 bytes of analysis per byte of code): a bound on the memory. */
const MAX_CACHED_CODE_BYTES = 1 << 20;

/** An opcode no hardfork assigns, for the probe. */
const PROBE_OPCODE = 0x0c;

let installed: Promise<boolean> | undefined;

/**
 * Makes every @ethereumjs/evm interpreter of this process (of this copy of the library) reuse the analysis of code it
 * has seen. Resolves to whether it could (a library that changed shape is left as it is). Idempotent.
 */
export function rememberJumpAnalysis(common: Common): Promise<boolean> {
  installed ??= findInterpreterPrototype(common).then((proto) => {
    if (!proto || typeof proto._getValidJumpDestinations !== "function") return false;
    // Another copy of this module (the bundle and the sources in one process) may have wrapped it already.
    if (!(ORIGINAL in proto._getValidJumpDestinations)) proto._getValidJumpDestinations = remembering(proto._getValidJumpDestinations);
    return true;
  });
  return installed;
}

/** The library's interpreter prototype, found by running a custom opcode on a throw-away EVM (exported for tests). */
export async function findInterpreterPrototype(common: Common): Promise<InterpreterPrototype | undefined> {
  let proto: InterpreterPrototype | undefined;
  try {
    const evm = await createEVM({
      common: common.copy(),
      customOpcodes: [
        {
          opcode: PROBE_OPCODE,
          opcodeName: "PROBE",
          baseFee: 0,
          logicFunction: (runState) => {
            proto = Object.getPrototypeOf(runState.interpreter) as InterpreterPrototype;
          },
        },
      ],
    });
    await evm.runCode({ code: Uint8Array.of(PROBE_OPCODE), gasLimit: 1_000n });
  } catch {
    return undefined;
  }
  return proto;
}

/** `analyse` with its results kept per code object, and per content for code seen in another object. */
export function remembering(analyse: InterpreterPrototype["_getValidJumpDestinations"]): InterpreterPrototype["_getValidJumpDestinations"] {
  // Per opcode table (an EVM's own, made with it; the analysis holds its entries): code object → analysis, and code
  // content → analysis. Content entries are dropped all at once past the byte bound (a new map: old tables go too).
  const byObject = new WeakMap<object, WeakMap<Uint8Array, Analysis>>();
  let byContent = new WeakMap<object, Map<string, Analysis>>();
  let contentBytes = 0;
  const remember = function (this: InterpreterLike, code: Uint8Array): Analysis {
    const table = this._evm._opcodeMap;
    let objects = byObject.get(table);
    if (!objects) {
      objects = new WeakMap();
      byObject.set(table, objects);
    }
    const known = objects.get(code);
    if (known) return known;
    // The same code comes back in other objects (read again after a new state root, or deployed at another address).
    const key = Buffer.from(code.buffer, code.byteOffset, code.byteLength).toString("latin1");
    let contents = byContent.get(table);
    let analysis = contents?.get(key);
    if (!analysis) {
      analysis = analyse.call(this, code);
      if (contentBytes + code.length > MAX_CACHED_CODE_BYTES) {
        byContent = new WeakMap();
        contentBytes = 0;
        contents = undefined;
      }
      if (code.length <= MAX_CACHED_CODE_BYTES) {
        if (!contents) {
          contents = new Map();
          byContent.set(table, contents);
        }
        contents.set(key, analysis);
        contentBytes += code.length;
      }
    }
    objects.set(code, analysis);
    return analysis;
  };
  return Object.assign(remember, { [ORIGINAL]: analyse });
}
