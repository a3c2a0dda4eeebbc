import { BitlayerHelperError, type RpcErrorCause, recover } from "@bitlayer/plugins";
import { Command } from "commander";
import { CliError } from "../../errors.js";
import { blockNo, fields, plural } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

/** `bitlayer recover`. */
export function recoverCommand(): Command {
  return clientCommand(
    new Command("recover")
      .summary("After a halt, roll back to the last valid batch and resume")
      .description(
        "After a halt: roll the L2 back to the end of the last valid batch (later blocks and pooled transactions are dropped), " +
          "start a new claim chain and resume",
      )
      .action((flags: ClientFlags) =>
        runClient(
          flags,
          async ({ provider }) => {
            try {
              return await recover(provider);
            } catch (error) {
              if (error instanceof BitlayerHelperError && (error.cause as RpcErrorCause | undefined)?.reason === "NOT_HALTED")
                throw new CliError("RPC_ERROR", "the L2 is not halted: there is nothing to recover");
              throw error;
            }
          },
          (r) =>
            fields([
              ["Recovered", `rolled back to L2 block ${blockNo(r.rolledBackTo)}`],
              ["Dropped", `${plural(Number(BigInt(r.droppedBlocks)), "block")}, ${plural(r.droppedTransactions, "pooled transaction")}`],
              ["Claim chain", `#${r.claimChain}`],
            ]),
        ),
      ),
    "bitlayer recover",
  );
}
