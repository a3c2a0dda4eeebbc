import { createBlockFromRLP } from "@ethereumjs/block";
import { Account, bytesToHex, createAddressFromString, equalsBytes, hexToBytes, setLengthLeft } from "@ethereumjs/util";
import { z } from "zod";
import type { DevnetCore } from "../devnet/core.js";
import { DevnetError } from "../errors.js";
import { libOptions } from "../l2/profile.js";
import { storedReceiptsRoot, transactionsRoot } from "../l2/roots.js";
import { DevnetStateManager } from "../l2/state.js";
import { BlockStore } from "../l2/store.js";
import { decodePooledTx } from "../l2/transactions.js";
import type { StoredBlock, StoredReceipt } from "../l2/types.js";

export const STATE_FORMAT = "bitlayer-devnet-state";
export const STATE_VERSION = 1;

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

const receiptSchema = z.object({
  transactionHash: hex,
  transactionIndex: z.number().int().nonnegative(),
  from: hex,
  to: hex.nullable(),
  contractAddress: hex.nullable(),
  gasUsed: hex,
  cumulativeGasUsed: hex,
  effectiveGasPrice: hex,
  status: z.union([z.literal(0), z.literal(1)]),
  logs: z.array(z.object({ address: hex, topics: z.array(hex), data: hex, logIndex: z.number().int().nonnegative() })),
  logsBloom: hex,
  type: z.number().int().nonnegative(),
  revertData: hex.optional(),
});

const stateFileSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.number().int(),
  chainId: z.string(),
  profile: z.string(),
  clock: z.object({ genesisTimestamp: z.number(), offsetSeconds: z.number(), followWallClock: z.boolean() }),
  finality: z.object({ safe: z.string(), finalized: z.string() }),
  validators: z.object({ priorities: z.array(z.string()) }),
  stateRoot: hex,
  blocks: z.array(z.object({ rlp: hex, preStateRoot: hex, senders: z.array(hex), receipts: z.array(receiptSchema) })).min(1),
  pool: z.array(z.object({ raw: hex, sender: hex })),
  impersonated: z.array(hex),
  accounts: z.record(hex, z.object({ nonce: hex, balance: hex, code: hex, storage: z.record(hex, hex) })),
});

export type StateFile = z.infer<typeof stateFileSchema>;

const q = (n: bigint) => `0x${n.toString(16)}`;

function serializeReceipt(r: StoredReceipt): StateFile["blocks"][number]["receipts"][number] {
  return {
    ...r,
    gasUsed: q(r.gasUsed),
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    effectiveGasPrice: q(r.effectiveGasPrice),
    logsBloom: bytesToHex(r.logsBloom),
  };
}

/** Everything needed to resume the devnet: the chain, the current state, the clock. Call inside `chain.exclusive`. */
export async function dumpState(core: DevnetCore): Promise<StateFile> {
  const chain = core.chain;
  const state = chain.state;
  const stateRoot = bytesToHex(await state.getStateRoot());
  const accounts: StateFile["accounts"] = {};
  for (const address of [...state.addresses].sort()) {
    const addr = createAddressFromString(address);
    const account = await state.getAccount(addr);
    if (!account) continue;
    const storage: Record<string, string> = {};
    for (const key of [...(state.storageKeys.get(address) ?? [])].sort()) {
      const value = await state.getStorage(addr, hexToBytes(key as `0x${string}`));
      if (value.length > 0) storage[key] = bytesToHex(value);
    }
    accounts[address] = { nonce: q(account.nonce), balance: q(account.balance), code: bytesToHex(await state.getCode(addr)), storage };
  }
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    chainId: chain.config.chainId.toString(),
    profile: chain.config.profile,
    clock: core.clock.state(),
    finality: core.finality.state(),
    validators: chain.validators.state(),
    stateRoot,
    blocks: chain.store.all().map((b) => ({
      rlp: bytesToHex(b.block.serialize()),
      preStateRoot: bytesToHex(b.preStateRoot),
      senders: b.senders,
      receipts: b.receipts.map(serializeReceipt),
    })),
    pool: chain.pool.all().map((p) => ({ raw: bytesToHex(p.tx.serialize()), sender: p.sender })),
    impersonated: [...chain.impersonated],
    accounts,
  };
}

function invalid(message: string): DevnetError {
  return new DevnetError("STATE_FILE_INVALID", message);
}

/**
 * Checks a state dump completely (shape, compatibility, block links, state
 * root) before touching anything, then installs it. Call inside `chain.exclusive`.
 */
export async function loadState(core: DevnetCore, input: unknown): Promise<void> {
  const parsed = stateFileSchema.safeParse(input);
  if (!parsed.success) {
    if (typeof input === "object" && input && (input as { format?: unknown }).format !== STATE_FORMAT) {
      throw invalid(`not a Bitlayer devnet state (expected format "${STATE_FORMAT}")`);
    }
    const issue = parsed.error.issues[0];
    throw invalid(`corrupt state: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const file = parsed.data;
  const chain = core.chain;
  if (file.version !== STATE_VERSION)
    throw invalid(`incompatible state version ${file.version}: this devnet reads version ${STATE_VERSION}`);
  if (file.chainId !== chain.config.chainId.toString()) {
    throw invalid(`incompatible state: saved for chain id ${file.chainId}, this devnet runs chain id ${chain.config.chainId}`);
  }
  if (file.profile !== chain.config.profile) {
    throw invalid(`incompatible state: saved with the "${file.profile}" EVM profile, this devnet runs "${chain.config.profile}"`);
  }
  if (file.validators.priorities.length !== chain.config.validators.length) {
    throw invalid(
      `incompatible state: saved with ${file.validators.priorities.length} validators, this devnet has ${chain.config.validators.length}`,
    );
  }

  const state = new DevnetStateManager({ common: chain.common });
  for (const [address, a] of Object.entries(file.accounts)) {
    const addr = createAddressFromString(address);
    await state.putAccount(addr, new Account(BigInt(a.nonce), BigInt(a.balance)));
    if (a.code !== "0x") await state.putCode(addr, hexToBytes(a.code as `0x${string}`));
    for (const [key, value] of Object.entries(a.storage)) {
      await state.putStorage(addr, setLengthLeft(hexToBytes(key as `0x${string}`), 32), hexToBytes(value as `0x${string}`));
    }
  }
  const root = bytesToHex(await state.getStateRoot());
  if (root !== file.stateRoot.toLowerCase()) throw invalid(`corrupt state: accounts hash to ${root}, the file says ${file.stateRoot}`);

  const store = new BlockStore();
  let parent: StoredBlock | undefined;
  for (const [i, b] of file.blocks.entries()) {
    let block: ReturnType<typeof createBlockFromRLP>;
    try {
      block = createBlockFromRLP(hexToBytes(b.rlp as `0x${string}`), libOptions(chain.common));
    } catch (error) {
      throw invalid(`corrupt state: block ${i} does not decode: ${(error as Error).message.split(" (")[0]}`);
    }
    if (block.header.number !== BigInt(i)) throw invalid(`corrupt state: block at position ${i} has number ${block.header.number}`);
    if (parent && bytesToHex(block.header.parentHash) !== parent.hash)
      throw invalid(`corrupt state: block ${i} does not follow block ${i - 1}`);
    if (b.receipts.length !== block.transactions.length || b.senders.length !== block.transactions.length) {
      throw invalid(`corrupt state: block ${i} has ${block.transactions.length} transactions but ${b.receipts.length} receipts`);
    }
    const receipts: StoredReceipt[] = b.receipts.map((r) => ({
      ...r,
      gasUsed: BigInt(r.gasUsed),
      cumulativeGasUsed: BigInt(r.cumulativeGasUsed),
      effectiveGasPrice: BigInt(r.effectiveGasPrice),
      logsBloom: hexToBytes(r.logsBloom as `0x${string}`),
    }));
    if (!equalsBytes(transactionsRoot(block.transactions, chain.common), block.header.transactionsTrie)) {
      throw invalid(`corrupt state: the transactions of block ${i} do not match its transactions root`);
    }
    if (!equalsBytes(storedReceiptsRoot(receipts, chain.common), block.header.receiptTrie)) {
      throw invalid(`corrupt state: the receipts of block ${i} do not match its receipts root`);
    }
    const stored: StoredBlock = {
      block,
      hash: bytesToHex(block.hash()),
      number: block.header.number,
      transactions: block.transactions,
      txHashes: block.transactions.map((tx) => bytesToHex(tx.hash())),
      senders: b.senders.map((s) => s.toLowerCase()),
      receipts,
      preStateRoot: hexToBytes(b.preStateRoot as `0x${string}`),
    };
    store.append(stored);
    parent = stored;
  }

  const pool = file.pool.map(({ raw, sender }, i) => {
    try {
      const tx = decodePooledTx(chain, hexToBytes(raw as `0x${string}`), sender.toLowerCase());
      return { tx, hash: bytesToHex(tx.hash()), sender: sender.toLowerCase() };
    } catch (error) {
      throw invalid(`corrupt state: pooled transaction ${i} does not decode: ${(error as Error).message.split(" (")[0]}`);
    }
  });

  await chain.install(state, store);
  chain.validators.restore(file.validators);
  core.clock.restore(file.clock);
  core.finality.restore(file.finality);
  for (const address of file.impersonated) chain.impersonated.add(address.toLowerCase());
  chain.restorePool(pool);
}
