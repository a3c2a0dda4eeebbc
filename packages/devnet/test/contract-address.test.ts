// Contract addresses with the devnet's keccak (l2/contract-address.ts) against @ethereumjs/util's and ethers'.

import assert from "node:assert/strict";
import { bigIntToBytes, bytesToHex, generateAddress, generateAddress2 } from "@ethereumjs/util";
import { getCreate2Address, getCreateAddress, keccak256, toBeHex } from "ethers";
import { createDevnet } from "../src/index.js";
import { create2Address, createAddress, derivesContractAddresses } from "../src/l2/contract-address.js";
import { random } from "./support/random.js";
import { deployRuntime } from "./support/raw-code.js";

describe("contract addresses (l2/contract-address.ts)", () => {
  it("CREATE and CREATE2 addresses equal @ethereumjs/util's for random senders, nonces, salts and code", () => {
    const rnd = random(1014);
    const nonces = [0n, 1n, 127n, 128n, 255n, 256n, 65_535n, 2n ** 32n, 2n ** 64n - 2n];
    for (let i = 0; i < 200; i++) {
      const sender = rnd.bytes(20);
      const nonce = i < nonces.length ? nonces[i] : BigInt(rnd.int(1_000_000));
      const want = generateAddress(sender, nonce === 0n ? new Uint8Array(0) : bigIntToBytes(nonce));
      assert.equal(bytesToHex(createAddress(sender, nonce)), bytesToHex(want), `nonce ${nonce}`);
      const [salt, code] = [rnd.bytes(32), rnd.bytes(rnd.int(300))];
      assert.equal(bytesToHex(create2Address(sender, salt, code)), bytesToHex(generateAddress2(sender, salt, code)));
    }
  });

  it("a devnet's deploys, CREATE and CREATE2 land where ethers says, derived by the devnet's keccak", async () => {
    const devnet = await createDevnet({ accounts: { count: 1 } });
    try {
      assert.ok(derivesContractAddresses(), "the EVM's _generateAddress is the devnet's");
      const [from] = (await devnet.request({ method: "eth_accounts" })) as string[];
      // CREATE of empty code into slot 0, CREATE2 of the one-byte code 0x00 with salt 0x1234 into slot 1.
      const factory = await deployRuntime(devnet, from, "600060006000f0600055" + "6000600053611234600160006000f5600155" + "00");
      assert.equal(factory, getCreateAddress({ from, nonce: 0 }).toLowerCase());
      for (let nonce = 1; nonce < 4; nonce++)
        assert.equal(await deployRuntime(devnet, from, "00"), getCreateAddress({ from, nonce }).toLowerCase());
      const hash = await devnet.request({ method: "eth_sendTransaction", params: [{ from, to: factory }] });
      const receipt = (await devnet.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { status: string };
      assert.equal(receipt.status, "0x1");
      const slot = async (n: number) =>
        `0x${((await devnet.request({ method: "eth_getStorageAt", params: [factory, toBeHex(n), "latest"] })) as string).slice(-40)}`;
      // A contract's nonce starts at 1 (EIP-161).
      assert.equal(await slot(0), getCreateAddress({ from: factory, nonce: 1 }).toLowerCase());
      assert.equal(await slot(1), getCreate2Address(factory, toBeHex(0x1234, 32), keccak256("0x00")).toLowerCase());
    } finally {
      await devnet.close();
    }
  });
});
