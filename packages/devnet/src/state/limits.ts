import { createGunzip } from "node:zlib";
import { DevnetError } from "../errors.js";
import { MAX_CHAIN_BLOCKS } from "../l2/store.js";

/**
 * Bounds on a state file (a `--state` file or an anvil_loadState dump, once inflated). A file
 * past any of them is refused with STATE_FILE_INVALID before it is parsed, so a small gzip bomb
 * or a file of millions of tiny entries costs a scan, not the heap.
 *
 * A saved block takes about 1.3 KB of JSON and a transaction about 1.2 KB more, so
 * `bytes` caps a file at roughly 200,000 blocks; the other counts are consistent with it.
 */
export const STATE_LIMITS = {
  /** Inflated size of a dump, and size of a state file, in bytes (256 MiB). */
  bytes: 256 * 1024 * 1024,
  /** JSON values in the whole file (array elements and object members, at every depth). */
  values: 12_000_000,
  /** Nesting depth of the JSON (the format itself needs 6). */
  depth: 10,
  /** Blocks, genesis included. */
  blocks: MAX_CHAIN_BLOCKS,
  /** Transactions (and so senders and receipts) in one block. */
  transactionsPerBlock: 50_000,
  /** Logs in one receipt. */
  logsPerReceipt: 200_000,
  /** Topics in one log (the EVM's LOG4 has 4). */
  topicsPerLog: 4,
  /** Transactions in the pool. */
  poolTransactions: 100_000,
  /** Impersonated accounts. */
  impersonated: 100_000,
  /** Accounts in the state. */
  accounts: 1_000_000,
  /** Storage slots of one account. */
  storageSlotsPerAccount: 1_000_000,
  /** Validators' rotation priorities. */
  validators: 1_000,
  /** Blocks of the simulated Bitcoin chain (MAX_BITCOIN_BLOCKS). */
  bitcoinBlocks: 200_000,
  /** Unspent Bitcoin outputs (a coinbase and a few protocol outputs per block). */
  bitcoinCoins: 2_000_000,
  /** Transactions in the Bitcoin mempool. */
  bitcoinMempool: 100_000,
  /** Batches of the rollup (one per Bitcoin block at most). */
  batches: 200_000,
} as const;

/** Most elements a container at a path may hold; paths use `[]` for array elements, `*` for map keys. */
const CONTAINER_LIMITS = new Map<string, [number, string]>([
  ["blocks", [STATE_LIMITS.blocks, "blocks"]],
  ["blocks[].senders", [STATE_LIMITS.transactionsPerBlock, "transactions in a block"]],
  ["blocks[].receipts", [STATE_LIMITS.transactionsPerBlock, "transactions in a block"]],
  ["blocks[].receipts[].logs", [STATE_LIMITS.logsPerReceipt, "logs in a receipt"]],
  ["blocks[].receipts[].logs[].topics", [STATE_LIMITS.topicsPerLog, "topics in a log"]],
  ["pool", [STATE_LIMITS.poolTransactions, "pooled transactions"]],
  ["impersonated", [STATE_LIMITS.impersonated, "impersonated accounts"]],
  ["accounts", [STATE_LIMITS.accounts, "accounts"]],
  ["accounts.*.storage", [STATE_LIMITS.storageSlotsPerAccount, "storage slots of an account"]],
  ["validators.priorities", [STATE_LIMITS.validators, "validators"]],
  ["settlement.engine.bitcoin.blocks", [STATE_LIMITS.bitcoinBlocks, "Bitcoin blocks"]],
  ["settlement.engine.bitcoin.utxos", [STATE_LIMITS.bitcoinCoins, "unspent Bitcoin outputs"]],
  ["settlement.engine.bitcoin.mempool", [STATE_LIMITS.bitcoinMempool, "Bitcoin mempool transactions"]],
  ["settlement.engine.data.batches", [STATE_LIMITS.batches, "batches"]],
  ["settlement.engine.data.bridge.deposits", [STATE_LIMITS.batches, "bridge deposits"]],
  ["settlement.engine.data.bridge.withdrawals", [STATE_LIMITS.batches, "bridge withdrawals"]],
  ["settlement.engine.data.bridge.forced", [STATE_LIMITS.batches, "forced transactions"]],
]);

/** Objects whose keys are data (addresses, slots), not field names. */
const MAPS = new Set(["accounts", "accounts.*.storage"]);

function tooLarge(what: string, limit: number): DevnetError {
  return new DevnetError("STATE_FILE_INVALID", `state too large: more than ${limit.toLocaleString("en-US")} ${what}`);
}

interface Frame {
  object: boolean;
  path: string;
  count: number;
  limit: number;
  what: string;
  /** In an object: the next string is a key. */
  expectKey: boolean;
  key: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Counts what a state file's JSON holds, chunk by chunk, without building it. It does not
 * validate the JSON (JSON.parse does, once the counts are known to be bounded), so it never
 * fails on malformed input: it only refuses what is too large.
 */
export class StateJsonScanner {
  private readonly stack: Frame[] = [];
  private bytes = 0;
  private values = 0;
  /** Inside a string that started in an earlier chunk: its bytes so far (kept for keys only), escape pending. */
  private string: { bytes: number[] | undefined; escaped: boolean } | undefined;
  /** Inside a literal (number, true, false, null). */
  private literal = false;

  feed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.bytes > STATE_LIMITS.bytes) throw tooLarge("bytes", STATE_LIMITS.bytes);
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.string) {
        i = this.continueString(chunk, i);
        continue;
      }
      const c = chunk[i];
      if (this.literal) {
        if (c === 0x2c || c === 0x5d || c === 0x7d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.literal = false;
        else {
          i++;
          continue;
        }
      }
      switch (c) {
        case 0x7b: // {
        case 0x5b: // [
          this.open(c === 0x7b);
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.stack.pop();
          break;
        case 0x2c: {
          // ,
          const top = this.stack[this.stack.length - 1];
          if (top?.object) top.expectKey = true;
          break;
        }
        case QUOTE: {
          const top = this.stack[this.stack.length - 1];
          const isKey = top?.object === true && top.expectKey;
          if (!isKey) this.value();
          this.string = { bytes: isKey ? [] : undefined, escaped: false };
          i = this.continueString(chunk, i + 1);
          continue;
        }
        case 0x3a: // :
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
          break;
        default:
          this.value();
          this.literal = true;
      }
      i++;
    }
  }

  private continueString(chunk: Uint8Array, from: number): number {
    const s = this.string as { bytes: number[] | undefined; escaped: boolean };
    let i = from;
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (s.escaped) s.escaped = false;
      else if (c === BACKSLASH) s.escaped = true;
      else if (c === QUOTE) {
        this.string = undefined;
        if (s.bytes) this.setKey(s.bytes);
        return i + 1;
      }
      // Field names are short; longer keys (or map keys) are not needed, only counted.
      if (s.bytes && s.bytes.length <= 256) s.bytes.push(c);
    }
    return i;
  }

  private setKey(bytes: number[]): void {
    const top = this.stack[this.stack.length - 1];
    top.expectKey = false;
    if (MAPS.has(top.path) || bytes.length > 256) {
      top.key = "*";
      return;
    }
    try {
      // Decoded as JSON.parse will decode it: an escaped "bl\u006fcks" is still "blocks".
      top.key = JSON.parse(`"${Buffer.from(bytes).toString("utf8")}"`) as string;
    } catch {
      top.key = "?";
    }
  }

  /** A value starts in the current container. */
  private value(): void {
    if (++this.values > STATE_LIMITS.values) throw tooLarge("JSON values", STATE_LIMITS.values);
    const top = this.stack[this.stack.length - 1];
    if (top && ++top.count > top.limit) throw tooLarge(top.what, top.limit);
  }

  private open(object: boolean): void {
    this.value();
    if (this.stack.length >= STATE_LIMITS.depth) throw tooLarge("levels of nesting", STATE_LIMITS.depth);
    const parent = this.stack[this.stack.length - 1];
    const path = !parent ? "" : !parent.object ? `${parent.path}[]` : parent.path ? `${parent.path}.${parent.key}` : parent.key;
    const [limit, what] = CONTAINER_LIMITS.get(path) ?? [Number.POSITIVE_INFINITY, ""];
    this.stack.push({ object, path, count: 0, limit, what, expectKey: object, key: "?" });
  }
}

/** Parses a state file's bytes after checking their counts. `where` names the source in errors. */
export async function parseStateJson(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, where: string): Promise<unknown> {
  const scanner = new StateJsonScanner();
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) {
    try {
      scanner.feed(chunk);
    } catch (error) {
      throw new DevnetError("STATE_FILE_INVALID", `${where}: ${(error as Error).message}; it was refused before being parsed`);
    }
    parts.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch {
    throw new DevnetError("STATE_FILE_INVALID", `${where} is not valid JSON (corrupt or not a devnet state)`);
  }
}

/**
 * Inflates a gzipped dump and parses it, chunk by chunk: the output is bounded (STATE_LIMITS)
 * as it is produced, so a bomb is refused after a few megabytes, never inflated whole.
 */
export async function parseGzippedState(data: Uint8Array, where: string): Promise<unknown> {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  gunzip.end(data);
  try {
    return await parseStateJson(gunzip, where);
  } catch (error) {
    if (error instanceof DevnetError) throw error;
    throw new DevnetError("STATE_FILE_INVALID", `${where} is not a gzipped JSON state dump`);
  } finally {
    gunzip.destroy();
  }
}
