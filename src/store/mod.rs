//! The sled layer. Each record type has its own tree, each index its own tree, and a record is
//! always written in the same transaction as its index entries and counters. An item's history
//! is one value (`History`, with the item's searchable responses first), not a key per event:
//! sled's memory and open time grow with the number of keys. Nothing outside this module
//! touches sled.

mod author;
mod bulk;
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
mod opening;
pub mod oplog;
mod oplog_backup;
mod oplog_bulk;
mod oplog_check;
mod oplog_groups;
mod reads;
mod records;
mod repair;
mod restore;
mod scan;
mod stamp;
mod steps;
mod summaries;
mod sync;
mod words;
mod writes;

pub use author::default_author;
pub use bulk::Bulk;
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
use bulk::BULK_CHUNK;
use chrono::NaiveDate;
use history::responses_of;
use opening::{create_private_dir, open_waiting_for_lock};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use std::path::{Path, PathBuf};
use steps::{
    default_category_id, tx_add, tx_decode, tx_insert, tx_next_number, tx_put_firm, tx_put_issue,
    tx_put_visit, tx_save_firm, tx_save_issue, tx_save_issue_into, tx_save_visit,
};
use words::WordChanges;
use writes::issue_ops;

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
}

#[cfg(test)]
mod tests;

/// Helpers for tests outside this module that need to damage a database on purpose.
#[doc(hidden)]
pub mod testing;
