// The remembered jump-destination analysis (l2/jump-analysis.ts) against the library's own, on random code.

import assert from "node:assert/strict";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { createDevnet } from "../src/index.js";
import {
  type Analysis,
  findInterpreterPrototype,
  type InterpreterLike,
  type InterpreterPrototype,
  ORIGINAL,
  remembering,
  rememberJumpAnalysis,
} from "../src/l2/jump-analysis.js";
import { random } from "./support/random.js";

type Analyse = InterpreterPrototype["_getValidJumpDestinations"];

/** Code made to exercise the analysis: PUSHes (some cut off by the end), JUMPDESTs (some inside push data), TLOAD. */
function randomCode(rnd: ReturnType<typeof random>, length: number): Uint8Array {
  const picks = [0x5b, 0x56, 0x57, 0x5c, 0x5f, 0x00, 0xfe, 0xef];
  return Uint8Array.from({ length }, () => {
    const roll = rnd.next();
    if (roll < 0.3) return 0x60 + rnd.int(32);
    if (roll < 0.6) return picks[rnd.int(picks.length)];
    return rnd.int(256);
  });
}

describe("remembered jump analysis (jump-analysis.ts)", () => {
  let proto: InterpreterPrototype;
  let original: Analyse;
  /** An interpreter's view for two EVMs whose opcode tables differ (TLOAD, 0x5c, is Cancun's). */
  let cancun: InterpreterLike;
  let shanghai: InterpreterLike;

  before(async () => {
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
    const found = await findInterpreterPrototype(common);
    assert.ok(found, "the interpreter's prototype is found");
    proto = found;
    const current = proto._getValidJumpDestinations as Analyse & { [ORIGINAL]?: Analyse };
    original = current[ORIGINAL] ?? current;
    const view = async (hardfork: Hardfork): Promise<InterpreterLike> => {
      const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork }) });
      // What the analysis reads of its interpreter: the EVM (its opcode table), the Common, the opcode lookup.
      return { _evm: evm, common: evm.common, lookupOpInfo: proto.lookupOpInfo } as unknown as InterpreterLike;
    };
    [cancun, shanghai] = [await view(Hardfork.Cancun), await view(Hardfork.Shanghai)];
  });

  it("gives the library's analysis on random code, per opcode table, whether from the same code object or a copy", () => {
    const rnd = random(44);
    const remember = remembering(original);
    for (let i = 0; i < 400; i++) {
      const code = randomCode(rnd, rnd.int(300));
      for (const self of [cancun, shanghai]) {
        const want = original.call(self, code);
        const got = remember.call(self, code);
        assert.deepEqual(got, want, `code ${i}`);
        assert.equal(remember.call(self, code), got, "the same code object: the remembered analysis");
        assert.equal(remember.call(self, code.slice()), got, "a copy of the code: the remembered analysis");
      }
    }
    // Each table its own: TLOAD (0x5c) is an opcode in Cancun's table only.
    const tload = Uint8Array.of(0x5c, 0x56);
    const name = (self: InterpreterLike) =>
      (remember.call(self, tload).opcodesCached[0] as { opcodeInfo?: { name: string } } | undefined)?.opcodeInfo?.name;
    assert.equal(name(cancun), "TLOAD");
    assert.notEqual(name(shanghai), "TLOAD");
    assert.equal(name(cancun), "TLOAD", "still Cancun's after Shanghai's");
  });

  it("drops what it remembers by content past 1 MiB of code, and still answers right", () => {
    const remember = remembering(original);
    const rnd = random(45);
    const first = randomCode(rnd, 1000);
    const remembered = remember.call(cancun, first);
    for (let i = 0; i < 1100; i++) remember.call(cancun, randomCode(rnd, 1000));
    const again = remember.call(cancun, first.slice());
    assert.notEqual(again, remembered, "a copy of the first code is analysed again");
    assert.deepEqual(again, original.call(cancun, first));
    assert.equal(remember.call(cancun, first), remembered, "the first code object still has its own");
  });

  it("is installed on the library's interpreter by the first execution, once", async () => {
    // An execution (here an eth_call) installs it: nothing in this file has before.
    const devnet = await createDevnet({});
    try {
      await devnet.request({ method: "eth_call", params: [{ to: "0x0000000000000000000000000000000000000004" }, "latest"] });
    } finally {
      await devnet.close();
    }
    const installed = proto._getValidJumpDestinations as Analyse & { [ORIGINAL]?: Analyse };
    assert.equal(installed[ORIGINAL], original);
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
    assert.equal(await rememberJumpAnalysis(common), true);
    assert.equal(proto._getValidJumpDestinations, installed, "not wrapped twice");
    const code = Uint8Array.of(0x60, 0x04, 0x56, 0x00, 0x5b, 0x00);
    const analysis: Analysis = installed.call(cancun, code);
    assert.deepEqual([...analysis.jumps], [0, 0, 0, 0, 1, 0]);
  });
});
