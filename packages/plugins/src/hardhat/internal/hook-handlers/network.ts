/**
 * Network hooks: `connection.bitlayer` on every connection; a network with `bitlayer: { devnet: true }` gets its own
 * devnet, started while Hardhat creates the connection and stopped after Hardhat closes it.
 *
 * @internal
 * @module
 */

import type { NetworkHooks } from "hardhat/types/hooks";
import { bindHelpers } from "../../../core/index.js";
import { type StartedDevnet, stopDevnet, withConnectionScope } from "../in-process.js";

const devnets = new WeakMap<object, StartedDevnet>();

export default async (): Promise<Partial<NetworkHooks>> => ({
  async newConnection(context, next) {
    const { value: connection, started } = await withConnectionScope(() => next(context));
    if (started) devnets.set(connection, started);
    connection.bitlayer = { ...bindHelpers(connection.provider), devnet: started?.devnet };
    return connection;
  },

  async closeConnection(context, connection, next) {
    try {
      await next(context, connection);
    } finally {
      const started = devnets.get(connection);
      devnets.delete(connection);
      await stopDevnet(started);
    }
  },
});
