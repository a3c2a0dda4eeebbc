// The addresses of new contracts, hashed with the devnet's keccak.
//
// @ethereumjs/evm derives a CREATE's or CREATE2's address with @ethereumjs/util's generateAddress(2), which hash with
// the JavaScript keccak of @noble/hashes: a second keccak implementation that runs nowhere else, so it is still
// interpreted when a test suite's deploys need it (~250 µs a deploy in the first hundred, measured in the starter's
// deploy-and-increment loop), where the devnet's own (native or WebAssembly) takes a few µs. The EVM's
// `_generateAddress` is replaced on the library's class, as the jump analysis is (jump-analysis.ts): it holds for every
// EVM of this copy of the library in the process (the bundle has its own copy), once `deriveContractAddresses` ran.

import { EVM } from "@ethereumjs/evm";
import { Address, bigIntToBytes, concatBytes } from "@ethereumjs/util";
import { keccak256OrJs } from "./crypto.js";
import { encodeRlp } from "./rlp.js";

/** CREATE: the last 20 bytes of keccak(rlp([sender, nonce])), the nonce the sender had before the create. */
export function createAddress(sender: Uint8Array, nonce: bigint): Uint8Array {
  return keccak256OrJs(encodeRlp([sender, nonce === 0n ? new Uint8Array(0) : bigIntToBytes(nonce)])).subarray(-20);
}

/** CREATE2 (EIP-1014): the last 20 bytes of keccak(0xff ++ sender ++ salt ++ keccak(initCode)). */
export function create2Address(sender: Uint8Array, salt: Uint8Array, initCode: Uint8Array): Uint8Array {
  return keccak256OrJs(concatBytes(Uint8Array.of(0xff), sender, salt, keccak256OrJs(initCode))).subarray(-20);
}

interface CreateMessage {
  caller: Address;
  salt?: Uint8Array;
  code?: unknown;
}
type GenerateAddress = (this: EVM, message: CreateMessage) => Promise<Address>;
type EvmPrototype = { _generateAddress?: GenerateAddress & { [FAST]?: true } };

const FAST = Symbol("the devnet's _generateAddress");

/**
 * Makes the EVMs of this copy of the library derive contract addresses here (once; later calls do nothing). False if
 * the library has no `_generateAddress` to replace: its own then stays.
 */
export function deriveContractAddresses(): boolean {
  const proto = EVM.prototype as unknown as EvmPrototype;
  const original = proto._generateAddress;
  if (typeof original !== "function") return false;
  if (original[FAST]) return true;
  const generate: GenerateAddress & { [FAST]?: true } = async function (this: EVM, message: CreateMessage): Promise<Address> {
    const { caller, salt, code } = message;
    if (salt) {
      // The library's checks (and errors) for anything but a 20-byte sender, a 32-byte salt and code as bytes.
      if (caller.bytes.length !== 20 || salt.length !== 32 || !(code instanceof Uint8Array)) return original.call(this, message);
      return new Address(create2Address(caller.bytes, salt, code));
    }
    // The runner has raised the sender's nonce already: the address is of the nonce before.
    const account = await this.stateManager.getAccount(caller);
    if (!account || account.nonce === 0n) return original.call(this, message);
    return new Address(createAddress(caller.bytes, account.nonce - 1n));
  };
  generate[FAST] = true;
  proto._generateAddress = generate;
  return true;
}

/** Whether the EVMs of this copy of the library derive contract addresses here (for tests). */
export function derivesContractAddresses(): boolean {
  return (EVM.prototype as unknown as EvmPrototype)._generateAddress?.[FAST] === true;
}
