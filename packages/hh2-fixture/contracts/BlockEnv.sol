// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// Reports the block environment a transaction ran in. An event rather than storage, so that the
/// gas it takes does not depend on the values (an estimate may run with other values than the
/// mined block has).
contract BlockEnv {
    event Seen(address coinbase, uint256 baseFee, uint256 gasLimit, uint256 number);

    function record() external {
        emit Seen(block.coinbase, block.basefee, block.gaslimit, block.number);
    }
}
