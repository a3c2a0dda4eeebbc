// A raw transaction the devnet decodes serializes to its own bytes (transactions.ts decodeRawTx): that holds only
// because what decodes is canonical, which the library's re-encoding of the same fields checks here, for every type
// and random fields; encodings that are not canonical are refused at decoding.
import assert from "node:assert/strict";
import { RLP } from "@ethereumjs/rlp";
import { createTxFromRLP } from "@ethereumjs/tx";
import { bytesToHex, concatBytes, hexToBytes } from "@ethereumjs/util";
import { keccak256, Wallet } from "ethers";
import { createDevnet, DevnetError } from "../src/index.js";
import { random } from "./support/random.js";

describe("decoding a raw transaction", () => {
  for (const hardfork of ["bitlayer", "prague"] as const) {
    it(`serializes it to its own bytes, which the library's encoding of its fields gives too (${hardfork})`, async () => {
      const devnet = await createDevnet({ hardfork });
      try {
        const chain = devnet.core.chain;
        const rnd = random(hardfork === "bitlayer" ? 31 : 32);
        const big = () => BigInt(bytesToHex(rnd.bytes(rnd.int(12) + 1)));
        for (let i = 0; i < 60; i++) {
          const wallet = new Wallet(bytesToHex(rnd.bytes(32)));
          const type = [0, 0, 1, 2, 4][rnd.int(hardfork === "prague" ? 5 : 4)];
          const accessList = Array.from({ length: rnd.int(3) }, () => ({
            address: bytesToHex(rnd.bytes(20)),
            storageKeys: Array.from({ length: rnd.int(3) }, () => bytesToHex(rnd.bytes(32))),
          }));
          const request = {
            type,
            // Legacy transactions with and without EIP-155.
            chainId: type === 0 && rnd.next() < 0.5 ? undefined : chain.config.chainId,
            nonce: rnd.int(1000),
            to: type !== 4 && rnd.next() < 0.2 ? null : bytesToHex(rnd.bytes(20)),
            value: rnd.next() < 0.3 ? 0n : big(),
            data: bytesToHex(rnd.bytes(rnd.int(80))),
            gasLimit: 21_000n + BigInt(rnd.int(1e6)),
            ...(type < 2 ? { gasPrice: big() } : { maxFeePerGas: big() + 10n, maxPriorityFeePerGas: BigInt(rnd.int(10)) }),
            ...(type >= 1 ? { accessList } : {}),
            ...(type === 4
              ? { authorizationList: [wallet.authorizeSync({ address: bytesToHex(rnd.bytes(20)), nonce: 1, chainId: 0 })] }
              : {}),
          };
          const raw = hexToBytes((await wallet.signTransaction(request)) as `0x${string}`);
          const { tx } = chain.decodeRaw(raw);
          const library = createTxFromRLP(raw, { common: chain.common });
          assert.equal(bytesToHex(tx.serialize()), bytesToHex(raw), `transaction ${i} (type ${type})`);
          assert.equal(bytesToHex(library.serialize()), bytesToHex(raw), `transaction ${i}: the library's encoding`);
          assert.equal(bytesToHex(tx.hash()), keccak256(raw));
        }
      } finally {
        await devnet.close();
      }
    });
  }

  it("refuses encodings that are not canonical: a long form for a short length, a leading zero in a number", async () => {
    const devnet = await createDevnet({});
    try {
      const chain = devnet.core.chain;
      const raw = hexToBytes(
        (await new Wallet(`0x${"11".repeat(32)}`).signTransaction({
          type: 0,
          chainId: chain.config.chainId,
          nonce: 5,
          gasPrice: 1_000_000_000n,
          gasLimit: 21_000n,
          to: `0x${"22".repeat(20)}`,
          value: 7n,
        })) as `0x${string}`,
      );
      const fields = RLP.decode(raw) as Uint8Array[];
      // The 20-byte `to` with a long-form prefix (0xb8 0x14) instead of 0x94.
      const items = fields.map((f, i) => (i === 3 ? concatBytes(Uint8Array.of(0xb8, 20), f) : RLP.encode(f)));
      const payload = concatBytes(...items);
      const longForm = concatBytes(Uint8Array.of(0xf8, payload.length), payload);
      // The nonce 5 as 0x0005.
      const zeros = RLP.encode(fields.map((f, i) => (i === 0 ? Uint8Array.of(0, 5) : f)));
      // The same fields encoded canonically are the transaction itself: what the two change is what is refused.
      assert.equal(bytesToHex(RLP.encode(fields)), bytesToHex(raw));
      assert.equal(chain.decodeRaw(raw).sender, new Wallet(`0x${"11".repeat(32)}`).address.toLowerCase());
      for (const [bad, why] of [
        [longForm, /greater than 55/],
        [zeros, /leading zero/],
      ] as const) {
        assert.throws(
          () => chain.decodeRaw(bad),
          (error: unknown) => error instanceof DevnetError && why.test(error.message),
          bytesToHex(bad),
        );
      }
    } finally {
      await devnet.close();
    }
  });
});
