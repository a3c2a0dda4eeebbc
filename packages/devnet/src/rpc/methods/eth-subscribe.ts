import { randomBytes } from "node:crypto";
import { z } from "zod";
import { DevnetError } from "../../errors.js";
import type { StoredBlock } from "../../l2/types.js";
import { formatHeader } from "../format.js";
import { matchLogs } from "../logs.js";
import { defineMethod, optional, required } from "../registry.js";
import { LogFilter, Text } from "../schemas.js";

const SubscriptionKind = {
  label: "string",
  description: '"newHeads", "logs" or "newPendingTransactions"',
  schema: z.enum(["newHeads", "logs", "newPendingTransactions"]),
};

export const ethSubscribe = defineMethod({
  name: "eth_subscribe",
  group: "eth",
  summary: "Subscribes to new heads, logs or pending transactions (WebSocket or in-process provider only).",
  params: [required("kind", SubscriptionKind), optional("filter", LogFilter, "for logs: address and topics")],
  returns: "Quantity (subscription id)",
  handler: (ctx, [kind, filter]) => {
    const connection = ctx.connection;
    if (!connection) {
      throw new DevnetError("INVALID_REQUEST", "eth_subscribe needs a connection that can receive notifications: use WebSocket", {
        rpcCode: -32600,
      });
    }
    const chain = ctx.core.chain;
    const id = `0x${randomBytes(16).toString("hex")}`;
    let stop: () => void;
    if (kind === "newPendingTransactions") {
      const listener = (hash: string) => connection.notify(id, hash);
      chain.on("pendingTransaction", listener);
      stop = () => chain.off("pendingTransaction", listener);
    } else {
      const criteria = filter ?? { topics: [] };
      const listener = (block: StoredBlock) => {
        if (kind === "newHeads") connection.notify(id, formatHeader(block));
        else for (const log of matchLogs(block, criteria)) connection.notify(id, log);
      };
      chain.on("block", listener);
      stop = () => chain.off("block", listener);
    }
    const active = ctx.core.subscriptions;
    active.set(id, stop);
    connection.onClose(() => {
      active.get(id)?.();
      active.delete(id);
    });
    return id;
  },
});

export const ethUnsubscribe = defineMethod({
  name: "eth_unsubscribe",
  group: "eth",
  summary: "Ends a subscription; false if it did not exist.",
  params: [required("subscriptionId", Text)],
  returns: "boolean",
  handler: (ctx, [id]) => {
    const active = ctx.core.subscriptions;
    const stop = active.get(id.toLowerCase());
    if (!stop) return false;
    stop();
    active.delete(id.toLowerCase());
    return true;
  },
});

export const ethSubscribeMethods = [ethSubscribe, ethUnsubscribe];
