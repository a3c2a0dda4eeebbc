import * as z from "zod";
import { DevnetError } from "../../errors.js";
import { bytesToHex } from "../../hex.js";
import type { L2Chain } from "../../l2/chain.js";
import { keccak256OrJs } from "../../l2/crypto.js";
import { defineMethod, MAX_PARAMS_DEPTH, nestedDeeperThan, required } from "../registry.js";
import {
  Address,
  Data,
  MAX_TYPED_DATA_FIELDS,
  MAX_TYPED_DATA_JSON,
  MAX_TYPED_DATA_NAME,
  MAX_TYPED_DATA_TYPES,
  once,
  paramType,
} from "../schemas.js";

// ethers' parts are loaded on first use: signing is not needed to start the devnet. Subpaths, not "ethers" itself: the
// CLI's bundle then holds only these parts, not the whole package (providers and all).
const ethersCrypto = () => import("ethers/crypto");
const ethersHash = () => import("ethers/hash");

async function signDigest(chain: L2Chain, address: string, digest: string): Promise<string> {
  const key = chain.keys.get(address);
  if (!key) {
    throw new DevnetError("UNKNOWN_ACCOUNT", `unknown account ${address}: the devnet can only sign with its dev accounts`);
  }
  const { SigningKey } = await ethersCrypto();
  return new SigningKey(bytesToHex(key)).sign(digest).serialized;
}

async function signPersonal(chain: L2Chain, address: string, message: Uint8Array): Promise<string> {
  return signDigest(chain, address, (await ethersHash()).hashMessage(message));
}

export const ethSign = defineMethod({
  name: "eth_sign",
  group: "eth",
  summary: "EIP-191 personal signature of data by a dev account (same as personal_sign, other parameter order).",
  params: [required("address", Address), required("message", Data)],
  returns: "Data (65-byte signature)",
  handler: (ctx, [address, message]) => signPersonal(ctx.core.chain, address, message),
});

export const personalSign = defineMethod({
  name: "personal_sign",
  group: "personal",
  summary: "EIP-191 personal signature of data by a dev account.",
  params: [required("message", Data), required("address", Address)],
  returns: "Data (65-byte signature)",
  handler: (ctx, [message, address]) => signPersonal(ctx.core.chain, address, message),
});

interface TypedData {
  types: Record<string, { name: string; type: string }[]>;
  domain: Record<string, unknown>;
  primaryType: string;
  message: Record<string, unknown>;
}

const typedDataSchema = once(() => {
  const name = z.string().max(MAX_TYPED_DATA_NAME, `name too long: at most ${MAX_TYPED_DATA_NAME} characters (MAX_TYPED_DATA_NAME)`);
  return z.object({
    types: z
      .record(
        name,
        z
          .array(z.object({ name, type: name }))
          .max(MAX_TYPED_DATA_FIELDS, `too many fields in a type: at most ${MAX_TYPED_DATA_FIELDS} (MAX_TYPED_DATA_FIELDS)`),
      )
      .refine((types) => Object.keys(types).length <= MAX_TYPED_DATA_TYPES, {
        message: `too many types: at most ${MAX_TYPED_DATA_TYPES} (MAX_TYPED_DATA_TYPES)`,
      }),
    domain: z.record(name, z.unknown()),
    primaryType: name,
    message: z.record(name, z.unknown()),
  });
});

const TypedDataParam = paramType(
  "TypedData",
  "EIP-712 typed data: { types, domain, primaryType, message }, as an object or a JSON string",
  () =>
    z.union([
      typedDataSchema(),
      z
        .string()
        .max(MAX_TYPED_DATA_JSON, `typed data too long: at most ${MAX_TYPED_DATA_JSON} characters (MAX_TYPED_DATA_JSON)`)
        .transform((s, ctx) => {
          try {
            const parsed: unknown = JSON.parse(s);
            // Typed data in a string escapes the registry's depth check on params.
            if (nestedDeeperThan(parsed, MAX_PARAMS_DEPTH)) {
              ctx.addIssue({ code: "custom", message: `typed data nested deeper than ${MAX_PARAMS_DEPTH} levels (MAX_PARAMS_DEPTH)` });
              return z.NEVER;
            }
            return typedDataSchema().parse(parsed);
          } catch {
            ctx.addIssue({ code: "custom", message: "expected EIP-712 typed data as JSON" });
            return z.NEVER;
          }
        }),
    ]) as z.ZodType<TypedData>,
);

export const ethSignTypedDataV4 = defineMethod({
  name: "eth_signTypedData_v4",
  aliases: ["eth_signTypedData"],
  group: "eth",
  summary: "EIP-712 signature of typed data by a dev account.",
  params: [required("address", Address), required("typedData", TypedDataParam)],
  returns: "Data (65-byte signature)",
  handler: async (ctx, [address, data]) => {
    const { TypedDataEncoder } = await ethersHash();
    const types = { ...data.types };
    delete types.EIP712Domain;
    let digest: string;
    try {
      digest = TypedDataEncoder.hash(data.domain, types, data.message);
    } catch (error) {
      throw new DevnetError("INVALID_PARAMS", `eth_signTypedData_v4: invalid typed data: ${(error as Error).message.split(" (")[0]}`);
    }
    return signDigest(ctx.core.chain, address, digest);
  },
});

export const web3ClientVersion = defineMethod({
  name: "web3_clientVersion",
  group: "web3",
  summary:
    'Client name: "HardhatNetwork/2.0.0/bitlayer-devnet/…". Test helpers (Hardhat\'s network helpers) only drive nodes whose name starts with "hardhat" or "anvil"; the devnet implements the methods they use.',
  params: [],
  returns: "string",
  handler: () => `HardhatNetwork/2.0.0/bitlayer-devnet/v0.1.0/node${process.versions.node}`,
});

export const web3Sha3 = defineMethod({
  name: "web3_sha3",
  group: "web3",
  summary: "Keccak-256 of the data.",
  params: [required("data", Data)],
  returns: "Hash",
  handler: (_ctx, [data]) => bytesToHex(keccak256OrJs(data)),
});

export const signMethods = [ethSign, personalSign, ethSignTypedDataV4, web3ClientVersion, web3Sha3];
