import { BitcoinTxRejected } from "./errors.js";

/**
 * Bitcoin Core's ScriptErrorString texts (src/script/script_error.cpp) for the script failures the
 * simulated chain detects; they end up inside the reject reason, so they must match Core letter for letter.
 */
export const ScriptError = {
  EVAL_FALSE: "Script evaluated without error but finished with a false/empty top stack element",
  PUSH_SIZE: "Push value size limit exceeded",
  STACK_SIZE: "Stack size limit exceeded",
  INVALID_STACK_OPERATION: "Operation not valid with the current stack size",
  NEGATIVE_LOCKTIME: "Negative locktime",
  UNSATISFIED_LOCKTIME: "Locktime requirement not satisfied",
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: "Taproot version reserved for soft-fork upgrades",
  CLEANSTACK: "Stack size must be exactly one after execution",
  WITNESS_PROGRAM_WITNESS_EMPTY: "Witness program was passed an empty witness",
  WITNESS_PROGRAM_MISMATCH: "Witness program hash mismatch",
  WITNESS_MALLEATED: "Witness requires empty scriptSig",
  SCHNORR_SIG_SIZE: "Invalid Schnorr signature size",
  SCHNORR_SIG_HASHTYPE: "Invalid Schnorr signature hash type",
  SCHNORR_SIG: "Invalid Schnorr signature",
  TAPROOT_WRONG_CONTROL_SIZE: "Invalid Taproot control block size",
} as const;

/**
 * A script failure that breaks a consensus rule (Core's MANDATORY_SCRIPT_VERIFY_FLAGS, which since
 * v26 include CHECKSEQUENCEVERIFY, WITNESS and TAPROOT): CheckInputScripts reports it as
 * `mandatory-script-verify-flag-failed (<ScriptErrorString>)`.
 */
export function scriptError(detail: string, txid: string): BitcoinTxRejected {
  return new BitcoinTxRejected(`mandatory-script-verify-flag-failed (${detail})`, undefined, txid);
}

/**
 * A script failure that only policy flags cause (the spend is consensus-valid, e.g. an unknown taproot
 * leaf version): Core reports `non-mandatory-script-verify-flag (<ScriptErrorString>)`.
 */
export function policyScriptError(detail: string, txid: string): BitcoinTxRejected {
  return new BitcoinTxRejected(`non-mandatory-script-verify-flag (${detail})`, undefined, txid);
}

/** A spend the simulation cannot evaluate: refused rather than accepted unchecked. */
export function unsimulatedInput(index: number, what: string, txid: string): BitcoinTxRejected {
  return new BitcoinTxRejected("bad-txns-nonstandard-inputs", `input ${index}: ${what}`, txid);
}
