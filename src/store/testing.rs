use super::*;

fn position(tree: &str) -> Result<usize, StoreError> {
    TREE_NAMES
        .iter()
        .position(|t| *t == tree)
        .ok_or_else(|| StoreError::NotFound {
            what: "tree",
            key: tree.to_string(),
        })
}

fn tree<'a>(store: &'a Store, tree: &str) -> Result<&'a sled::Tree, StoreError> {
    Ok(&store.trees[position(tree)?])
}

/// The index tree named `tree` when its entries are grouped: these helpers then work on
/// its logical entries (the layouts of `keys`), as the rest of the store does.
fn grouped(tree: &str) -> Option<usize> {
    position(tree)
        .ok()
        .filter(|i| super::grouped::layout(*i).is_some())
}

/// The record tree named `tree` when its records are grouped: these helpers then work
/// on one record, by its id, as the rest of the store does.
fn grouped_records(tree: &str) -> Option<usize> {
    position(tree)
        .ok()
        .filter(|i| super::records::is_grouped(*i))
}

/// Flips the last byte of the value stored under `key` in the tree `tree`.
pub fn corrupt_value(store: &Store, tree: &str, key: &[u8]) -> Result<(), StoreError> {
    let mut bytes = get_raw(store, tree, key)?.ok_or_else(|| StoreError::NotFound {
        what: "key",
        key: key_text(key),
    })?;
    if let Some(last) = bytes.last_mut() {
        *last ^= 0xFF;
    }
    put_raw(store, tree, key, &bytes)
}

/// The bytes stored under `key`, as they are.
pub fn get_raw(store: &Store, tree: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    if let Some(index) = grouped(tree) {
        return store.index_get(index, key);
    }
    if let Some(tree) = grouped_records(tree) {
        return store.record_get(tree, key);
    }
    Ok(self::tree(store, tree)?.get(key)?.map(|v| v.to_vec()))
}

/// Writes bytes under `key`, bypassing every rule and index (and flushes).
pub fn put_raw(store: &Store, tree: &str, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
    if let Some(index) = grouped(tree) {
        store.index_insert(index, key, value)?;
        return store.flush();
    }
    if let Some(tree) = grouped_records(tree) {
        store.record_put(tree, key, value)?;
        return store.flush();
    }
    self::tree(store, tree)?.insert(key, value)?;
    store.flush()
}

/// Removes `key`, leaving whatever pointed to it or from it (and flushes).
pub fn remove_raw(store: &Store, tree: &str, key: &[u8]) -> Result<(), StoreError> {
    if let Some(index) = grouped(tree) {
        store.index_remove(index, key)?;
        return store.flush();
    }
    if let Some(tree) = grouped_records(tree) {
        store.record_remove(tree, key)?;
        return store.flush();
    }
    self::tree(store, tree)?.remove(key)?;
    store.flush()
}

/// Every key of a tree, in order.
pub fn keys_raw(store: &Store, tree: &str) -> Result<Vec<Vec<u8>>, StoreError> {
    if let Some(index) = grouped(tree) {
        return store.index_entries(index).map(|e| Ok(e?.0)).collect();
    }
    if let Some(tree) = grouped_records(tree) {
        return store.record_entries(tree).map(|e| Ok(e?.0)).collect();
    }
    self::tree(store, tree)?
        .iter()
        .keys()
        .map(|k| Ok(k?.to_vec()))
        .collect()
}
