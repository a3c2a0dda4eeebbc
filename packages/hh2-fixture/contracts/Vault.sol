// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// Reverts with a reason string, custom errors and a panic, for hardhat-chai-matchers.
contract Vault {
    address public immutable owner;
    mapping(address => uint256) public balanceOf;

    event Deposited(address indexed from, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error NotOwner(address caller);
    error InsufficientBalance(uint256 requested, uint256 available);

    constructor() {
        owner = msg.sender;
    }

    function deposit() external payable {
        require(msg.value > 0, "Vault: nothing to deposit");
        balanceOf[msg.sender] += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    function withdraw(uint256 amount) external {
        uint256 available = balanceOf[msg.sender];
        if (amount > available) revert InsufficientBalance(amount, available);
        balanceOf[msg.sender] = available - amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok, "Vault: transfer failed");
    }

    function sweep(address to) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        (bool ok, ) = to.call{value: address(this).balance}("");
        require(ok, "Vault: transfer failed");
    }

    function share(uint256 amount, uint256 parts) external pure returns (uint256) {
        return amount / parts;
    }
}
