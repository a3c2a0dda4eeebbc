import { randomBytes } from "node:crypto";
import { DevnetError } from "../errors.js";
import type { L2Chain } from "../l2/chain.js";
import type { StoredBlock } from "../l2/types.js";
import type { Connection } from "./context.js";
import { formatHeader } from "./format.js";
import { type LogCriteria, matchLogs } from "./logs.js";

/** Most live eth_subscribe subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 1000;

export type SubscriptionKind = "newHeads" | "logs" | "newPendingTransactions";

interface Subscription {
  kind: SubscriptionKind;
  criteria: LogCriteria;
}

/**
 * eth_subscribe's live subscriptions. Each belongs to the connection that made it: only that
 * connection is notified, can end it, and closing the connection ends them all. One listener on
 * the chain serves every subscription.
 */
export class SubscriptionRegistry {
  private readonly byConnection = new Map<Connection, Map<string, Subscription>>();
  private count = 0;

  constructor(chain: L2Chain) {
    chain.on("block", (block) => this.onBlock(block));
    chain.on("pendingTransaction", (hash) => {
      for (const [connection, own] of this.byConnection) {
        for (const [id, sub] of own) if (sub.kind === "newPendingTransactions") connection.notify(id, hash);
      }
    });
  }

  /** Live subscriptions over every connection. */
  get size(): number {
    return this.count;
  }

  subscribe(connection: Connection, kind: SubscriptionKind, criteria: LogCriteria = { topics: [] }): string {
    let own = this.byConnection.get(connection);
    if (!own) {
      const created = new Map<string, Subscription>();
      own = created;
      this.byConnection.set(connection, created);
      connection.onClose(() => {
        this.count -= created.size;
        this.byConnection.delete(connection);
      });
      // A connection closed while this request ran was removed at once: nothing to add to.
      if (!this.byConnection.has(connection)) {
        throw new DevnetError("INVALID_REQUEST", "the connection is closed", { rpcCode: -32600 });
      }
    }
    if (own.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      throw new DevnetError(
        "LIMIT_EXCEEDED",
        `too many subscriptions on this connection: at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} (MAX_SUBSCRIPTIONS_PER_CONNECTION); end some with eth_unsubscribe`,
      );
    }
    const id = `0x${randomBytes(16).toString("hex")}`;
    own.set(id, { kind, criteria });
    this.count++;
    return id;
  }

  /** Ends a subscription of `connection`; false for an unknown id or another connection's. */
  unsubscribe(connection: Connection | undefined, id: string): boolean {
    const own = connection && this.byConnection.get(connection);
    if (!own?.delete(id.toLowerCase())) return false;
    this.count--;
    return true;
  }

  private onBlock(block: StoredBlock): void {
    for (const [connection, own] of this.byConnection) {
      for (const [id, sub] of own) {
        if (sub.kind === "newHeads") connection.notify(id, formatHeader(block));
        else if (sub.kind === "logs") for (const log of matchLogs(block, sub.criteria)) connection.notify(id, log);
      }
    }
  }
}
