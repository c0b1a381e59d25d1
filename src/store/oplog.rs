//! The operation log: every change to a shared record, as field-level operations written in
//! the same transaction as the record (see docs/sync.md).
//!
//! An operation is identified by this database's actor (an `Id` made with the database) and a
//! gapless sequence number; it carries a hybrid logical clock, the record (kind and id), the
//! field ("" for the whole record: its creation), the new value as JSON (so it travels to a
//! peer or a server whatever its build) and `pred`, the operations whose values it replaces.
//! An empty `pred` on a field replaces the value the record was created with.
//!
//! `op_heads` holds, per field changed since creation, the operations whose values stand
//! (one, or several after concurrent changes: a conflict, also listed in `conflicts`). The
//! records themselves stay the state the operations lead to, so reads cost what they did.

use super::*;
use serde::Deserialize;
use sled::transaction::TransactionalTree;

pub(super) const META_ACTOR: &[u8] = b"actor";
pub(super) const META_HLC: &[u8] = b"hlc";
/// Where the actor was made (host and directory): a database found elsewhere is a copy.
const META_ACTOR_HOME: &[u8] = b"actor_home";

fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// An operation's id: who made it and its place in their sequence (from 1, no gaps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpId {
    pub actor: Id,
    pub seq: u64,
}

/// The kind of record an operation changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Firm,
    Visit,
    Issue,
    /// A history event (responses included): only ever created.
    Event,
    Department,
    Category,
    /// The service levels (days per priority), shared by the office; record `Id::MIN`.
    Sla,
}

impl RecordKind {
    fn byte(self) -> u8 {
        self as u8
    }
    fn from_byte(b: u8) -> Option<RecordKind> {
        use RecordKind::*;
        [Firm, Visit, Issue, Event, Department, Category, Sla]
            .get(b as usize)
            .copied()
    }
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::Firm => "firm",
            RecordKind::Visit => "visit",
            RecordKind::Issue => "item",
            RecordKind::Event => "event",
            RecordKind::Department => "department",
            RecordKind::Category => "category",
            RecordKind::Sla => "service levels",
        }
    }
}

/// One change. Serialised as JSON in bundles; `value` is JSON text already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    /// Hybrid logical clock: milliseconds since 1970 shifted left 16 bits, plus a counter.
    pub hlc: u64,
    pub kind: RecordKind,
    pub record: Id,
    /// "" for the whole record (its creation), else the field's name.
    pub field: String,
    /// The new value, as JSON.
    pub value: String,
    pub pred: Vec<OpId>,
    /// The officer's name at the time (who set it), for showing conflicts.
    pub author: String,
}

/// A value that stands for a field: the operation that set it, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub op: OpId,
    pub hlc: u64,
    pub author: String,
    pub value: String,
    /// The value a creation gave the field: one of several creations of one record (the
    /// same record made on two ledgers), which any later change replaces.
    pub creation: bool,
}

impl Head {
    pub(super) fn of(op: &Op) -> Head {
        Head {
            op: op.id,
            hlc: op.hlc,
            author: op.author.clone(),
            value: op.value.clone(),
            creation: false,
        }
    }

    /// A creation's value for one field.
    pub(super) fn created(op: &Op, value: String) -> Head {
        Head {
            value,
            creation: true,
            ..Head::of(op)
        }
    }
    /// The head a record shows while a conflict stands: the latest by clock (then by id), so
    /// every ledger shows the same; the conflict stays marked until someone chooses.
    fn shown(heads: &[Head]) -> Option<&Head> {
        heads.iter().max_by_key(|h| (h.hlc, h.op))
    }
}

/// Fields whose concurrent values are combined rather than kept as a conflict: lists that
/// only grow (contacts, tags) are united; the last-changed time takes the latest.
fn combined(field: &str, heads: &[Head]) -> Option<String> {
    match field {
        "updated" => Head::shown(heads).map(|h| h.value.clone()),
        "contacts" | "tags" | "attendees" => {
            let mut sorted: Vec<&Head> = heads.iter().collect();
            sorted.sort_by_key(|h| (h.hlc, h.op));
            let mut out: Vec<serde_json::Value> = Vec::new();
            for head in sorted {
                if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(&head.value) {
                    for item in items {
                        if !out.contains(&item) {
                            out.push(item);
                        }
                    }
                }
            }
            serde_json::to_string(&out).ok()
        }
        _ => None,
    }
}

/// The value a field's heads lead to, and whether they are a conflict.
pub(super) fn resolve_heads(field: &str, heads: &[Head]) -> (Option<String>, bool) {
    if heads.len() > 1 {
        if let Some(value) = combined(field, heads) {
            return (Some(value), false);
        }
        return (Head::shown(heads).map(|h| h.value.clone()), true);
    }
    (heads.first().map(|h| h.value.clone()), false)
}

pub(super) fn oplog_key(id: OpId) -> [u8; 24] {
    let mut key = [0u8; 24];
    key[..16].copy_from_slice(id.actor.as_bytes());
    key[16..].copy_from_slice(&id.seq.to_be_bytes());
    key
}

pub(super) fn field_key(kind: RecordKind, record: Id, field: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(17 + field.len());
    key.push(kind.byte());
    key.extend_from_slice(record.as_bytes());
    key.extend_from_slice(field.as_bytes());
    key
}

/// A `field_key` read back: kind, record, field.
pub(super) fn parse_field_key(key: &[u8]) -> Option<(RecordKind, Id, String)> {
    let kind = RecordKind::from_byte(*key.first()?)?;
    let record = Id::from_slice(key.get(1..17)?)?;
    let field = std::str::from_utf8(key.get(17..)?).ok()?.to_string();
    Some((kind, record, field))
}

pub(super) fn now_hlc() -> u64 {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    millis << 16
}

/// The value logged for this ledger's creation of an event: a reference to the item whose
/// history holds it, instead of the event itself. Events are never edited, so the history
/// gives the same JSON when the operation is read (`Store::event_values`); events were 5 in
/// 6 operations and half the bytes of a ledger when copied into the log.
pub(super) fn event_ref(event: &IssueEvent) -> String {
    format!("{EVENT_REF}{}", event.issue)
}

/// What starts a logged event reference; no JSON value starts so.
const EVENT_REF: char = '@';

/// The item a logged event reference names.
pub(super) fn event_ref_item(op: &Op) -> Option<Option<Id>> {
    if op.kind != RecordKind::Event || !op.field.is_empty() {
        return None;
    }
    let rest = op.value.strip_prefix(EVENT_REF)?;
    Some(rest.parse().ok())
}

pub fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("records serialise to JSON")
}

pub(super) fn json_fields<T: Serialize>(value: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => Default::default(),
    }
}

// ---- inside a transaction ----------------------------------------------------------------

fn tx_meta_id(tx: &[TransactionalTree]) -> TxResult<Id> {
    match tx_decode::<Id>(tx, META, META_ACTOR)? {
        Some(actor) => Ok(actor),
        None => abort(StoreError::NotFound {
            what: "meta entry",
            key: "actor".into(),
        }),
    }
}

/// The next clock value: after every one seen, and not behind the wall clock.
pub(super) fn tx_tick(tx: &[TransactionalTree], seen: u64) -> TxResult<u64> {
    let last: u64 = tx_decode(tx, META, META_HLC)?.unwrap_or(0);
    let next = now_hlc().max(last + 1).max(seen);
    tx_insert(tx, META, META_HLC, &next)?;
    Ok(next)
}

pub(super) fn tx_version(tx: &[TransactionalTree], actor: Id) -> TxResult<u64> {
    Ok(tx[VERSIONS]
        .get(actor.as_bytes())?
        .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
        .unwrap_or(0))
}

pub(super) fn tx_heads(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
) -> TxResult<Vec<Head>> {
    Ok(tx_decode(tx, OP_HEADS, &field_key(kind, record, field))?.unwrap_or_default())
}

/// Stores `heads` for the field and marks or clears its conflict.
pub(super) fn tx_set_heads(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    heads: &[Head],
) -> TxResult<bool> {
    let key = field_key(kind, record, field);
    if heads.is_empty() {
        tx[OP_HEADS].remove(key.as_slice())?;
    } else {
        tx_insert(tx, OP_HEADS, &key, &heads.to_vec())?;
    }
    let (_, conflict) = resolve_heads(field, heads);
    if conflict {
        tx[CONFLICTS].insert(key, &[])?;
    } else {
        tx[CONFLICTS].remove(key)?;
    }
    Ok(conflict)
}

/// Appends an operation to the log (its id already allocated) and counts it as held.
pub(super) fn tx_append(tx: &[TransactionalTree], op: &Op) -> TxResult<()> {
    oplog_groups::tx_put(&tx[OPLOG], op)?;
    tx[VERSIONS].insert(op.id.actor.as_bytes(), &op.id.seq.to_be_bytes())?;
    Ok(())
}

/// This database's next operation, made and logged.
fn tx_local(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    value: String,
    pred: Vec<OpId>,
) -> TxResult<Op> {
    let actor = tx_meta_id(tx)?;
    let seq = tx_version(tx, actor)? + 1;
    let author: String = tx_decode(tx, META, META_USER)?.unwrap_or_default();
    let op = Op {
        id: OpId { actor, seq },
        hlc: tx_tick(tx, 0)?,
        kind,
        record,
        field: field.to_string(),
        value,
        pred,
        author,
    };
    tx_append(tx, &op)?;
    Ok(op)
}

/// The creations of many records, as `tx_local` makes them one by one (the same ids in
/// sequence, the same clock ticks), with the meta entries read and written once: for items
/// added in bulk. Each is (kind, record, the record as JSON).
pub(super) fn tx_local_creations(
    tx: &[TransactionalTree],
    creations: Vec<(RecordKind, Id, String)>,
) -> TxResult<()> {
    if creations.is_empty() {
        return Ok(());
    }
    let actor = tx_meta_id(tx)?;
    let mut seq = tx_version(tx, actor)?;
    let author: String = tx_decode(tx, META, META_USER)?.unwrap_or_default();
    let mut hlc: u64 = tx_decode(tx, META, META_HLC)?.unwrap_or(0);
    let mut encoded = Vec::with_capacity(creations.len());
    for (kind, record, value) in creations {
        seq += 1;
        hlc = now_hlc().max(hlc + 1);
        let op = Op {
            id: OpId { actor, seq },
            hlc,
            kind,
            record,
            field: String::new(),
            value,
            pred: Vec::new(),
            author: author.clone(),
        };
        encoded.push((seq, codec::encode(&op)));
    }
    oplog_groups::tx_put_many(&tx[OPLOG], actor, &encoded)?;
    tx[VERSIONS].insert(actor.as_bytes(), &seq.to_be_bytes())?;
    tx_insert(tx, META, META_HLC, &hlc)
}

/// The operations of a local write of a record: its creation (no `old`), or one per field
/// that changed, each replacing the field's standing values (which resolves a conflict).
pub(super) fn tx_record_ops<T: Serialize>(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    old: Option<&T>,
    new: &T,
) -> TxResult<()> {
    let Some(old) = old else {
        tx_local(tx, kind, record, "", to_json(new), Vec::new())?;
        return Ok(());
    };
    let (old, new) = (json_fields(old), json_fields(new));
    for (field, value) in &new {
        if old.get(field) == Some(value) {
            continue;
        }
        tx_field_op(tx, kind, record, field, value.to_string())?;
    }
    Ok(())
}

/// A local change of one field to `value` (JSON), replacing whatever stands.
pub(super) fn tx_field_op(
    tx: &[TransactionalTree],
    kind: RecordKind,
    record: Id,
    field: &str,
    value: String,
) -> TxResult<Op> {
    let pred = tx_heads(tx, kind, record, field)?
        .iter()
        .map(|h| h.op)
        .collect();
    let op = tx_local(tx, kind, record, field, value, pred)?;
    tx_set_heads(tx, kind, record, field, &[Head::of(&op)])?;
    Ok(op)
}

/// The creation of a history event.
pub(super) fn tx_event_op(tx: &[TransactionalTree], event: &IssueEvent) -> TxResult<()> {
    tx_local(
        tx,
        RecordKind::Event,
        event.id,
        "",
        event_ref(event),
        Vec::new(),
    )?;
    Ok(())
}

/// A field's heads after `op`: the values it replaces go, it stands.
pub(super) fn merged_heads(mut heads: Vec<Head>, op: &Op) -> Vec<Head> {
    // An empty `pred` replaces what the record was created with, however many creations.
    heads.retain(|h| {
        !op.pred.contains(&h.op) && h.op != op.id && !(op.pred.is_empty() && h.creation)
    });
    heads.push(Head::of(op));
    heads.sort_by_key(|h| h.op);
    heads
}

/// Applies `op` to the heads of its field: the values it replaces go, it stands. Returns
/// the value the field now shows and whether it is a conflict.
pub(super) fn tx_merge_heads(
    tx: &[TransactionalTree],
    op: &Op,
) -> TxResult<(Option<String>, bool)> {
    let heads = merged_heads(tx_heads(tx, op.kind, op.record, &op.field)?, op);
    let conflict = tx_set_heads(tx, op.kind, op.record, &op.field, &heads)?;
    Ok((resolve_heads(&op.field, &heads).0, conflict))
}

/// Sets one field of a record, through its JSON form.
pub(super) fn with_field<T: Serialize + DeserializeOwned>(
    record: &T,
    field: &str,
    value: &str,
) -> Result<T, String> {
    let mut map = json_fields(record);
    let value: serde_json::Value = serde_json::from_str(value).map_err(|e| e.to_string())?;
    map.insert(field.to_string(), value);
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())
}

impl Store {
    /// This database's actor: made with it (or by the migration to v4).
    pub fn actor(&self) -> Result<Id, StoreError> {
        self.get_meta(META_ACTOR)?
            .ok_or_else(|| StoreError::NotFound {
                what: "meta entry",
                key: "actor".into(),
            })
    }

    /// Makes the actor of a database that has none.
    pub(super) fn ensure_actor(&self) -> Result<Id, StoreError> {
        if let Some(actor) = self.get_meta(META_ACTOR)? {
            return Ok(actor);
        }
        let actor = Id::new();
        self.trees[META].insert(META_ACTOR, codec::encode(&actor))?;
        Ok(actor)
    }

    /// A database copied (another directory, another machine) is another ledger: it takes a
    /// new actor, so that the copy and the original never hand out the same operation id.
    /// Moving a database also gives it a new actor, which costs nothing but a line in
    /// `sync status`.
    pub(super) fn claim_actor(&self) -> Result<(), StoreError> {
        let home = self.home();
        let recorded: Option<String> = self.get_meta(META_ACTOR_HOME).unwrap_or(None);
        if recorded.as_deref() == Some(home.as_str()) {
            return Ok(());
        }
        if recorded.is_some() {
            self.trees[META].insert(META_ACTOR, codec::encode(&Id::new()))?;
        } else {
            self.ensure_actor()?;
        }
        self.trees[META].insert(META_ACTOR_HOME, codec::encode(&home))?;
        Ok(())
    }

    /// Where this database is: host and directory.
    fn home(&self) -> String {
        let path = self
            .path
            .canonicalize()
            .unwrap_or_else(|_| self.path.clone());
        format!("{}:{}", host_name(), path.display())
    }

    /// Records this directory as the actor's home: a restored ledger keeps its actor here.
    pub(super) fn claim_home(&self) -> Result<(), StoreError> {
        self.trees[META].insert(META_ACTOR_HOME, codec::encode(&self.home()))?;
        Ok(())
    }

    /// How many of `actor`'s operations this database holds (the highest sequence number).
    pub fn version_of(&self, actor: Id) -> Result<u64, StoreError> {
        Ok(self.trees[VERSIONS]
            .get(actor.as_bytes())?
            .and_then(|v| v.as_ref().try_into().ok().map(u64::from_be_bytes))
            .unwrap_or(0))
    }

    /// Every actor heard of, with how many of its operations are held.
    pub fn versions(&self) -> Result<std::collections::BTreeMap<Id, u64>, StoreError> {
        let mut out = std::collections::BTreeMap::new();
        for entry in self.trees[VERSIONS].iter() {
            let (key, value) = entry?;
            if let (Some(actor), Ok(seq)) = (Id::from_slice(&key), value.as_ref().try_into()) {
                out.insert(actor, u64::from_be_bytes(seq));
            }
        }
        Ok(out)
    }

    /// The operations of `actor` after `after`, in sequence order.
    pub fn ops_after(
        &self,
        actor: Id,
        after: u64,
    ) -> impl Iterator<Item = Result<Op, StoreError>> + '_ {
        let from = oplog_groups::walk_start(actor, after);
        let to = oplog_groups::group_key(actor, u64::MAX);
        let ops = oplog_groups::each_op(self.trees[OPLOG].range(&from[..]..=&to[..]))
            .filter(move |op| op.as_ref().map_or(true, |op| op.id.seq > after));
        self.event_values(ops)
    }

    /// The bytes (keys and values) of the operation log and its indexes, and of the records
    /// and their indexes: what the log adds, for `bench`.
    pub fn log_bytes(&self) -> Result<(u64, u64), StoreError> {
        let (mut log, mut records) = (0u64, 0u64);
        for (index, tree) in self.trees.iter().enumerate() {
            let mut bytes = 0u64;
            for entry in tree.iter() {
                let (key, value) = entry?;
                bytes += (key.len() + value.len()) as u64;
            }
            if [OPLOG, OP_HEADS, CONFLICTS, VERSIONS, PEERS, ITEM_CODES].contains(&index) {
                log += bytes;
            } else {
                records += bytes;
            }
        }
        Ok((log, records))
    }

    /// Every operation held.
    pub fn op_count(&self) -> usize {
        self.trees[OPLOG]
            .iter()
            .keys()
            .map(|key| key.map_or(0, |key| oplog_groups::entry_count(&key)))
            .sum::<u64>() as usize
    }

    /// How many fields stand in conflict.
    pub fn conflict_count(&self) -> usize {
        self.trees[CONFLICTS].len()
    }

    /// The fields in conflict, with their standing values.
    pub fn conflicts(&self) -> Result<Vec<Conflict>, StoreError> {
        let mut out = Vec::new();
        for entry in self.trees[CONFLICTS].iter() {
            let (key, _) = entry?;
            let Some((kind, record, field)) = parse_field_key(&key) else {
                continue;
            };
            let heads = self.heads(kind, record, &field)?;
            out.push(Conflict {
                kind,
                record,
                field,
                heads,
            });
        }
        Ok(out)
    }

    /// The conflicts of one record.
    pub fn conflicts_of(&self, kind: RecordKind, record: Id) -> Result<Vec<Conflict>, StoreError> {
        let mut prefix = vec![kind.byte()];
        prefix.extend_from_slice(record.as_bytes());
        let mut out = Vec::new();
        for entry in self.trees[CONFLICTS].scan_prefix(&prefix) {
            let (key, _) = entry?;
            if let Some((kind, record, field)) = parse_field_key(&key) {
                let heads = self.heads(kind, record, &field)?;
                out.push(Conflict {
                    kind,
                    record,
                    field,
                    heads,
                });
            }
        }
        Ok(out)
    }

    /// The values standing for a field changed since its record was created (none: the
    /// creation's value stands).
    pub fn heads(
        &self,
        kind: RecordKind,
        record: Id,
        field: &str,
    ) -> Result<Vec<Head>, StoreError> {
        Ok(self
            .get_meta_in(OP_HEADS, &field_key(kind, record, field))?
            .unwrap_or_default())
    }

    fn get_meta_in<T: DeserializeOwned>(
        &self,
        tree: usize,
        key: &[u8],
    ) -> Result<Option<T>, StoreError> {
        match self.trees[tree].get(key)? {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|error| StoreError::Corrupt {
                    tree: TREE_NAMES[tree],
                    key: key_text(key),
                    error,
                }),
        }
    }
}

/// A field with more than one standing value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub kind: RecordKind,
    pub record: Id,
    pub field: String,
    pub heads: Vec<Head>,
}

/// The last item whose history an operation's event was read from: an item's events are
/// logged together, so most lookups hit it.
type HistoryCache = Option<(Id, Vec<IssueEvent>)>;

impl Store {
    /// `ops` with each event reference (`event_ref`) replaced by the event's JSON, read from
    /// its item's history: what leaves the store, or is replayed, is always the value.
    pub(super) fn event_values<'a>(
        &'a self,
        ops: impl Iterator<Item = Result<Op, StoreError>> + 'a,
    ) -> impl Iterator<Item = Result<Op, StoreError>> + 'a {
        let mut cache: HistoryCache = None;
        ops.map(move |op| {
            let mut op = op?;
            self.fill_event(&mut op, &mut cache)?;
            Ok(op)
        })
    }

    fn fill_event(&self, op: &mut Op, cache: &mut HistoryCache) -> Result<(), StoreError> {
        let Some(item) = event_ref_item(op) else {
            return Ok(());
        };
        let missing = |why: &str| StoreError::Sync {
            reason: format!(
                "operation {} of {}: the event {} {why}",
                op.id.seq, op.id.actor, op.record
            ),
        };
        let item = item.ok_or_else(|| missing("is named by an unreadable reference"))?;
        if cache.as_ref().is_none_or(|(held, _)| *held != item) {
            *cache = Some((item, self.events(item)?.records));
        }
        let events = &cache.as_ref().expect("just filled").1;
        let event = events
            .iter()
            .find(|e| e.id == op.record)
            .ok_or_else(|| missing(&format!("is not in the history of item {item}")))?;
        op.value = to_json(event);
        Ok(())
    }
}
