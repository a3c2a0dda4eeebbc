// Deploys the contracts and prints one line per contract, "<Name> deployed at <address>" (`npx bitlayer dev` reads
// these lines). `npm run deploy` deploys to a running `npx bitlayer devnet`; `--network bitlayer` to a throwaway one.

import { network } from "hardhat";

const connection = await network.create();
const vault = await connection.ethers.deployContract("BtcVault");
await vault.waitForDeployment();
console.log(`BtcVault deployed at ${await vault.getAddress()}`);
await connection.close();
