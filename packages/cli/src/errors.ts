/**
 * Errors the CLI reports as one line (`error: …`) and a non-zero exit code.
 *
 * @module
 */

/** Stable codes a script can tell apart in `--json` output. */
export type CliErrorCode =
  | "DEVNET_UNREACHABLE"
  | "NOT_A_DEVNET"
  | "RPC_ERROR"
  | "INVALID_ARGUMENT"
  | "TARGET_NOT_EMPTY"
  | "UNKNOWN_TEMPLATE"
  | "INSTALL_FAILED"
  | "COMPILE_FAILED"
  | "DEPLOY_FAILED"
  | "STATE_FILE";

/** An error whose message is already the one line the user should read. */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
    this.code = code;
  }
}

/** One line, whatever the error (a stack trace or a multi-line message would hide the point). */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
}
