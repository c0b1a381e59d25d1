//! Two copies of a ledger compared: a bundle sent from one to the other, and what each holds
//! as sorted JSON, so that equal ledgers give equal text.

use liaison::model::{Department, Firm, Id};
use liaison::store::{Applied, Store};
use liaison::transfer::bundle::{self, Scope};
use std::collections::BTreeMap;

/// A bundle from `from` (for `scope`) applied to `to`, through the file format.
pub fn send(from: &Store, to: &Store, scope: Scope) -> Applied {
    let (bytes, _) = bundle::encode(from, scope).unwrap();
    let (header, ops) = bundle::decode(&bytes).unwrap();
    to.apply_ops(&ops, Some((header.sender, &header.seen)))
        .unwrap()
}

/// What of a ledger the copies compared must agree on: items with their histories and the
/// conflicts always; the server carries no firms, and only bundles carry departments.
#[derive(Clone, Copy, PartialEq)]
pub enum Parts {
    Items,
    ItemsAndFirms,
    ItemsFirmsAndDepartments,
}

/// The parts of a ledger as sorted JSON.
pub fn contents(store: &Store, parts: Parts) -> String {
    let mut items = BTreeMap::new();
    store
        .each_issue(|issue| {
            let issue = issue.unwrap();
            let events = store.events(issue.id).unwrap().records;
            items.insert(
                issue.id,
                serde_json::json!({ "item": issue, "history": events }),
            );
            Ok(())
        })
        .unwrap();
    let conflicts: Vec<(Id, String, usize)> = store
        .conflicts()
        .unwrap()
        .into_iter()
        .map(|c| (c.record, c.field, c.heads.len()))
        .collect();
    let mut all = serde_json::json!({ "items": items, "conflicts": conflicts });
    if parts != Parts::Items {
        let mut firms: Vec<Firm> = store.firms().unwrap().records;
        firms.sort_by_key(|f| f.id);
        all["firms"] = serde_json::json!(firms);
    }
    if parts == Parts::ItemsFirmsAndDepartments {
        let mut departments: Vec<Department> = store.departments().unwrap().records;
        departments.sort_by_key(|d| d.id);
        all["departments"] = serde_json::json!(departments);
    }
    all.to_string()
}
