import type { DevnetCore } from "../../devnet/core.js";
import { DevnetError } from "../../errors.js";
import { logsOf, queryLogs } from "../filters.js";
import { defineMethod, required } from "../registry.js";
import { LogFilter, type LogFilterValue, Text } from "../schemas.js";

function range(core: DevnetCore, f: LogFilterValue): { from: bigint; to: bigint } {
  const from = f.fromBlock ? core.resolveBlock(f.fromBlock).block.number : core.chain.store.height;
  const to = f.toBlock ? core.resolveBlock(f.toBlock).block.number : core.chain.store.height;
  if (from > to) throw new DevnetError("INVALID_PARAMS", `fromBlock (${from}) is after toBlock (${to})`);
  return { from, to };
}

export const ethGetLogs = defineMethod({
  name: "eth_getLogs",
  group: "eth",
  summary:
    "Logs matching a filter (at most 100 000 blocks and 10 000 logs per query; at most 1 000 addresses and 1 000 alternatives per topic).",
  params: [required("filter", LogFilter)],
  returns: "Log[]",
  handler: (ctx, [filter]) => {
    if (filter.blockHash) {
      const block = ctx.core.chain.store.getByHash(filter.blockHash);
      if (!block) throw new DevnetError("UNKNOWN_BLOCK", `block ${filter.blockHash} not found`);
      return logsOf([block], filter);
    }
    const { from, to } = range(ctx.core, filter);
    return queryLogs(ctx.core.chain, filter, from, to);
  },
});

export const ethNewFilter = defineMethod({
  name: "eth_newFilter",
  group: "eth",
  summary: "Creates a log filter to poll with eth_getFilterChanges (removed after 5 minutes without a poll).",
  params: [required("filter", LogFilter)],
  returns: "Quantity (filter id)",
  handler: (ctx, [filter]) => {
    if (filter.blockHash) throw new DevnetError("INVALID_PARAMS", "eth_newFilter does not take blockHash");
    const from = filter.fromBlock ? ctx.core.resolveBlock(filter.fromBlock).block.number : ctx.core.chain.store.height + 1n;
    const to =
      filter.toBlock && !(filter.toBlock.kind === "tag" && filter.toBlock.tag === "latest")
        ? ctx.core.resolveBlock(filter.toBlock).block.number
        : undefined;
    return ctx.core.filters.newLogFilter(filter, from, to);
  },
});

export const ethNewBlockFilter = defineMethod({
  name: "eth_newBlockFilter",
  group: "eth",
  summary: "Creates a filter that reports new block hashes (removed after 5 minutes without a poll).",
  params: [],
  returns: "Quantity (filter id)",
  handler: (ctx) => ctx.core.filters.newBlockFilter(),
});

export const ethNewPendingTransactionFilter = defineMethod({
  name: "eth_newPendingTransactionFilter",
  group: "eth",
  summary: "Creates a filter that reports hashes of newly pooled transactions (removed after 5 minutes without a poll).",
  params: [],
  returns: "Quantity (filter id)",
  handler: (ctx) => ctx.core.filters.newPendingFilter(),
});

const filterId = required("filterId", Text);

export const ethGetFilterChanges = defineMethod({
  name: "eth_getFilterChanges",
  group: "eth",
  summary:
    "What a filter saw since the last poll: the newest 10 000 blocks or transactions at most; log filters answer whole blocks up to 10 000 logs and the rest on the next poll.",
  params: [filterId],
  returns: "Log[] | Hash[]",
  handler: (ctx, [id]) => ctx.core.filters.changes(id),
});

export const ethGetFilterLogs = defineMethod({
  name: "eth_getFilterLogs",
  group: "eth",
  summary: "All logs matching a log filter.",
  params: [filterId],
  returns: "Log[]",
  handler: (ctx, [id]) => ctx.core.filters.logs(id),
});

export const ethUninstallFilter = defineMethod({
  name: "eth_uninstallFilter",
  group: "eth",
  summary: "Removes a filter; false if it did not exist.",
  params: [filterId],
  returns: "boolean",
  handler: (ctx, [id]) => ctx.core.filters.uninstall(id),
});

export const ethFilterMethods = [
  ethGetLogs,
  ethNewFilter,
  ethNewBlockFilter,
  ethNewPendingTransactionFilter,
  ethGetFilterChanges,
  ethGetFilterLogs,
  ethUninstallFilter,
];
