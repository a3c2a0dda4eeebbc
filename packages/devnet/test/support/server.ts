// Starts an in-process devnet and its HTTP/WebSocket server on a random loopback port.
//
//   const net = await startTestDevnet();
//   try { ... net.url ... } finally { await net.close(); }

import type { Devnet, DevnetOptions, DevnetServer } from "../../src/index.js";
import { createDevnet, startServer } from "../../src/index.js";

export interface TestDevnet {
  devnet: Devnet;
  server: DevnetServer;
  /** http://127.0.0.1:PORT */
  url: string;
  wsUrl: string;
  /** Closes the server, then the devnet. Safe to call more than once. */
  close(): Promise<void>;
}

export async function startTestDevnet(options: DevnetOptions & { port?: number } = {}): Promise<TestDevnet> {
  const { port = 0, ...devnetOptions } = options;
  const devnet = await createDevnet(devnetOptions);
  let server: DevnetServer;
  try {
    server = await startServer(devnet, { host: "127.0.0.1", port });
  } catch (err) {
    await devnet.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    devnet,
    server,
    url: server.url,
    wsUrl: server.wsUrl,
    close() {
      closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await devnet.close();
        }
      })();
      return closing;
    },
  };
}
