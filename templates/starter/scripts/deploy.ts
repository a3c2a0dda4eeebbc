// Deploys the contracts and prints one line per contract, "<Name> deployed at <address>" (`npx bitlayer dev` reads
// these lines). `npm run deploy` deploys to a running `npx bitlayer devnet`; `--network bitlayer` to a throwaway one.

import { network } from "hardhat";

const connection = await network.create();
const counter = await connection.ethers.deployContract("Counter", [0n]);
await counter.waitForDeployment();
console.log(`Counter deployed at ${await counter.getAddress()}`);
await connection.close();
