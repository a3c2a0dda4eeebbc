import * as z from "zod";
import { FINALITY_LEVELS } from "../../../devnet/finality.js";
import { Bytes32, Hash, once, paramType, Quantity } from "../../schemas.js";

const hash = () => Hash.schema;
// Block numbers, seconds and batch indexes: the eth namespace's quantities, within 64 bits.
const number = once(() => Quantity.schema.refine((n) => n < 2n ** 64n, "expected a quantity below 2^64"));

/** A transaction hash, or an L2 block by number: what finality is asked about. */
export type FinalityTarget = { kind: "hash"; hash: string } | { kind: "block"; number: bigint };

export const FinalityTargetParam = paramType<FinalityTarget>(
  "FinalityTarget",
  "a transaction hash or block hash (32-byte hex), or an L2 block number (hex quantity or JSON number)",
  () =>
    z.union([
      hash().transform((h) => ({ kind: "hash" as const, hash: h })),
      number().transform((n) => ({ kind: "block" as const, number: n })),
    ]),
);

export type WarpRequest = { kind: "seconds"; seconds: bigint } | { kind: "until"; level: "anchored" | "hard"; target: FinalityTarget };

export const WarpParam = paramType<WarpRequest>(
  "Warp",
  'seconds (hex quantity or JSON number), or { until: "anchored" | "hard", tx: hash } / { until, block: number }',
  () =>
    z.union([
      number().transform((seconds) => ({ kind: "seconds" as const, seconds })),
      z
        .object({ seconds: number() })
        .strict()
        .transform((o) => ({ kind: "seconds" as const, seconds: o.seconds })),
      z
        .object({ until: z.enum(["anchored", "hard"]), tx: hash() })
        .strict()
        .transform((o) => ({ kind: "until" as const, level: o.until, target: { kind: "hash" as const, hash: o.tx } })),
      z
        .object({ until: z.enum(["anchored", "hard"]), block: number() })
        .strict()
        .transform((o) => ({ kind: "until" as const, level: o.until, target: { kind: "block" as const, number: o.block } })),
    ]),
);

export const BatchIndex = paramType("BatchIndex", "batch index (JSON number or hex quantity)", () => number().transform((n) => Number(n)));

export const LevelParam = paramType("FinalityLevel", FINALITY_LEVELS.join(" | "), () => z.enum(FINALITY_LEVELS));

/** Most batches one bitlayer_listBatches answer holds. */
export const MAX_LIST_BATCHES = 1000;

export const Count = (max: number, what: string) =>
  paramType("Count", `${what}: 1 to ${max}`, () =>
    number()
      .refine((n) => n >= 1n && n <= BigInt(max), `expected 1 to ${max}`)
      .transform((n) => Number(n)),
  );

export const BitcoinAddress = paramType("BitcoinAddress", "a regtest Bitcoin address (bcrt1...)", () => z.string().min(1).max(100));

export const Root = paramType("Root", "32-byte hex state root", () => Bytes32.schema);

/** Satoshis (or an output index): a quantity within Bitcoin's 21 million BTC. */
export const Sats = paramType("Sats", "satoshis: a JSON number or hex quantity, at most 2.1e15", () =>
  number().refine((n) => n <= 2_100_000_000_000_000n, "expected at most 2.1e15 sats (21 million BTC)"),
);

export const Txid = paramType("Txid", "a Bitcoin txid: 64 hex digits, as Bitcoin RPC prints it (a 0x prefix is accepted)", () =>
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{64}$/, "expected a txid (64 hex digits)")
    .transform((s) => s.replace(/^0x/, "").toLowerCase()),
);

export const Vout = paramType("Vout", "output index (JSON number or hex quantity)", () =>
  number().refine((n) => n < 2n ** 32n, "expected an output index below 2^32"),
);

/** An L2 address (any case) or a regtest Bitcoin address: whose withdrawals to list. */
export const WithdrawalOwner = paramType(
  "WithdrawalOwner",
  "an L2 address (0x + 40 hex digits) or a regtest Bitcoin address (bcrt1...)",
  () =>
    z.union([
      z
        .string()
        .regex(/^0x[0-9a-fA-F]{40}$/)
        .transform((s) => ({ kind: "l2" as const, address: s.toLowerCase() })),
      z
        .string()
        .min(1)
        .max(100)
        .refine((s) => !s.startsWith("0x"), "expected an L2 address (0x + 40 hex digits) or a Bitcoin address")
        .transform((s) => ({ kind: "bitcoin" as const, address: s })),
    ]),
);
