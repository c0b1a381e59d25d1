//! The steps transactions are made of: a record with its indexes, counters and operations.

use super::*;

/// The id of a default category: the same in every ledger made since schema v4, in the
/// order of `Category::DEFAULTS` (lists show them in id order).
pub(super) fn default_category_id(index: usize, code: &str) -> Id {
    let hash = crc32fast::hash(code.as_bytes()).to_be_bytes();
    let mut random = [0u8; 10];
    random[1] = index as u8;
    random[2..6].copy_from_slice(&hash);
    Id::from_parts(0, random)
}

/// A firm written by this ledger: the record and its operations.
pub(super) fn tx_save_firm(tx: &[TransactionalTree], firm: &Firm) -> TxResult<()> {
    let old = tx_decode::<Firm>(tx, FIRMS, firm.id.as_bytes())?;
    oplog::tx_record_ops(tx, RecordKind::Firm, firm.id, old.as_ref(), firm)?;
    tx_put_firm(tx, firm)
}

/// A visit written by this ledger: the record and its operations.
pub(super) fn tx_save_visit(tx: &[TransactionalTree], visit: &Visit) -> TxResult<()> {
    let old = tx_decode::<Visit>(tx, VISITS, visit.id.as_bytes())?;
    oplog::tx_record_ops(tx, RecordKind::Visit, visit.id, old.as_ref(), visit)?;
    tx_put_visit(tx, visit)
}

/// An item written by this ledger, with its new events: the records and their operations.
pub(super) fn tx_save_issue(
    tx: &[TransactionalTree],
    issue: &Issue,
    events: &[IssueEvent],
) -> TxResult<()> {
    let mut words = WordChanges::default();
    tx_save_issue_into(tx, issue, events, &mut words)?;
    words.tx_write(tx)
}

/// `tx_save_issue`, its word index changes gathered in `words` for the caller to write.
pub(super) fn tx_save_issue_into(
    tx: &[TransactionalTree],
    issue: &Issue,
    events: &[IssueEvent],
    words: &mut WordChanges,
) -> TxResult<()> {
    let old = tx_decode::<Issue>(tx, ISSUES, issue.id.as_bytes())?;
    oplog::tx_record_ops(tx, RecordKind::Issue, issue.id, old.as_ref(), issue)?;
    for event in events {
        oplog::tx_event_op(tx, event)?;
    }
    tx_put_issue_into(tx, issue, events, words)
}

pub(super) fn tx_decode<T: DeserializeOwned>(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
) -> TxResult<Option<T>> {
    match records::tx_record_get(tx, tree, key)? {
        None => Ok(None),
        Some(bytes) => match codec::decode(&bytes) {
            Ok(v) => Ok(Some(v)),
            Err(error) => abort(StoreError::Corrupt {
                tree: TREE_NAMES[tree],
                key: key_text(key),
                error,
            }),
        },
    }
}

pub(super) fn tx_insert<T: Serialize>(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
    value: &T,
) -> TxResult<()> {
    records::tx_record_change(tx, tree, key, Some(&codec::encode(value)))
}

pub(super) fn tx_add(tx: &[TransactionalTree], counter: Counter, delta: i64) -> TxResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let key = counter.key();
    let current: u64 = tx_decode(tx, META, &key)?.unwrap_or(0);
    let next = current.saturating_add_signed(delta);
    tx_insert(tx, META, &key, &next)
}

pub(super) fn tx_next_number(tx: &[TransactionalTree]) -> TxResult<u32> {
    let next: u32 = tx_decode(tx, META, META_NEXT_NUMBER)?.unwrap_or(1);
    tx_insert(tx, META, META_NEXT_NUMBER, &(next + 1))?;
    Ok(next)
}

pub(super) fn tx_put_firm(tx: &[TransactionalTree], firm: &Firm) -> TxResult<()> {
    let name_key = keys::firm_name(firm);
    if let Some(owner) = tx[IDX_FIRM_NAME].get(&name_key)? {
        if owner.as_ref() != firm.id.as_bytes() {
            return abort(StoreError::DuplicateName {
                name: firm.name.clone(),
                existing: Id::from_slice(&owner).unwrap_or(Id::MIN),
            });
        }
    }
    match tx_decode::<Firm>(tx, FIRMS, firm.id.as_bytes())? {
        Some(old) => {
            let old_key = keys::firm_name(&old);
            if old_key != name_key {
                tx[IDX_FIRM_NAME].remove(old_key)?;
            }
        }
        None => tx_add(tx, Counter::Firms, 1)?,
    }
    tx[IDX_FIRM_NAME].insert(name_key, firm.id.as_bytes().to_vec())?;
    tx_insert(
        tx,
        FIRM_SEARCH,
        firm.id.as_bytes(),
        &FirmKeys::new(&firm.name, &firm.short_name),
    )?;
    tx_insert(tx, FIRMS, firm.id.as_bytes(), firm)
}

pub(super) fn tx_put_visit(tx: &[TransactionalTree], visit: &Visit) -> TxResult<()> {
    if tx[FIRMS].get(visit.firm.as_bytes())?.is_none() {
        return abort(StoreError::NotFound {
            what: "firm",
            key: visit.firm.to_string(),
        });
    }
    match tx_decode::<Visit>(tx, VISITS, visit.id.as_bytes())? {
        Some(old) => {
            grouped::tx_index_remove(tx, IDX_VISIT_TIME, &keys::visit_time(&old))?;
            grouped::tx_index_remove(tx, IDX_VISIT_FIRM, &keys::visit_firm(&old))?;
        }
        None => tx_add(tx, Counter::Visits, 1)?,
    }
    grouped::tx_index_insert(tx, IDX_VISIT_TIME, &keys::visit_time(visit), &[])?;
    grouped::tx_index_insert(tx, IDX_VISIT_FIRM, &keys::visit_firm(visit), &[])?;
    tx_insert(tx, VISITS, visit.id.as_bytes(), visit)
}

pub(super) fn tx_put_issue(
    tx: &[TransactionalTree],
    issue: &Issue,
    events: &[IssueEvent],
) -> TxResult<()> {
    let mut words = WordChanges::default();
    tx_put_issue_into(tx, issue, events, &mut words)?;
    words.tx_write(tx)
}

/// `tx_put_issue`, its word index changes gathered in `words` for the caller to write.
fn tx_put_issue_into(
    tx: &[TransactionalTree],
    issue: &Issue,
    events: &[IssueEvent],
    words: &mut WordChanges,
) -> TxResult<()> {
    if tx[FIRMS].get(issue.firm.as_bytes())?.is_none() {
        return abort(StoreError::NotFound {
            what: "firm",
            key: issue.firm.to_string(),
        });
    }
    let wanted = check::issue_entries(issue);
    let old = tx_decode::<Issue>(tx, ISSUES, issue.id.as_bytes())?;
    let had = match &old {
        Some(old) => {
            tx_add(tx, Counter::Issues(old.status), -1)?;
            check::issue_entries(old)
        }
        None => Vec::new(),
    };
    tx_add(tx, Counter::Issues(issue.status), 1)?;
    // Only the entries that change are written: each is a read and a rewrite of its group.
    for (index, key, _) in &had {
        if !wanted.iter().any(|(i, k, _)| i == index && k == key) {
            grouped::tx_index_remove(tx, *index, key)?;
        }
    }
    for entry in &wanted {
        if !had.contains(entry) {
            let (index, key, value) = entry;
            grouped::tx_index_insert(tx, *index, key, value)?;
        }
    }
    // The responses before and after, for the word index; unread when neither they nor the
    // item's texts change (a triage action).
    let mut responses = None;
    if !events.is_empty() {
        // The item's history is one value: read, add to, write back. An event with an id
        // already there replaces it (and is not counted again).
        let mut history: History = tx_decode(tx, HISTORY, issue.id.as_bytes())?.unwrap_or_default();
        let before = std::mem::take(&mut history.responses);
        let mut added = 0;
        for event in events {
            added += i64::from(history.upsert(event.clone()));
        }
        history.refresh();
        tx_insert(tx, HISTORY, issue.id.as_bytes(), &history)?;
        tx_add(tx, Counter::Events, added)?;
        responses = Some((before, history.responses));
    }
    let unchanged = old.as_ref().is_some_and(|o| words::same_texts(o, issue));
    if !(unchanged && responses.as_ref().is_none_or(|(a, b)| a == b)) {
        let (before, after) = match responses {
            Some(pair) => pair,
            None => {
                let text = tx_responses(tx, issue.id)?;
                (text.clone(), text)
            }
        };
        let has = words::item_grams(issue, &after);
        let had = old
            .as_ref()
            .map(|o| (o.number, words::item_grams(o, &before)));
        words.item(
            had.as_ref().map(|(n, g)| (*n, g.as_slice())),
            Some((issue.number, &has)),
        );
    }
    tx_insert(tx, ISSUES, issue.id.as_bytes(), issue)
}

/// An item's responses as its history holds them, read in a transaction.
fn tx_responses(tx: &[TransactionalTree], issue: Id) -> TxResult<String> {
    match records::tx_record_get(tx, HISTORY, issue.as_bytes())? {
        None => Ok(String::new()),
        // A damaged history searches as none (as the walk reads it); `check` reports it.
        Some(bytes) => Ok(codec::decode_leading(&bytes).unwrap_or_default()),
    }
}
