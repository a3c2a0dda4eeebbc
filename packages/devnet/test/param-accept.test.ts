import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { hexToBytes } from "@ethereumjs/util";
import { checkedHexToBytes } from "../src/hex.js";
import { methodRegistry } from "../src/index.js";
import { UNDECIDED } from "../src/rpc/accept.js";
import { Address, BlockTag, Data, Hash, MAX_DATA_BYTES, Quantity, Slot, TransactionRequest } from "../src/rpc/schemas.js";

const hex = (bytes: number) => `0x${randomBytes(bytes).toString("hex")}`;
const mixedCase = (s: string) => s.replace(/[a-f]/g, (c) => (Math.random() < 0.5 ? c.toUpperCase() : c));

/** Values around every edge the schemas draw: lengths, case, prefix, types, number ranges, tags. */
function samples(): unknown[] {
  const strings = [
    "",
    "0x",
    "0X1",
    "0x0",
    "0x00",
    "1a",
    "0x1g",
    " 0x1",
    "0x1 ",
    "0x1\n",
    "latest",
    "pending",
    "earliest",
    "safe",
    "finalized",
    "Latest",
    "LATEST",
    "finalised",
    "0x" + "f".repeat(64),
    "0x" + "f".repeat(65),
    "0x" + "0".repeat(63),
    mixedCase(hex(20)),
    hex(20).slice(0, 41),
    hex(20) + "0",
    mixedCase(hex(32)),
    hex(32).slice(0, 65),
    hex(32) + "00",
    hex(110),
    `${hex(110)}0`,
    "0x" + "ab".repeat(MAX_DATA_BYTES),
    "0x" + "ab".repeat(MAX_DATA_BYTES) + "cd",
  ];
  for (let n = 0; n < 70; n++) strings.push(mixedCase(hex(n)), hex(n).slice(0, -1));
  const numbers = [0, -0, 1, 26, -1, 1.5, 2 ** 53 - 1, 2 ** 53, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY];
  const others = [null, undefined, true, false, {}, [], ["0x1"], { blockNumber: "0x1" }, { blockHash: hex(32) }, 1n];
  return [...strings, ...numbers, ...others];
}

/** Transaction requests: random plain fields (valid and not), with the cases the schema treats specially. */
function requestSamples(): unknown[] {
  const pool: Record<string, unknown[]> = {
    from: [hex(20), mixedCase(hex(20)), "0x12", null, 5],
    to: [hex(20), null, "", hex(21)],
    gas: ["0x5208", 21_000, -1, "0x", 1.5],
    gasPrice: ["0x3b9aca00", 0, "1"],
    maxFeePerGas: ["0x77359400", 2 ** 53],
    maxPriorityFeePerGas: ["0x1", "0x" + "f".repeat(65)],
    value: ["0x0", "0xde0b6b3a7640000", 0, null],
    data: ["0x", hex(68), "0x123", "zz"],
    input: ["0x", hex(4)],
    nonce: ["0x0", 7],
    type: ["0x2", "0x0", 2],
    chainId: ["0x7a69", 31337],
    unknownKey: ["anything", { nested: true }],
  };
  const keys = Object.keys(pool);
  const out: unknown[] = [{}, [], null, "0x", 1];
  for (let i = 0; i < 3_000; i++) {
    const request: Record<string, unknown> = {};
    for (const key of keys) if (Math.random() < 0.35) request[key] = pool[key][Math.floor(Math.random() * pool[key].length)];
    out.push(request);
  }
  const same = hex(36);
  out.push(
    { data: same, input: same },
    { data: hex(4), input: hex(4) },
    { to: hex(20), accessList: [] },
    { to: hex(20), accessList: undefined },
    { to: hex(20), authorizationList: [] },
    { to: hex(20), blobVersionedHashes: [hex(32)] },
    { to: hex(20), maxFeePerBlobGas: "0x1" },
    { to: hex(20), value: undefined, data: undefined },
    Object.create({ from: hex(20) }, { to: { value: hex(20), enumerable: true } }),
    JSON.parse(`{"__proto__": {"x": 1}, "to": "${hex(20)}"}`),
  );
  return out;
}

function preview(value: unknown): string {
  return (JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value)).slice(0, 120);
}

describe("quick parameter checks (ParamType.accept)", () => {
  for (const [type, values] of [
    [Quantity, samples],
    [Address, samples],
    [Hash, samples],
    [Data, samples],
    [BlockTag, samples],
    [Slot, samples],
    [TransactionRequest, requestSamples],
  ] as const) {
    it(`${type.label}: gives what its schema gives, and leaves everything else to the schema`, () => {
      const accept: ((value: unknown) => unknown) | undefined = type.accept;
      assert.ok(accept, `${type.label} has a quick check`);
      let decided = 0;
      for (const value of values()) {
        const quick: unknown = accept(value);
        const parsed = type.schema.safeParse(value);
        if (quick === UNDECIDED) continue;
        decided++;
        const shown = preview(value);
        assert.ok(parsed.success, `${type.label}: quick check accepts ${shown}, the schema refuses it`);
        assert.deepEqual(quick, parsed.data, `${type.label}: ${shown}`);
      }
      assert.ok(decided > 0, `${type.label}: the quick check decided none of the samples`);
    });
  }

  it("hex data decodes to the bytes @ethereumjs/util decodes, as a plain Uint8Array of its own", () => {
    const big = randomBytes(5_000);
    for (const bytes of [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(255), randomBytes(110), big, randomBytes(8_200)]) {
      for (const text of [`0x${Buffer.from(bytes).toString("hex")}`, mixedCase(`0x${Buffer.from(bytes).toString("hex")}`)]) {
        const decoded = checkedHexToBytes(text);
        assert.deepEqual(decoded, hexToBytes(text as `0x${string}`));
        assert.equal(Object.getPrototypeOf(decoded), Uint8Array.prototype);
        assert.equal(decoded.byteOffset, 0);
        assert.equal(decoded.buffer.byteLength, decoded.length, "not a view into a shared pool");
      }
    }
  });

  it("leaves refusals to the schema: the error a user sees names the parameter and the problem", () => {
    const spec = methodRegistry.list().find((m) => m.name === "eth_getBalance");
    assert.ok(spec);
    assert.throws(
      () => methodRegistry.parse(spec, ["0x1234", "latest"]),
      /eth_getBalance: invalid value for parameter 'address' \(position 0\): expected a 20-byte hex address/,
    );
    assert.throws(() => methodRegistry.parse(spec, [hex(20), "latests"]), /invalid value for parameter 'block' \(position 1\)/);
    const [address, block] = methodRegistry.parse(spec, [mixedCase(hex(20)).replace("0x", "0x"), "0x1A"]);
    assert.match(String(address), /^0x[0-9a-f]{40}$/);
    assert.deepEqual(block, { kind: "number", number: 26n });
  });
});
