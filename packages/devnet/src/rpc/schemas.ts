import { hexToBytes } from "@ethereumjs/util";
import * as z from "zod";
import type { TxRequest } from "../l2/transactions.js";

/** A parameter type: its schema plus the name and description the RPC reference shows. */
export interface ParamType<T> {
  label: string;
  description: string;
  readonly schema: z.ZodType<T>;
}

/** A value built on first use. */
export function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => {
    value ??= { built: build() };
    return value.built;
  };
}

/**
 * A parameter type whose schema is built when first used: building every method's schemas when the registry loads
 * cost each start several ms, for methods most sessions never call.
 */
export function paramType<T>(label: string, description: string, build: () => z.ZodType<T>): ParamType<T> {
  const schema = once(build);
  return {
    label,
    description,
    get schema() {
      return schema();
    },
  };
}

const hexPattern = /^0x[0-9a-fA-F]*$/;

// Bounds on what one parameter may hold, so no single request can make the devnet work or allocate
// without limit (docs/devnet.md, "Limits"). The HTTP body limit (10 MiB) alone still lets one
// request carry millions of entries.

/** Most bytes in one hex data parameter (calldata, code, raw transaction): far above any transaction a node accepts. */
export const MAX_DATA_BYTES = 4 * 1024 * 1024;
/** Longest free-form string parameter (filter and subscription ids). */
export const MAX_TEXT_LENGTH = 1024;
/** Most addresses one log filter may name (geth's default log query limit). */
export const MAX_FILTER_ADDRESSES = 1000;
/** Most alternatives in one topic position of a log filter (geth: 1 000). */
export const MAX_TOPIC_ALTERNATIVES = 1000;
/** Most entries in a transaction's access list (each costs 2 400 gas: more never fits in a block). */
export const MAX_ACCESS_LIST_ENTRIES = 20_000;
/** Most storage keys in one access-list entry (each costs 1 900 gas: more never fits in a block). */
export const MAX_ACCESS_LIST_KEYS = 25_000;
/** Most struct types in EIP-712 typed data. */
export const MAX_TYPED_DATA_TYPES = 256;
/** Most fields in one EIP-712 struct type. */
export const MAX_TYPED_DATA_FIELDS = 256;
/** Longest EIP-712 type, field or key name. */
export const MAX_TYPED_DATA_NAME = 256;
/** Longest EIP-712 typed data sent as a JSON string. */
export const MAX_TYPED_DATA_JSON = 1024 * 1024;
/** Most blob versioned hashes in a transaction request (blob transactions are refused anyway). */
export const MAX_BLOB_HASHES = 16;

/** An array bound whose refusal names the limit and the constant documenting it. */
function bounded<T extends z.ZodType>(item: T, max: number, what: string, constant: string) {
  return z.array(item).max(max, `too many ${what}: at most ${max} (${constant})`);
}

const quantitySchema = once(() =>
  z.union([
    z
      .string()
      .regex(/^0x[0-9a-fA-F]{1,64}$/, "expected a hex quantity such as 0x1a")
      .transform((s) => BigInt(s)),
    z
      .number()
      .nonnegative("expected a non-negative number")
      .refine(Number.isSafeInteger, "expected an integer below 2^53; send larger values as hex quantities")
      .transform((n) => BigInt(n)),
  ]),
);

export const Quantity = paramType("Quantity", "unsigned integer: hex (0x1a, up to 256 bits) or a JSON number below 2^53", quantitySchema);

export const Address = paramType("Address", "20-byte hex address", () =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 20-byte hex address (0x followed by 40 hex digits)")
    .transform((s) => s.toLowerCase()),
);

export const Hash = paramType("Hash", "32-byte hex hash", () =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte hex hash (0x followed by 64 hex digits)")
    .transform((s) => s.toLowerCase()),
);

const dataSchema = once(() =>
  z
    .string()
    .max(2 + 2 * MAX_DATA_BYTES, `data too long: at most ${MAX_DATA_BYTES} bytes (MAX_DATA_BYTES)`)
    .regex(hexPattern, "expected 0x-prefixed hex data")
    .refine((s) => s.length % 2 === 0, "expected an even number of hex digits")
    .transform((s) => hexToBytes(s as `0x${string}`)),
);

export const Data = paramType("Data", "0x-prefixed hex bytes", dataSchema);

/** Storage slot: any hex quantity up to 32 bytes, left-padded to 32 bytes. */
export const Slot = paramType("Slot", "storage slot, hex (padded to 32 bytes)", () =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,64}$/, "expected a hex storage slot of at most 32 bytes")
    .transform((s) => `0x${s.slice(2).padStart(64, "0").toLowerCase()}`),
);

export const Bytes32 = paramType("Bytes32", "32-byte hex value", () =>
  z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, "expected a 32-byte hex value (0x followed by 64 hex digits)")
    .transform((s) => s.toLowerCase()),
);

export type BlockTagValue =
  | { kind: "tag"; tag: "latest" | "pending" | "earliest" | "safe" | "finalized" }
  | { kind: "number"; number: bigint }
  | { kind: "hash"; hash: string; requireCanonical: boolean };

const blockTagSchema = once(
  (): z.ZodType<BlockTagValue> =>
    z.union([
      z.enum(["latest", "pending", "earliest", "safe", "finalized"]).transform((tag) => ({ kind: "tag" as const, tag })),
      quantitySchema().transform((number) => ({ kind: "number" as const, number })),
      z
        .object({ blockNumber: quantitySchema() })
        .strict()
        .transform((o) => ({ kind: "number" as const, number: o.blockNumber })),
      z
        .object({ blockHash: Hash.schema, requireCanonical: z.boolean().optional() })
        .strict()
        .transform((o) => ({ kind: "hash" as const, hash: o.blockHash, requireCanonical: o.requireCanonical ?? false })),
    ]),
);

export const BlockTag = paramType(
  "BlockTag",
  'block number (hex), a tag ("latest", "pending", "earliest", "safe", "finalized") or an EIP-1898 object ({blockHash} or {blockNumber})',
  blockTagSchema,
);

const accessListSchema = once(() =>
  bounded(
    z.object({
      address: Address.schema,
      storageKeys: bounded(Bytes32.schema, MAX_ACCESS_LIST_KEYS, "storage keys in an access-list entry", "MAX_ACCESS_LIST_KEYS"),
    }),
    MAX_ACCESS_LIST_ENTRIES,
    "access-list entries",
    "MAX_ACCESS_LIST_ENTRIES",
  ),
);

/** EIP-7702 authorizations (type 4). */
const authorizationListSchema = once(() =>
  z.array(
    z.object({
      chainId: quantitySchema(),
      address: Address.schema,
      nonce: quantitySchema(),
      yParity: quantitySchema(),
      r: quantitySchema(),
      s: quantitySchema(),
    }),
  ),
);

export const TransactionRequest = paramType<TxRequest>(
  "TransactionRequest",
  "object with from, to, gas, gasPrice | maxFeePerGas + maxPriorityFeePerGas, value, data (or input), nonce, accessList, authorizationList (EIP-7702, prague), type",
  () =>
    z
      .object({
        from: Address.schema.optional(),
        to: Address.schema.nullable().optional(),
        gas: quantitySchema().optional(),
        gasPrice: quantitySchema().optional(),
        maxFeePerGas: quantitySchema().optional(),
        maxPriorityFeePerGas: quantitySchema().optional(),
        value: quantitySchema().optional(),
        data: dataSchema().optional(),
        input: dataSchema().optional(),
        nonce: quantitySchema().optional(),
        accessList: accessListSchema().optional(),
        authorizationList: authorizationListSchema().optional(),
        type: quantitySchema().optional(),
        chainId: quantitySchema().optional(),
        blobVersionedHashes: bounded(z.string().max(66), MAX_BLOB_HASHES, "blob versioned hashes", "MAX_BLOB_HASHES").optional(),
        maxFeePerBlobGas: quantitySchema().optional(),
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
          authorizationList: o.authorizationList,
          type: o.blobVersionedHashes || o.maxFeePerBlobGas !== undefined ? 3 : o.type === undefined ? undefined : Number(o.type),
          chainId: o.chainId,
        }),
      ),
);

/** One value or a list of them: the single value is read as a list of one. */
function oneOrMany<T extends z.ZodType>(item: T, max: number, what: string, constant: string) {
  return z.preprocess((v) => (typeof v === "string" ? [v] : v), bounded(item, max, what, constant).nullable());
}

// A topic position: null (any), one topic, or alternatives (a null among them means any).
const topicSchema = once(() =>
  oneOrMany(z.union([Bytes32.schema, z.null()]), MAX_TOPIC_ALTERNATIVES, "topic alternatives", "MAX_TOPIC_ALTERNATIVES"),
);

export interface LogFilterValue {
  fromBlock?: BlockTagValue;
  toBlock?: BlockTagValue;
  blockHash?: string;
  /** Undefined (or empty in the request): any address. */
  addresses?: ReadonlySet<string>;
  /** Per position: the topics accepted, or null for any. */
  topics: (ReadonlySet<string> | null)[];
}

export const LogFilter = paramType<LogFilterValue>(
  "Filter",
  "object with fromBlock, toBlock (or blockHash), address (one or a list) and topics",
  () =>
    z
      .object({
        fromBlock: blockTagSchema().optional(),
        toBlock: blockTagSchema().optional(),
        blockHash: Hash.schema.optional(),
        address: oneOrMany(Address.schema, MAX_FILTER_ADDRESSES, "addresses", "MAX_FILTER_ADDRESSES").optional(),
        topics: z.array(topicSchema()).max(4, "at most 4 topic positions").optional(),
      })
      .refine((o) => !(o.blockHash && (o.fromBlock || o.toBlock)), { message: "blockHash cannot be combined with fromBlock/toBlock" })
      .transform((o) => ({
        fromBlock: o.fromBlock,
        toBlock: o.toBlock,
        blockHash: o.blockHash,
        // As geth: an empty list restricts nothing. Sets make matching one lookup per log.
        addresses: o.address == null || o.address.length === 0 ? undefined : new Set(o.address),
        topics: (o.topics ?? []).map((t) => (t == null || t.length === 0 || t.includes(null) ? null : new Set(t as string[]))),
      })),
);

export const Bool = paramType("Boolean", "true or false", () => z.boolean());
export const Text = paramType("String", `string (at most ${MAX_TEXT_LENGTH} characters)`, () =>
  z.string().max(MAX_TEXT_LENGTH, `string too long: at most ${MAX_TEXT_LENGTH} characters (MAX_TEXT_LENGTH)`),
);
export const AnyJson = paramType<unknown>("Object", "JSON value", () => z.unknown());
