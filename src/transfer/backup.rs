//! The backup: the whole ledger as JSON lines that people can read and that a later liaison
//! can load back.
//!
//! Line 1 is a header (format name, format version, schema version, the liaison version that
//! wrote it, and how many records of each kind follow). Then one record per line,
//! `{"kind":"firm","record":{…}}`, in a fixed order: the settings, then departments,
//! categories, saved views, firms, visits, items and history events, each kind by id (events
//! by their item, then by id, as the store keeps them). Nothing in the file depends on when it
//! was written, so an unchanged ledger always gives the same bytes — and so does a ledger
//! restored from a backup.
//!
//! Since format version 2 the records are followed by the ledger's operation log (docs/sync.md):
//! a `ledger` line (its actor and clock), then its operations (`op`, by actor and sequence
//! number), the values standing for changed fields (`heads`), what each peer had seen (`peer`)
//! and other ledgers' item codes (`item_code`). A restore brings them back, so the restored
//! ledger keeps its actor and merges with its peers without creating every record twice; a
//! version 1 backup restores as before, its records starting a log under a new actor.
//!
//! Writing streams records out of the store one at a time; restoring reads the file twice,
//! first to check every line (holding only ids and numbers, not records), then to write it
//! through `Store::restore`, so a bad line leaves the database as empty as it was.

use crate::model::Sla;
use crate::model::{Category, Department, Firm, Id, Issue, IssueEvent, SavedView, Visit};
use crate::store::oplog::Op;
use crate::store::{FieldHeads, ItemCode, LedgerState, PeerSeen, RecordCounts};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The header's `format`: what this file is.
pub const FORMAT_NAME: &str = "liaison-backup";
/// The layout of the lines; bumped when a reader of the old layout would misread the new one.
pub const FORMAT_VERSION: u32 = 2;

/// Records per kind, as the header states them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub departments: u64,
    pub categories: u64,
    pub views: u64,
    pub firms: u64,
    pub visits: u64,
    pub issues: u64,
    pub events: u64,
    /// The operation log's entries (version 2); none in a version 1 header.
    #[serde(default)]
    pub ops: u64,
    #[serde(default)]
    pub heads: u64,
    #[serde(default)]
    pub peers: u64,
    #[serde(default)]
    pub item_codes: u64,
}

impl From<RecordCounts> for Counts {
    fn from(c: RecordCounts) -> Self {
        Counts {
            departments: c.departments,
            categories: c.categories,
            views: c.views,
            firms: c.firms,
            visits: c.visits,
            issues: c.issues,
            events: c.events,
            ..Counts::default()
        }
    }
}

impl Counts {
    fn of(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Department => &mut self.departments,
            Kind::Category => &mut self.categories,
            Kind::View => &mut self.views,
            Kind::Firm => &mut self.firms,
            Kind::Visit => &mut self.visits,
            Kind::Issue => &mut self.issues,
            Kind::Event => &mut self.events,
            Kind::Op => &mut self.ops,
            Kind::Heads => &mut self.heads,
            Kind::Peer => &mut self.peers,
            Kind::ItemCode => &mut self.item_codes,
            Kind::Settings | Kind::Ledger => unreachable!("one line each, not counted"),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    /// The store's schema the records follow.
    schema: u16,
    /// The liaison that wrote the file, for people; not checked.
    liaison: String,
    counts: Counts,
}

/// The header's first two fields, read on their own so that a file of another format or a
/// newer version is named as such rather than as a shape error.
#[derive(Deserialize)]
struct Probe {
    format: Option<String>,
    version: Option<u32>,
}

/// The one settings line: what a person set, and the next item number.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsRecord {
    user: Option<String>,
    sla: Sla,
    backups_kept: u16,
    next_issue_number: u32,
    /// Retired departments and categories; left out when none, so a backup of a database
    /// that never retired one reads as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    retired: Vec<Id>,
}

/// The kinds of line, in the order they appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Settings,
    Department,
    Category,
    View,
    Firm,
    Visit,
    Issue,
    Event,
    Ledger,
    Op,
    Heads,
    Peer,
    ItemCode,
}

impl Kind {
    const ALL: [Kind; 13] = [
        Kind::Settings,
        Kind::Department,
        Kind::Category,
        Kind::View,
        Kind::Firm,
        Kind::Visit,
        Kind::Issue,
        Kind::Event,
        Kind::Ledger,
        Kind::Op,
        Kind::Heads,
        Kind::Peer,
        Kind::ItemCode,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Settings => "settings",
            Kind::Department => "department",
            Kind::Category => "category",
            Kind::View => "view",
            Kind::Firm => "firm",
            Kind::Visit => "visit",
            Kind::Issue => "issue",
            Kind::Event => "event",
            Kind::Ledger => "ledger",
            Kind::Op => "op",
            Kind::Heads => "heads",
            Kind::Peer => "peer",
            Kind::ItemCode => "item_code",
        }
    }

    /// The name with its article, for messages: "an issue", "a firm".
    fn a(self) -> String {
        let article = if matches!(self, Kind::Issue | Kind::Event | Kind::Op | Kind::ItemCode) {
            "an"
        } else {
            "a"
        };
        format!("{article} {}", self.name())
    }

    fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == text)
    }

    /// A line of the operation log's state, checked by `ledger::LogValidation`.
    fn is_log(self) -> bool {
        self >= Kind::Ledger
    }
}

#[derive(Serialize)]
struct LineOut<'a, T> {
    kind: &'static str,
    record: &'a T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    record: &'a RawValue,
}

enum Record {
    Settings(SettingsRecord),
    Department(Department),
    Category(Category),
    View(SavedView),
    Firm(Firm),
    Visit(Visit),
    Issue(Issue),
    Event(IssueEvent),
    Ledger(LedgerState),
    Op(Op),
    Heads(FieldHeads),
    Peer(PeerSeen),
    ItemCode(ItemCode),
}

mod auto;
mod ledger;
mod parse;
mod restore;
#[cfg(test)]
mod tests;
mod validation;
mod write;

pub use auto::{
    automatic_backup, automatic_backup_name, automatic_backups, rotate_backups, AutoBackup,
    AutoBackupError,
};
pub use restore::{restore_backup, RestoreError, RestoreSummary};
pub use write::{write_backup, BackupSummary};
