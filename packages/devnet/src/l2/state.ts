import type { MerkleStateManagerOpts } from "@ethereumjs/statemanager";
import { Caches, MerkleStateManager } from "@ethereumjs/statemanager";
import type { Account, Address } from "@ethereumjs/util";
import { bytesToHex } from "@ethereumjs/util";

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

  override async putAccount(address: Address, account?: Account): Promise<void> {
    this.addresses.add(address.toString());
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
