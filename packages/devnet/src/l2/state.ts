import type { MerkleStateManagerOpts } from "@ethereumjs/statemanager";
import { Caches, MerkleStateManager } from "@ethereumjs/statemanager";
import { Account, type Address, KECCAK256_NULL } from "@ethereumjs/util";
import { bytesToHex } from "../hex.js";

/** The EVM's message events (only what `asCodeFreeSender` needs). */
export interface MessageEvents {
  on(event: "beforeMessage", listener: () => void): unknown;
  off(event: "beforeMessage", listener: () => void): unknown;
}

/**
 * The merkle state manager, with caches (state root once per block, not per
 * write) and a record of every address and storage key written, because the
 * trie stores only their hashes and a state dump needs the originals.
 */
export class DevnetStateManager extends MerkleStateManager {
  readonly addresses: Set<string>;
  readonly storageKeys: Map<string, Set<string>>;

  constructor(opts: MerkleStateManagerOpts = {}, preimages?: { addresses: Set<string>; storageKeys: Map<string, Set<string>> }) {
    super({ caches: new Caches(), ...opts });
    this.addresses = preimages?.addresses ?? new Set();
    this.storageKeys = preimages?.storageKeys ?? new Map();
  }

  /** Checkpoints open now: a reused VM is only clean again when its own one is all that is left. */
  get checkpointDepth(): number {
    return this._checkpointCount;
  }

  /** See `asCodeFreeSender`. */
  private codeSender: { address: string; codeHash: Uint8Array } | undefined;

  /**
   * Runs `fn` with `sender` reading as an account without code until the transaction's first
   * message starts (`messages` emits "beforeMessage"), so that runTx's EIP-3607 check lets it
   * send (Hardhat lets impersonated contracts send and any address call), while the execution
   * itself sees the code: a contract sending to itself runs. Writes to it keep its real code hash.
   */
  async asCodeFreeSender<T>(sender: Address, fn: () => Promise<T>, messages?: MessageEvents): Promise<T> {
    const account = await super.getAccount(sender);
    if (!account?.isContract()) return fn();
    this.codeSender = { address: sender.toString(), codeHash: account.codeHash };
    const reveal = () => {
      this.codeSender = undefined;
      messages?.off("beforeMessage", reveal);
    };
    messages?.on("beforeMessage", reveal);
    try {
      return await fn();
    } finally {
      reveal();
    }
  }

  override async getAccount(address: Address): Promise<Account | undefined> {
    const account = await super.getAccount(address);
    if (account && this.codeSender && this.codeSender.address === address.toString()) {
      return new Account(account.nonce, account.balance, account.storageRoot, KECCAK256_NULL);
    }
    return account;
  }

  override async putAccount(address: Address, account?: Account): Promise<void> {
    const addr = address.toString();
    this.addresses.add(addr);
    if (account && this.codeSender?.address === addr) account.codeHash = this.codeSender.codeHash;
    return super.putAccount(address, account);
  }

  override async putCode(address: Address, value: Uint8Array): Promise<void> {
    this.addresses.add(address.toString());
    return super.putCode(address, value);
  }

  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const addr = address.toString();
    this.addresses.add(addr);
    let keys = this.storageKeys.get(addr);
    if (!keys) {
      keys = new Set();
      this.storageKeys.set(addr, keys);
    }
    keys.add(bytesToHex(key));
    return super.putStorage(address, key, value);
  }

  /** A view of the same trie database at another root, sharing the preimage record. */
  override shallowCopy(downlevelCaches = true): DevnetStateManager {
    const copy = new DevnetStateManager(
      { common: this.common, trie: this._trie.shallowCopy(false), caches: this._caches?.shallowCopy(downlevelCaches) },
      { addresses: this.addresses, storageKeys: this.storageKeys },
    );
    return copy;
  }
}
