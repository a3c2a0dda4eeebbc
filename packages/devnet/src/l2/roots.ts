import type { Common } from "@ethereumjs/common";
import { MerklePatriciaTrie } from "@ethereumjs/mpt";
import { RLP } from "@ethereumjs/rlp";
import type { TransactionType } from "@ethereumjs/tx";
import type { TxReceipt } from "@ethereumjs/vm";
import { encodeReceipt } from "@ethereumjs/vm";

/** Root of the receipts trie (key: RLP of the index); `common` supplies the hash function. */
export async function receiptsRoot(receipts: { receipt: TxReceipt; type: number }[], common: Common): Promise<Uint8Array> {
  const trie = new MerklePatriciaTrie({ common });
  for (let i = 0; i < receipts.length; i++) {
    await trie.put(RLP.encode(i), encodeReceipt(receipts[i].receipt, receipts[i].type as TransactionType));
  }
  return trie.root();
}
