// The native address helpers against @ethereumjs/util's: the same lower-case address of a key, the same EIP-55 checksum.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { privateToAddress, toChecksumAddress } from "@ethereumjs/util";
import { addressOfKey, checksumAddress, cryptoBackend } from "../src/l2/crypto.js";

describe("address helpers (native keccak and secp256k1)", () => {
  it("run natively here", () => {
    assert.equal(cryptoBackend, "native");
  });

  it("EIP-55's own examples", () => {
    for (const address of [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ])
      assert.equal(checksumAddress(address.toLowerCase()), address);
  });

  it("agree with @ethereumjs/util on 500 random keys and addresses", () => {
    for (let i = 0; i < 500; i++) {
      const key = randomBytes(32);
      const lower = addressOfKey(key);
      assert.equal(lower, `0x${Buffer.from(privateToAddress(key)).toString("hex")}`);
      assert.equal(checksumAddress(lower), toChecksumAddress(lower));
    }
  });
});
