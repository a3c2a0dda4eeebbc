import { AbiCoder } from "ethers";

const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

/** The human-readable part of revert data: Error(string), Panic(uint256), or nothing for custom errors. */
export function decodeRevert(data: string): string | undefined {
  try {
    if (data.startsWith(ERROR_SELECTOR)) {
      return AbiCoder.defaultAbiCoder().decode(["string"], `0x${data.slice(10)}`)[0] as string;
    }
    if (data.startsWith(PANIC_SELECTOR)) {
      const code = AbiCoder.defaultAbiCoder().decode(["uint256"], `0x${data.slice(10)}`)[0] as bigint;
      return `panic code 0x${code.toString(16)}`;
    }
  } catch {
    // Malformed revert data: report it raw.
  }
  return undefined;
}
