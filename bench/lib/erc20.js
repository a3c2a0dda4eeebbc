// ERC-20 load: a minimal token compiled here with the `solc` npm package (offline, the installed version), deployed
// by account #0, which gives each sender tokens (untimed); then pre-signed `transfer` calls timed until all are mined.
import { createRequire } from "node:module";
import { Interface } from "ethers";
import { rpc } from "./rpc.js";
import { sendAndMine, signTransfers } from "./transfers.js";

const require = createRequire(import.meta.url);
const solc = require("solc");

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract BenchToken {
    mapping(address => uint256) public balanceOf;
    uint256 public totalSupply;
    event Transfer(address indexed from, address indexed to, uint256 value);
    constructor(uint256 supply) { balanceOf[msg.sender] = supply; totalSupply = supply; }
    function transfer(address to, uint256 value) external returns (bool) {
        uint256 have = balanceOf[msg.sender];
        require(have >= value, "balance");
        unchecked { balanceOf[msg.sender] = have - value; }
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}`;
export const TRANSFER_GAS = 80_000n; // a token transfer to a warm recipient uses ~35k; headroom for a cold one
const TOKEN_RECIPIENT = "0x000000000000000000000000000000000000bEEF";

let compiled;
export function compileToken() {
  if (compiled) return compiled;
  const input = {
    language: "Solidity",
    sources: { "BenchToken.sol": { content: SOURCE } },
    // Shanghai: the oldest hardfork among the devnets (Ganache 7.9).
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "shanghai",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join("\n")}`);
  const c = out.contracts["BenchToken.sol"].BenchToken;
  compiled = { abi: new Interface(c.abi), bytecode: `0x${c.evm.bytecode.object}`, solcVersion: solc.version() };
  return compiled;
}

async function waitReceipt(url, hash) {
  for (let i = 0; i < 3000; i++) {
    const receipt = await rpc(url, "eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no receipt for ${hash}`);
}

/** Deploys the token and gives each sender `perSender` tokens (untimed). Returns the token's address. */
export async function deployToken(url, funder, senders, perSender, fee) {
  const { abi, bytecode } = compileToken();
  const supply = perSender * BigInt(senders.length);
  const data = bytecode + abi.encodeDeploy([supply]).slice(2);
  const deploy = await signTransfers(url, [funder], 1, fee, () => ({ to: null, data, value: 0n, gasLimit: 1_000_000n }));
  await rpc(url, "eth_sendRawTransaction", [deploy.txs[0].raw]);
  const receipt = await waitReceipt(url, deploy.txs[0].hash);
  if (receipt.status !== "0x1" || !receipt.contractAddress) throw new Error("the token's deployment failed");
  const token = receipt.contractAddress;
  const gifts = await signTransfers(url, [funder], senders.length, fee, (k) => ({
    to: token,
    value: 0n,
    gasLimit: TRANSFER_GAS,
    data: abi.encodeFunctionData("transfer", [senders[k].address, perSender]),
  }));
  await sendAndMine(url, gifts, 1, 60_000);
  return token;
}

/** Signs `count` token transfers of 1 unit to one recipient, sender k % n. */
export function signTokenTransfers(url, token, senders, count, fee) {
  const data = compileToken().abi.encodeFunctionData("transfer", [TOKEN_RECIPIENT, 1n]);
  return signTransfers(url, senders, count, fee, () => ({ to: token, value: 0n, gasLimit: TRANSFER_GAS, data }));
}

/** Untimed check after the load: the recipient holds exactly one token per transfer mined. */
export async function tokenBalance(url, token) {
  const { abi } = compileToken();
  const out = await rpc(url, "eth_call", [{ to: token, data: abi.encodeFunctionData("balanceOf", [TOKEN_RECIPIENT]) }, "latest"]);
  return BigInt(out);
}
