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

mod tx;
pub(super) use tx::{
    merged_heads, tx_append, tx_event_op, tx_field_op, tx_heads, tx_local_creations,
    tx_merge_heads, tx_record_ops, tx_set_heads, tx_tick, tx_version,
};

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
        self.conflicts_in(self.trees[CONFLICTS].iter())
    }

    /// The conflicts of one record.
    pub fn conflicts_of(&self, kind: RecordKind, record: Id) -> Result<Vec<Conflict>, StoreError> {
        let mut prefix = vec![kind.byte()];
        prefix.extend_from_slice(record.as_bytes());
        self.conflicts_in(self.trees[CONFLICTS].scan_prefix(&prefix))
    }

    /// The conflicts named by these entries of the `conflicts` tree, with their standing
    /// values; a key that does not parse is passed over.
    fn conflicts_in(
        &self,
        entries: impl Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>,
    ) -> Result<Vec<Conflict>, StoreError> {
        let mut out = Vec::new();
        for entry in entries {
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
