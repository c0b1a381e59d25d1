//! The sled layer. Each record type has its own tree, each index its own tree, and a record is
//! always written in the same transaction as its index entries and counters. An item's history
//! is one value (`History`, with the item's searchable responses first), not a key per event:
//! sled's memory and open time grow with the number of keys. Nothing outside this module
//! touches sled.

mod author;
mod bulk_add;
mod check;
pub mod codec;
mod compact;
mod error;
mod files;
mod firm_merge;
mod grouped;
mod history;
mod item_codes;
pub mod journal;
mod journaled;
pub mod keys;
mod lists;
mod loader;
mod local;
mod looks;
mod mark;
mod migrate;
pub mod oplog;
mod oplog_backup;
mod oplog_bulk;
mod oplog_check;
mod oplog_groups;
mod records;
mod repair;
mod restore;
mod scan;
mod stamp;
mod summaries;
mod sync;
mod words;

pub use author::default_author;
pub use bulk_add::new_bulk_id;
pub use check::{CheckIssue, CheckReport};
pub use codec::{DecodeError, SCHEMA_VERSION};
pub use error::StoreError;
pub use files::{
    is_database_file, lands_in_database, make_new_files_private, unrelated_files, OpenNotice,
    LOCK_FILE,
};
pub use firm_merge::FirmMerge;
pub use history::History;
pub use item_codes::ledger_code;
pub use journaled::{JournalStatus, Journaling};
pub use lists::ListKind;
pub use mark::{Operation, Unfinished, WhenUnfinished};
pub use migrate::backups_beside;
pub use oplog::{Conflict, Head, OpId, RecordKind};
pub use oplog_backup::{FieldHeads, ItemCode, LedgerState, LogCounts, PeerSeen};
pub use repair::{Quarantined, RepairAction, RepairReport};
pub use restore::{RecordCounts, Restore, Settings, DEFAULT_BACKUPS_KEPT};
pub use stamp::DamagedStamp;
pub use sync::{Applied, Versions};

use crate::model::{
    Category, Department, Firm, Id, Issue, IssueDraft, IssueEvent, LocalTime, SavedView, Sla,
    Status, Visit,
};
use crate::search::FirmKeys;
use chrono::NaiveDate;
use history::responses_of;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use std::path::{Path, PathBuf};
use words::WordChanges;

/// The trees, in the order transactions see them.
const TREE_NAMES: [&str; 24] = [
    "meta",
    "firms",
    "visits",
    "issues",
    "issue_history",
    "departments",
    "categories",
    "idx_firm_name",
    "idx_issue_number",
    "idx_issue_status",
    "idx_issue_firm",
    "idx_issue_due",
    "idx_visit_time",
    "idx_visit_firm",
    "firm_search",
    "views",
    "quarantine",
    "oplog",
    "op_heads",
    "conflicts",
    "versions",
    "peers",
    "item_codes",
    "idx_issue_words",
];
const META: usize = 0;
const FIRMS: usize = 1;
const VISITS: usize = 2;
const ISSUES: usize = 3;
/// Each item's `History` (its events and its searchable responses), under the item's id.
const HISTORY: usize = 4;
const DEPARTMENTS: usize = 5;
const CATEGORIES: usize = 6;
const IDX_FIRM_NAME: usize = 7;
const IDX_ISSUE_NUMBER: usize = 8;
const IDX_ISSUE_STATUS: usize = 9;
const IDX_ISSUE_FIRM: usize = 10;
const IDX_ISSUE_DUE: usize = 11;
const IDX_VISIT_TIME: usize = 12;
const IDX_VISIT_FIRM: usize = 13;
/// Search keys (pinyin) of each firm, derived from its names when it is written.
const FIRM_SEARCH: usize = 14;
/// The queue's saved views.
const VIEWS: usize = 15;
/// Values `repair` found damaged, kept with where they were and why (`Quarantined`), keyed
/// by tree name, a zero byte and the original key.
const QUARANTINE: usize = 16;
/// The operation log (`oplog`): actor and sequence number → operation.
const OPLOG: usize = 17;
/// The values standing for each field changed since its record's creation (`oplog::Head`).
const OP_HEADS: usize = 18;
/// The fields whose heads are a conflict: the same keys as `OP_HEADS`, no values.
const CONFLICTS: usize = 19;
/// Per actor, how many of its operations this database holds (its version vector).
const VERSIONS: usize = 20;
/// Per peer, the version vector it last sent us (what it has seen), for `sync export --for`.
const PEERS: usize = 21;
/// Items from other ledgers under the code they are quoted by: ledger code, `-`, number → id.
const ITEM_CODES: usize = 22;
/// Item numbers by the character pairs of their texts (`words`).
const IDX_ISSUE_WORDS: usize = 23;

const META_SCHEMA: &[u8] = b"schema_version";
const META_USER: &[u8] = b"user";
const META_SLA: &[u8] = b"sla";
const META_NEXT_NUMBER: &[u8] = b"next_issue_number";
/// Version of the derived data (search keys). A database from a build that derived less, or
/// differently, has it rebuilt when opened; the records themselves are untouched.
const META_DERIVED: &[u8] = b"derived_version";
const DERIVED_VERSION: u16 = 3;

/// Maintained counters, so that the status line never recounts a tree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub firms: u64,
    pub visits: u64,
    pub events: u64,
    /// Items per status, indexed by `Status::as_byte`.
    pub issues_by_status: [u64; 5],
    /// Fields standing in conflict after merging another ledger's operations (`oplog`).
    pub conflicts: u64,
}

impl Counts {
    pub fn issues(&self) -> u64 {
        self.issues_by_status.iter().sum()
    }
    pub fn open_issues(&self) -> u64 {
        self.issues() - self.issues_by_status[Status::Closed.as_byte() as usize]
    }
    pub fn is_empty(&self) -> bool {
        self.firms == 0 && self.visits == 0 && self.issues() == 0
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Counter {
    Firms,
    Visits,
    Events,
    Issues(Status),
}

impl Counter {
    fn key(self) -> Vec<u8> {
        match self {
            Counter::Firms => b"count:firms".to_vec(),
            Counter::Visits => b"count:visits".to_vec(),
            Counter::Events => b"count:events".to_vec(),
            Counter::Issues(s) => [b"count:issues:".as_slice(), &[s.as_byte()]].concat(),
        }
    }
}

/// A record that could not be read: which tree, which key, and why. The rest still loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub tree: &'static str,
    pub key: String,
    pub error: DecodeError,
}

/// Records of one type, and the ones that could not be decoded.
#[derive(Debug)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    pub damaged: Vec<Damaged>,
}

#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    trees: Vec<sled::Tree>,
    /// Where the copy taken before a schema migration goes (`None`: `backups_beside`).
    backups_dir: Option<PathBuf>,
    /// Set by the first flush: something was written since the database was opened (shared
    /// by the clones the app's background readers hold).
    written: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The journal every confirmed write is appended to (`journal`), when kept.
    journal: journaled::Shared,
    /// What to do with a schema stamp that cannot be read, and what was done (`stamp`).
    damaged_stamp: DamagedStamp,
    stamp_rebuilt: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    /// Our lock on the directory (`files::lock`), held until the last clone is dropped.
    _lock: std::sync::Arc<std::fs::File>,
    /// What opening set right in the files, for the caller to say once.
    notice: Option<std::sync::Arc<OpenNotice>>,
    /// The highest item number durable at the last flush, named when the disk is full.
    confirmed_number: std::sync::Arc<std::sync::atomic::AtomicU32>,
}

type TxResult<T> = Result<T, ConflictableTransactionError<StoreError>>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

/// The schema stamp in `meta`, in an envelope of whatever version wrote it: it is what says
/// which migrations the other values need. A newer envelope is a newer schema.
fn stored_schema(bytes: &[u8]) -> Result<u16, StoreError> {
    let corrupt = |error| StoreError::Corrupt {
        tree: "meta",
        key: "schema_version".into(),
        error,
    };
    match codec::open_envelope(bytes) {
        Ok((_, payload)) => codec::decode_payload(payload).map_err(corrupt),
        Err(DecodeError::NewerVersion { found, supported }) => {
            Err(StoreError::TooNew { found, supported })
        }
        Err(error) => Err(corrupt(error)),
    }
}

/// A key as people can read it: an id, a plain text key, or hex for binary index keys.
fn key_text(key: &[u8]) -> String {
    match (Id::from_slice(key), std::str::from_utf8(key)) {
        (Some(id), _) if key.len() == Id::LEN => id.to_string(),
        (_, Ok(text)) if text.chars().all(|c| c.is_ascii_graphic()) => text.to_string(),
        _ => key.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

pub struct OpenOptions {
    /// sled's page cache. Its own default (1 GiB) grows with the data; 64 MiB holds the
    /// working set of a zone's ledger.
    pub cache_bytes: u64,
    /// Where a copy of the database is written before a schema migration changes it;
    /// `None`: `DIR.backups` beside the database (`backups_beside`).
    pub backups_dir: Option<PathBuf>,
    /// Whether confirmed writes are also appended to a journal in the backups directory.
    pub journal: Journaling,
    /// A schema stamp that cannot be read: refused, or rebuilt (`check --repair`).
    pub damaged_stamp: DamagedStamp,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            cache_bytes: 64 << 20,
            backups_dir: None,
            journal: Journaling::Off,
            damaged_stamp: DamagedStamp::Refuse,
        }
    }
}

impl OpenOptions {
    /// For the terminal app: a 16 MiB cache. Its reads are the rows on screen and the item at
    /// hand; the passes over the whole ledger (loading the queue, searching details) run in
    /// the background and gain nothing from a cache, which at a million items would hold a
    /// quarter of the app's memory.
    pub fn interactive() -> OpenOptions {
        OpenOptions {
            cache_bytes: 16 << 20,
            ..Default::default()
        }
    }
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, OpenOptions::default())
    }

    pub fn open_with(path: &Path, options: OpenOptions) -> Result<Store, StoreError> {
        Store::open_migrating(path, options, migrate::MIGRATIONS)
    }

    /// Opens with the given migration steps (the tests' own, or `MIGRATIONS`).
    fn open_migrating(
        path: &Path,
        options: OpenOptions,
        steps: &[migrate::Migration],
    ) -> Result<Store, StoreError> {
        create_private_dir(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        // Ours first: the debris below may only be removed while no other process can be in
        // the middle of writing it.
        let lock = files::lock(path)?;
        let notice = files::clear_unfinished(path)?;
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(options.cache_bytes)
            // Every confirmed change is flushed explicitly; no background timer is needed.
            .flush_every_ms(None);
        let db = open_waiting_for_lock(&config, path)?;
        files::narrow_modes(path);
        let trees = TREE_NAMES
            .iter()
            .map(|name| db.open_tree(name))
            .collect::<Result<Vec<_>, _>>()?;
        let mut store = Store {
            db,
            path: path.to_path_buf(),
            trees,
            backups_dir: options.backups_dir,
            written: Default::default(),
            journal: None,
            damaged_stamp: options.damaged_stamp,
            stamp_rebuilt: Default::default(),
            _lock: std::sync::Arc::new(lock),
            notice: notice.map(std::sync::Arc::new),
            confirmed_number: Default::default(),
        };
        store.initialise(steps).map_err(|e| store.located(e))?;
        store.claim_actor().map_err(|e| store.located(e))?;
        store.note_confirmed();
        if options.journal == Journaling::Beside {
            store.open_journal()?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new database gets the schema version and the default categories; an existing one is
    /// checked against this build's schema and migrated with `steps` when it is older.
    fn initialise(&self, steps: &[migrate::Migration]) -> Result<(), StoreError> {
        match self.trees[META].get(META_SCHEMA)? {
            Some(bytes) => {
                let found = match stored_schema(&bytes) {
                    Err(StoreError::Corrupt { error, .. })
                        if self.damaged_stamp == DamagedStamp::Rebuild =>
                    {
                        self.rebuild_stamp(&bytes, &error.to_string())?
                    }
                    found => found?,
                };
                if found > SCHEMA_VERSION {
                    return Err(StoreError::TooNew {
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    self.migrate(found, steps)?;
                }
                self.rebuild_derived_if_old()
            }
            None => {
                self.trees[META].insert(META_SCHEMA, codec::encode(&SCHEMA_VERSION))?;
                self.trees[META].insert(META_DERIVED, codec::encode(&DERIVED_VERSION))?;
                self.ensure_actor()?;
                let mut ops = oplog_bulk::BulkOps::start(self)?;
                for (index, (code, name)) in Category::DEFAULTS.iter().enumerate() {
                    let mut category = Category::new(code, name)?;
                    // The same id in every new ledger, so that merged ledgers share them.
                    category.id = default_category_id(index, code);
                    self.trees[CATEGORIES]
                        .insert(category.id.as_bytes(), codec::encode(&category))?;
                    ops.create(RecordKind::Category, category.id, &category);
                }
                ops.write(self)?;
                self.flush()
            }
        }
    }

    /// Recomputes the search keys of every firm and the responses in every item's history
    /// when they were made by an older build (or not at all, as in schema v1 databases
    /// written before search existed).
    fn rebuild_derived_if_old(&self) -> Result<(), StoreError> {
        // A damaged version stamp only means "rebuild": the data it describes is derived.
        let current: Option<u16> = self.get_meta(META_DERIVED).unwrap_or(None);
        if current >= Some(DERIVED_VERSION) {
            return Ok(());
        }
        let firms = self.firms()?;
        let mut batch = sled::Batch::default();
        for firm in &firms.records {
            let keys = FirmKeys::new(&firm.name, &firm.short_name);
            batch.insert(firm.id.as_bytes(), codec::encode(&keys));
        }
        self.trees[FIRM_SEARCH].apply_batch(batch)?;
        // The responses kept first in each item's history, from its events. A history that
        // cannot be decoded is left for `check` to report.
        let mut changed = Vec::new();
        for entry in self.record_entries(HISTORY) {
            let (key, value) = entry?;
            let Ok(mut history) = codec::decode::<History>(&value) else {
                continue;
            };
            let responses = responses_of(&history.events);
            if history.responses != responses {
                history.responses = responses;
                changed.push((key, codec::encode(&history)));
            }
        }
        let responses_changed = !changed.is_empty();
        for (key, value) in changed {
            self.record_put(HISTORY, &key, &value)?;
        }
        if responses_changed {
            self.rebuild_word_index()?;
        }
        self.trees[META].insert(META_DERIVED, codec::encode(&DERIVED_VERSION))?;
        self.flush()
    }

    /// Makes every write so far durable; called before a change is reported as saved.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.db.flush().map_err(|e| self.located(e.into()))?;
        self.written
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self.note_confirmed();
        Ok(())
    }

    /// Ends a process that only read: makes whatever opening wrote durable (sled's recovery,
    /// the actor's home) and leaves the memory to the process's exit instead of freeing it.
    /// Dropping the database frees sled's page table and cache node by node: 9 % of
    /// `issues list --overdue`, about 10 ms of any command at a million items. A store that
    /// wrote something is dropped as usual, its journal closed.
    pub fn close_at_exit(self) -> Result<(), StoreError> {
        if self.written_since_open() {
            return Ok(());
        }
        self.db.flush().map_err(|e| self.located(e.into()))?;
        std::mem::forget(self);
        Ok(())
    }

    /// Has anything been written since the database was opened? (Quitting after only
    /// looking needs no new backup — at a million items one takes a minute.)
    pub fn written_since_open(&self) -> bool {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `body` in one transaction over all trees. sled may run it more than once on
    /// conflict, so it must not have side effects outside the transaction.
    fn transaction<T>(
        &self,
        body: impl Fn(&[TransactionalTree]) -> TxResult<T>,
    ) -> Result<T, StoreError> {
        let result = self
            .trees
            .as_slice()
            .transaction(|tx| body(tx))
            .map_err(|e| self.located(e.into()))?;
        Ok(result)
    }

    // ---- meta -------------------------------------------------------------------------

    pub fn schema_version(&self) -> Result<u16, StoreError> {
        let bytes = self.trees[META]
            .get(META_SCHEMA)?
            .ok_or_else(|| StoreError::NotFound {
                what: "meta entry",
                key: "schema_version".into(),
            })?;
        stored_schema(&bytes)
    }

    /// The name written as the author of history events.
    pub fn user(&self) -> Result<Option<String>, StoreError> {
        self.get_meta(META_USER)
    }

    pub fn set_user(&self, name: &str) -> Result<(), StoreError> {
        self.trees[META].insert(META_USER, codec::encode(&name.to_string()))?;
        self.journal_settings()?;
        self.flush()
    }

    fn get_meta<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.trees[META].get(key)? {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|error| StoreError::Corrupt {
                    tree: "meta",
                    key: String::from_utf8_lossy(key).into_owned(),
                    error,
                }),
        }
    }

    /// Days per priority for default due dates.
    pub fn sla(&self) -> Result<Sla, StoreError> {
        Ok(self.get_meta(META_SLA)?.unwrap_or_default())
    }

    pub fn set_sla(&self, sla: &Sla) -> Result<(), StoreError> {
        self.transaction(|tx| {
            tx_insert(tx, META, META_SLA, sla)?;
            oplog::tx_field_op(tx, RecordKind::Sla, Id::MIN, "levels", oplog::to_json(sla))?;
            Ok(())
        })?;
        self.journal_settings()?;
        self.flush()
    }

    pub fn counts(&self) -> Result<Counts, StoreError> {
        let read = |c: Counter| -> Result<u64, StoreError> {
            Ok(self.get_meta::<u64>(&c.key())?.unwrap_or(0))
        };
        let mut counts = Counts {
            firms: read(Counter::Firms)?,
            visits: read(Counter::Visits)?,
            events: read(Counter::Events)?,
            issues_by_status: [0; 5],
            conflicts: self.trees[CONFLICTS].len() as u64,
        };
        for status in Status::ALL {
            counts.issues_by_status[status.as_byte() as usize] = read(Counter::Issues(status))?;
        }
        Ok(counts)
    }

    // ---- reads ------------------------------------------------------------------------

    fn get<T: DeserializeOwned>(&self, tree: usize, id: Id) -> Result<Option<T>, StoreError> {
        match self.record_get(tree, id.as_bytes())? {
            None => Ok(None),
            Some(bytes) => codec::decode(&bytes)
                .map(Some)
                .map_err(|error| StoreError::Corrupt {
                    tree: TREE_NAMES[tree],
                    key: id.to_string(),
                    error,
                }),
        }
    }

    fn load_all<T: DeserializeOwned>(&self, tree: usize) -> Result<Loaded<T>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        for entry in self.record_entries_reporting(tree) {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(tree, &key) {
                loaded.damaged.push(damaged);
                continue;
            }
            match codec::decode(&value) {
                Ok(record) => loaded.records.push(record),
                Err(error) => loaded.damaged.push(Damaged {
                    tree: TREE_NAMES[tree],
                    key: key_text(&key),
                    error,
                }),
            }
        }
        Ok(loaded)
    }

    pub fn firm(&self, id: Id) -> Result<Option<Firm>, StoreError> {
        self.get(FIRMS, id)
    }

    pub fn firms(&self) -> Result<Loaded<Firm>, StoreError> {
        self.load_all(FIRMS)
    }

    /// Every firm's search keys. A firm without keys (damaged, or written by hand) gets
    /// them computed here, so search never misses it.
    pub fn firm_keys(&self, firm: &Firm) -> Result<FirmKeys, StoreError> {
        self.firm_search_keys(firm.id, &firm.name, &firm.short_name)
    }

    /// `firm_keys` from a firm's id and names.
    pub fn firm_search_keys(
        &self,
        firm: Id,
        name: &str,
        short_name: &str,
    ) -> Result<FirmKeys, StoreError> {
        match self.get::<FirmKeys>(FIRM_SEARCH, firm) {
            Ok(Some(keys)) => Ok(keys),
            Ok(None) | Err(StoreError::Corrupt { .. }) => Ok(FirmKeys::new(name, short_name)),
            Err(e) => Err(e),
        }
    }

    /// The responses recorded for an item, lower-cased, one per line ("" when none). Reads
    /// the head of its history, not its events.
    pub fn response_text(&self, issue: Id) -> Result<String, StoreError> {
        match self.record_get(HISTORY, issue.as_bytes())? {
            None => Ok(String::new()),
            Some(bytes) => codec::decode_leading(&bytes).map_err(|error| StoreError::Corrupt {
                tree: TREE_NAMES[HISTORY],
                key: issue.to_string(),
                error,
            }),
        }
    }

    /// Every item with its response text: one pass over two trees grouped alike (so their
    /// walks come in the same order), for searching without reading each item's history.
    pub fn each_issue_with_text(
        &self,
        mut visit: impl FnMut(Result<(Issue, String), Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut texts = self.record_entries(HISTORY).peekable();
        for entry in self.record_entries_reporting(ISSUES) {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(ISSUES, &key) {
                visit(Err(damaged))?;
                continue;
            }
            let mut text = String::new();
            while let Some(Ok((text_key, _))) = texts.peek() {
                if records::walk_order(text_key) < records::walk_order(&key) {
                    texts.next();
                    continue;
                }
                if *text_key == key {
                    if let Some(Ok((_, bytes))) = texts.next() {
                        text = codec::decode_leading(&bytes).unwrap_or_default();
                    }
                }
                break;
            }
            let decoded = codec::decode::<Issue>(&value)
                .map(|issue| (issue, text))
                .map_err(|error| Damaged {
                    tree: TREE_NAMES[ISSUES],
                    key: key_text(&key),
                    error,
                });
            visit(decoded)?;
        }
        Ok(())
    }

    pub fn firm_by_name(&self, name: &str) -> Result<Option<Id>, StoreError> {
        let key = crate::model::name_key(name);
        Ok(self.trees[IDX_FIRM_NAME]
            .get(key.as_bytes())?
            .and_then(|v| Id::from_slice(&v)))
    }

    pub fn departments(&self) -> Result<Loaded<Department>, StoreError> {
        self.load_all(DEPARTMENTS)
    }

    pub fn views(&self) -> Result<Loaded<SavedView>, StoreError> {
        self.load_all(VIEWS)
    }

    pub fn put_view(&self, view: &SavedView) -> Result<(), StoreError> {
        self.trees[VIEWS].insert(view.id.as_bytes(), codec::encode(view))?;
        self.journal(|| vec![journal::Op::View(view.clone())])?;
        self.flush()
    }

    pub fn delete_view(&self, id: Id) -> Result<(), StoreError> {
        self.trees[VIEWS].remove(id.as_bytes())?;
        self.journal(|| vec![journal::Op::ViewDeleted(id)])?;
        self.flush()
    }

    pub fn categories(&self) -> Result<Loaded<Category>, StoreError> {
        self.load_all(CATEGORIES)
    }

    pub fn visit(&self, id: Id) -> Result<Option<Visit>, StoreError> {
        self.get(VISITS, id)
    }

    /// Every visit id in start-time order; reads only index keys.
    pub fn visit_ids_by_time(&self) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_entries(IDX_VISIT_TIME) {
            ids.extend(keys::visit_time_id(&entry?.0));
        }
        Ok(ids)
    }

    /// The visits starting in `[from, to)` (unix seconds), in start-time order: one key range
    /// of the time index, however many visits the database holds.
    pub fn visits_between(&self, from: i64, to: i64) -> Result<Loaded<Visit>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        for id in self.visit_ids_between(Some(from), Some(to)) {
            match self.visit(id?) {
                Ok(Some(visit)) => loaded.records.push(visit),
                Ok(None) => {}
                Err(StoreError::Corrupt { tree, key, error }) => {
                    loaded.damaged.push(Damaged { tree, key, error })
                }
                Err(e) => return Err(e),
            }
        }
        Ok(loaded)
    }

    /// The ids of the visits starting at or after `from` and before `before` (Unix seconds,
    /// either end open), in start-time order. A lazy walk over index keys, so that an export
    /// of a large ledger holds one id at a time.
    pub fn visit_ids_between(
        &self,
        from: Option<i64>,
        before: Option<i64>,
    ) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        // A key is the start time followed by the id, so the bare time sorts before every
        // key with that time: included as a lower bound, excluded as an upper one.
        let lower = from.map(|t| keys::time_bytes(t).to_vec());
        let upper = before.map(|t| keys::time_bytes(t).to_vec());
        self.index_between(IDX_VISIT_TIME, lower, upper)
            .filter_map(|entry| match entry {
                Ok((key, _)) => keys::visit_time_id(&key).map(Ok),
                Err(e) => Some(Err(e)),
            })
    }

    /// A firm's visits in start-time order.
    pub fn visit_ids_of_firm(&self, firm: Id) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_prefix(IDX_VISIT_FIRM, firm.as_bytes()) {
            ids.extend(keys::visit_firm_id(&entry?.0));
        }
        Ok(ids)
    }

    pub fn issue(&self, id: Id) -> Result<Option<Issue>, StoreError> {
        self.get(ISSUES, id)
    }

    /// The id of item #N, from the number index alone.
    pub fn issue_id_by_number(&self, number: u32) -> Result<Option<Id>, StoreError> {
        Ok(self
            .index_get(IDX_ISSUE_NUMBER, &keys::issue_number(number))?
            .and_then(|v| Id::from_slice(&v)))
    }

    pub fn issue_by_number(&self, number: u32) -> Result<Option<Issue>, StoreError> {
        match self.index_get(IDX_ISSUE_NUMBER, &keys::issue_number(number))? {
            Some(v) => match Id::from_slice(&v) {
                Some(id) => self.issue(id),
                None => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// The triage order: open items first, soonest due first (no due date last), then the
    /// closed ones. Reads only index keys.
    pub fn issue_ids_by_due(&self) -> Result<Vec<Id>, StoreError> {
        self.issue_ids_in_due_order().collect()
    }

    /// The same order as a lazy walk over the index keys, so that an export of a large
    /// ledger holds one id at a time.
    pub fn issue_ids_in_due_order(&self) -> impl Iterator<Item = Result<Id, StoreError>> + '_ {
        self.index_entries(IDX_ISSUE_DUE)
            .filter_map(|entry| match entry {
                Ok((key, _)) => keys::issue_due_id(&key).map(Ok),
                Err(e) => Some(Err(e)),
            })
    }

    /// A firm's items with their status, from the index alone.
    pub fn issues_of_firm(&self, firm: Id) -> Result<Vec<(Id, Option<Status>)>, StoreError> {
        let mut out = Vec::new();
        for entry in self.index_prefix(IDX_ISSUE_FIRM, firm.as_bytes()) {
            let (key, value) = entry?;
            if let Some(id) = Id::from_slice(&key[Id::LEN..]) {
                out.push((id, value.first().and_then(|b| Status::from_byte(*b))));
            }
        }
        Ok(out)
    }

    /// The ids of open items whose due day is before `today`, most overdue first.
    pub fn overdue_ids(&self, today: NaiveDate) -> Result<Vec<Id>, StoreError> {
        let (from, to) = keys::open_due_before(today);
        let mut ids = Vec::new();
        for entry in self.index_between(IDX_ISSUE_DUE, Some(from), Some(to)) {
            ids.extend(keys::issue_due_id(&entry?.0));
        }
        Ok(ids)
    }

    /// The ids of open items, soonest due first (no due date last): the open half of the due
    /// index, so a question about open items reads those and not the closed ones.
    pub fn open_issue_ids(&self) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for entry in self.index_between(IDX_ISSUE_DUE, Some(vec![0]), Some(vec![1])) {
            ids.extend(keys::issue_due_id(&entry?.0));
        }
        Ok(ids)
    }

    /// Puts item ids in the order their records are stored (the order of a walk), so that
    /// reading many of them goes through the file once instead of jumping about.
    pub fn sort_in_storage_order(ids: &mut [Id]) {
        ids.sort_by_cached_key(|id| Store::storage_key(*id));
    }

    /// Where an item's records are stored: ids sorted by this are in the order of a walk.
    pub fn storage_key(id: Id) -> impl Ord {
        (records::group_of(id.as_bytes()), id)
    }

    /// Open items whose due day is before `today`.
    pub fn overdue_count(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let (from, to) = keys::open_due_before(today);
        self.index_count(IDX_ISSUE_DUE, &from, &to)
    }

    /// An item's history, oldest first. A history that cannot be decoded is listed as
    /// damaged, under the item's id.
    pub fn events(&self, issue: Id) -> Result<Loaded<IssueEvent>, StoreError> {
        let mut loaded = Loaded {
            records: Vec::new(),
            damaged: Vec::new(),
        };
        if let Some(bytes) = self.record_get(HISTORY, issue.as_bytes())? {
            match codec::decode::<History>(&bytes) {
                Ok(history) => loaded.records = history.events,
                Err(error) => loaded.damaged.push(Damaged {
                    tree: TREE_NAMES[HISTORY],
                    key: issue.to_string(),
                    error,
                }),
            }
        }
        Ok(loaded)
    }

    /// Every record of a kind, decoded one at a time, for exports that must not hold the whole
    /// ledger in memory.
    pub fn each_issue(
        &self,
        mut visit: impl FnMut(Result<Issue, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each(ISSUES, &mut visit)
    }

    /// `each_issue` over share `part` of `parts` of the items: reading them can be split
    /// between threads, each taking one share (together, every item once).
    pub fn each_issue_part(
        &self,
        part: usize,
        parts: usize,
        mut visit: impl FnMut(Result<Issue, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_of(
            ISSUES,
            self.record_entries_part(ISSUES, part, parts),
            &mut visit,
        )
    }

    /// Every history event, by item and then by id (time order within an item). A history
    /// that cannot be decoded is visited once, as damaged.
    pub fn each_event(
        &self,
        mut visit: impl FnMut(Result<IssueEvent, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each(
            HISTORY,
            &mut |history: Result<History, Damaged>| match history {
                Ok(history) => history.events.into_iter().try_for_each(|e| visit(Ok(e))),
                Err(damaged) => visit(Err(damaged)),
            },
        )
    }

    pub fn each_visit(
        &self,
        mut visit: impl FnMut(Result<Visit, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each(VISITS, &mut visit)
    }

    fn each<T: DeserializeOwned>(
        &self,
        tree: usize,
        visit: &mut impl FnMut(Result<T, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.each_of(tree, self.record_entries_reporting(tree), visit)
    }

    fn each_of<T: DeserializeOwned>(
        &self,
        tree: usize,
        entries: records::RecordEntries,
        visit: &mut impl FnMut(Result<T, Damaged>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for entry in entries {
            let (key, value) = entry?;
            if let Some(damaged) = self.damaged_group(tree, &key) {
                visit(Err(damaged))?;
                continue;
            }
            let decoded = codec::decode(&value).map_err(|error| Damaged {
                tree: TREE_NAMES[tree],
                key: key_text(&key),
                error,
            });
            visit(decoded)?;
        }
        Ok(())
    }

    // ---- writes -----------------------------------------------------------------------

    /// Adds or updates a firm. Names are unique (ignoring case, width and spaces).
    pub fn put_firm(&self, firm: &Firm) -> Result<(), StoreError> {
        let firm = firm.clone().validated()?;
        self.transaction(|tx| tx_save_firm(tx, &firm))?;
        self.journal(|| vec![journal::Op::Firm(firm.clone())])?;
        self.flush()
    }

    pub fn put_department(&self, department: &Department) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let old = tx_decode::<Department>(tx, DEPARTMENTS, department.id.as_bytes())?;
            let (kind, id) = (RecordKind::Department, department.id);
            oplog::tx_record_ops(tx, kind, id, old.as_ref(), department)?;
            tx_insert(tx, DEPARTMENTS, department.id.as_bytes(), department)
        })?;
        self.journal(|| vec![journal::Op::Department(department.clone())])?;
        self.flush()
    }

    pub fn put_category(&self, category: &Category) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let old = tx_decode::<Category>(tx, CATEGORIES, category.id.as_bytes())?;
            let (kind, id) = (RecordKind::Category, category.id);
            oplog::tx_record_ops(tx, kind, id, old.as_ref(), category)?;
            tx_insert(tx, CATEGORIES, category.id.as_bytes(), category)
        })?;
        self.journal(|| vec![journal::Op::Category(category.clone())])?;
        self.flush()
    }

    /// Adds or updates a visit with its time and firm indexes.
    pub fn put_visit(&self, visit: &Visit) -> Result<(), StoreError> {
        let visit = visit.clone().validated()?;
        self.transaction(|tx| tx_save_visit(tx, &visit))?;
        self.journal(|| vec![journal::Op::Visit(visit.clone())])?;
        self.flush()
    }

    /// Raises a new item: allocates its #N, writes it, its indexes and its "created" event in
    /// one transaction, and flushes.
    pub fn create_issue(
        &self,
        draft: IssueDraft,
        author: &str,
        now: LocalTime,
    ) -> Result<Issue, StoreError> {
        let mut draft = draft;
        // Without a due date, the priority's service level sets one.
        if draft.due.is_none() {
            draft.due = Some(self.sla()?.due(draft.priority, now.date_naive()));
        }
        let template = draft.into_issue(Id::new(), 0, now)?;
        let created = IssueEvent::new(template.id, now, author, crate::model::Change::Created);
        let issue = self.transaction(|tx| {
            let mut issue = template.clone();
            issue.number = tx_next_number(tx)?;
            tx_save_issue(tx, &issue, std::slice::from_ref(&created))?;
            Ok(issue)
        })?;
        self.journal(|| issue_ops(&issue, std::slice::from_ref(&created)))?;
        self.flush()?;
        Ok(issue)
    }

    /// Saves several changed items with their events in one transaction and one flush: a
    /// bulk action is all done or not at all.
    pub fn save_issues(&self, changes: &[(Issue, Vec<IssueEvent>)]) -> Result<(), StoreError> {
        self.transaction(|tx| {
            let mut words = WordChanges::default();
            for (issue, events) in changes {
                tx_save_issue_into(tx, issue, events, &mut words)?;
            }
            words.tx_write(tx)
        })?;
        self.journal(|| {
            changes
                .iter()
                .flat_map(|(issue, events)| issue_ops(issue, events))
                .collect()
        })?;
        self.flush()
    }

    /// Saves a changed item together with the history events that describe the change.
    pub fn save_issue(&self, issue: &Issue, events: &[IssueEvent]) -> Result<(), StoreError> {
        self.transaction(|tx| tx_save_issue(tx, issue, events))?;
        self.journal(|| issue_ops(issue, events))?;
        self.flush()
    }

    /// Writes many records in few transactions, flushing once at the end: for seeding and
    /// imports. Items get their #N here, in order.
    pub fn bulk(&self) -> Bulk<'_> {
        Bulk {
            store: self,
            firms: Vec::new(),
            visits: Vec::new(),
            issues: Vec::new(),
            changed: Vec::new(),
            loading: None,
        }
    }

    /// As `bulk`, for a database being filled from nothing that nobody reads until it is done
    /// (`demo`'s scratch database): items are gathered in memory and merged into their groups
    /// a few hundred megabytes at a time, without transactions. A process stopped part way
    /// leaves the database inconsistent. Holding items already, it is `bulk`.
    pub fn load_into_empty(&self) -> Result<Bulk<'_>, StoreError> {
        let mut bulk = self.bulk();
        // Loaded around the journal's entries, a journaled database would need a full backup
        // at once: its items go through transactions and the journal instead.
        if !self.journaling() {
            bulk.loading = loader::Loading::start(self)?;
        }
        Ok(bulk)
    }

    /// Removes every record, index and counter (keeps the schema version and categories are
    /// re-created). Used by `demo --force`.
    pub fn clear(&self) -> Result<(), StoreError> {
        let journal = self.journal_keys()?;
        for tree in &self.trees {
            tree.clear()?;
        }
        // The journal goes on: what it holds before this entry no longer counts.
        self.keep_journal_keys(journal)?;
        // Emptied, it is a new database: there is nothing to migrate.
        self.initialise(&[])?;
        self.journal_whole_state()?;
        self.flush()
    }
}

/// A batch of records written by `Store::bulk`.
pub struct Bulk<'a> {
    store: &'a Store,
    firms: Vec<Firm>,
    visits: Vec<Visit>,
    issues: Vec<(Issue, Vec<IssueEvent>)>,
    /// Items already stored, changed, with the events of their changes.
    changed: Vec<(Issue, Vec<IssueEvent>)>,
    /// Items gathered without transactions (`Store::load_into_empty`).
    loading: Option<loader::Loading>,
}

/// Records a transaction of `Store::bulk` holds; each transaction is all written or none of
/// it. 10,000 saved about 8% of an import's CPU but held 400 MB in sled's transaction.
const BULK_CHUNK: usize = 2_000;

impl Bulk<'_> {
    pub fn firm(&mut self, firm: Firm) -> Result<(), StoreError> {
        self.firms.push(firm.validated()?);
        self.maybe_write()
    }

    pub fn visit(&mut self, visit: Visit) -> Result<(), StoreError> {
        self.visits.push(visit.validated()?);
        self.maybe_write()
    }

    /// The item's `number` is replaced by the next free one.
    pub fn issue(&mut self, issue: Issue, events: Vec<IssueEvent>) -> Result<(), StoreError> {
        if self.loading.is_some() {
            if !self.firms.is_empty() || !self.visits.is_empty() {
                // Its firm must be written first.
                self.write()?;
            }
            if let Some(loading) = self.loading.as_mut() {
                return loading.issue(self.store, issue, events);
            }
        }
        self.issues.push((issue, events));
        self.maybe_write()
    }

    /// An item already stored, changed as `events` say; it keeps its #N.
    pub fn update(&mut self, issue: Issue, events: Vec<IssueEvent>) -> Result<(), StoreError> {
        self.changed.push((issue, events));
        self.maybe_write()
    }

    fn maybe_write(&mut self) -> Result<(), StoreError> {
        let pending = self.firms.len() + self.visits.len() + self.issues.len();
        if pending + self.changed.len() >= BULK_CHUNK {
            self.write()?;
        }
        Ok(())
    }

    fn write(&mut self) -> Result<(), StoreError> {
        let (firms, visits, issues) = (&self.firms, &self.visits, &self.issues);
        let changed = &self.changed;
        let numbers = self.store.transaction(|tx| {
            for firm in firms {
                tx_save_firm(tx, firm)?;
            }
            for visit in visits {
                tx_save_visit(tx, visit)?;
            }
            let mut words = WordChanges::default();
            let numbers = bulk_add::tx_add_issues(tx, issues, &mut words)?;
            for (issue, events) in changed {
                tx_save_issue_into(tx, issue, events, &mut words)?;
            }
            words.tx_write(tx)?;
            Ok(numbers)
        })?;
        self.store.journal_unsynced(|| {
            let mut ops: Vec<journal::Op> = firms.iter().cloned().map(journal::Op::Firm).collect();
            ops.extend(visits.iter().cloned().map(journal::Op::Visit));
            for ((issue, events), number) in issues.iter().zip(numbers) {
                let mut issue = issue.clone();
                issue.number = number;
                ops.extend(issue_ops(&issue, events));
            }
            // Items an import updated (matched to its rows).
            for (issue, events) in changed {
                ops.extend(issue_ops(issue, events));
            }
            ops
        })?;
        self.changed.clear();
        self.firms.clear();
        self.visits.clear();
        self.issues.clear();
        Ok(())
    }

    /// Writes what is left and makes it all durable.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.write()?;
        if let Some(loading) = self.loading.as_mut() {
            loading.write(self.store)?;
        }
        self.store.journal_sync()?;
        self.store.flush()
    }
}

/// A saved item and the events its change added, as the journal holds them.
fn issue_ops(issue: &Issue, events: &[IssueEvent]) -> Vec<journal::Op> {
    let mut ops = vec![journal::Op::Issue(issue.clone())];
    ops.extend(events.iter().cloned().map(journal::Op::Event));
    ops
}

// ---- transaction steps -----------------------------------------------------------------

/// The id of a default category: the same in every ledger made since schema v4, in the
/// order of `Category::DEFAULTS` (lists show them in id order).
fn default_category_id(index: usize, code: &str) -> Id {
    let hash = crc32fast::hash(code.as_bytes()).to_be_bytes();
    let mut random = [0u8; 10];
    random[1] = index as u8;
    random[2..6].copy_from_slice(&hash);
    Id::from_parts(0, random)
}

/// A firm written by this ledger: the record and its operations.
fn tx_save_firm(tx: &[TransactionalTree], firm: &Firm) -> TxResult<()> {
    let old = tx_decode::<Firm>(tx, FIRMS, firm.id.as_bytes())?;
    oplog::tx_record_ops(tx, RecordKind::Firm, firm.id, old.as_ref(), firm)?;
    tx_put_firm(tx, firm)
}

/// A visit written by this ledger: the record and its operations.
fn tx_save_visit(tx: &[TransactionalTree], visit: &Visit) -> TxResult<()> {
    let old = tx_decode::<Visit>(tx, VISITS, visit.id.as_bytes())?;
    oplog::tx_record_ops(tx, RecordKind::Visit, visit.id, old.as_ref(), visit)?;
    tx_put_visit(tx, visit)
}

/// An item written by this ledger, with its new events: the records and their operations.
fn tx_save_issue(tx: &[TransactionalTree], issue: &Issue, events: &[IssueEvent]) -> TxResult<()> {
    let mut words = WordChanges::default();
    tx_save_issue_into(tx, issue, events, &mut words)?;
    words.tx_write(tx)
}

/// `tx_save_issue`, its word index changes gathered in `words` for the caller to write.
fn tx_save_issue_into(
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

fn tx_decode<T: DeserializeOwned>(
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

fn tx_insert<T: Serialize>(
    tx: &[TransactionalTree],
    tree: usize,
    key: &[u8],
    value: &T,
) -> TxResult<()> {
    records::tx_record_change(tx, tree, key, Some(&codec::encode(value)))
}

fn tx_add(tx: &[TransactionalTree], counter: Counter, delta: i64) -> TxResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let key = counter.key();
    let current: u64 = tx_decode(tx, META, &key)?.unwrap_or(0);
    let next = current.saturating_add_signed(delta);
    tx_insert(tx, META, &key, &next)
}

fn tx_next_number(tx: &[TransactionalTree]) -> TxResult<u32> {
    let next: u32 = tx_decode(tx, META, META_NEXT_NUMBER)?.unwrap_or(1);
    tx_insert(tx, META, META_NEXT_NUMBER, &(next + 1))?;
    Ok(next)
}

fn tx_put_firm(tx: &[TransactionalTree], firm: &Firm) -> TxResult<()> {
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

fn tx_put_visit(tx: &[TransactionalTree], visit: &Visit) -> TxResult<()> {
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

fn tx_put_issue(tx: &[TransactionalTree], issue: &Issue, events: &[IssueEvent]) -> TxResult<()> {
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

// ---- opening ---------------------------------------------------------------------------

/// sled releases its file lock from background threads a moment after a database is closed,
/// so a lock held by a process (or handle) that is just finishing gets a short grace period
/// before the database is reported as in use.
fn open_waiting_for_lock(config: &sled::Config, path: &Path) -> Result<sled::Db, StoreError> {
    let started = std::time::Instant::now();
    loop {
        match config.open().map_err(|e| classify_open_error(e, path)) {
            Err(StoreError::InUse { .. }) if started.elapsed() < files::LOCK_GRACE => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

fn classify_open_error(error: sled::Error, path: &Path) -> StoreError {
    if let sled::Error::Io(io) = &error {
        if files::is_disk_full(io) {
            // sled writes a snapshot on every open; it finds no room for it.
            return StoreError::DiskFull {
                path: Some(path.to_path_buf()),
                free_bytes: files::free_bytes(path),
                last_item: None,
            };
        }
    }
    let text = error.to_string();
    if text.contains("could not acquire lock") {
        StoreError::InUse {
            path: path.to_path_buf(),
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            reason: text,
        }
    }
}

/// The ledger is private: on a shared laptop only its owner may read it. Missing parents are
/// created private as well (the mode applies to every level `recursive` creates).
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)?;
    #[cfg(unix)]
    {
        // A directory made beforehand (`mkdir`) has the umask's mode, usually readable by
        // everyone, and sled's files inside it are too. Narrowing it is best effort: a
        // directory owned by someone else still opens.
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = std::fs::metadata(path) {
            let mode = metadata.permissions().mode();
            if mode & 0o077 != 0 {
                let narrowed = std::fs::Permissions::from_mode((mode & 0o7700) | 0o700);
                let _ = std::fs::set_permissions(path, narrowed);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// Helpers for tests outside this module that need to damage a database on purpose.
#[doc(hidden)]
pub mod testing {
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
}
