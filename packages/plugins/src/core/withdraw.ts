import { BITCOIN_BRIDGE } from "@bitlayer/devnet/client";
import { Interface } from "ethers";
import { BitlayerHelperError } from "./errors.js";
import { requireDevnet } from "./network.js";
import { rpc, sleep, toQuantity } from "./request.js";
import type { Eip1193Provider, Hex, WithdrawResult } from "./types.js";
import { assertAddress, milliseconds, show, wholeNumber } from "./validate.js";

/** Arguments of {@link withdraw}. */
export interface WithdrawArgs {
  /** The L2 account that burns the BTC (the provider must sign for it: a dev account on the devnet). */
  from: Hex;
  /** The Bitcoin address paid: on the devnet a regtest segwit address (bcrt1q... or bcrt1p...). */
  btcAddress: string;
  /** Sats to burn; the payout is this minus the withdrawal fee (1 000 sats on the devnet). */
  amountSats: number | bigint;
  /** How long to wait for the receipt when the node does not mine at once (default 60 000 ms). */
  timeoutMs?: number;
}

const bridge = new Interface(BITCOIN_BRIDGE.abi);

interface Receipt {
  status: Hex;
  logs: { address: string; topics: Hex[]; data: Hex }[];
}

/**
 * Starts a peg-out: sends the bridge's `withdraw(btcAddress)` from `from` with `amountSats` as value
 * (eth_sendTransaction), and reads the withdrawal's id from the receipt's `WithdrawalInitiated` event.
 * @throws INVALID_ARGUMENT; NOT_A_DEVNET on another network (nothing is sent); RPC_ERROR if the node refuses the
 * transaction (the bridge's revert reason, e.g. a bad Bitcoin address, in `cause`); HALTED while the L2 is halted.
 * @example
 * const btcAddress = await devnet.bitcoinRequest("getnewaddress");
 * const { transactionHash, withdrawalId } = await withdraw(provider, { from, btcAddress, amountSats: 100_000 });
 */
export async function withdraw(provider: Eip1193Provider, args: WithdrawArgs): Promise<WithdrawResult> {
  if (typeof args !== "object" || args === null)
    throw new BitlayerHelperError("INVALID_ARGUMENT", `withdraw expects { from, btcAddress, amountSats }; got ${show(args)}`);
  assertAddress(args.from, "from");
  if (typeof args.btcAddress !== "string" || args.btcAddress.trim() === "") {
    throw new BitlayerHelperError("INVALID_ARGUMENT", `btcAddress must be a Bitcoin address; got ${show(args.btcAddress)}`);
  }
  const sats = wholeNumber(args.amountSats, "amountSats");
  const timeoutMs = milliseconds(args.timeoutMs, "timeoutMs", 60_000);
  await requireDevnet(provider, "withdraw", "it pays out through the devnet's bridge and simulated Bitcoin chain");
  const info = await rpc<{ bridge: Hex; weiPerSat: string | number }>(provider, "bitlayer_bridgeInfo");
  const transactionHash = await rpc<Hex>(provider, "eth_sendTransaction", [
    {
      from: args.from,
      to: info.bridge,
      value: toQuantity(sats * BigInt(info.weiPerSat)),
      data: bridge.encodeFunctionData("withdraw", [args.btcAddress]),
    },
  ]);
  const deadline = Date.now() + timeoutMs;
  let receipt = await rpc<Receipt | null>(provider, "eth_getTransactionReceipt", [transactionHash]);
  while (!receipt) {
    if (Date.now() >= deadline)
      throw new BitlayerHelperError("TIMEOUT", `withdraw: ${transactionHash} has no receipt after ${timeoutMs} ms`);
    await sleep(200);
    receipt = await rpc<Receipt | null>(provider, "eth_getTransactionReceipt", [transactionHash]);
  }
  const topic = bridge.getEvent("WithdrawalInitiated")?.topicHash;
  const log = receipt.logs.find((l) => l.address.toLowerCase() === info.bridge.toLowerCase() && l.topics[0] === topic);
  if (receipt.status !== "0x1" || !log) {
    throw new BitlayerHelperError("RPC_ERROR", `withdraw: ${transactionHash} made no withdrawal (status ${receipt.status})`, {
      cause: { code: undefined, message: "no WithdrawalInitiated event in the receipt", data: receipt },
    });
  }
  return { transactionHash, withdrawalId: log.topics[1] };
}
