// eth_ methods about the node itself and its state proofs: eth_coinbase, eth_blobBaseFee, eth_getProof.
import { getMerkleStateProof } from "@ethereumjs/statemanager";
import { createAddressFromString, hexToBytes } from "@ethereumjs/util";
import * as z from "zod";
import { DevnetError } from "../../errors.js";
import { DevnetStateManager } from "../../l2/state.js";
import { quantity } from "../format.js";
import { defineMethod, optional, required } from "../registry.js";
import { Address, BlockTag, paramType, Slot } from "../schemas.js";
import { readState } from "./state-access.js";

export const ethCoinbase = defineMethod({
  name: "eth_coinbase",
  group: "eth",
  summary: "Fee recipient of the next block: the address hardhat_setCoinbase set, else the validator whose turn it is.",
  params: [],
  returns: "Address",
  handler: (ctx) => {
    const chain = ctx.core.chain;
    return chain.settings.coinbase ?? chain.validators.peekProposer().address.toLowerCase();
  },
});

export const ethBlobBaseFee = defineMethod({
  name: "eth_blobBaseFee",
  group: "eth",
  summary:
    "Blob base fee of the next block (EIP-4844), on the cancun and prague profiles. Refused on the bitlayer profile: Bitlayer has no blobs.",
  params: [],
  returns: "Quantity",
  handler: (ctx) => {
    const chain = ctx.core.chain;
    if (chain.config.profile === "bitlayer") {
      throw new DevnetError(
        "NOT_SUPPORTED",
        "eth_blobBaseFee is not available on the bitlayer profile: Bitlayer has no blob transactions (BLOBHASH and BLOBBASEFEE are invalid opcodes there)",
      );
    }
    return quantity(chain.head.block.header.calcNextBlobGasPrice(chain.common));
  },
});

/** Most storage keys one eth_getProof proves, as geth bounds the storage slots one request reads. */
export const MAX_PROOF_KEYS = 1024;

const StorageKeys = paramType("Slot[]", `storage keys to prove (at most ${MAX_PROOF_KEYS}), hex up to 32 bytes`, () =>
  z.array(Slot.schema).max(MAX_PROOF_KEYS, `at most ${MAX_PROOF_KEYS} storage keys`),
);

export const ethGetProof = defineMethod({
  name: "eth_getProof",
  group: "eth",
  summary: `Account and storage values with their Merkle proofs (EIP-1186), at a block. At most ${MAX_PROOF_KEYS} storage keys.`,
  params: [required("address", Address), required("storageKeys", StorageKeys), optional("block", BlockTag, 'defaults to "latest"')],
  returns: "{ address, balance, codeHash, nonce, storageHash, accountProof, storageProof: [{ key, value, proof }] }",
  handler: (ctx, [address, keys, tag]) =>
    readState(ctx, ctx.core.resolveBlock(tag), async (state) => {
      if (!(state instanceof DevnetStateManager)) throw new DevnetError("INTERNAL_ERROR", "eth_getProof: the state has no Merkle trie");
      const proof = await getMerkleStateProof(
        state,
        createAddressFromString(address),
        keys.map((k) => hexToBytes(k as `0x${string}`)),
      );
      return {
        ...proof,
        // The library gives the stored bytes; EIP-1186 wants the value as a quantity and the key as asked.
        storageProof: proof.storageProof.map((p, i) => ({ key: keys[i], value: quantity(BigInt(p.value)), proof: p.proof })),
      };
    }),
});

export const ethNodeMethods = [ethCoinbase, ethBlobBaseFee, ethGetProof];
