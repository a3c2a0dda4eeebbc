import { EventEmitter } from "node:events";
import type { DevnetCore } from "../devnet/core.js";
import { DevnetError, type DevnetErrorCode } from "../errors.js";
import { startWasmKeccak, wasmKeccakCompiling } from "../l2/crypto.js";
import { openConnection } from "./context.js";

export interface RequestArguments {
  method: string;
  params?: readonly unknown[] | object;
}

/** The error an EIP-1193 request rejects with: a numeric JSON-RPC `code`, plus the devnet's own `reason`. */
export class ProviderRpcError extends Error {
  readonly code: number;
  readonly data?: unknown;
  readonly reason: DevnetErrorCode;

  constructor(error: DevnetError) {
    super(error.message);
    this.name = "ProviderRpcError";
    this.code = error.rpcCode;
    this.data = error.data;
    this.reason = error.code;
  }
}

/** Turns anything thrown by a handler into a DevnetError (internal errors keep their message). */
export function toDevnetError(error: unknown): DevnetError {
  if (error instanceof DevnetError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DevnetError("INTERNAL_ERROR", `internal error: ${message}`);
}

/**
 * In-process EIP-1193 provider. Subscriptions arrive as "message" events,
 * as in browser wallets: { type: "eth_subscription", data: { subscription, result } }.
 */
export class DevnetProvider extends EventEmitter {
  private link = this.open();

  constructor(private readonly core: DevnetCore) {
    super();
  }

  private open() {
    return openConnection((subscription, result) => this.emit("message", { type: "eth_subscription", data: { subscription, result } }));
  }

  async request(args: RequestArguments): Promise<unknown> {
    if (typeof args !== "object" || args === null || typeof args.method !== "string") {
      throw new ProviderRpcError(new DevnetError("INVALID_REQUEST", "request expects { method: string, params?: unknown[] }"));
    }
    try {
      // The first block started the WebAssembly Keccak: an in-process caller may never let the event loop finish it.
      if (wasmKeccakCompiling()) await startWasmKeccak();
      return await this.core.request(args.method, args.params, { connection: this.link.connection });
    } catch (error) {
      throw new ProviderRpcError(toDevnetError(error));
    }
  }

  /** Ends this provider's subscriptions; later ones start afresh. */
  disconnect(): void {
    this.link.close();
    this.link = this.open();
  }
}
