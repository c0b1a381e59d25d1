//! Schema v4 to v5: the word index (`words`). Every envelope changes only its version; the
//! index is then built from the items.

use super::*;

/// Re-tags v4 envelopes as v5, then builds the word index.
pub(in crate::store) fn to_v5(store: &Store) -> Result<(), StoreError> {
    retag(store, 4, 5)?;
    for tree in [ISSUES, HISTORY] {
        v4::retag_groups(store, tree, 4, 5)?;
    }
    build_word_index(store)
}

/// Builds the word index of a database that had none (or part of one, from a step cut
/// short: the build replaces what it finds).
pub(in crate::store) fn build_word_index(store: &Store) -> Result<(), StoreError> {
    store.rebuild_word_index()?;
    Ok(())
}
