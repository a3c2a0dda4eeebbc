import type { StateManagerInterface } from "@ethereumjs/common";
import { DevnetError } from "../../errors.js";
import type { CallTarget } from "../../l2/call.js";
import type { RpcContext } from "../context.js";

/** Reads state at a resolved block: the live state under the chain lock, or a view at a past root. */
export async function readState<T>(ctx: RpcContext, target: CallTarget, fn: (state: StateManagerInterface) => Promise<T>): Promise<T> {
  const chain = ctx.core.chain;
  if (target.live) return chain.exclusive(() => fn(chain.state));
  const view = chain.state.shallowCopy(false);
  const root = target.block.block.header.stateRoot;
  if (!(await view.hasStateRoot(root))) {
    throw new DevnetError("UNKNOWN_BLOCK", `the state of block ${target.block.number} is not available (it predates a state load)`);
  }
  await view.setStateRoot(root);
  return fn(view);
}
