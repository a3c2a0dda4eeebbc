const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

/** The human-readable part of revert data: Error(string), Panic(uint256), or nothing for custom errors. */
export async function decodeRevert(data: string): Promise<string | undefined> {
  if (!data.startsWith(ERROR_SELECTOR) && !data.startsWith(PANIC_SELECTOR)) return undefined;
  // ethers is loaded on first use: it is not needed to start the devnet.
  const { AbiCoder } = await import("ethers");
  try {
    if (data.startsWith(ERROR_SELECTOR)) {
      return AbiCoder.defaultAbiCoder().decode(["string"], `0x${data.slice(10)}`)[0] as string;
    }
    const code = AbiCoder.defaultAbiCoder().decode(["uint256"], `0x${data.slice(10)}`)[0] as bigint;
    return `panic code 0x${code.toString(16)}`;
  } catch {
    return undefined; // malformed revert data: reported raw
  }
}
