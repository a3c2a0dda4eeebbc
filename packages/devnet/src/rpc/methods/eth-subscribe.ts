import * as z from "zod";
import { DevnetError } from "../../errors.js";
import { defineMethod, optional, required } from "../registry.js";
import { LogFilter, paramType, Text } from "../schemas.js";
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "../subscriptions.js";

const SubscriptionKind = paramType("string", '"newHeads", "logs" or "newPendingTransactions"', () =>
  z.enum(["newHeads", "logs", "newPendingTransactions"]),
);

export const ethSubscribe = defineMethod({
  name: "eth_subscribe",
  group: "eth",
  summary: `Subscribes to new heads, logs or pending transactions (WebSocket or in-process provider only; at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} per connection).`,
  params: [required("kind", SubscriptionKind), optional("filter", LogFilter, "for logs: address and topics")],
  returns: "Quantity (subscription id)",
  handler: (ctx, [kind, filter]) => {
    if (!ctx.connection) {
      throw new DevnetError("INVALID_REQUEST", "eth_subscribe needs a connection that can receive notifications: use WebSocket", {
        rpcCode: -32600,
      });
    }
    return ctx.core.subscriptions.subscribe(ctx.connection, kind, filter);
  },
});

export const ethUnsubscribe = defineMethod({
  name: "eth_unsubscribe",
  group: "eth",
  summary: "Ends a subscription of this connection; false if this connection has no such subscription.",
  params: [required("subscriptionId", Text)],
  returns: "boolean",
  handler: (ctx, [id]) => ctx.core.subscriptions.unsubscribe(ctx.connection, id),
});

export const ethSubscribeMethods = [ethSubscribe, ethUnsubscribe];
