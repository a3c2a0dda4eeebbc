// Parameter schemas are built on first use, not when the registry loads: every parameter type must be lazy, each is
// built once, and a fresh process whose first request validates parameters answers as any later request does.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as z from "zod";
import { methodRegistry } from "../src/index.js";
import { paramType, Quantity, TransactionRequest } from "../src/rpc/schemas.js";

const entry = fileURLToPath(new URL("../src/index.js", import.meta.url));

describe("parameter schemas are built on first use", function () {
  this.timeout(60_000);

  it("paramType builds its schema on first access, once", () => {
    let built = 0;
    const type = paramType("X", "test", () => {
      built++;
      return z.string();
    });
    assert.equal(built, 0);
    const first = type.schema;
    assert.equal(type.schema, first);
    assert.equal(built, 1);
  });

  it("every parameter type of every method is lazy (a schema getter, not a schema built at load)", () => {
    const eager: string[] = [];
    for (const spec of methodRegistry.list()) {
      for (const param of spec.params) {
        if (typeof Object.getOwnPropertyDescriptor(param.type, "schema")?.get !== "function") eager.push(`${spec.name}.${param.name}`);
      }
    }
    assert.deepEqual(eager, []);
  });

  it("built schemas validate and convert as before", () => {
    assert.equal(Quantity.schema.parse("0x1a"), 26n);
    assert.equal(Quantity.schema.parse(26), 26n);
    assert.equal(Quantity.schema.safeParse("1a").success, false);
    const tx = TransactionRequest.schema.parse({ from: "0x00000000000000000000000000000000000000AA", value: "0x1", input: "0x0102" });
    assert.equal(tx.from, "0x00000000000000000000000000000000000000aa");
    assert.equal(tx.value, 1n);
    assert.deepEqual(tx.data, new Uint8Array([1, 2]));
  });

  it("in a fresh process, first requests (good and bad parameters) answer as later ones do", async () => {
    const script = `
      const { createDevnet } = await import(${JSON.stringify(entry)});
      const devnet = await createDevnet({ genesisTimestamp: 1_700_000_000 });
      const ask = (method, params) => devnet.request({ method, params }).then((r) => ({ r }), (e) => ({ e: e.message }));
      const calls = [
        ["eth_getBalance", ["0x123", "latest"]],
        ["eth_getBalance", [devnet.accounts[0].address, { blockNumber: "0x0" }]],
        ["eth_getLogs", [{ fromBlock: "0x0", address: devnet.accounts[0].address, topics: [null] }]],
        ["bitlayer_getFinality", ["0x0"]],
        ["eth_feeHistory", ["0x1", "latest", [50, 10]]],
      ];
      const first = [];
      for (const [m, p] of calls) first.push(await ask(m, p));
      const again = [];
      for (const [m, p] of calls) again.push(await ask(m, p));
      await devnet.close();
      process.stdout.write(JSON.stringify({ first, again }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { timeout: 60_000 });
    const { first, again } = JSON.parse(stdout) as { first: { r?: unknown; e?: string }[]; again: unknown[] };
    assert.deepEqual(first, again);
    assert.match(first[0].e ?? "", /eth_getBalance: invalid value for parameter 'address' \(position 0\)/);
    assert.equal(first[1].r, "0x21e19e0c9bab2400000");
    assert.deepEqual(first[2].r, []);
    assert.match(first[4].e ?? "", /percentiles must be increasing/);
  });
});
