import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { bytesToHex } from "@ethereumjs/util";
import { keccak256 } from "ethereum-cryptography/keccak.js";
import { keccak256 as nativeKeccak } from "../src/l2/crypto.js";
import { trieRoot } from "../src/l2/roots.js";

async function libraryRoot(values: Uint8Array[]): Promise<string> {
  const trie = new MerklePatriciaTrie();
  for (let i = 0; i < values.length; i++) await trie.put(RLP.encode(i), values[i]);
  return bytesToHex(trie.root());
}

describe("one-pass trie roots (transactions and receipts tries)", () => {
  it("match the library's trie for 0 to 300 entries of mixed sizes", async () => {
    for (const n of [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 255, 256, 300]) {
      const values = Array.from({ length: n }, (_, i) => randomBytes(i % 7 === 0 ? 3 : 20 + (i % 90)));
      assert.equal(bytesToHex(trieRoot(values, keccak256)), await libraryRoot(values), `${n} entries`);
    }
  });

  it("give the same root with the native keccak", () => {
    assert.ok(nativeKeccak, "native keccak loads on this machine");
    const values = Array.from({ length: 50 }, () => randomBytes(40));
    assert.equal(bytesToHex(trieRoot(values, nativeKeccak)), bytesToHex(trieRoot(values, keccak256)));
  });
});
