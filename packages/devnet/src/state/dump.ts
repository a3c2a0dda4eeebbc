import { createGzip } from "node:zlib";
import { Block, createBlockFromRLP } from "@ethereumjs/block";
import type { TypedTransaction } from "@ethereumjs/tx";
import { Account, createAddressFromString, equalsBytes, hexToBytes, setLengthLeft } from "@ethereumjs/util";
import * as z from "zod";
import { clockStateProblem } from "../clock/clock.js";
import type { DevnetCore } from "../devnet/core.js";
import { DevnetError } from "../errors.js";
import { bytesToHex } from "../hex.js";
import type { L2Chain } from "../l2/chain.js";
import { createAddress } from "../l2/contract-address.js";
import { effectiveGasPrice } from "../l2/miner.js";
import { libOptions } from "../l2/profile.js";
import { storedReceiptsRoot, transactionsRoot } from "../l2/roots.js";
import { DevnetStateManager } from "../l2/state.js";
import { BlockStore } from "../l2/store.js";
import { decodeSavedTx } from "../l2/transactions.js";
import type { StoredBlock, StoredReceipt } from "../l2/types.js";
import { ValidatorSet } from "../l2/validators.js";
import { once } from "../rpc/schemas.js";
import { STATE_LIMITS } from "./limits.js";

export const STATE_FORMAT = "bitlayer-devnet-state";
export const STATE_VERSION = 3;

const hex = (bytes?: { max?: number; exact?: number }) =>
  z
    .string()
    .regex(/^0x([0-9a-fA-F]{2})*$/, "expected even-length hex data")
    .refine(
      (v) =>
        (bytes?.exact === undefined || v.length === 2 + 2 * bytes.exact) && (bytes?.max === undefined || v.length <= 2 + 2 * bytes.max),
      bytes?.exact !== undefined ? `expected ${bytes.exact} bytes` : `expected at most ${bytes?.max} bytes`,
    );
/** The state file's schema, built when a file is first read or written (a start needs none of it). */
const stateFileSchema = once(() => {
  const hash = hex({ exact: 32 });
  /** Lower-case, as the devnet writes them: keys and sets must not hold one address twice. */
  const address = z.string().regex(/^0x[0-9a-f]{40}$/, "expected a lower-case address");
  const anyCaseAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected an address");
  const quantity = (maxBits: number) =>
    z.string().regex(new RegExp(`^0x0{0,64}[0-9a-fA-F]{1,${maxBits / 4}}$`), `expected a hex quantity below 2^${maxBits}`);

  const receiptSchema = z.object({
    transactionHash: hash,
    transactionIndex: z.number().int().nonnegative(),
    from: anyCaseAddress,
    to: anyCaseAddress.nullable(),
    contractAddress: anyCaseAddress.nullable(),
    gasUsed: quantity(64),
    cumulativeGasUsed: quantity(64),
    effectiveGasPrice: quantity(256),
    status: z.union([z.literal(0), z.literal(1)]),
    logs: z
      .array(
        z.object({
          address: anyCaseAddress,
          topics: z.array(hash).max(STATE_LIMITS.topicsPerLog),
          data: hex(),
          logIndex: z.number().int().nonnegative(),
        }),
      )
      .max(STATE_LIMITS.logsPerReceipt),
    logsBloom: hex({ exact: 256 }),
    type: z.number().int().nonnegative(),
    revertData: hex().optional(),
  });

  return z.object({
    format: z.literal(STATE_FORMAT),
    version: z.number().int(),
    chainId: z.string(),
    profile: z.string(),
    clock: z.object({ genesisTimestamp: z.number(), offsetSeconds: z.number(), followWallClock: z.boolean() }),
    /** Bitcoin, the rollup's batches and claims, the watcher: checked by the settlement layer itself. */
    settlement: z.unknown(),
    validators: z.object({ priorities: z.array(z.string()).max(STATE_LIMITS.validators) }),
    stateRoot: hash,
    blocks: z
      .array(
        z.object({
          rlp: hex(),
          preStateRoot: hash,
          senders: z.array(anyCaseAddress).max(STATE_LIMITS.transactionsPerBlock),
          receipts: z.array(receiptSchema).max(STATE_LIMITS.transactionsPerBlock),
        }),
      )
      .min(1)
      .max(STATE_LIMITS.blocks),
    pool: z.array(z.object({ raw: hex(), sender: anyCaseAddress })).max(STATE_LIMITS.poolTransactions),
    impersonated: z.array(anyCaseAddress).max(STATE_LIMITS.impersonated),
    accounts: z.record(
      address,
      z.object({
        nonce: quantity(64),
        balance: quantity(256),
        code: hex(),
        storage: z.record(
          hash.transform((k) => k.toLowerCase()),
          hex({ max: 32 }),
        ),
      }),
    ),
  });
});

export type StateFile = z.infer<ReturnType<typeof stateFileSchema>>;

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

type SavedBlock = StateFile["blocks"][number];

function serializeBlock(b: StoredBlock): SavedBlock {
  return {
    rlp: bytesToHex(b.block.serialize()),
    preStateRoot: bytesToHex(b.preStateRoot),
    senders: b.senders,
    receipts: b.receipts.map(serializeReceipt),
  };
}

/** Everything but the blocks; call inside `chain.exclusive`. */
async function dumpHead(core: DevnetCore): Promise<Omit<StateFile, "blocks">> {
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
    settlement: core.settlement.save(),
    validators: chain.validators.state(),
    stateRoot,
    pool: chain.pool.all().map((p) => ({ raw: bytesToHex(p.tx.serialize()), sender: p.sender })),
    impersonated: [...chain.impersonated],
    accounts,
  };
}

/** Everything needed to resume the devnet: the chain, the current state, the clock. Call inside `chain.exclusive`. */
export async function dumpState(core: DevnetCore): Promise<StateFile> {
  const head = await dumpHead(core);
  return { ...head, blocks: core.chain.store.all().map(serializeBlock) };
}

/** Blocks serialized and compressed per step: the event loop turns between steps. */
const DUMP_BLOCKS_PER_STEP = 500;

/**
 * dumpState as gzipped JSON, built a slice of blocks at a time into a gzip stream: memory is the
 * compressed output plus one slice, other clients are answered between slices, and past
 * `maxBytes` of output it stops and throws LIMIT_EXCEEDED (`limitName` names the bound).
 * Call inside `chain.exclusive`.
 */
export async function dumpStateGzipped(core: DevnetCore, maxBytes: number, limitName: string): Promise<Buffer> {
  const head = JSON.stringify(await dumpHead(core));
  const blocks = core.chain.store.all();
  const gzip = createGzip();
  const output: Buffer[] = [];
  let size = 0;
  gzip.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBytes) output.push(chunk);
  });
  const ended = new Promise<void>((resolve, reject) => {
    gzip.on("end", resolve);
    gzip.on("error", reject);
  });
  const tooLarge = () =>
    new DevnetError(
      "LIMIT_EXCEEDED",
      `the state is too large to dump: over ${maxBytes} bytes gzipped (${limitName}); a larger dump could not be loaded back`,
    );
  const write = (text: string) => new Promise<void>((resolve, reject) => gzip.write(text, (error) => (error ? reject(error) : resolve())));
  try {
    // The head without its closing brace, then the blocks, so the file is one JSON object.
    await write(`${head.slice(0, -1)},"blocks":[`);
    for (let i = 0; i < blocks.length; i += DUMP_BLOCKS_PER_STEP) {
      const slice = blocks.slice(i, i + DUMP_BLOCKS_PER_STEP).map((b) => JSON.stringify(serializeBlock(b)));
      await write(`${i === 0 ? "" : ","}${slice.join(",")}`);
      if (size > maxBytes) throw tooLarge();
    }
    gzip.end("]}");
    await ended;
  } finally {
    gzip.destroy();
  }
  if (size > maxBytes) throw tooLarge();
  return Buffer.concat(output);
}

function invalid(message: string): DevnetError {
  return new DevnetError("STATE_FILE_INVALID", message);
}

const corrupt = (message: string) => invalid(`corrupt state: ${message}`);
const firstLine = (error: unknown) => (error as Error).message.split(" (")[0];
const lower = (a: string) => a.toLowerCase();

/**
 * Decodes the saved blocks and checks them against themselves: numbers, parent links and
 * timestamps, transactions and receipts against the headers' roots. What a receipt repeats
 * from its transaction (hash, sender, recipient, created address, positions, gas used, price,
 * type) and the senders (recovered from the signatures) are derived, and a file that says
 * otherwise is refused.
 */
function decodeBlocks(chain: L2Chain, blocks: StateFile["blocks"]): BlockStore {
  const store = new BlockStore();
  const options = { ...libOptions(chain.common), freeze: false };
  let parent: StoredBlock | undefined;
  for (const [i, b] of blocks.entries()) {
    let block: Block;
    try {
      block = createBlockFromRLP(hexToBytes(b.rlp as `0x${string}`), options);
    } catch (error) {
      throw corrupt(`block ${i} does not decode: ${firstLine(error)}`);
    }
    const header = block.header;
    if (header.number !== BigInt(i)) throw corrupt(`block at position ${i} has number ${header.number}`);
    if (parent && !equalsBytes(header.parentHash, parent.block.hash())) throw corrupt(`block ${i} does not follow block ${i - 1}`);
    if (parent && header.timestamp <= parent.block.header.timestamp) throw corrupt(`block ${i} is not later than block ${i - 1}`);
    const count = block.transactions.length;
    if (b.receipts.length !== count || b.senders.length !== count) {
      throw corrupt(`block ${i} has ${count} transactions but ${b.senders.length} senders and ${b.receipts.length} receipts`);
    }
    const transactions = block.transactions.map((tx, j) => {
      try {
        return decodeSavedTx(chain, tx.serialize(), lower(b.senders[j]));
      } catch (error) {
        throw corrupt(`transaction ${j} of block ${i}: ${firstLine(error)}`);
      }
    });
    const receipts = deriveReceipts(i, header, transactions, b.senders.map(lower), b.receipts);
    if (!equalsBytes(transactionsRoot(transactions, chain.common), header.transactionsTrie)) {
      throw corrupt(`the transactions of block ${i} do not match its transactions root`);
    }
    if (!equalsBytes(storedReceiptsRoot(receipts, chain.common), header.receiptTrie)) {
      throw corrupt(`the receipts of block ${i} do not match its receipts root`);
    }
    const gasUsed = receipts.at(-1)?.cumulativeGasUsed ?? 0n;
    if (gasUsed !== header.gasUsed) throw corrupt(`block ${i} says it used ${header.gasUsed} gas, its receipts ${gasUsed}`);
    Object.freeze(header);
    const sealed = new Block(header, transactions, block.uncleHeaders, block.withdrawals, { ...options, freeze: true });
    const stored: StoredBlock = {
      block: sealed,
      hash: bytesToHex(sealed.hash()),
      number: header.number,
      transactions,
      txHashes: transactions.map((tx) => bytesToHex(tx.hash())),
      senders: b.senders.map(lower),
      receipts,
      preStateRoot: hexToBytes(b.preStateRoot as `0x${string}`),
    };
    store.append(stored);
    parent = stored;
  }
  return store;
}

/** The stored receipts of one block, with everything derivable checked against the file. */
function deriveReceipts(
  i: number,
  header: Block["header"],
  transactions: TypedTransaction[],
  senders: string[],
  saved: StateFile["blocks"][number]["receipts"],
): StoredReceipt[] {
  let previousGas = 0n;
  let logIndex = 0;
  return saved.map((r, j) => {
    const tx = transactions[j];
    const cumulativeGasUsed = BigInt(r.cumulativeGasUsed);
    if (cumulativeGasUsed <= previousGas) throw corrupt(`receipt ${j} of block ${i}: its cumulative gas does not increase`);
    const expected = {
      transactionHash: bytesToHex(tx.hash()),
      transactionIndex: j,
      from: senders[j],
      to: tx.to?.toString() ?? null,
      contractAddress: tx.to ? null : bytesToHex(createAddress(hexToBytes(senders[j] as `0x${string}`), tx.nonce)),
      gasUsed: cumulativeGasUsed - previousGas,
      effectiveGasPrice: effectiveGasPrice(tx, header.baseFeePerGas ?? 0n),
      type: tx.type,
    };
    const found = {
      transactionHash: lower(r.transactionHash),
      transactionIndex: r.transactionIndex,
      from: lower(r.from),
      to: r.to && lower(r.to),
      contractAddress: r.contractAddress && lower(r.contractAddress),
      gasUsed: BigInt(r.gasUsed),
      effectiveGasPrice: BigInt(r.effectiveGasPrice),
      type: r.type,
    };
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (found[key] !== expected[key]) {
        throw corrupt(`receipt ${j} of block ${i}: ${key} is ${found[key]}, its transaction gives ${expected[key]}`);
      }
    }
    const logs = r.logs.map((log) => {
      if (log.logIndex !== logIndex) throw corrupt(`receipt ${j} of block ${i}: log index ${log.logIndex}, expected ${logIndex}`);
      logIndex++;
      return { address: lower(log.address), topics: log.topics.map(lower), data: lower(log.data), logIndex: log.logIndex };
    });
    previousGas = cumulativeGasUsed;
    return {
      ...expected,
      cumulativeGasUsed,
      status: r.status,
      logs,
      logsBloom: hexToBytes(r.logsBloom as `0x${string}`),
      revertData: r.revertData,
    };
  });
}

/**
 * Checks a state dump completely (shape, bounds, compatibility, blocks, derived fields, pool,
 * rotation, clock, finality, state root) before touching anything, then installs it. Snapshots
 * are discarded: their state does not survive the load. Call inside `chain.exclusive`.
 */
export async function loadState(core: DevnetCore, input: unknown): Promise<void> {
  const parsed = stateFileSchema().safeParse(input);
  if (!parsed.success) {
    if (typeof input === "object" && input && (input as { format?: unknown }).format !== STATE_FORMAT) {
      throw invalid(`not a Bitlayer devnet state (expected format "${STATE_FORMAT}")`);
    }
    const issue = parsed.error.issues[0];
    throw corrupt(`${issue.path.join(".") || "(root)"}: ${issue.message}`);
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
  const maxBlocks = chain.config.maxBlocks ?? STATE_LIMITS.blocks;
  if (file.blocks.length > maxBlocks) {
    throw invalid(`incompatible state: ${file.blocks.length} blocks, this devnet holds at most ${maxBlocks} (maxBlocks)`);
  }
  const accounts = Object.entries(file.accounts);
  if (accounts.length > STATE_LIMITS.accounts) throw invalid(`state too large: more than ${STATE_LIMITS.accounts} accounts`);
  for (const [addr, a] of accounts) {
    if (Object.keys(a.storage).length > STATE_LIMITS.storageSlotsPerAccount) {
      throw invalid(`state too large: more than ${STATE_LIMITS.storageSlotsPerAccount} storage slots in account ${addr}`);
    }
  }
  const rotation = new ValidatorSet(chain.config.validators);
  const rotationProblem = rotation.problem(file.validators);
  if (rotationProblem) throw corrupt(rotationProblem);

  const store = decodeBlocks(chain, file.blocks);
  const genesisTime = store.byNumber(0n)?.block.header.timestamp;
  if (BigInt(file.clock.genesisTimestamp) !== genesisTime) {
    throw corrupt(`the clock's genesis time ${file.clock.genesisTimestamp} is not block 0's timestamp ${genesisTime}`);
  }
  const clockProblem = clockStateProblem(file.clock);
  if (clockProblem) throw corrupt(clockProblem);
  let installSettlement: () => void;
  try {
    installSettlement = await core.settlement.prepareLoad(file.settlement, store.height);
  } catch (error) {
    throw error instanceof DevnetError ? error : corrupt(firstLine(error));
  }

  const pooledBy = new Set<string>();
  const pool = file.pool.map(({ raw, sender }, i) => {
    let tx: TypedTransaction;
    try {
      tx = decodeSavedTx(chain, hexToBytes(raw as `0x${string}`), lower(sender));
    } catch (error) {
      throw corrupt(`pooled transaction ${i}: ${firstLine(error)}`);
    }
    const hash = bytesToHex(tx.hash());
    const slot = `${lower(sender)}/${tx.nonce}`;
    if (store.findTx(hash)) throw corrupt(`pooled transaction ${i} (${hash}) is already in block ${store.findTx(hash)?.block.number}`);
    if (pooledBy.has(hash) || pooledBy.has(slot)) throw corrupt(`pooled transaction ${i} repeats a transaction or a nonce of its sender`);
    pooledBy.add(hash).add(slot);
    return { tx, hash, sender: lower(sender) };
  });

  const state = new DevnetStateManager({ common: chain.common });
  for (const [addressHex, a] of accounts) {
    const addr = createAddressFromString(addressHex);
    await state.putAccount(addr, new Account(BigInt(a.nonce), BigInt(a.balance)));
    if (a.code !== "0x") await state.putCode(addr, hexToBytes(a.code as `0x${string}`));
    for (const [key, value] of Object.entries(a.storage)) {
      await state.putStorage(addr, setLengthLeft(hexToBytes(key as `0x${string}`), 32), hexToBytes(value as `0x${string}`));
    }
  }
  const root = bytesToHex(await state.getStateRoot());
  if (root !== file.stateRoot.toLowerCase()) throw corrupt(`accounts hash to ${root}, the file says ${file.stateRoot}`);

  // Everything is checked: from here on nothing can fail half-way.
  await chain.install(state, store);
  chain.validators.restore(file.validators);
  core.clock.restore(file.clock);
  installSettlement();
  for (const a of file.impersonated) chain.impersonated.add(lower(a));
  chain.restorePool(pool);
  core.discardSnapshots();
}
