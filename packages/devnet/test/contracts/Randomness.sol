// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// Reads PREVRANDAO (0x44): exercises the opcode profile of the chain.
contract Randomness {
    uint256 public lastRandom;

    event Random(uint256 value);

    function current() external view returns (uint256) {
        return block.prevrandao;
    }

    function record() external returns (uint256 value) {
        value = block.prevrandao;
        lastRandom = value;
        emit Random(value);
    }
}

/// Reads BLOBHASH (0x49, Cancun): exercises the opcode profile of the chain.
contract BlobHash {
    function firstBlobHash() external view returns (bytes32) {
        return blobhash(0);
    }
}
