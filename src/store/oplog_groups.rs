//! The operation log's storage: operations sealed in compressed groups.
//!
//! A ledger logs an operation per record created and per field changed: 663,000 at the
//! standard size (100,000 items), each a JSON value of a few hundred bytes. One sled key each,
//! they were 70% of the database's bytes, and sled's cost per key (its page table, read at
//! every open, and a node rewritten per change) made `demo` hold gigabytes while it wrote them.
//!
//! So the operations of one actor are kept in chunks of `CHUNK` consecutive sequence numbers.
//! An operation is first written under its own key, `actor ++ seq`; when the last operation of
//! a chunk is written and every other one of the chunk is held, the chunk is sealed: its
//! operations' stored bytes (each keeps its own envelope and checksum) are compressed into one
//! value under `actor ++ first seq ++ 'g'`, in the same transaction, and their own keys go. A
//! group key sorts right after the key of its first sequence number and before the next one,
//! so a walk over an actor's keys still meets the operations in sequence order.

use super::oplog::{oplog_key, Op, OpId};
use super::*;
use sled::transaction::TransactionalTree;

/// Operations per sealed group: about 30 KiB of operations, compressed to a few KiB.
pub(super) const CHUNK: u64 = 64;
const GROUP_MARK: u8 = b'g';
/// The first byte of a group's value: its encoding (lz4, with the plain length before it).
const FORMAT_LZ4: u8 = 1;

/// The first sequence number of the chunk holding `seq`; chunk 0 starts at 1 (no seq 0).
fn chunk_first(seq: u64) -> u64 {
    (seq / CHUNK * CHUNK).max(1)
}

fn chunk_last(seq: u64) -> u64 {
    seq / CHUNK * CHUNK + CHUNK - 1
}

pub(super) fn group_key(actor: Id, first: u64) -> [u8; 25] {
    let mut key = [0u8; 25];
    key[..24].copy_from_slice(&oplog_key(OpId { actor, seq: first }));
    key[24] = GROUP_MARK;
    key
}

/// Where a walk over `actor`'s operations after `after` starts: the chunk holding the next.
pub(super) fn walk_start(actor: Id, after: u64) -> [u8; 24] {
    let next = after.saturating_add(1);
    oplog_key(OpId {
        actor,
        seq: chunk_first(next),
    })
}

/// A sealed group's value: the operations' stored bytes, each after its length.
fn group_value<'a>(ops: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut plain = Vec::new();
    for bytes in ops {
        plain.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        plain.extend_from_slice(bytes);
    }
    let mut out = vec![FORMAT_LZ4];
    out.extend_from_slice(&lz4_flex::compress_prepend_size(&plain));
    out
}

fn corrupt(key: &[u8], what: String) -> StoreError {
    StoreError::Corrupt {
        tree: TREE_NAMES[OPLOG],
        key: key_text(key),
        error: codec::DecodeError::Payload { message: what },
    }
}

/// The stored bytes of each operation under one key of the log (one, or a sealed group's).
pub(super) fn entry_bytes(key: &[u8], value: &[u8]) -> Result<Vec<Vec<u8>>, StoreError> {
    if key.len() == 24 {
        return Ok(vec![value.to_vec()]);
    }
    if key.len() != 25 || key[24] != GROUP_MARK {
        return Err(corrupt(key, "not a key of the operation log".into()));
    }
    let plain = match value.split_first() {
        Some((&FORMAT_LZ4, packed)) => lz4_flex::decompress_size_prepended(packed)
            .map_err(|e| corrupt(key, format!("a sealed group that does not decompress: {e}")))?,
        Some((format, _)) => {
            return Err(corrupt(
                key,
                format!("a sealed group of unknown format {format}"),
            ));
        }
        None => return Err(corrupt(key, "an empty sealed group".into())),
    };
    let mut out = Vec::new();
    let mut rest = &plain[..];
    while !rest.is_empty() {
        let cut = || corrupt(key, "a sealed group cut short".into());
        let length = rest.get(..4).ok_or_else(cut)?;
        let length = u32::from_be_bytes(length.try_into().expect("four bytes")) as usize;
        let bytes = rest.get(4..4 + length).ok_or_else(cut)?;
        out.push(bytes.to_vec());
        rest = &rest[4 + length..];
    }
    Ok(out)
}

/// The operations under one key of the log, decoded and checked.
pub(super) fn entry_ops(key: &[u8], value: &[u8]) -> Result<Vec<Op>, StoreError> {
    entry_bytes(key, value)?
        .iter()
        .map(|bytes| {
            codec::decode::<Op>(bytes).map_err(|error| StoreError::Corrupt {
                tree: TREE_NAMES[OPLOG],
                key: key_text(key),
                error,
            })
        })
        .collect()
}

/// How many operations a key of the log holds, without decoding them: a sealed group holds
/// its whole chunk.
pub(super) fn entry_count(key: &[u8]) -> u64 {
    match key.len() {
        25 => {
            let first = u64::from_be_bytes(key[16..24].try_into().expect("eight bytes"));
            chunk_last(first) - first + 1
        }
        _ => 1,
    }
}

/// Every operation of the log in key order (actor, then sequence), groups opened.
pub(super) fn each_op(
    entries: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
) -> impl Iterator<Item = Result<Op, StoreError>> {
    entries.flat_map(|entry| {
        let ops = entry
            .map_err(StoreError::from)
            .and_then(|(key, value)| entry_ops(&key, &value));
        match ops {
            Ok(ops) => ops.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        }
    })
}

/// Appends an operation (its id already allocated) and seals its chunk when it completes it.
pub(super) fn tx_put(tx: &TransactionalTree, op: &Op) -> TxResult<()> {
    let seq = op.id.seq;
    tx.insert(&oplog_key(op.id), codec::encode(op))?;
    if seq != chunk_last(seq) {
        return Ok(());
    }
    let first = chunk_first(seq);
    let mut held = Vec::with_capacity(CHUNK as usize);
    for s in first..=seq {
        match tx.get(oplog_key(OpId {
            actor: op.id.actor,
            seq: s,
        }))? {
            Some(bytes) => held.push(bytes),
            // A gap (a peer's operations received out of order): stays unsealed.
            None => return Ok(()),
        }
    }
    tx.insert(
        &group_key(op.id.actor, first)[..],
        group_value(held.iter().map(|b| &b[..])),
    )?;
    for s in first..=seq {
        tx.remove(
            &oplog_key(OpId {
                actor: op.id.actor,
                seq: s,
            })[..],
        )?;
    }
    Ok(())
}

/// `ops` (one actor's, in sequence order) cut where a chunk of `CHUNK` ends.
fn by_chunk(ops: &[(u64, Vec<u8>)]) -> impl Iterator<Item = &[(u64, Vec<u8>)]> {
    ops.chunk_by(|a, b| chunk_first(a.0) == chunk_first(b.0))
}

/// Appends many operations of one actor, in sequence order (ids already allocated), as
/// `tx_put` one by one would leave them: a chunk the batch completes is written sealed at
/// once, without first writing (and then removing) a key per operation in sled's transaction.
pub(super) fn tx_put_many(
    tx: &TransactionalTree,
    actor: Id,
    ops: &[(u64, Vec<u8>)],
) -> TxResult<()> {
    for chunk in by_chunk(ops) {
        let (first, last) = (chunk_first(chunk[0].0), chunk_last(chunk[0].0));
        let consecutive = chunk.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        if chunk.last().map(|(s, _)| *s) == Some(last) && consecutive {
            // Sealed when every earlier operation of the chunk is held, as `tx_put` seals.
            let mut earlier = Vec::new();
            for s in first..chunk[0].0 {
                match tx.get(oplog_key(OpId { actor, seq: s }))? {
                    Some(bytes) => earlier.push(bytes),
                    None => break,
                }
            }
            if earlier.len() as u64 == chunk[0].0 - first {
                let held = earlier.iter().map(|b| &b[..]);
                tx.insert(
                    &group_key(actor, first)[..],
                    group_value(held.chain(chunk.iter().map(|(_, b)| &b[..]))),
                )?;
                for s in first..chunk[0].0 {
                    tx.remove(&oplog_key(OpId { actor, seq: s })[..])?;
                }
                continue;
            }
        }
        for (seq, bytes) in chunk {
            tx.insert(&oplog_key(OpId { actor, seq: *seq })[..], &bytes[..])?;
        }
    }
    Ok(())
}

/// Writes operations made outside transactions (one actor's, in sequence order), sealing
/// every chunk they complete, in batches.
pub(super) fn put_bulk(
    log: &sled::Tree,
    actor: Id,
    ops: Vec<(u64, Vec<u8>)>,
) -> Result<(), StoreError> {
    let mut batch = sled::Batch::default();
    let mut in_batch = 0usize;
    for chunk in by_chunk(&ops) {
        let (first, last) = (chunk_first(chunk[0].0), chunk_last(chunk[0].0));
        // Operations of the chunk written before this batch.
        let mut earlier = Vec::new();
        for s in first..chunk[0].0 {
            earlier.extend(
                log.get(oplog_key(OpId { actor, seq: s }))?
                    .map(|b| (s, b.to_vec())),
            );
        }
        let complete = chunk.last().map(|(s, _)| *s) == Some(last)
            && earlier.len() as u64 + chunk.len() as u64 == last - first + 1;
        if complete {
            let all = earlier.iter().chain(chunk.iter()).map(|(_, b)| &b[..]);
            batch.insert(&group_key(actor, first)[..], group_value(all));
            // Their own keys go: those written before, and any this call re-seals.
            for (s, _) in earlier.iter().chain(chunk.iter()) {
                batch.remove(&oplog_key(OpId { actor, seq: *s })[..]);
            }
        } else {
            for (seq, bytes) in chunk {
                batch.insert(&oplog_key(OpId { actor, seq: *seq })[..], &bytes[..]);
            }
        }
        in_batch += 1;
        if in_batch == 1_024 {
            log.apply_batch(std::mem::take(&mut batch))?;
            in_batch = 0;
        }
    }
    log.apply_batch(batch)?;
    Ok(())
}

impl Store {
    /// Seals every complete chunk still held as single operations (a log written before
    /// groups, or one with a gap since filled), a batch at a time.
    pub(super) fn seal_op_log(&self) -> Result<u64, StoreError> {
        let log = &self.trees[OPLOG];
        let mut sealed = 0;
        let mut run: Vec<(Id, u64, Vec<u8>)> = Vec::new();
        let flush_run = |run: &mut Vec<(Id, u64, Vec<u8>)>| -> Result<(), StoreError> {
            if let Some((actor, _, _)) = run.first() {
                let actor = *actor;
                let ops = std::mem::take(run)
                    .into_iter()
                    .map(|(_, s, b)| (s, b))
                    .collect();
                put_bulk(log, actor, ops)?;
            }
            Ok(())
        };
        for entry in log.iter() {
            let (key, value) = entry?;
            if key.len() != 24 {
                continue;
            }
            let actor = Id::from_slice(&key[..16]).expect("sixteen bytes");
            let seq = u64::from_be_bytes(key[16..24].try_into().expect("eight bytes"));
            let same_chunk = run
                .last()
                .is_some_and(|(a, s, _)| *a == actor && chunk_first(*s) == chunk_first(seq));
            if !same_chunk && run.len() >= 4_096 {
                flush_run(&mut run)?;
            }
            if run.first().is_some_and(|(a, _, _)| *a != actor) {
                flush_run(&mut run)?;
            }
            run.push((actor, seq, value.to_vec()));
            sealed += 1;
        }
        flush_run(&mut run)?;
        Ok(sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn firm(n: usize) -> Firm {
        Firm::new(&format!("中山测试{n}有限公司"), crate::model::when::now()).unwrap()
    }

    fn log_keys(store: &Store) -> (usize, usize) {
        let keys: Vec<_> = store.trees[OPLOG]
            .iter()
            .keys()
            .map(|k| k.unwrap())
            .collect();
        let groups = keys.iter().filter(|k| k.len() == 25).count();
        (groups, keys.len() - groups)
    }

    /// Written one transaction at a time, each completed chunk is sealed as its last
    /// operation lands, and every operation reads back in order, from any point.
    #[test]
    fn chunks_seal_as_they_complete_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for n in 0..140 {
            store.put_firm(&firm(n)).unwrap();
        }
        let actor = store.actor().unwrap();
        let held = store.version_of(actor).unwrap();
        assert!(held >= 140, "{held}");
        let (groups, singles) = log_keys(&store);
        assert_eq!(groups as u64, (held + 1) / CHUNK);
        assert_eq!(singles as u64, held - (groups as u64 * CHUNK - 1));
        assert_eq!(store.op_count() as u64, held);
        for after in [0, 1, 62, 63, 64, 100, held - 1, held] {
            let seqs: Vec<u64> = store
                .ops_after(actor, after)
                .map(|o| o.unwrap().id.seq)
                .collect();
            assert_eq!(
                seqs,
                (after + 1..=held).collect::<Vec<_>>(),
                "after {after}"
            );
        }
        assert!(store.check().unwrap().is_ok());
        drop(store);
        // Re-sealing (the migration run again) changes nothing.
        let store = Store::open(dir.path()).unwrap();
        store.seal_op_log().unwrap();
        assert_eq!(log_keys(&store), (groups, singles));
        assert_eq!(store.op_count() as u64, held);
    }

    /// A damaged group is a finding under its key, not a panic, and its operations are
    /// reported as unreadable rather than silently skipped.
    #[test]
    fn a_damaged_group_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for n in 0..70 {
            store.put_firm(&firm(n)).unwrap();
        }
        let actor = store.actor().unwrap();
        let key = group_key(actor, 1);
        let mut bytes = store.trees[OPLOG].get(key).unwrap().unwrap().to_vec();
        let mid = bytes.len() / 2;
        bytes.truncate(mid);
        store.trees[OPLOG].insert(key, bytes).unwrap();
        let first = store.ops_after(actor, 0).next().unwrap();
        let error = first.unwrap_err().to_string();
        assert!(error.contains("oplog"), "{error}");
        let report = store.check().unwrap();
        assert!(!report.is_ok());
    }

    #[test]
    fn bulk_writes_seal_whole_chunks_and_keep_the_rest_single() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let log = &store.trees[OPLOG];
        let actor = Id::new();
        let op = |seq| {
            codec::encode(&Op {
                id: OpId { actor, seq },
                hlc: seq,
                kind: super::super::oplog::RecordKind::Firm,
                record: Id::new(),
                field: String::new(),
                value: "{}".into(),
                pred: Vec::new(),
                author: String::new(),
            })
        };
        // 1..=10 first, then 11..=200: the first chunk completes across the two calls.
        put_bulk(log, actor, (1..=10).map(|s| (s, op(s))).collect()).unwrap();
        put_bulk(log, actor, (11..=200).map(|s| (s, op(s))).collect()).unwrap();
        // The store's own actor logged its default lists: only this actor's keys count.
        let keys: Vec<_> = log
            .scan_prefix(actor.as_bytes())
            .keys()
            .map(|k| k.unwrap())
            .collect();
        // 1–63, 64–127, 128–191 sealed; 192–200 single.
        assert_eq!(keys.iter().filter(|k| k.len() == 25).count(), 3);
        assert_eq!(keys.iter().filter(|k| k.len() == 24).count(), 9);
        let seqs: Vec<u64> = each_op(log.scan_prefix(actor.as_bytes()))
            .map(|o| o.unwrap().id.seq)
            .collect();
        assert_eq!(seqs, (1..=200).collect::<Vec<_>>());
    }

    /// This ledger logs an event's creation as a reference to its item; what is read out of
    /// the log (for a bundle, a server, a backup) is the event itself.
    #[test]
    fn events_are_logged_by_reference_and_read_out_whole() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let f = firm(1);
        store.put_firm(&f).unwrap();
        let draft = crate::model::IssueDraft::new(f.id, "新增用地指标");
        let item = store
            .create_issue(draft, "联络员", crate::model::when::now())
            .unwrap();
        let events = store.events(item.id).unwrap().records;
        assert!(!events.is_empty());
        let raw: Vec<Op> = each_op(store.trees[OPLOG].iter())
            .map(|o| o.unwrap())
            .collect();
        let logged: Vec<&Op> = raw
            .iter()
            .filter(|o| o.kind == super::super::oplog::RecordKind::Event)
            .collect();
        assert_eq!(logged.len(), events.len());
        assert!(logged.iter().all(|o| o.value == format!("@{}", item.id)));
        let actor = store.actor().unwrap();
        let out: Vec<Op> = store.ops_after(actor, 0).map(|o| o.unwrap()).collect();
        for event in &events {
            let op = out.iter().find(|o| o.record == event.id).unwrap();
            assert_eq!(op.value, super::super::oplog::to_json(event));
        }
        assert!(store.check().unwrap().is_ok());
    }
}
