//! Schema v5 to v6: the groups of histories packed with lz4 (`records::packed`). Payloads are
//! as in v5 (`codec::SAME_PAYLOADS_SINCE`), so no envelope is re-tagged.

use super::*;

/// Packs every plain group of histories, a batch at a time. A step cut short runs again and
/// skips the groups already packed; a malformed group is left as it is for `repair`.
pub(in crate::store) fn to_v6(store: &Store) -> Result<(), StoreError> {
    pack_groups(store, HISTORY)
}

fn pack_groups(store: &Store, tree: usize) -> Result<(), StoreError> {
    let sled_tree = &store.trees[tree];
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for entry in sled_tree.iter() {
        let (key, value) = entry?;
        // Read as v5 wrote it: a plain group, whatever its first byte.
        if key.len() == Id::LEN || records::members(&key, &value).is_none() {
            continue;
        }
        batch.insert(key, records::packed(tree, value.to_vec()));
        pending += 1;
        if pending == STEP_BATCH {
            sled_tree.apply_batch(std::mem::take(&mut batch))?;
            pending = 0;
        }
    }
    sled_tree.apply_batch(batch)?;
    Ok(())
}
