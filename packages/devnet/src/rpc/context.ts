import type { DevnetCore } from "../devnet/core.js";

/** A client connection that can receive subscription notifications (WebSocket, or the in-process provider). */
export interface Connection {
  notify(subscription: string, result: unknown): void;
  /** Calls `listener` when the connection closes, at once if it already has. */
  onClose(listener: () => void): void;
}

/** Where a request comes from, as its transport tells `core.request`. */
export interface RequestSource {
  /** The client's connection, for its subscriptions. */
  connection?: Connection;
  /**
   * The answer goes straight onto a socket, and the client's next request passes `core.request`: an
   * automined send may then be answered before its block is sealed (L2Chain's `answerBeforeSealed`).
   */
  answerBeforeSealed?: boolean;
}

/** What every RPC handler receives. */
export interface RpcContext extends RequestSource {
  core: DevnetCore;
}

/** A connection for a transport to hand to `core.request`; `close()` runs its close listeners once. */
export function openConnection(notify: Connection["notify"]): { connection: Connection; close(): void } {
  let listeners: (() => void)[] | undefined = [];
  return {
    connection: {
      notify,
      onClose(listener) {
        if (listeners) listeners.push(listener);
        else listener();
      },
    },
    close() {
      const pending = listeners ?? [];
      listeners = undefined;
      for (const listener of pending) listener();
    },
  };
}
