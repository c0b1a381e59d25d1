//! Schema v4 to v5: the operation log in sealed, compressed groups (`oplog_groups`) and the
//! word index (`words`). Every envelope changes only its version; then every complete chunk
//! of the log is sealed and the index is built from the items.
//!
//! Operations inside a sealed group keep their own envelopes: a later step that re-tags must
//! open the groups (`oplog_groups::entry_bytes`) as `retag_groups` opens the record groups.

use super::*;

pub(in crate::store) fn to_v5(store: &Store) -> Result<(), StoreError> {
    retag(store, 4, 5)?;
    for tree in [ISSUES, HISTORY] {
        v4::retag_groups(store, tree, 4, 5)?;
    }
    store.seal_op_log()?;
    build_word_index(store)
}

/// Builds the word index of a database that had none (or part of one, from a step cut
/// short: the build replaces what it finds).
pub(in crate::store) fn build_word_index(store: &Store) -> Result<(), StoreError> {
    store.rebuild_word_index()?;
    Ok(())
}
