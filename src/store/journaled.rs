//! The store's side of the journal (`journal`): which file it appends to, what each write
//! appends, starting a new journal at a full backup, and replaying a journal's entries into a
//! database being rebuilt.

use super::journal::{self, Base, Journal, Op, Resumed, SettingsRecord};
use super::restore::META_BACKUPS_KEPT;
use super::*;
use std::sync::{Arc, Mutex};

/// The stem of the journal this database appends to. A database whose stem is not the newest
/// journal's (an older liaison wrote to it, or it was copied) starts a new journal.
const META_JOURNAL: &[u8] = b"journal";
/// How many entries of that journal the database holds the writes of: written after each
/// append and flushed with the write, so entries beyond it were never acknowledged.
const META_JOURNAL_ENTRIES: &[u8] = b"journal_entries";

/// Whether a store keeps a journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Journaling {
    /// No journal (tests, scratch and demo databases).
    #[default]
    Off,
    /// In the backups directory, beside the automatic backups (`OpenOptions::backups_dir`).
    Beside,
}

/// The journal a store appends to, as the automatic backups see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalStatus {
    pub path: PathBuf,
    /// `liaison-YYYYMMDD-HHMMSS`: when it was started.
    pub stem: String,
    pub base: Base,
    pub bytes: u64,
}

pub(super) type JournalKeys = [Option<sled::IVec>; 2];

pub(super) type Shared = Option<Arc<Mutex<Slot>>>;

/// The journal is opened at the first write, so that only looking creates no file.
pub(super) enum Slot {
    /// Decided when the database was opened: the journal to carry on with, or the base of a
    /// new one.
    Pending {
        dir: PathBuf,
        resume: Option<PathBuf>,
        base: Base,
    },
    Open(Journal),
}

impl Slot {
    fn get(&mut self, store: &Store) -> Result<&mut Journal, StoreError> {
        if let Slot::Pending { dir, resume, base } = self {
            let confirmed: Option<u64> = store.get_meta(META_JOURNAL_ENTRIES).unwrap_or(None);
            let resumed = match resume {
                Some(path) => Some(Journal::resume(path, confirmed)?),
                None => None,
            };
            let (resumed, base) = match resumed {
                Some(Resumed::Journal(journal)) => (Some(journal), *base),
                // A damaged journal is followed by a new one; `recover` reads both.
                Some(Resumed::Damaged) => (None, Base::Continued),
                Some(Resumed::Behind) => (None, Base::Gap),
                None => (None, *base),
            };
            let journal = match resumed {
                Some(journal) => journal,
                None => {
                    // A directory that cannot be made fails in `Journal::create`, with why.
                    let _ = create_private_dir(dir);
                    store.new_journal(dir, base)?
                }
            };
            *self = Slot::Open(journal);
        }
        match self {
            Slot::Open(journal) => Ok(journal),
            Slot::Pending { .. } => unreachable!("opened above"),
        }
    }
}

impl Store {
    /// Where the backups and the journal go.
    pub fn backups_dir(&self) -> Result<PathBuf, StoreError> {
        match &self.backups_dir {
            Some(dir) => Ok(dir.clone()),
            None => backups_beside(&self.path).map_err(|e| StoreError::Open {
                path: self.path.clone(),
                reason: e.to_string(),
            }),
        }
    }

    /// Decides which journal in the backups directory the writes of this session go to:
    /// this database's own when it is the newest there, else a new one, started from an
    /// empty database or after a gap. Called once the database is open and at the current
    /// schema; the file is opened at the first write. Automatic backups turned off turn the
    /// journal off.
    pub(super) fn open_journal(&mut self) -> Result<(), StoreError> {
        if self.backups_kept()? == 0 {
            // Writes now go around the journal: whichever journal comes next must not be
            // taken for a continuation of the last.
            if self.trees[META].remove(META_JOURNAL)?.is_some() {
                self.db.flush()?;
            }
            return Ok(());
        }
        let dir = self.backups_dir()?;
        let newest = journal::generation_files(&dir, journal::JOURNAL_SUFFIX)
            .unwrap_or_default()
            .pop();
        let ours: Option<String> = self.get_meta(META_JOURNAL).unwrap_or(None);
        let resume = newest.filter(|path| ours.as_deref() == Some(journal::stem_of(path).as_str()));
        let base = if self.holds_nothing()? {
            Base::Empty
        } else {
            Base::Gap
        };
        self.journal = Some(Arc::new(Mutex::new(Slot::Pending { dir, resume, base })));
        Ok(())
    }

    /// A new journal named for now (a second later if that name is taken), recorded in
    /// `meta` as this database's.
    fn new_journal(&self, dir: &Path, base: Base) -> Result<Journal, StoreError> {
        let stem = loop {
            let stem = journal::stem(chrono::Local::now().naive_local());
            if !dir
                .join(format!("{stem}{}", journal::JOURNAL_SUFFIX))
                .exists()
            {
                break stem;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        self.journal_in(dir, &stem, base)
    }

    fn journal_in(&self, dir: &Path, stem: &str, base: Base) -> Result<Journal, StoreError> {
        let mut journal = Journal::create(dir, stem, base)?;
        if base == Base::Empty {
            // What a new database is born with (its categories' ids are new each time).
            journal.append(&self.whole_state()?)?;
            journal.sync()?;
        }
        self.trees[META].insert(META_JOURNAL, codec::encode(&stem.to_string()))?;
        self.trees[META].insert(META_JOURNAL_ENTRIES, codec::encode(&journal.entries()))?;
        // Not `flush`: starting a journal is no change to the ledger.
        self.db.flush()?;
        Ok(journal)
    }

    /// Records, index entries or counters other than a new database's: none.
    fn holds_nothing(&self) -> Result<bool, StoreError> {
        let filled = (0..self.trees.len())
            // The log of a new database holds its categories' creation.
            .filter(|&t| t != META && t != CATEGORIES && t != QUARANTINE && t != OPLOG)
            .filter(|&t| t != VERSIONS)
            .any(|t| !self.trees[t].is_empty());
        Ok(!filled)
    }

    /// A database holding only categories, departments, views and settings, as ops: a new
    /// database's state, or what a clear or an abandoned restore leaves.
    fn whole_state(&self) -> Result<Vec<Op>, StoreError> {
        let mut ops = vec![Op::Cleared];
        ops.extend(
            self.scan_categories()
                .map(|c| c.map(Op::Category))
                .collect::<Result<Vec<_>, _>>()?,
        );
        ops.extend(
            self.scan_departments()
                .map(|d| d.map(Op::Department))
                .collect::<Result<Vec<_>, _>>()?,
        );
        ops.extend(
            self.scan_views()
                .map(|v| v.map(Op::View))
                .collect::<Result<Vec<_>, _>>()?,
        );
        ops.push(Op::Settings(self.settings_record()?));
        Ok(ops)
    }

    pub(super) fn settings_record(&self) -> Result<SettingsRecord, StoreError> {
        let settings = self.settings()?;
        Ok(SettingsRecord {
            user: settings.user,
            sla: settings.sla,
            backups_kept: settings.backups_kept,
            next_issue_number: self.next_issue_number()?,
            retired: settings.retired,
        })
    }

    /// Is anything journaled? (Writers build their ops only then.)
    pub(super) fn journaling(&self) -> bool {
        self.journal.is_some()
    }

    /// Appends one write and syncs it: called after the write's transaction and before the
    /// flush that acknowledges it.
    pub(super) fn journal(&self, ops: impl FnOnce() -> Vec<Op>) -> Result<(), StoreError> {
        self.journal_unsynced(ops)?;
        self.journal_sync()
    }

    /// Appends without syncing: the chunks of a bulk write, synced once before its flush.
    pub(super) fn journal_unsynced(&self, ops: impl FnOnce() -> Vec<Op>) -> Result<(), StoreError> {
        if let Some(slot) = &self.journal {
            let ops = ops();
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            let journal = slot.get(self)?;
            journal.append(&ops)?;
            // After the write's records in sled's log: durable only with them.
            self.trees[META].insert(META_JOURNAL_ENTRIES, codec::encode(&journal.entries()))?;
        }
        Ok(())
    }

    pub(super) fn journal_sync(&self) -> Result<(), StoreError> {
        if let Some(slot) = &self.journal {
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            if let Slot::Open(journal) = &mut *slot {
                journal.sync()?;
            }
        }
        Ok(())
    }

    /// The settings changed: all of them go in the journal.
    pub(super) fn journal_settings(&self) -> Result<(), StoreError> {
        if self.journaling() {
            let settings = self.settings_record()?;
            self.journal(|| vec![Op::Settings(settings)])?;
        }
        Ok(())
    }

    /// Everything the database now holds is categories, departments, views and settings
    /// (after a clear): the journal says so.
    pub(super) fn journal_whole_state(&self) -> Result<(), StoreError> {
        if self.journaling() {
            let ops = self.whole_state()?;
            self.journal(|| ops)?;
        }
        Ok(())
    }

    /// Records were written around the journal (a bulk copy): a new journal that says so
    /// starts, and a full backup is due.
    pub(super) fn journal_gap(&self) -> Result<(), StoreError> {
        if let Some(shared) = &self.journal {
            let dir = self.backups_dir()?;
            create_private_dir(&dir).map_err(|e| StoreError::Open {
                path: dir.clone(),
                reason: e.to_string(),
            })?;
            let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
            *slot = Slot::Open(self.new_journal(&dir, Base::Gap)?);
        }
        Ok(())
    }

    /// The journal written to, if any (none before the first write).
    pub fn journal_status(&self) -> Option<JournalStatus> {
        let shared = self.journal.as_ref()?;
        let slot = shared.lock().unwrap_or_else(|e| e.into_inner());
        let Slot::Open(journal) = &*slot else {
            return None;
        };
        Some(JournalStatus {
            path: journal.path().to_path_buf(),
            stem: journal.stem().to_string(),
            base: journal.base(),
            bytes: journal.len(),
        })
    }

    /// A full backup named `stem` is about to be written: later writes go to a new journal of
    /// that stem, which carries on from the current one. The current journal already of that
    /// stem (two backups in one second) is kept.
    pub fn start_generation(&self, stem: &str) -> Result<(), StoreError> {
        let Some(shared) = &self.journal else {
            return Ok(());
        };
        let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(&*slot, Slot::Open(journal) if journal.stem() == stem) {
            return Ok(());
        }
        let dir = self.backups_dir()?;
        create_private_dir(&dir).map_err(|e| StoreError::Open {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        *slot = Slot::Open(self.journal_in(&dir, stem, Base::Continued)?);
        Ok(())
    }

    // ---- replay -----------------------------------------------------------------------

    /// Applies one journal entry: every record set to what the write made it, through the
    /// store's own transaction steps (a clear first, when the entry starts with one).
    pub fn replay(&self, ops: &[Op]) -> Result<(), StoreError> {
        for segment in ops.split_inclusive(|op| matches!(op, Op::Cleared)) {
            let (body, cleared) = match segment.split_last() {
                Some((Op::Cleared, body)) => (body, true),
                _ => (segment, false),
            };
            if !body.is_empty() {
                self.transaction(|tx| body.iter().try_for_each(|op| tx_replay(tx, op)))?;
            }
            if cleared {
                self.clear_everything()?;
            }
        }
        Ok(())
    }

    /// Empties every tree but the stamps, without the default categories a clear adds (the
    /// journal holds the categories that followed).
    fn clear_everything(&self) -> Result<(), StoreError> {
        let kept = self.journal_keys()?;
        for tree in &self.trees {
            tree.clear()?;
        }
        self.trees[META].insert(META_SCHEMA, codec::encode(&SCHEMA_VERSION))?;
        self.trees[META].insert(META_DERIVED, codec::encode(&DERIVED_VERSION))?;
        self.keep_journal_keys(kept)
    }

    /// The journal this database writes to and how far, to keep across a clear.
    pub(super) fn journal_keys(&self) -> Result<JournalKeys, StoreError> {
        Ok([
            self.trees[META].get(META_JOURNAL)?,
            self.trees[META].get(META_JOURNAL_ENTRIES)?,
        ])
    }

    pub(super) fn keep_journal_keys(&self, kept: JournalKeys) -> Result<(), StoreError> {
        for (key, value) in [META_JOURNAL, META_JOURNAL_ENTRIES].into_iter().zip(kept) {
            if let Some(value) = value {
                self.trees[META].insert(key, value)?;
            }
        }
        Ok(())
    }
}

fn tx_replay(tx: &[TransactionalTree], op: &Op) -> TxResult<()> {
    match op {
        Op::Settings(s) => {
            match &s.user {
                Some(user) => tx_insert(tx, META, META_USER, user)?,
                None => {
                    tx[META].remove(META_USER)?;
                }
            }
            tx_insert(tx, META, META_SLA, &s.sla)?;
            tx_insert(tx, META, META_BACKUPS_KEPT, &s.backups_kept)?;
            tx_insert(tx, META, super::lists::META_RETIRED, &s.retired)?;
            tx_insert(tx, META, META_NEXT_NUMBER, &s.next_issue_number)
        }
        Op::Department(d) => tx_insert(tx, DEPARTMENTS, d.id.as_bytes(), d),
        Op::Category(c) => tx_insert(tx, CATEGORIES, c.id.as_bytes(), c),
        Op::View(v) => tx_insert(tx, VIEWS, v.id.as_bytes(), v),
        Op::ViewDeleted(id) => records::tx_record_change(tx, VIEWS, id.as_bytes(), None),
        Op::Firm(f) => tx_put_firm(tx, f),
        Op::Visit(v) => tx_put_visit(tx, v),
        Op::Issue(issue) => {
            // A journal of schema v2 has no closing times: a closed item's last change is
            // the closest (as for a v2 backup).
            let filled;
            let issue = if issue.status == crate::model::Status::Closed && issue.closed.is_none() {
                filled = Issue {
                    closed: Some(issue.updated),
                    ..issue.clone()
                };
                &filled
            } else {
                issue
            };
            tx_put_issue(tx, issue, &[])?;
            let next: u32 = tx_decode(tx, META, META_NEXT_NUMBER)?.unwrap_or(1);
            if issue.number >= next {
                tx_insert(tx, META, META_NEXT_NUMBER, &(issue.number + 1))?;
            }
            Ok(())
        }
        Op::Event(event) => {
            let key = event.issue.as_bytes();
            if records::tx_record_get(tx, ISSUES, key)?.is_none() {
                return abort(StoreError::NotFound {
                    what: "item",
                    key: event.issue.to_string(),
                });
            }
            let mut history: History = tx_decode(tx, HISTORY, key)?.unwrap_or_default();
            let before = std::mem::take(&mut history.responses);
            let added = history.upsert(event.clone());
            history.refresh();
            tx_insert(tx, HISTORY, key, &history)?;
            super::words::tx_responses_changed(tx, event.issue, &before, &history.responses)?;
            tx_add(tx, Counter::Events, i64::from(added))
        }
        Op::Cleared => Ok(()),
    }
}
