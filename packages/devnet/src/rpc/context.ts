import type { DevnetCore } from "../devnet/core.js";

/** A client connection that can receive subscription notifications (WebSocket, or the in-process provider). */
export interface Connection {
  notify(subscription: string, result: unknown): void;
  onClose(listener: () => void): void;
}

/** What every RPC handler receives. */
export interface RpcContext {
  core: DevnetCore;
  connection?: Connection;
}
