//! Items listed by the binary as JSON (`issues list --json`, `export issues --format json`):
//! the array it prints, and the items' numbers.

use super::{liaison, stderr};
use serde_json::Value;
use std::path::Path;

/// Runs a command that must succeed and print a JSON array; its elements.
pub fn json_array(db: &Path, args: &[&str]) -> Vec<Value> {
    let out = liaison(db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    match serde_json::from_slice(&out.stdout).unwrap() {
        Value::Array(items) => items,
        other => panic!("{args:?}: not an array: {other}"),
    }
}

/// Each item's `number`, in the order listed.
pub fn numbers(items: &[Value]) -> Vec<u64> {
    items
        .iter()
        .map(|i| i["number"].as_u64().unwrap())
        .collect()
}
