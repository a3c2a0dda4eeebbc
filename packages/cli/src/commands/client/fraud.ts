import { type Hex, injectFraud } from "@bitlayer/plugins";
import { Command, InvalidArgumentError } from "commander";
import { fields } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

interface FraudFlags extends ClientFlags {
  root?: Hex;
}

function stateRoot(value: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError(`expected a state root (0x + 64 hex digits), got "${value}"`);
  return value as Hex;
}

/** `bitlayer fraud`. */
export function fraudCommand(): Command {
  return clientCommand(
    new Command("fraud")
      .summary("Make the next claim fraudulent (the watcher catches it and the L2 halts)")
      .description(
        "Make the operator's next claim fraudulent: with the watcher on it is challenged, asserted and disproved on Bitcoin and the L2 halts; " +
          "with the watcher off it becomes hard final",
      )
      .option("--root <hash>", "the wrong post-state root the claim carries (default: a made-up one)", stateRoot)
      .action((flags: FraudFlags) =>
        runClient(
          flags,
          ({ provider }) => injectFraud(provider, flags.root),
          ({ batch }) =>
            fields([
              ["Fraud", `injected: batch #${batch}'s claim will carry a wrong state root`],
              ["Next", "send a transaction, then mine Bitcoin blocks (`bitlayer btc mine 10`) to see it disproved"],
            ]),
        ),
      ),
    "bitlayer fraud && bitlayer btc mine 10 && bitlayer status",
  );
}
