import type { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import { equalsBytes } from "@ethereumjs/util";
import { encodeRlp } from "./rlp.js";
import { hexPrefix } from "./roots.js";

/**
 * Many writes to one Merkle Patricia trie, hashed once.
 *
 * The library's `put` walks from the root and re-encodes, re-hashes and stores every node on the key's path, so N
 * writes hash the top of the trie N times, through several awaits per node. Here the writes are applied to the nodes
 * in memory (loaded from the trie's database only where a path goes), then each changed node is encoded and hashed
 * once and stored in one batch, and the trie is moved to the new root. Nodes, encodings and the root are the ones the
 * library's puts and dels give (the test compares them on random tries), so proofs, dumps and the library's own reads
 * work on the result unchanged.
 */

/** A write: the key as the library takes it (hashed by the trie if it hashes keys), and the value, or null to delete. */
export type TrieWrite = readonly [key: Uint8Array, value: Uint8Array | null];

/** Nodes are never changed once built: a write builds new ones along its path, so decoded nodes can be shared. */
type Node =
  | { readonly kind: "leaf"; readonly path: number[]; readonly value: Uint8Array }
  | { readonly kind: "ext"; readonly path: number[]; readonly child: Ref }
  | { readonly kind: "branch"; readonly children: readonly (Ref | undefined)[]; readonly value: Uint8Array | undefined };
/** A child: a node in memory, or the 32-byte hash of one still in the database. */
type Ref = Node | Uint8Array;
type Raw = Uint8Array | Raw[];

/** The library's protected members this module relies on (the key transform, the hash and the database key). */
interface TrieInternals {
  appliedKey(key: Uint8Array): Uint8Array;
  hash(data: Uint8Array): Uint8Array;
  _getDbKey(hash: Uint8Array): Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Decoded nodes by database key, per backing database (the account trie, its storage tries and their copies for calls
 * and the watcher share one). A key names one node for good (it is the node's hash), so a decoded node is reused
 * rather than read and RLP-decoded again.
 */
const decodedNodes = new WeakMap<object, Map<string, Node>>();
const MAX_DECODED_NODES = 10_000;
/** How a node already written is referred to by its parent (its hash, or itself when small): not encoded twice. */
const references = new WeakMap<Node, Raw>();

/** Reads a trie's nodes through the decoded-node cache. */
function nodeSource(trie: MerklePatriciaTrie) {
  const internals = trie as unknown as TrieInternals;
  const db = trie.database();
  const backing = (db as unknown as { db?: object }).db ?? db;
  let nodes = decodedNodes.get(backing);
  if (!nodes) {
    nodes = new Map();
    decodedNodes.set(backing, nodes);
  }
  const cache = nodes;
  const idOf = (key: Uint8Array) => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
  // A node is named by its hash: whatever a checkpoint later undoes, the node a key names stays the same.
  const remember = (key: Uint8Array, node: Node) => {
    if (cache.size >= MAX_DECODED_NODES) cache.clear();
    cache.set(idOf(key), node);
  };
  const load = async (ref: Ref): Promise<Node> => {
    if (!(ref instanceof Uint8Array)) return ref;
    const key = internals._getDbKey(ref);
    const known = cache.get(idOf(key));
    if (known) return known;
    const encoded = await db.get(key);
    if (encoded === undefined) throw new Error(`missing trie node ${Buffer.from(ref).toString("hex")}`);
    const node = parse(RLP.decode(encoded as Uint8Array) as Raw[]);
    remember(key, node);
    return node;
  };
  return { internals, db, remember, load };
}

/**
 * The value at `key` (as the library takes it: hashed by the trie if it hashes keys), or null: what the library's
 * `get` gives, through the decoded-node cache instead of a walk that reads and decodes every node again.
 */
export async function readTrieValue(trie: MerklePatriciaTrie, key: Uint8Array): Promise<Uint8Array | null> {
  if (equalsBytes(trie.root(), trie.EMPTY_TRIE_ROOT)) return null;
  const { internals, load } = nodeSource(trie);
  const path = nibbles(internals.appliedKey(key));
  let node = await load(trie.root());
  let at = 0;
  for (;;) {
    if (node.kind === "branch") {
      if (at === path.length) return node.value ?? null;
      const child = node.children[path[at++]];
      if (child === undefined) return null;
      node = await load(child);
    } else {
      const rest = path.length - at;
      if (node.path.length > rest || sharedPrefix(node.path, path.slice(at, at + node.path.length)) < node.path.length) return null;
      at += node.path.length;
      if (node.kind === "leaf") return at === path.length ? node.value : null;
      node = await load(node.child);
    }
  }
}

export async function applyTrieWrites(trie: MerklePatriciaTrie, writes: readonly TrieWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const { internals, db, remember, load } = nodeSource(trie);
  // Writes into a checkpoint of the trie's database can be undone: which nodes were written is remembered past this
  // call only for writes that stay.
  const written = trie.hasCheckpoints() ? new WeakMap<Node, Raw>() : references;

  let root: Ref | undefined = equalsBytes(trie.root(), trie.EMPTY_TRIE_ROOT) ? undefined : trie.root();
  for (const [key, value] of writes) {
    const path = nibbles(internals.appliedKey(key));
    if (value !== null && value.length > 0) root = await insert(root, path, value, load);
    else {
      const rest = await remove(root, path, load);
      if (rest !== ABSENT) root = rest;
    }
  }

  const ops: { type: "put"; key: Uint8Array; value: Uint8Array }[] = [];
  const reference = (ref: Ref): Raw => {
    if (ref instanceof Uint8Array) return ref;
    const known = written.get(ref);
    if (known) return known;
    const raw = encode(ref, reference);
    const bytes = encodeRlp(raw);
    let out: Raw = raw; // small nodes live inside their parent
    if (bytes.length >= 32) {
      out = internals.hash(bytes);
      const key = internals._getDbKey(out);
      ops.push({ type: "put", key, value: bytes });
      remember(key, ref); // the next block's writes start from here
    }
    written.set(ref, out);
    return out;
  };
  let rootHash: Uint8Array;
  if (root === undefined) rootHash = trie.EMPTY_TRIE_ROOT;
  else if (root instanceof Uint8Array) rootHash = root;
  else {
    // The root is stored by its hash whatever its size.
    const bytes = encodeRlp(encode(root, reference));
    rootHash = internals.hash(bytes);
    const key = internals._getDbKey(rootHash);
    ops.push({ type: "put", key, value: bytes });
    remember(key, root);
  }
  await db.batch(ops);
  trie.root(rootHash);
  await trie.persistRoot();
}

type Load = (ref: Ref) => Promise<Node>;

async function insert(ref: Ref | undefined, path: number[], value: Uint8Array, load: Load): Promise<Node> {
  if (ref === undefined) return { kind: "leaf", path, value };
  const node = await load(ref);
  if (node.kind === "branch") {
    if (path.length === 0) return { kind: "branch", children: node.children, value };
    const children = [...node.children];
    children[path[0]] = await insert(children[path[0]], path.slice(1), value, load);
    return { kind: "branch", children, value: node.value };
  }
  const shared = sharedPrefix(node.path, path);
  if (node.kind === "leaf" && shared === node.path.length && shared === path.length) return { kind: "leaf", path, value };
  if (node.kind === "ext" && shared === node.path.length) {
    return { kind: "ext", path: node.path, child: await insert(node.child, path.slice(shared), value, load) };
  }
  // The paths part at `shared`: a branch there holds what was below and the new value.
  const children: (Ref | undefined)[] = new Array(16).fill(undefined);
  let branchValue: Uint8Array | undefined;
  const rest = node.path.slice(shared);
  if (node.kind === "leaf") {
    if (rest.length === 0) branchValue = node.value;
    else children[rest[0]] = { kind: "leaf", path: rest.slice(1), value: node.value };
  } else {
    children[rest[0]] = rest.length === 1 ? node.child : { kind: "ext", path: rest.slice(1), child: node.child };
  }
  if (path.length === shared) branchValue = value;
  else children[path[shared]] = { kind: "leaf", path: path.slice(shared + 1), value };
  const branch: Node = { kind: "branch", children, value: branchValue };
  return shared > 0 ? { kind: "ext", path: path.slice(0, shared), child: branch } : branch;
}

/** What `remove` gives when the key is not in the subtree: nothing to change or rehash. */
const ABSENT = Symbol("absent");

/** Removes `path` from the subtree: its new root (undefined when empty), or ABSENT. */
async function remove(ref: Ref | undefined, path: number[], load: Load): Promise<Ref | undefined | typeof ABSENT> {
  if (ref === undefined) return ABSENT;
  const node = await load(ref);
  if (node.kind === "leaf") return equalPaths(node.path, path) ? undefined : ABSENT;
  if (node.kind === "ext") {
    if (sharedPrefix(node.path, path) < node.path.length) return ABSENT;
    const child = await remove(node.child, path.slice(node.path.length), load);
    if (child === ABSENT || child === undefined) return child;
    return joinPath(node.path, child, load);
  }
  let children = node.children;
  let value = node.value;
  if (path.length === 0) {
    if (value === undefined) return ABSENT;
    value = undefined;
  } else {
    const child = await remove(children[path[0]], path.slice(1), load);
    if (child === ABSENT) return ABSENT;
    const copy = [...children];
    copy[path[0]] = child;
    children = copy;
  }
  // A branch left with one entry is not a branch any more.
  const used = children.flatMap((c, i) => (c === undefined ? [] : [i]));
  if (used.length === 0) return value === undefined ? undefined : { kind: "leaf", path: [], value };
  if (used.length > 1 || value !== undefined) return { kind: "branch", children, value };
  return joinPath([used[0]], children[used[0]] as Ref, load);
}

/** The node `child` reached through `prefix`: a leaf or an extension absorbs the prefix, a branch gets an extension. */
async function joinPath(prefix: number[], child: Ref, load: Load): Promise<Node> {
  const node = await load(child);
  if (node.kind === "leaf") return { kind: "leaf", path: [...prefix, ...node.path], value: node.value };
  if (node.kind === "ext") return { kind: "ext", path: [...prefix, ...node.path], child: node.child };
  return { kind: "ext", path: prefix, child };
}

function parse(raw: Raw[]): Node {
  const ref = (r: Raw): Ref | undefined => (r instanceof Uint8Array ? (r.length === 0 ? undefined : r) : parse(r as Raw[]));
  if (raw.length === 17) {
    const value = raw[16] as Uint8Array;
    return { kind: "branch", children: raw.slice(0, 16).map(ref), value: value.length > 0 ? value : undefined };
  }
  const [encodedPath, second] = raw as [Uint8Array, Raw];
  const flag = encodedPath[0] >> 4;
  const path: number[] = [];
  if (flag & 1) path.push(encodedPath[0] & 15);
  for (let i = 1; i < encodedPath.length; i++) path.push(encodedPath[i] >> 4, encodedPath[i] & 15);
  if (flag & 2) return { kind: "leaf", path, value: second as Uint8Array };
  return { kind: "ext", path, child: ref(second) as Ref };
}

function encode(node: Node, reference: (ref: Ref) => Raw): Raw {
  if (node.kind === "leaf") return [hexPrefix(node.path, true), node.value];
  if (node.kind === "ext") return [hexPrefix(node.path, false), reference(node.child)];
  return [...node.children.map((c) => (c === undefined ? EMPTY : reference(c))), node.value ?? EMPTY];
}

function nibbles(key: Uint8Array): number[] {
  const out = new Array<number>(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 15;
  }
  return out;
}

function sharedPrefix(a: number[], b: number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function equalPaths(a: number[], b: number[]): boolean {
  return a.length === b.length && sharedPrefix(a, b) === a.length;
}
