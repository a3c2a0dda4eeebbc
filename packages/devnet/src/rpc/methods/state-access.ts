import type { StateManagerInterface } from "@ethereumjs/common";
import type { CallTarget } from "../../l2/call.js";
import type { RpcContext } from "../context.js";

/** Reads state at a resolved block: the live state under the chain lock, or a view at a past root. */
export async function readState<T>(ctx: RpcContext, target: CallTarget, fn: (state: StateManagerInterface) => Promise<T>): Promise<T> {
  const chain = ctx.core.chain;
  if (target.live) return chain.exclusive(() => fn(chain.state));
  return fn(await chain.stateAt(chain.viewRoot(target.block), `the state of block ${target.block.number}`));
}
