/**
 * The one list of the simulated node's Bitcoin Core RPC methods: each declared once with typed zod
 * params, a summary and a handler, so the server, the in-process caller and the generated reference
 * all read the same table. Params are checked as Bitcoin Core's RPCHelpMan checks them, in its order:
 * named params to positions, the number of arguments (-1 with the usage text), each argument's JSON
 * type (-3 "Wrong type passed"), then the method's own parsing (Core's messages and codes).
 *
 * @module
 */
import type * as z from "zod";
import type { BitcoinChain } from "../chain.js";
import type { BitcoinWallet } from "../wallet.js";
import { BitcoinRpcError, rpcError } from "./errors.js";

/** The simulated node an RPC call runs against. */
export interface BitcoinNode {
  chain: BitcoinChain;
  wallet: BitcoinWallet;
  /** Mines blocks on demand (generatetoaddress): the devnet runs its settlement step for each block. Returns the new blocks' hashes. */
  generate(count: number, payoutScript: Uint8Array): Promise<string[]>;
}

/** How the server reaches the node: every call runs through the devnet's lock and clock. */
export interface BitcoinRpcHost {
  /** Runs fn with the Bitcoin node, serialized with every other change to the devnet (the devnet catches up its clock first). */
  withBitcoin<T>(fn: (node: BitcoinNode) => T | Promise<T>): Promise<T>;
}

/** What a handler receives. */
export interface BitcoinRpcContext {
  node: BitcoinNode;
  /** The wallet named by a `/wallet/<name>` URI, or undefined for `/`. */
  walletName?: string;
}

/** Bitcoin Core's JSON type of an argument (RPCArg::Type), checked before the method runs; `any` is Core's skip_type_check. */
export type CoreType = "number" | "string" | "bool" | "array" | "object" | "amount" | "any";

export interface BitcoinParam<T = unknown, Optional extends boolean = boolean> {
  name: string;
  type: CoreType;
  /** Parses a value of the right JSON type; may throw {@link BitcoinRpcError} with Core's message. */
  schema: z.ZodType<T>;
  optional: Optional;
  /** Core's default, as the reference shows it. */
  default?: string;
  description: string;
}

type ParamValue<P> = P extends BitcoinParam<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
export type BitcoinParamValues<P extends readonly BitcoinParam[]> = { -readonly [K in keyof P]: ParamValue<P[K]> };

/** Reference headings, in Bitcoin Core's help order. */
export type BitcoinMethodGroup = "blockchain" | "generating" | "rawtransactions" | "util" | "wallet";

export interface BitcoinMethodSpec<P extends readonly BitcoinParam[] = readonly BitcoinParam[], R = unknown> {
  name: string;
  group: BitcoinMethodGroup;
  summary: string;
  params: P;
  returns: string;
  /** The errors the method answers with, for the reference (`code message`). */
  errors?: readonly string[];
  handler(ctx: BitcoinRpcContext, params: BitcoinParamValues<P>): Promise<R> | R;
}

/** Declares a method; the handler's parameters are typed from the schemas. */
export function defineBitcoinMethod<const P extends readonly BitcoinParam[], R>(spec: BitcoinMethodSpec<P, R>): BitcoinMethodSpec<P, R> {
  return spec;
}

/** UniValue's type names (uvTypeName). */
function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  return Array.isArray(value) ? "array" : "object";
}

/** The `is not of expected type` text of UniValue's type errors. */
export function typeMismatch(value: unknown, expected: string): string {
  return `JSON value of type ${jsonTypeName(value)} is not of expected type ${expected}`;
}

function matchesType(type: CoreType, value: unknown): string | undefined {
  if (type === "any" || type === "amount") return undefined;
  const actual = jsonTypeName(value);
  return actual === type ? undefined : typeMismatch(value, type);
}

/** Core's usage line (the first line of its help text), the message of a call with the wrong number of arguments. */
export function usage(spec: BitcoinMethodSpec): string {
  const args = spec.params.map((p) => (p.optional ? `( ${p.name} )` : p.name)).join(" ");
  return `${spec.name}${args ? ` ${args}` : ""}\n\n${spec.summary}\n`;
}

/** Core's transformNamedArguments: `{ "blockhash": …, "verbosity": 2 }` to positions, nulls filling holes. */
function positional(spec: BitcoinMethodSpec, named: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  const left = new Map(Object.entries(named));
  let hole = 0;
  for (const param of spec.params) {
    if (!left.has(param.name)) {
      hole++;
      continue;
    }
    for (; hole > 0; hole--) out.push(null);
    out.push(left.get(param.name));
    left.delete(param.name);
  }
  const unknown = left.keys().next();
  if (!unknown.done) throw rpcError("RPC_INVALID_PARAMETER", `Unknown named parameter ${unknown.value}`);
  return out;
}

/** The method registry: lookup, Core-faithful parameter checks, and the call. */
export class BitcoinMethodRegistry {
  private readonly methods = new Map<string, BitcoinMethodSpec>();

  constructor(readonly specs: readonly BitcoinMethodSpec[]) {
    for (const spec of specs) {
      if (this.methods.has(spec.name)) throw new Error(`duplicate Bitcoin RPC method ${spec.name}`);
      this.methods.set(spec.name, spec);
    }
  }

  get(name: string): BitcoinMethodSpec | undefined {
    return this.methods.get(name);
  }

  /** Core's checks of `params` for a method, then its own parsing: the typed values, or a {@link BitcoinRpcError}. */
  parse(spec: BitcoinMethodSpec, params: unknown): unknown[] {
    const list =
      params === undefined || params === null ? [] : Array.isArray(params) ? params : positional(spec, params as Record<string, unknown>);
    const required = spec.params.findIndex((p) => p.optional);
    const minimum = required < 0 ? spec.params.length : required;
    if (list.length < minimum || list.length > spec.params.length) throw rpcError("RPC_MISC_ERROR", usage(spec));
    const mismatches: [string, string][] = [];
    spec.params.forEach((param, i) => {
      const value = list[i];
      if (param.optional && (value === null || value === undefined)) return;
      const mismatch = matchesType(param.type, value ?? null);
      if (mismatch) mismatches.push([`Position ${i + 1} (${param.name})`, mismatch]);
    });
    if (mismatches.length > 0) {
      // UniValue::write(4) of the mismatches object.
      const body = mismatches.map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n");
      throw rpcError("RPC_TYPE_ERROR", `Wrong type passed:\n{\n${body}\n}`);
    }
    return spec.params.map((param, i) => {
      const value = list[i];
      if (value === null || value === undefined) return undefined;
      const parsed = param.schema.safeParse(value);
      if (!parsed.success) throw rpcError("RPC_TYPE_ERROR", parsed.error.issues[0]?.message ?? "invalid parameter");
      return parsed.data;
    });
  }

  /**
   * Runs a method through the host. Unknown methods answer -32601 "Method not found" as Core; params are
   * checked before the host's lock is taken.
   */
  async call(host: BitcoinRpcHost, method: string, params: unknown, walletName?: string): Promise<unknown> {
    const spec = this.methods.get(method);
    if (!spec) throw rpcError("RPC_METHOD_NOT_FOUND", "Method not found");
    const values = this.parse(spec, params);
    return host.withBitcoin((node) => spec.handler({ node, walletName }, values as never));
  }
}

export { BitcoinRpcError };
