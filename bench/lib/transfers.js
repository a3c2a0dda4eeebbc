// Value-transfer load: pre-signed raw transactions sent over eth_sendRawTransaction,
// timed until every one of them is mined, then checked against the senders' nonces.
import { HDNodeWallet, keccak256, Wallet } from "ethers";
import { sleep } from "./processes.js";
import { rpc } from "./rpc.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const GAS = 21_000n;
const RECIPIENT = "0x000000000000000000000000000000000000bEEF";

// Account #0 (funded on every devnet) pays for the run. Senders are fresh accounts, one per
// request in flight: Anvil funds only 10 accounts and Hardhat rejects a nonce gap while
// automining, so each sender's transactions must arrive in order from a single worker.
export function accounts(senderCount) {
  const root = HDNodeWallet.fromPhrase(MNEMONIC, undefined, "m/44'/60'/0'/0");
  const funder = new Wallet(root.deriveChild(0).privateKey);
  const senders = Array.from({ length: senderCount }, (_, i) => new Wallet(root.deriveChild(1000 + i).privateKey));
  return { funder, senders };
}

// Legacy (EIP-155) transactions are accepted by every EVM devnet; 3x the quoted gas price
// keeps them valid if a devnet's base fee rises during the run.
export async function feeParams(url) {
  const [chainId, gasPrice] = await Promise.all([rpc(url, "eth_chainId"), rpc(url, "eth_gasPrice")]);
  return { chainId: BigInt(chainId), gasPrice: BigInt(gasPrice) * 3n };
}

async function nonceOf(url, address) {
  return BigInt(await rpc(url, "eth_getTransactionCount", [address, "latest"]));
}

// Transaction k is sent by wallet k % n, so each wallet gets a contiguous run of nonces.
// `payee(k)` gives the recipient and value of transaction k (and may set gasLimit and data).
export async function signTransfers(url, wallets, count, fee, payee = () => ({ to: RECIPIENT, value: 1n })) {
  const start = await Promise.all(wallets.map((w) => nonceOf(url, w.address)));
  const next = [...start];
  const txs = [];
  for (let k = 0; k < count; k++) {
    const s = k % wallets.length;
    const nonce = Number(next[s]++);
    const tx = { type: 0, chainId: fee.chainId, nonce, gasPrice: fee.gasPrice, gasLimit: GAS, ...payee(k) };
    const raw = await wallets[s].signTransaction(tx);
    // Signing only awaits microtasks; let the event loop see keep-alive sockets the server
    // closed meanwhile, or the first send after a long batch may hit a dead socket.
    if (k % 200 === 199) await new Promise(setImmediate);
    txs.push({ sender: s, raw, hash: keccak256(raw) });
  }
  return { wallets, start, txs };
}

// Sends the batch with `concurrency` requests in flight (worker w owns the wallets with
// index % concurrency === w) and waits until all are mined; the clock covers both.
export async function sendAndMine(url, batch, concurrency, capMs) {
  const { wallets, start, txs } = batch;
  if (wallets.length % concurrency !== 0) throw new Error("wallet count must be a multiple of the concurrency");
  const sent = wallets.map(() => 0n);
  let capped = false;
  let failed = null;
  const t0 = performance.now();
  const deadline = t0 + capMs;

  const worker = async (w) => {
    for (const tx of txs) {
      if (tx.sender % concurrency !== w) continue;
      if (failed) return;
      if (performance.now() > deadline) {
        capped = true;
        return;
      }
      const hash = await rpc(url, "eth_sendRawTransaction", [tx.raw]);
      if (String(hash).toLowerCase() !== tx.hash) throw new Error(`devnet returned hash ${hash}, expected ${tx.hash}`);
      sent[tx.sender]++;
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, (_, w) =>
      worker(w).catch((err) => {
        failed ??= err;
      }),
    ),
  );
  if (failed) throw failed;

  // Mined = the sender's latest nonce reached the one after its last transaction. One poll
  // at a time, every 10 ms: parallel polling would compete with the devnet's own mining.
  const expected = start.map((n, s) => n + sent[s]);
  waiting: for (let s = 0; s < wallets.length; s++) {
    let seen = -1n;
    let since = performance.now();
    for (;;) {
      const nonce = await nonceOf(url, wallets[s].address);
      if (nonce >= expected[s]) break;
      if (nonce !== seen) [seen, since] = [nonce, performance.now()];
      else if (performance.now() - since > 30_000) break waiting; // verification below reports it
      await sleep(10);
    }
  }
  const elapsedMs = performance.now() - t0;

  // Untimed check that the devnet did not lie: nonces advanced by exactly what we sent and
  // each wallet's last transaction has a successful receipt.
  const total = sent.reduce((a, b) => a + b, 0n);
  const finalNonces = await Promise.all(wallets.map((w) => nonceOf(url, w.address)));
  const included = finalNonces.reduce((sum, n, s) => sum + (n - start[s]), 0n);
  if (included !== total) {
    throw new Error(`${total} transactions accepted, ${included} included (gave up after 30 s without a new block)`);
  }
  for (let s = 0; s < wallets.length; s++) {
    if (sent[s] === 0n) continue;
    const last = txs.filter((t) => t.sender === s)[Number(sent[s]) - 1];
    const receipt = await rpc(url, "eth_getTransactionReceipt", [last.hash]);
    if (receipt?.status !== "0x1") throw new Error(`no successful receipt for ${last.hash}`);
  }
  const count = Number(total);
  return { count, elapsedMs, tps: (count * 1000) / elapsedMs, capped };
}

// Gives every sender enough for its share of `txCount` transfers (untimed setup).
export async function fundSenders(url, funder, senders, txCount, fee) {
  const perSender = BigInt(Math.ceil(txCount / senders.length) + 1) * (GAS * fee.gasPrice + 1n) * 2n;
  const batch = await signTransfers(url, [funder], senders.length, fee, (k) => ({ to: senders[k].address, value: perSender }));
  await sendAndMine(url, batch, 1, 60_000);
}
