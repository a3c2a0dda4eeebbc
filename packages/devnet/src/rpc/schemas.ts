import { hexToBytes } from "@ethereumjs/util";
import { z } from "zod";
import type { TxRequest } from "../l2/transactions.js";

/** A parameter type: its schema plus the name and description the RPC reference shows. */
export interface ParamType<T> {
  label: string;
  description: string;
  schema: z.ZodType<T>;
}

function paramType<T>(label: string, description: string, schema: z.ZodType<T>): ParamType<T> {
  return { label, description, schema };
}

const hexPattern = /^0x[0-9a-fA-F]*$/;

const quantitySchema = z.union([
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,64}$/, "expected a hex quantity such as 0x1a")
    .transform((s) => BigInt(s)),
  z
    .number()
    .nonnegative("expected a non-negative number")
    .refine(Number.isSafeInteger, "expected an integer below 2^53; send larger values as hex quantities")
    .transform((n) => BigInt(n)),
]);

export const Quantity = paramType("Quantity", "unsigned integer: hex (0x1a, up to 256 bits) or a JSON number below 2^53", quantitySchema);

export const Address = paramType(
  "Address",
  "20-byte hex address",
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 20-byte hex address (0x followed by 40 hex digits)")
    .transform((s) => s.toLowerCase()),
);

export const Hash = paramType(
  "Hash",
  "32-byte hex hash",
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte hex hash (0x followed by 64 hex digits)")
    .transform((s) => s.toLowerCase()),
);

const dataSchema = z
  .string()
  .regex(hexPattern, "expected 0x-prefixed hex data")
  .refine((s) => s.length % 2 === 0, "expected an even number of hex digits")
  .transform((s) => hexToBytes(s as `0x${string}`));

export const Data = paramType("Data", "0x-prefixed hex bytes", dataSchema);

/** Storage slot: any hex quantity up to 32 bytes, left-padded to 32 bytes. */
export const Slot = paramType(
  "Slot",
  "storage slot, hex (padded to 32 bytes)",
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,64}$/, "expected a hex storage slot of at most 32 bytes")
    .transform((s) => `0x${s.slice(2).padStart(64, "0").toLowerCase()}`),
);

export const Bytes32 = paramType(
  "Bytes32",
  "32-byte hex value",
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte hex value (0x followed by 64 hex digits)")
    .transform((s) => s.toLowerCase()),
);

export type BlockTagValue =
  | { kind: "tag"; tag: "latest" | "pending" | "earliest" | "safe" | "finalized" }
  | { kind: "number"; number: bigint }
  | { kind: "hash"; hash: string; requireCanonical: boolean };

const blockTagSchema: z.ZodType<BlockTagValue> = z.union([
  z.enum(["latest", "pending", "earliest", "safe", "finalized"]).transform((tag) => ({ kind: "tag" as const, tag })),
  quantitySchema.transform((number) => ({ kind: "number" as const, number })),
  z
    .object({ blockNumber: quantitySchema })
    .strict()
    .transform((o) => ({ kind: "number" as const, number: o.blockNumber })),
  z
    .object({ blockHash: Hash.schema, requireCanonical: z.boolean().optional() })
    .strict()
    .transform((o) => ({ kind: "hash" as const, hash: o.blockHash, requireCanonical: o.requireCanonical ?? false })),
]);

export const BlockTag = paramType(
  "BlockTag",
  'block number (hex), a tag ("latest", "pending", "earliest", "safe", "finalized") or an EIP-1898 object ({blockHash} or {blockNumber})',
  blockTagSchema,
);

const accessListSchema = z.array(z.object({ address: Address.schema, storageKeys: z.array(Bytes32.schema) }));

export const TransactionRequest = paramType<TxRequest>(
  "TransactionRequest",
  "object with from, to, gas, gasPrice | maxFeePerGas + maxPriorityFeePerGas, value, data (or input), nonce, accessList, type",
  z
    .object({
      from: Address.schema.optional(),
      to: Address.schema.nullable().optional(),
      gas: quantitySchema.optional(),
      gasPrice: quantitySchema.optional(),
      maxFeePerGas: quantitySchema.optional(),
      maxPriorityFeePerGas: quantitySchema.optional(),
      value: quantitySchema.optional(),
      data: dataSchema.optional(),
      input: dataSchema.optional(),
      nonce: quantitySchema.optional(),
      accessList: accessListSchema.optional(),
      type: quantitySchema.optional(),
      chainId: quantitySchema.optional(),
      blobVersionedHashes: z.array(z.string()).optional(),
      maxFeePerBlobGas: quantitySchema.optional(),
    })
    .refine((o) => !(o.data && o.input) || Buffer.compare(Buffer.from(o.data), Buffer.from(o.input)) === 0, {
      message: "'data' and 'input' are both set and differ",
    })
    .transform(
      (o): TxRequest => ({
        from: o.from,
        to: o.to,
        gas: o.gas,
        gasPrice: o.gasPrice,
        maxFeePerGas: o.maxFeePerGas,
        maxPriorityFeePerGas: o.maxPriorityFeePerGas,
        value: o.value,
        data: o.input ?? o.data,
        nonce: o.nonce,
        accessList: o.accessList,
        type: o.blobVersionedHashes || o.maxFeePerBlobGas !== undefined ? 3 : o.type === undefined ? undefined : Number(o.type),
        chainId: o.chainId,
      }),
    ),
);

const topicSchema = z.union([z.null(), Bytes32.schema, z.array(z.union([Bytes32.schema, z.null()]))]);

export interface LogFilterValue {
  fromBlock?: BlockTagValue;
  toBlock?: BlockTagValue;
  blockHash?: string;
  addresses?: string[];
  topics: (string[] | null)[];
}

export const LogFilter = paramType<LogFilterValue>(
  "Filter",
  "object with fromBlock, toBlock (or blockHash), address (one or a list) and topics",
  z
    .object({
      fromBlock: blockTagSchema.optional(),
      toBlock: blockTagSchema.optional(),
      blockHash: Hash.schema.optional(),
      address: z.union([Address.schema, z.array(Address.schema), z.null()]).optional(),
      topics: z.array(topicSchema).max(4, "at most 4 topic positions").optional(),
    })
    .refine((o) => !(o.blockHash && (o.fromBlock || o.toBlock)), { message: "blockHash cannot be combined with fromBlock/toBlock" })
    .transform((o) => ({
      fromBlock: o.fromBlock,
      toBlock: o.toBlock,
      blockHash: o.blockHash,
      addresses: o.address == null ? undefined : Array.isArray(o.address) ? o.address : [o.address],
      topics: (o.topics ?? []).map((t) => (t === null ? null : Array.isArray(t) ? (t.includes(null) ? null : (t as string[])) : [t])),
    })),
);

export const Bool = paramType("Boolean", "true or false", z.boolean());
export const Text = paramType("String", "string", z.string());
export const AnyJson = paramType<unknown>("Object", "JSON value", z.unknown());
