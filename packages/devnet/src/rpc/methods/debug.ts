import * as z from "zod";
import { traceCall, traceTransaction } from "../../l2/trace.js";
import { defineMethod, optional, required } from "../registry.js";
import { BlockTag, Hash, paramType, TransactionRequest } from "../schemas.js";
import { executeAt } from "./eth-state.js";

const TraceConfig = paramType(
  "TraceOptions",
  '{ tracer?: "callTracer", tracerConfig?: { onlyTopCall? }, disableStack?, disableStorage?, enableMemory?, timeout? (Go duration, default "5s", at most "60s") }',
  () =>
    z
      .object({
        tracer: z.literal("callTracer").optional(),
        tracerConfig: z.object({ onlyTopCall: z.boolean().optional(), withLog: z.boolean().optional() }).optional(),
        disableStack: z.boolean().optional(),
        disableStorage: z.boolean().optional(),
        disableMemory: z.boolean().optional(),
        enableMemory: z.boolean().optional(),
        enableReturnData: z.boolean().optional(),
        timeout: z.string().max(32).optional(),
      })
      .strict(),
);

const BOUNDS =
  " Bounded: at most 100,000 steps and 1,000,000 captured words (stack, memory, storage) per struct-log trace, 50,000 frames per call trace; past them, or past the timeout, error -32005 (LIMIT_EXCEEDED) names the limit.";

export const debugTraceTransaction = defineMethod({
  name: "debug_traceTransaction",
  group: "debug",
  summary: `Re-executes a mined transaction: geth-style struct logs (default) or a call tree (tracer: "callTracer").${BOUNDS}`,
  params: [required("hash", Hash), optional("options", TraceConfig)],
  returns: "{ gas, failed, returnValue, structLogs } | CallFrame",
  handler: (ctx, [hash, options]) => traceTransaction(ctx.core.chain, hash, options ?? {}),
});

export const debugTraceCall = defineMethod({
  name: "debug_traceCall",
  group: "debug",
  summary: `Traces a call as eth_call runs it (same block rules, gas cap and tracers as debug_traceTransaction).${BOUNDS}`,
  params: [
    required("transaction", TransactionRequest),
    optional("block", BlockTag, 'defaults to "latest"'),
    optional("options", TraceConfig),
  ],
  returns: "{ gas, failed, returnValue, structLogs } | CallFrame",
  handler: (ctx, [req, tag, options]) => executeAt(ctx, tag, (chain, target) => traceCall(chain, target, req, options ?? {})),
});

export const debugMethods = [debugTraceTransaction, debugTraceCall];
