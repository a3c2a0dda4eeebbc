import type * as z from "zod";
import { DevnetError } from "../errors.js";
import { UNDECIDED } from "./accept.js";
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

/** Deepest nesting of arrays and objects accepted in `params` (the params array itself is level 1). */
export const MAX_PARAMS_DEPTH = 64;

/** Whether `value` nests deeper than `max`; iterative, so no input can exhaust the stack (cycles count as too deep). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (typeof next.value !== "object" || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(next.value)) if (typeof child === "object" && child !== null) stack.push({ value: child, depth });
  }
  return false;
}

type Issue = z.core.$ZodIssue;

/**
 * For a union, the issue of the one option whose type the value has (typed data given as an object
 * that breaks a bound should say so, not that it is neither an object nor a string).
 */
function relevantIssue(issue: Issue): Issue {
  if (issue.code !== "invalid_union") return issue;
  const typed = issue.errors.filter((errors) => errors[0] && !(errors[0].code === "invalid_type" && errors[0].path.length === 0));
  const inner = typed.length === 1 ? typed[0]?.[0] : undefined;
  return inner ? relevantIssue({ ...inner, path: [...issue.path, ...inner.path] } as Issue) : issue;
}

function describeValue(value: unknown): string {
  // Only the start is shown: do not serialize a whole large value to print 80 characters of it.
  const text = JSON.stringify(value, (_key, v: unknown) =>
    Array.isArray(v) && v.length > 4 ? [...v.slice(0, 4), `... ${v.length - 4} more`] : v,
  );
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

  /**
   * Validates `params` against the method's schema; throws INVALID_PARAMS naming the parameter,
   * or INVALID_REQUEST (-32600) for params nested deeper than MAX_PARAMS_DEPTH.
   */
  parse(spec: MethodSpec, params: unknown): unknown[] {
    if (nestedDeeperThan(params, MAX_PARAMS_DEPTH)) {
      throw new DevnetError("INVALID_REQUEST", `invalid request: params nested deeper than ${MAX_PARAMS_DEPTH} levels (MAX_PARAMS_DEPTH)`);
    }
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
      const quick = param.type.accept?.(value) ?? UNDECIDED;
      if (quick !== UNDECIDED) return quick;
      const parsed = param.type.schema.safeParse(value);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const issue = first && relevantIssue(first);
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
    if (!spec) {
      // geth's words; a long name is quoted by its start only, as values are (the answer stays small).
      const name = method.length > 80 ? `${method.slice(0, 77)}...` : method;
      throw new DevnetError("METHOD_NOT_FOUND", `the method ${name} does not exist/is not available`);
    }
    const values = this.parse(spec, params);
    return spec.handler(ctx, values as never);
  }
}
