import { DevnetError } from "../errors.js";

const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

type ParsedRevert = { kind: "error"; reason: string } | { kind: "panic"; code: bigint } | undefined;

async function parseRevert(data: string): Promise<ParsedRevert> {
  if (!data.startsWith(ERROR_SELECTOR) && !data.startsWith(PANIC_SELECTOR)) return undefined;
  // ethers is loaded on first use: it is not needed to start the devnet.
  const { AbiCoder } = await import("ethers/abi");
  try {
    if (data.startsWith(ERROR_SELECTOR)) {
      return { kind: "error", reason: AbiCoder.defaultAbiCoder().decode(["string"], `0x${data.slice(10)}`)[0] as string };
    }
    return { kind: "panic", code: AbiCoder.defaultAbiCoder().decode(["uint256"], `0x${data.slice(10)}`)[0] as bigint };
  } catch {
    return undefined; // malformed revert data: reported raw
  }
}

/** The human-readable part of revert data: Error(string), Panic(uint256), or nothing for custom errors. */
export async function decodeRevert(data: string): Promise<string | undefined> {
  const parsed = await parseRevert(data);
  if (parsed?.kind === "error") return parsed.reason;
  if (parsed?.kind === "panic") return `panic code 0x${parsed.code.toString(16)}`;
  return undefined;
}

/** Solidity's panic codes, in Hardhat's words. */
const PANIC_REASONS: Record<string, string> = {
  "1": "Assertion error",
  "11": "Arithmetic operation overflowed outside of an unchecked block",
  "12": "Division or modulo division by zero",
  "21": "Tried to convert a value into an enum, but the value was too big or negative",
  "22": "Incorrectly encoded storage byte array",
  "31": ".pop() was called on an empty array",
  "32": "Array accessed at an out-of-bounds or negative index",
  "41": "Too much memory was allocated, or an array was created that is too large",
  "51": "Called a zero-initialized variable of internal function type",
};

const VM_EXCEPTION = "VM Exception while processing transaction:";

/** Hardhat's message for a mined transaction that failed, from its return data and the EVM's exception. */
async function failureMessage(data: string, exception: string): Promise<string> {
  if (exception === "out of gas") return "Transaction ran out of gas";
  if (exception === "invalid opcode") return `${VM_EXCEPTION} invalid opcode`;
  if (exception !== "revert") return `${VM_EXCEPTION} ${exception}`;
  if (data === "0x") return "Transaction reverted without a reason string";
  const parsed = await parseRevert(data);
  if (parsed?.kind === "error") return `${VM_EXCEPTION} reverted with reason string '${parsed.reason}'`;
  if (parsed?.kind === "panic") {
    const hex = parsed.code.toString(16);
    const reason = PANIC_REASONS[hex];
    return reason
      ? `${VM_EXCEPTION} reverted with panic code 0x${hex} (${reason})`
      : `${VM_EXCEPTION} reverted with unknown panic code 0x${hex}`;
  }
  return `${VM_EXCEPTION} reverted with an unrecognized custom error (return data: ${data})`;
}

/**
 * The error a send answers when its transaction was mined and failed, in the shape of Hardhat's
 * node (`throwOnTransactionFailures`): `data` is `{ message, txHash, data }`, `data.data` the
 * revert data, which hardhat-ethers and hardhat-chai-matchers read.
 */
export async function transactionFailed(txHash: string, data: string, exception: string): Promise<DevnetError> {
  const message = await failureMessage(data, exception);
  return new DevnetError("TRANSACTION_FAILED", message, { data: { message, txHash, data } });
}
