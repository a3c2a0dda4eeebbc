// The offline compiler helper used by the devnet tests.

import assert from "node:assert/strict";
import { compileContracts, compileSources, contractsDir, getContract, solcVersion } from "./support/solc.js";

/** The set of opcodes in runtime code, skipping PUSH data and the trailing CBOR metadata. */
function opcodes(hex: string): Set<number> {
  const full = Buffer.from(hex.slice(2), "hex");
  const metadataLength = full.readUInt16BE(full.length - 2) + 2;
  const code = full.subarray(0, full.length - metadataLength);
  const seen = new Set<number>();
  for (let i = 0; i < code.length; i++) {
    const op = code[i];
    seen.add(op);
    if (op >= 0x60 && op <= 0x7f) i += op - 0x5f;
  }
  return seen;
}

describe("test support: offline solc", function () {
  this.timeout(120_000);

  it("uses the bundled solc 0.8.28", () => {
    assert.match(solcVersion(), /^0\.8\.28\+/);
  });

  it("compiles every test contract", () => {
    const all = compileContracts();
    for (const name of ["Counter", "Randomness", "BlobHash", "Token"]) {
      const c = all[name];
      assert.ok(c, `${name} compiled from ${contractsDir}`);
      assert.match(c.bytecode, /^0x[0-9a-f]{20,}$/);
      assert.match(c.deployedBytecode, /^0x[0-9a-f]{20,}$/);
      assert.ok(c.abi.length > 0);
    }
    assert.equal(getContract("Counter"), all["Counter.sol:Counter"], "short and qualified names");
    // Cached per process: same object on the next call.
    assert.equal(compileContracts(), all);
  });

  it("targets cancun: PREVRANDAO and BLOBHASH opcodes in the runtime code", () => {
    assert.ok(opcodes(getContract("Randomness").deployedBytecode).has(0x44), "PREVRANDAO (0x44)");
    const blob = opcodes(getContract("BlobHash").deployedBytecode);
    assert.ok(blob.has(0x49), "BLOBHASH (0x49), cancun only");
    assert.ok(blob.has(0x5f), "PUSH0 (0x5f), shanghai and later");
    assert.ok(!opcodes(getContract("Counter").deployedBytecode).has(0x49), "no BLOBHASH where none is used");
  });

  it("throws the compiler's messages on errors", () => {
    assert.throws(
      () => compileSources({ "Bad.sol": "pragma solidity ^0.8.28; contract Bad { function f() public { undefinedThing(); } }" }),
      (err: Error) => {
        assert.match(err.message, /Solidity compilation failed \(1 error\(s\)\)/);
        assert.match(err.message, /DeclarationError: Undeclared identifier/);
        assert.match(err.message, /Bad\.sol:1:/);
        return true;
      },
    );
  });

  it("does not fail on warnings", () => {
    const out = compileSources({
      "Warn.sol":
        "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.28; contract Warn { function f(uint256 unused) public pure returns (uint256) { return 1; } }",
    });
    assert.ok(out.Warn);
  });
});
