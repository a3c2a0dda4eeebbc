/**
 * A transaction refused by the simulated Bitcoin chain. `reason` is Bitcoin Core's reject reason
 * (e.g. `txn-mempool-conflict`, `bad-txns-inputs-missingorspent`); `message` reads as Core's
 * `"reason, debug"` text.
 */
export class BitcoinTxRejected extends Error {
  override readonly name = "BitcoinTxRejected";
  constructor(
    /** Bitcoin Core's reject reason, the string to match on. */
    readonly reason: string,
    /** Core's debug detail, when it gives one (e.g. `"tried to spend coinbase at depth 5"`). */
    readonly debug?: string,
    /** The refused transaction's id, when it could be decoded. */
    readonly txid?: string,
  ) {
    super(debug ? `${reason}, ${debug}` : reason);
  }
}

/** Misuse of the simulated Bitcoin chain's API (a bad argument, a malformed captured state). */
export class BitcoinChainError extends Error {
  override readonly name = "BitcoinChainError";
}
