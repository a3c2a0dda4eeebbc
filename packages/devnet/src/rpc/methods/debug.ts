import { z } from "zod";
import { traceTransaction } from "../../l2/trace.js";
import { defineMethod, optional, required } from "../registry.js";
import { Hash } from "../schemas.js";

const TraceConfig = {
  label: "TraceOptions",
  description: '{ tracer?: "callTracer", tracerConfig?: { onlyTopCall? }, disableStack?, disableStorage?, enableMemory? }',
  schema: z
    .object({
      tracer: z.literal("callTracer").optional(),
      tracerConfig: z.object({ onlyTopCall: z.boolean().optional(), withLog: z.boolean().optional() }).optional(),
      disableStack: z.boolean().optional(),
      disableStorage: z.boolean().optional(),
      disableMemory: z.boolean().optional(),
      enableMemory: z.boolean().optional(),
      enableReturnData: z.boolean().optional(),
      timeout: z.string().optional(),
    })
    .strict(),
};

export const debugTraceTransaction = defineMethod({
  name: "debug_traceTransaction",
  group: "debug",
  summary: 'Re-executes a mined transaction: geth-style struct logs (default) or a call tree (tracer: "callTracer").',
  params: [required("hash", Hash), optional("options", TraceConfig)],
  returns: "{ gas, failed, returnValue, structLogs } | CallFrame",
  handler: (ctx, [hash, options]) => traceTransaction(ctx.core.chain, hash, options ?? {}),
});

export const debugMethods = [debugTraceTransaction];
