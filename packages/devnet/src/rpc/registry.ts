import { DevnetError } from "../errors.js";
import type { RpcContext } from "./context.js";
import type { ParamType } from "./schemas.js";

export interface Param<T = unknown, Optional extends boolean = boolean> {
  name: string;
  type: ParamType<T>;
  optional: Optional;
  description?: string;
}

export function required<T>(name: string, type: ParamType<T>, description?: string): Param<T, false> {
  return { name, type, optional: false, description };
}

export function optional<T>(name: string, type: ParamType<T>, description?: string): Param<T, true> {
  return { name, type, optional: true, description };
}

type ParamValue<P> = P extends Param<infer T, infer O> ? (O extends true ? T | undefined : T) : never;
export type ParamValues<P extends readonly Param[]> = { -readonly [K in keyof P]: ParamValue<P[K]> };

export interface MethodSpec<P extends readonly Param[] = readonly Param[], R = unknown> {
  name: string;
  aliases?: readonly string[];
  /** Namespace heading in the RPC reference. */
  group: string;
  summary: string;
  params: P;
  returns: string;
  handler(ctx: RpcContext, params: ParamValues<P>): Promise<R> | R;
}

/** Declares a method; the handler's parameters are typed from the schemas. */
export function defineMethod<const P extends readonly Param[], R>(spec: MethodSpec<P, R>): MethodSpec<P, R> {
  return spec;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The one list of JSON-RPC methods. Params are validated and converted here,
 * once, for the in-process provider and the server alike.
 */
export class MethodRegistry {
  private readonly methods = new Map<string, MethodSpec>();
  private readonly specs: MethodSpec[] = [];

  constructor(specs: readonly MethodSpec[]) {
    for (const spec of specs) {
      this.specs.push(spec);
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        if (this.methods.has(name)) throw new Error(`duplicate RPC method ${name}`);
        this.methods.set(name, spec);
      }
    }
  }

  list(): readonly MethodSpec[] {
    return this.specs;
  }

  has(name: string): boolean {
    return this.methods.has(name);
  }

  /** Validates `params` against the method's schema; throws INVALID_PARAMS naming the parameter. */
  parse(spec: MethodSpec, params: unknown): unknown[] {
    const list = params === undefined || params === null ? [] : params;
    if (!Array.isArray(list)) {
      throw new DevnetError("INVALID_PARAMS", `${spec.name}: params must be an array, got ${describeValue(params)}`);
    }
    if (list.length > spec.params.length) {
      throw new DevnetError("INVALID_PARAMS", `${spec.name}: too many parameters: takes at most ${spec.params.length}, got ${list.length}`);
    }
    return spec.params.map((param, i) => {
      const value = list[i];
      if (value === undefined || value === null) {
        if (param.optional) return undefined;
        throw new DevnetError(
          "INVALID_PARAMS",
          `${spec.name}: missing value for required parameter '${param.name}' (position ${i}, ${param.type.label}: ${param.type.description})`,
        );
      }
      const parsed = param.type.schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
        // A union's own message is only "Invalid input": say what the parameter accepts instead.
        const reason =
          issue?.code === "invalid_union" && issue.path.length === 0
            ? `expected ${param.type.label}: ${param.type.description}`
            : (issue?.message ?? "invalid");
        throw new DevnetError(
          "INVALID_PARAMS",
          `${spec.name}: invalid value for parameter '${param.name}' (position ${i})${where}: ${reason}; got ${describeValue(value)}`,
        );
      }
      return parsed.data;
    });
  }

  async call(ctx: RpcContext, method: string, params: unknown): Promise<unknown> {
    const spec = this.methods.get(method);
    if (!spec) throw new DevnetError("METHOD_NOT_FOUND", `the method ${method} does not exist/is not available`);
    const values = this.parse(spec, params);
    return spec.handler(ctx, values as never);
  }
}
