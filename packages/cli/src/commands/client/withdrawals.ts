import type { Withdrawal } from "@bitlayer/plugins";
import { Command, InvalidArgumentError } from "commander";
import { blockNo, columns } from "./format.js";
import { type ClientFlags, clientCommand, runClient } from "./rpc.js";

/** What bitlayer_listWithdrawals filters on: an L2 sender or a regtest Bitcoin address. */
export function withdrawalOwner(value: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(value) || /^bcrt1[02-9ac-hj-np-z]{8,87}$/i.test(value)) return value;
  throw new InvalidArgumentError(`expected an L2 address (0x + 40 hex digits) or a regtest Bitcoin address (bcrt1...), got "${value}"`);
}

/** `bitlayer withdrawals [address]`. */
export function withdrawalsCommand(): Command {
  return clientCommand(
    new Command("withdrawals")
      .summary("List peg-outs, by L2 sender or Bitcoin address")
      .description("List peg-outs, oldest first (the newest 1000): all, those burned by an L2 address, or those paying a Bitcoin address")
      .argument("[address]", "an L2 sender (0x...) or a regtest Bitcoin address (bcrt1...)", withdrawalOwner)
      .action((owner: string | undefined, flags: ClientFlags) =>
        runClient(
          flags,
          // The helper core follows one withdrawal; the list is the devnet's method, asked directly.
          ({ provider }) => provider.request({ method: "bitlayer_listWithdrawals", params: owner ? [owner] : [] }) as Promise<Withdrawal[]>,
          (list) => withdrawalsText(list, owner),
        ),
      ),
    "bitlayer withdrawals 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  );
}

function withdrawalsText(list: Withdrawal[], owner: string | undefined): string {
  if (list.length === 0) return owner ? `No withdrawals for ${owner}.` : "No withdrawals.";
  return columns(
    ["#", "STATUS", "SATS", "FROM", "TO (BITCOIN)", "L2 BLOCK", "BATCH", "BITCOIN PAYMENT"],
    list.map((w) => [
      String(BigInt(w.index)),
      w.status,
      String(w.amountSats),
      w.from,
      w.btcAddress,
      blockNo(w.blockNumber),
      w.batch === null ? "-" : `#${w.batch}`,
      w.payment ? `${w.payment.txid} (height ${w.payment.height})` : (w.waiting ?? w.invalidated ?? "-"),
    ]),
  );
}
