// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IBitcoinBridge} from "./IBitcoinBridge.sol";

/// @title A vault of native BTC: users deposit BTC and withdraw it, on the L2 or straight to a Bitcoin address
/// @notice Withdrawing to Bitcoin goes through the bridge: the BTC is burned on the L2 and paid on Bitcoin once the
/// burn is hard final (the batch holding it outlived the challenge window).
contract BtcVault {
    IBitcoinBridge public constant BRIDGE = IBitcoinBridge(0xB17C000000000000000000000000000000000002);

    mapping(address => uint256) public balanceOf;
    uint256 public totalDeposits;

    event Deposited(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    event WithdrawnToBitcoin(address indexed user, uint256 amount, string btcAddress, bytes32 withdrawalId);

    error NothingSent();
    error InsufficientBalance(uint256 requested, uint256 available);
    error TransferFailed();

    receive() external payable {
        deposit();
    }

    function deposit() public payable {
        if (msg.value == 0) revert NothingSent();
        balanceOf[msg.sender] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Withdraws `amount` wei to the sender on the L2.
    function withdraw(uint256 amount) external {
        _debit(amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Withdraws `amount` wei to `btcAddress` on Bitcoin through the bridge; returns the bridge's withdrawal
    /// id. `amount` must be a whole number of sats (10^10 wei) and at least the bridge's minimum; the bridge refuses
    /// a malformed address, and the whole call reverts with it.
    function withdrawToBitcoin(uint256 amount, string calldata btcAddress) external returns (bytes32 withdrawalId) {
        _debit(amount);
        withdrawalId = BRIDGE.withdraw{value: amount}(btcAddress);
        emit WithdrawnToBitcoin(msg.sender, amount, btcAddress, withdrawalId);
    }

    function _debit(uint256 amount) private {
        uint256 available = balanceOf[msg.sender];
        if (amount == 0 || amount > available) revert InsufficientBalance(amount, available);
        balanceOf[msg.sender] = available - amount;
        totalDeposits -= amount;
    }
}
