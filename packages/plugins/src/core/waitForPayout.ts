import { BitlayerHelperError } from "./errors.js";
import { getWithdrawal } from "./getWithdrawal.js";
import { rpc, sleep } from "./request.js";
import type { Eip1193Provider, Hex, PayoutResult, WarpResult, Withdrawal } from "./types.js";
import { milliseconds, wholeNumber } from "./validate.js";

/** Options of {@link waitForPayout}. */
export interface WaitForPayoutOptions {
  /** Warp the devnet's clock until the burn is hard final, then mine Bitcoin blocks until the payment is mined. */
  warp?: boolean;
  /** With `warp`: at most this many Bitcoin blocks mined after hard finality (default 6). */
  maxBlocks?: number;
  /** Without `warp`: give up with TIMEOUT after this long (default 60 000 ms). */
  timeoutMs?: number;
  /** Without `warp`: how often to ask (default 500 ms). */
  pollIntervalMs?: number;
}

function paid(w: Withdrawal): PayoutResult | undefined {
  if (w.status === "invalidated") {
    throw new BitlayerHelperError(
      "HALTED",
      `withdrawal ${w.id} was invalidated and will never be paid: ${w.invalidated ?? "its batch was disproved"}`,
    );
  }
  return w.payment ? { payment: w.payment, withdrawal: w } : undefined;
}

/**
 * Follows a withdrawal to its Bitcoin payout. With `warp: true`: warps until its burn is hard final
 * (bitlayer_warp `{ until: "hard" }`), then mines Bitcoin blocks one by one until the withdrawal shows a mined
 * payment. Without: polls bitlayer_getWithdrawal.
 * @returns the payment ({ txid, height }) and the withdrawal as the devnet then reports it.
 * @throws NOT_A_DEVNET; UNKNOWN_TRANSACTION; HALTED if the withdrawal is invalidated; TIMEOUT (with `warp`: not
 * paid after `maxBlocks` blocks, e.g. the bridge's coins do not cover it: see `withdrawal.waiting`).
 * @example
 * const { withdrawalId } = await withdraw(provider, { from, btcAddress, amountSats: 100_000 });
 * const { payment, withdrawal } = await waitForPayout(provider, withdrawalId, { warp: true });
 * console.log(payment.txid, withdrawal.paidSats); // 99 000 sats paid
 */
export async function waitForPayout(provider: Eip1193Provider, idOrTxHash: Hex, options: WaitForPayoutOptions = {}): Promise<PayoutResult> {
  const maxBlocks = options.maxBlocks === undefined ? 6 : Number(wholeNumber(options.maxBlocks, "maxBlocks", 0n));
  const timeoutMs = milliseconds(options.timeoutMs, "timeoutMs", 60_000);
  const pollIntervalMs = milliseconds(options.pollIntervalMs, "pollIntervalMs", 500);
  let withdrawal = await getWithdrawal(provider, idOrTxHash);
  let done = paid(withdrawal);
  if (done) return done;
  if (options.warp) {
    if (withdrawal.status === "initiated" || withdrawal.status === "anchored") {
      await rpc<WarpResult>(provider, "bitlayer_warp", [{ until: "hard", tx: withdrawal.transactionHash }]);
    }
    for (let mined = 0; ; mined++) {
      withdrawal = await getWithdrawal(provider, idOrTxHash);
      done = paid(withdrawal);
      if (done) return done;
      if (mined >= maxBlocks) break;
      await rpc<string[]>(provider, "bitlayer_mineBitcoin", [1]);
    }
    throw new BitlayerHelperError(
      "TIMEOUT",
      `waitForPayout: withdrawal ${withdrawal.id} is ${withdrawal.status} and unpaid after ${maxBlocks} Bitcoin blocks${withdrawal.waiting ? `: ${withdrawal.waiting}` : ""}`,
    );
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (Date.now() >= deadline) {
      throw new BitlayerHelperError(
        "TIMEOUT",
        `waitForPayout: withdrawal ${withdrawal.id} is ${withdrawal.status} and unpaid after ${timeoutMs} ms`,
      );
    }
    await sleep(pollIntervalMs);
    withdrawal = await getWithdrawal(provider, idOrTxHash);
    done = paid(withdrawal);
    if (done) return done;
  }
}
