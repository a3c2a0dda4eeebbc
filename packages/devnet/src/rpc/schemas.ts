import * as z from "zod";
import { checkedHexToBytes } from "../hex.js";
import type { TxRequest } from "../l2/transactions.js";
import { type Accept, UNDECIDED } from "./accept.js";

/** A parameter type: its schema plus the name and description the RPC reference shows. */
export interface ParamType<T> {
  label: string;
  description: string;
  readonly schema: z.ZodType<T>;
  /**
   * A quick check for the common plain value (a hex string, a tag), giving what the schema gives for it, or UNDECIDED
   * for anything else: the schema then decides and words any error. zod's generic parse costs ~30 µs a parameter on
   * a busy devnet, where the hot methods (sends, calls, balance and nonce reads) take one or two hex strings.
   */
  readonly accept?: Accept<T>;
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
export function paramType<T>(label: string, description: string, build: () => z.ZodType<T>, accept?: Accept<T>): ParamType<T> {
  const schema = once(build);
  return {
    label,
    description,
    get schema() {
      return schema();
    },
    accept,
  };
}

const hexPattern = /^0x[0-9a-fA-F]*$/;
const quantityPattern = /^0x[0-9a-fA-F]{1,64}$/;
const addressPattern = /^0x[0-9a-fA-F]{40}$/;
const hashPattern = /^0x[0-9a-fA-F]{64}$/;

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
      .regex(quantityPattern, "expected a hex quantity such as 0x1a")
      .transform((s) => BigInt(s)),
    z
      .number()
      .nonnegative("expected a non-negative number")
      .refine(Number.isSafeInteger, "expected an integer below 2^53; send larger values as hex quantities")
      .transform((n) => BigInt(n)),
  ]),
);

const acceptQuantity: Accept<bigint> = (v) => {
  if (typeof v === "string") return quantityPattern.test(v) ? BigInt(v) : UNDECIDED;
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : UNDECIDED;
};

/** A hex string of a fixed pattern, lower-cased. */
const lowerHex =
  (pattern: RegExp): Accept<string> =>
  (v) =>
    typeof v === "string" && pattern.test(v) ? v.toLowerCase() : UNDECIDED;

export const Quantity = paramType(
  "Quantity",
  "unsigned integer: hex (0x1a, up to 256 bits) or a JSON number below 2^53",
  quantitySchema,
  acceptQuantity,
);

export const Address = paramType(
  "Address",
  "20-byte hex address",
  () =>
    z
      .string()
      .regex(addressPattern, "expected a 20-byte hex address (0x followed by 40 hex digits)")
      .transform((s) => s.toLowerCase()),
  lowerHex(addressPattern),
);

export const Hash = paramType(
  "Hash",
  "32-byte hex hash",
  () =>
    z
      .string()
      .regex(hashPattern, "expected a 32-byte hex hash (0x followed by 64 hex digits)")
      .transform((s) => s.toLowerCase()),
  lowerHex(hashPattern),
);

const dataSchema = once(() =>
  z
    .string()
    .max(2 + 2 * MAX_DATA_BYTES, `data too long: at most ${MAX_DATA_BYTES} bytes (MAX_DATA_BYTES)`)
    .regex(hexPattern, "expected 0x-prefixed hex data")
    .refine((s) => s.length % 2 === 0, "expected an even number of hex digits")
    .transform(checkedHexToBytes),
);

const acceptData: Accept<Uint8Array> = (v) =>
  typeof v === "string" && v.length <= 2 + 2 * MAX_DATA_BYTES && v.length % 2 === 0 && hexPattern.test(v)
    ? checkedHexToBytes(v)
    : UNDECIDED;

export const Data = paramType("Data", "0x-prefixed hex bytes", dataSchema, acceptData);

/** Storage slot: any hex quantity up to 32 bytes, left-padded to 32 bytes. */
const paddedSlot = (s: string) => `0x${s.slice(2).padStart(64, "0").toLowerCase()}`;

export const Slot = paramType(
  "Slot",
  "storage slot, hex (padded to 32 bytes)",
  () => z.string().regex(quantityPattern, "expected a hex storage slot of at most 32 bytes").transform(paddedSlot),
  (v) => (typeof v === "string" && quantityPattern.test(v) ? paddedSlot(v) : UNDECIDED),
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

const BLOCK_TAGS: ReadonlySet<unknown> = new Set(["latest", "pending", "earliest", "safe", "finalized"]);

export const BlockTag = paramType(
  "BlockTag",
  'block number (hex), a tag ("latest", "pending", "earliest", "safe", "finalized") or an EIP-1898 object ({blockHash} or {blockNumber})',
  blockTagSchema,
  (v): BlockTagValue | typeof UNDECIDED => {
    if (BLOCK_TAGS.has(v)) return { kind: "tag", tag: v as "latest" | "pending" | "earliest" | "safe" | "finalized" };
    const number = acceptQuantity(v);
    return number === UNDECIDED ? UNDECIDED : { kind: "number", number };
  },
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
  acceptTxRequest,
);

/** The fields of a plain call or send, with each one's quick check. */
const QUICK_TX_FIELDS: readonly (readonly [string, Accept<unknown>])[] = [
  ["from", lowerHex(addressPattern)],
  ["to", lowerHex(addressPattern)],
  ["gas", acceptQuantity],
  ["gasPrice", acceptQuantity],
  ["maxFeePerGas", acceptQuantity],
  ["maxPriorityFeePerGas", acceptQuantity],
  ["value", acceptQuantity],
  ["data", acceptData],
  ["input", acceptData],
  ["nonce", acceptQuantity],
  ["type", acceptQuantity],
  ["chainId", acceptQuantity],
];
/** The schema's other fields: lists, and the blob fields that make it type 3; set, they go to the schema. */
const LIST_TX_FIELDS = ["accessList", "authorizationList", "blobVersionedHashes", "maxFeePerBlobGas"];

/**
 * What the TransactionRequest schema gives for an object of plain fields (ethers' and viem's calls and estimates).
 * Fields are read as the schema reads them (by name; other keys are dropped by both).
 */
function acceptTxRequest(v: unknown): TxRequest | typeof UNDECIDED {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return UNDECIDED;
  const fields = v as Record<string, unknown>;
  for (const key of LIST_TX_FIELDS) if (fields[key] !== undefined) return UNDECIDED;
  const o: Record<string, unknown> = {};
  for (const [key, accept] of QUICK_TX_FIELDS) {
    const raw = fields[key];
    if (raw === undefined || (key === "to" && raw === null)) {
      o[key] = raw;
      continue;
    }
    const value = accept(raw);
    if (value === UNDECIDED) return UNDECIDED;
    o[key] = value;
  }
  const data = o.data as Uint8Array | undefined;
  const input = o.input as Uint8Array | undefined;
  if (data && input && Buffer.compare(data, input) !== 0) return UNDECIDED;
  return {
    from: o.from as string | undefined,
    to: o.to as string | null | undefined,
    gas: o.gas as bigint | undefined,
    gasPrice: o.gasPrice as bigint | undefined,
    maxFeePerGas: o.maxFeePerGas as bigint | undefined,
    maxPriorityFeePerGas: o.maxPriorityFeePerGas as bigint | undefined,
    value: o.value as bigint | undefined,
    data: input ?? data,
    nonce: o.nonce as bigint | undefined,
    accessList: undefined,
    authorizationList: undefined,
    type: o.type === undefined ? undefined : Number(o.type),
    chainId: o.chainId as bigint | undefined,
  };
}

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
