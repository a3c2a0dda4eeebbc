// `npm test` runs these with Hardhat's mocha runner on the "bitlayer" network: a devnet inside the test process,
// with a simulated Bitcoin chain. connection.bitlayer has the devnet's helpers (see @bitlayer/plugins), and
// connection.bitlayer.devnet the devnet itself, whose bitcoinRequest() speaks Bitcoin Core's RPC.

import assert from "node:assert/strict";
import { network } from "hardhat";

type Hex = `0x${string}`;
type Connection = Awaited<ReturnType<typeof network.create>>;

const WEI_PER_SAT = 10n ** 10n;
const BTC = 10n ** 18n;

describe("BtcVault", () => {
  let connection: Connection;

  // A fresh devnet for each test (an in-process devnet starts in milliseconds).
  beforeEach(async () => {
    connection = await network.create();
  });

  afterEach(async () => {
    await connection?.close();
  });

  async function deployVault() {
    const vault = await connection.ethers.deployContract("BtcVault");
    await vault.waitForDeployment();
    return vault;
  }

  /** A dev account with 1 BTC in a new vault. */
  async function aliceWithOneBtcInTheVault() {
    const [, alice] = await connection.ethers.getSigners();
    const vault = await deployVault();
    const asAlice = await connection.ethers.getContractAt("BtcVault", await vault.getAddress(), alice);
    const deposit = await asAlice.deposit({ value: 1n * BTC });
    await deposit.wait();
    return { alice, vault: asAlice, deposit };
  }

  /** A new address of the devnet's Bitcoin wallet (bcrt1q…). */
  async function newBitcoinAddress(): Promise<string> {
    const devnet = connection.bitlayer.devnet;
    assert.ok(devnet, "an in-process devnet");
    return (await devnet.bitcoinRequest("getnewaddress")) as string;
  }

  it("takes BTC pegged in from Bitcoin: a new user deposits it into the vault", async () => {
    const user = connection.ethers.Wallet.createRandom(connection.ethers.provider);
    // A peg-in: BTC locked at the bridge on Bitcoin, minted to the user on the L2 after 6 confirmations.
    const pegIn = await connection.bitlayer.deposit(user.address as Hex, 1_000_000);
    assert.equal(pegIn.status, "minted");
    assert.equal(await connection.ethers.provider.getBalance(user.address), 1_000_000n * WEI_PER_SAT);

    const vault = await deployVault();
    const asUser = await connection.ethers.getContractAt("BtcVault", await vault.getAddress(), user);
    await (await asUser.deposit({ value: 500_000n * WEI_PER_SAT })).wait();
    assert.equal(await vault.balanceOf(user.address), 500_000n * WEI_PER_SAT);
    assert.equal(await connection.ethers.provider.getBalance(await vault.getAddress()), 500_000n * WEI_PER_SAT);
  });

  it("withdraws to Bitcoin: the withdrawal is warped through the 7-day challenge window to its payout", async () => {
    const { alice, vault } = await aliceWithOneBtcInTheVault();
    const btcAddress = await newBitcoinAddress();
    const tx = await vault.withdrawToBitcoin(BTC / 2n, btcAddress);
    await tx.wait();
    assert.equal(await vault.balanceOf(alice.address), BTC / 2n);

    // Burned on the L2; the bridge pays on Bitcoin only once the burn is hard final.
    const withdrawal = await connection.bitlayer.getWithdrawal(tx.hash as Hex);
    assert.equal(withdrawal.status, "initiated");
    assert.equal(withdrawal.btcAddress, btcAddress);
    assert.equal(withdrawal.amountSats, 50_000_000);

    // Warp: the batch is claimed on Bitcoin, the window closes unchallenged, the next Bitcoin block pays.
    const { payment, withdrawal: paid } = await connection.bitlayer.waitForPayout(tx.hash as Hex, { warp: true });
    assert.equal(paid.status, "paid");
    assert.equal((await connection.bitlayer.getFinality(tx.hash as Hex)).level, "hard");

    // The Bitcoin transaction pays the address the amount less the bridge's fee (1 000 sats).
    const devnet = connection.bitlayer.devnet;
    assert.ok(devnet);
    const bitcoinTx = (await devnet.bitcoinRequest("getrawtransaction", [payment.txid, true])) as {
      vout: { value: number; scriptPubKey: { address?: string } }[];
    };
    const output = bitcoinTx.vout.find((o) => o.scriptPubKey.address === btcAddress);
    assert.ok(output, "an output pays the Bitcoin address");
    assert.equal(Math.round(output.value * 1e8), 50_000_000 - paid.feeSats);
    assert.equal(paid.feeSats, 1000);
  });

  it("refuses a withdrawal to a malformed Bitcoin address, and changes nothing", async () => {
    const { alice, vault } = await aliceWithOneBtcInTheVault();
    await assert.rejects(vault.withdrawToBitcoin(BTC / 2n, "bc1-not-an-address"), (error: { data?: string }) => {
      const reason = vault.interface.parseError(error.data ?? "0x");
      assert.equal(reason?.name, "Error");
      assert.match(String(reason.args[0]), /invalid Bitcoin address/);
      return true;
    });
    assert.equal(await vault.balanceOf(alice.address), 1n * BTC);
  });

  it("a fraud is caught: the watcher disproves the batch, the L2 halts, recovery rolls back to the last valid batch", async () => {
    const { alice, vault, deposit } = await aliceWithOneBtcInTheVault();
    // The deposit's batch is committed on Bitcoin before the fraud: recovery keeps it.
    await connection.bitlayer.waitForFinality(deposit.hash as Hex, "anchored", { warp: true });

    // The operator will claim a wrong state root for the next batch, which holds this withdrawal.
    await connection.bitlayer.injectFraud();
    const btcAddress = await newBitcoinAddress();
    const tx = await vault.withdrawToBitcoin(BTC / 4n, btcAddress);
    await tx.wait();
    // Bitcoin blocks: the claim, then the honest watcher's challenge, the operator's assertion, the disproof.
    await connection.bitlayer.mineBitcoin(5);

    const { halted } = await connection.bitlayer.getStatus();
    assert.ok(halted, "the L2 is halted");
    assert.equal((await connection.bitlayer.getFinality(tx.hash as Hex)).level, "invalidated");
    assert.equal((await connection.bitlayer.getWithdrawal(tx.hash as Hex)).status, "invalidated");
    await assert.rejects(vault.deposit({ value: 1n }), /halt/i);

    // Recovery (a governance action on the real network) rolls the L2 back to the last valid batch and resumes.
    await connection.bitlayer.recover();
    assert.equal((await connection.bitlayer.getStatus()).halted, null);
    assert.equal(await vault.balanceOf(alice.address), 1n * BTC, "the invalidated withdrawal is undone");
    const again = await vault.withdrawToBitcoin(BTC / 4n, btcAddress);
    await again.wait();
    assert.equal((await connection.bitlayer.getWithdrawal(again.hash as Hex)).status, "initiated");
  });
});
