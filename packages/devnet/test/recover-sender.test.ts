// The sender the devnet recovers at ingress (transactions.ts recoverSender, the public key hashed with the devnet's
// Keccak) against the library's own recovery, for every signed type the devnet takes, and a bad signature.
import assert from "node:assert/strict";
import { RLP } from "@ethereumjs/rlp";
import { createTxFromRLP } from "@ethereumjs/tx";
import { bytesToHex, hexToBytes } from "@ethereumjs/util";
import { Wallet } from "ethers";
import { createDevnet, DevnetError } from "../src/index.js";
import { random } from "./support/random.js";

describe("recovering a raw transaction's sender", () => {
  it("gives the library's sender for legacy, EIP-2930 and EIP-1559 transactions of random keys; a bad signature is refused", async () => {
    const devnet = await createDevnet({});
    try {
      const chain = devnet.core.chain;
      const rnd = random(4242);
      for (let i = 0; i < 30; i++) {
        const wallet = new Wallet(bytesToHex(rnd.bytes(32)));
        const base = {
          chainId: chain.config.chainId,
          nonce: rnd.int(100),
          to: bytesToHex(rnd.bytes(20)),
          value: BigInt(rnd.int(1e6)),
          gasLimit: 21_000n,
        };
        const fees = [
          { type: 0, gasPrice: 1_000_000_000n },
          { type: 1, gasPrice: 1_000_000_000n, accessList: [] },
          { type: 2, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n },
        ];
        const raw = hexToBytes((await wallet.signTransaction({ ...base, ...fees[i % 3] })) as `0x${string}`);
        const { sender } = chain.decodeRaw(raw);
        const library = createTxFromRLP(raw, { common: chain.common }).getSenderAddress().toString();
        assert.equal(sender, library, `transaction ${i} (type ${i % 3})`);
        assert.equal(sender, wallet.address.toLowerCase());
      }
      // A legacy transaction whose r is not on the curve: no public key to recover.
      const good = await new Wallet(bytesToHex(rnd.bytes(32))).signTransaction({
        type: 0,
        chainId: chain.config.chainId,
        nonce: 0,
        gasPrice: 1n,
        gasLimit: 21_000n,
        to: bytesToHex(rnd.bytes(20)),
      });
      const tx = createTxFromRLP(hexToBytes(good as `0x${string}`), { common: chain.common });
      const bad = tx.raw();
      bad[7] = new Uint8Array(32).fill(0xff); // r above the curve order
      assert.throws(
        () => chain.decodeRaw(RLP.encode(bad)),
        (error: unknown) => error instanceof DevnetError && error.code === "INVALID_SIGNATURE",
      );
    } finally {
      await devnet.close();
    }
  });
});
