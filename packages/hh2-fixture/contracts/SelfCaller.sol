// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A contract that only accepts calls from itself. Impersonating its address and sending it a
/// transaction must run its code (Hardhat hides an impersonated sender's code for the sender
/// check only, not for the whole transaction).
contract SelfCaller {
    uint256 public pokes;

    event Poked(address indexed by, uint256 pokes);

    error OnlySelf(address caller);

    receive() external payable {}

    function poke() external {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        pokes += 1;
        emit Poked(msg.sender, pokes);
    }
}
