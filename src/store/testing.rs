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

/// An item's stored bytes with its times as plain text, as a damaged or foreign writer could
/// leave them: `created` and `due` are written as given (a test stores times chrono refuses),
/// every other field as `issue` has it.
pub fn issue_with_text_times(issue: &Issue, created: &str, due: Option<&str>) -> Vec<u8> {
    // The shape of `Issue`, field for field, with its times as strings.
    #[derive(serde::Serialize)]
    struct Raw<'a> {
        id: Id,
        number: u32,
        firm: Id,
        visit: Option<Id>,
        title: &'a str,
        detail: &'a str,
        category: Option<Id>,
        department: Option<Id>,
        owner: &'a str,
        priority: crate::model::Priority,
        status: crate::model::Status,
        due: Option<&'a str>,
        resolution: &'a Option<crate::model::Resolution>,
        created: &'a str,
        updated: String,
        tags: &'a [String],
        closed: Option<String>,
    }
    super::codec::encode(&Raw {
        id: issue.id,
        number: issue.number,
        firm: issue.firm,
        visit: issue.visit,
        title: &issue.title,
        detail: &issue.detail,
        category: issue.category,
        department: issue.department,
        owner: &issue.owner,
        priority: issue.priority,
        status: issue.status,
        due,
        resolution: &issue.resolution,
        created,
        updated: issue.updated.to_rfc3339(),
        tags: &issue.tags,
        closed: issue.closed.map(|c| c.to_rfc3339()),
    })
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
