import type { TypedTransaction } from "@ethereumjs/tx";
import { Account, createAddressFromString, hexToBytes } from "@ethereumjs/util";
import { DevnetError, RpcErrorNumber } from "../errors.js";
import type { BlockSettings, L2Chain } from "./chain.js";
import type { ValidatorSetState } from "./validators.js";

/** Everything needed to put the L2 back where it was (not the clock: the devnet owns it). */
export interface L2Snapshot {
  stateRoot: Uint8Array;
  height: bigint;
  /** Hash of the block at `height`: the chain the snapshot belongs to. */
  headHash: string;
  nextTimestamp: bigint | undefined;
  /** As Hardhat's snapshots: gas limit, coinbase, next base fee and prevRandao (a revert keeps Anvil's timestamp interval). */
  settings: BlockSettings;
  validators: ValidatorSetState;
  pool: { tx: TypedTransaction; hash: string; sender: string }[];
  impersonated: string[];
}

/** Call inside `chain.exclusive`. */
export async function takeL2Snapshot(chain: L2Chain): Promise<L2Snapshot> {
  return {
    stateRoot: await chain.state.getStateRoot(),
    height: chain.store.height,
    headHash: chain.store.head.hash,
    nextTimestamp: chain.nextTimestamp,
    settings: { ...chain.settings },
    validators: chain.validators.state(),
    pool: chain.pool.all().map(({ tx, hash, sender }) => ({ tx, hash, sender })),
    impersonated: [...chain.impersonated],
  };
}

/** Whether the chain still holds the snapshot's blocks and state (not if a load replaced them). */
export async function canRestoreL2Snapshot(chain: L2Chain, snap: L2Snapshot): Promise<boolean> {
  return chain.store.byNumber(snap.height)?.hash === snap.headHash && (await chain.state.hasStateRoot(snap.stateRoot));
}

/**
 * Call inside `chain.exclusive`, after `canRestoreL2Snapshot`. The state root goes first: it is
 * the one step that can fail, and then nothing has changed. Transactions pooled at snapshot
 * time are pooled again.
 */
export async function restoreL2Snapshot(chain: L2Chain, snap: L2Snapshot): Promise<void> {
  await chain.state.setStateRoot(snap.stateRoot);
  chain.store.truncate(snap.height);
  chain.nextTimestamp = snap.nextTimestamp;
  chain.settings = { ...snap.settings, timestampInterval: chain.settings.timestampInterval };
  chain.validators.restore(snap.validators);
  chain.impersonated.clear();
  for (const a of snap.impersonated) chain.impersonated.add(a);
  chain.restorePool(snap.pool);
}

/** hardhat_setBalance / setNonce / setCode / setStorageAt, applied to the live state. */
export async function setAccountField(
  chain: L2Chain,
  address: string,
  change: { balance?: bigint; nonce?: bigint; code?: string; storage?: { slot: string; value: string } },
): Promise<void> {
  const addr = createAddressFromString(address);
  await chain.exclusive(async () => {
    const account = (await chain.state.getAccount(addr)) ?? new Account();
    if (change.balance !== undefined) account.balance = change.balance;
    if (change.nonce !== undefined) {
      // Hardhat's rule and words (its InvalidInputError, -32000): a nonce only moves forward.
      if (change.nonce < account.nonce) {
        throw new DevnetError(
          "INVALID_PARAMS",
          `New nonce (${change.nonce}) must not be smaller than the existing nonce (${account.nonce})`,
          {
            rpcCode: RpcErrorNumber.invalidInput,
          },
        );
      }
      account.nonce = change.nonce;
    }
    await chain.state.putAccount(addr, account);
    if (change.code !== undefined) await chain.state.putCode(addr, hexToBytes(change.code as `0x${string}`));
    if (change.storage) {
      await chain.state.putStorage(
        addr,
        hexToBytes(change.storage.slot as `0x${string}`),
        hexToBytes(change.storage.value as `0x${string}`),
      );
    }
    // Flush now so the live state root (and so snapshots) include the change.
    await chain.state.getStateRoot();
  });
}
