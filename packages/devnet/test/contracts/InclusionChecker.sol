// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// The part of the devnet's IBitcoinLightClient (packages/devnet/contracts/IBitcoinLightClient.sol) this
/// checker uses, declared here: the test contracts compile on their own (support/solc.ts resolves imports
/// inside test/contracts only).
interface IBitcoinLightClientView {
    function latestHeight() external view returns (uint256);
    function blockHash(uint256 height) external view returns (bytes32);
    function verifyInclusion(bytes32 txid, uint256 height, bytes calldata header, bytes32[] calldata proof, uint256 index)
        external
        view
        returns (bool);
}

/// A user contract that accepts a Bitcoin payment only once the light client proves it is in a block.
contract InclusionChecker {
    IBitcoinLightClientView public immutable lightClient;

    /// txid => whether a proof of its inclusion was accepted.
    mapping(bytes32 txid => bool) public proven;
    uint256 public checks;
    bool public lastResult;

    event Checked(bytes32 indexed txid, uint256 height, uint256 index, bool included);

    constructor(address lightClient_) {
        lightClient = IBitcoinLightClientView(lightClient_);
    }

    /// Asks the light client and records its answer.
    function check(bytes32 txid, uint256 height, bytes calldata header, bytes32[] calldata proof, uint256 index)
        external
        returns (bool included)
    {
        included = lightClient.verifyInclusion(txid, height, header, proof, index);
        lastResult = included;
        ++checks;
        if (included) proven[txid] = true;
        emit Checked(txid, height, index, included);
    }

    /// The light client's answer, without recording it.
    function isIncluded(bytes32 txid, uint256 height, bytes calldata header, bytes32[] calldata proof, uint256 index)
        external
        view
        returns (bool)
    {
        return lightClient.verifyInclusion(txid, height, header, proof, index);
    }
}
