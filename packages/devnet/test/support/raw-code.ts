// Contracts written as raw EVM code in tests: deployed behind a minimal init code that returns them.

import type { Devnet } from "../../src/index.js";

/** Init code that returns `runtime` (hex, no 0x, under 256 bytes) as the contract's code. */
export function initCodeFor(runtime: string): string {
  const n = (runtime.length / 2).toString(16).padStart(2, "0");
  return `0x60${n}600c60003960${n}6000f3${runtime}`;
}

/** Deploys `runtime` from `from`; its address. */
export async function deployRuntime(devnet: Devnet, from: string, runtime: string): Promise<string> {
  const hash = await devnet.request({ method: "eth_sendTransaction", params: [{ from, data: initCodeFor(runtime) }] });
  const receipt = (await devnet.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { contractAddress: string };
  return receipt.contractAddress;
}
