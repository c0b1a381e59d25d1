//! The journal: every confirmed write, appended (and synced) to a file beside the database
//! before it is acknowledged, so that a database sled can no longer open is rebuilt from the
//! newest full backup plus the journal written since (`liaison recover`).
//!
//! It lives in the backups directory, next to the automatic backups, where it survives the
//! database directory being damaged or removed. Each full automatic backup starts a new
//! journal of the same name stem (`liaison-YYYYMMDD-HHMMSS.jsonl` and
//! `liaison-YYYYMMDD-HHMMSS.journal`), created before the backup is written, so the older
//! journal plus the newer one cover everything however the backup ends. Replaying sets
//! records to what they became, so replaying a journal over a backup taken after some of its
//! entries changes nothing those entries had not already set.
//!
//! A file is a series of frames: `LJ`, the payload's length (u32 LE), its CRC32 (u32 LE),
//! the payload. The first frame is the header (`JournalHeader`, JSON); each later frame is one
//! write: a JSON array of the records it changed, each `{"kind":…,"record":…}` as a backup
//! line holds it — as it is for a small write, lz4-compressed for a large one (a byte
//! `COMPRESSED`, then the compressed JSON with its length before it; see `entry_payload`). A
//! frame cut short by a kill is found by its length and never counts; the next append first
//! cuts it off.

use super::StoreError;
use crate::model::{Category, Department, Firm, Id, Issue, IssueEvent, SavedView, Sla, Visit};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const MAGIC: [u8; 2] = *b"LJ";
const FRAME_HEAD: usize = 10;
/// A frame longer than this is not one (a damaged length): a bulk write's chunk is a few MB.
const MAX_FRAME: u32 = 1 << 30;
pub const FORMAT_NAME: &str = "liaison-journal";
const FORMAT_VERSION: u32 = 1;
/// The first byte of a compressed entry (a JSON entry starts with `[`). An import's entries
/// (2,000 items, a few MB of JSON) shrink about 5x: a 100,000-row import's journal stays
/// under the size at which a full backup of the whole database is due
/// (`transfer::generations::DUE_BYTES`), and is written faster.
const COMPRESSED: u8 = 1;
/// Entries shorter than this stay plain JSON: an app's single write gains nothing.
const COMPRESS_FROM: usize = 4 << 10;

pub const BACKUP_PREFIX: &str = "liaison-";
pub const BACKUP_SUFFIX: &str = ".jsonl";
pub const JOURNAL_SUFFIX: &str = ".journal";

/// What a journal starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// An empty database: the journal alone rebuilds it.
    Empty,
    /// The full backup of the same name stem, or (when that backup was not kept) the journal
    /// before it: the chain goes on unbroken.
    Continued,
    /// A database that already held writes no journal has (an older liaison wrote them, or a
    /// bulk copy filled it): a full backup is due at once, and until it is written a recovery
    /// can only bring back what the backups and journals hold.
    Gap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalHeader {
    pub format: String,
    pub version: u32,
    pub base: Base,
}

/// The settings a backup's settings line holds, the next item number included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsRecord {
    pub user: Option<String>,
    pub sla: Sla,
    pub backups_kept: u16,
    pub next_issue_number: u32,
    /// Absent from journals written before departments could be retired.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<Id>,
}

/// One record a write changed, as a backup line holds it, or what a write removed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Op {
    Settings(SettingsRecord),
    Department(Department),
    Category(Category),
    View(SavedView),
    ViewDeleted(Id),
    Firm(Firm),
    Visit(Visit),
    /// The item as it now is; its new history events follow as `Event`s.
    Issue(Issue),
    Event(IssueEvent),
    /// Every record removed (a demo `--force`, a restore starting): the records that follow
    /// are all the database holds.
    Cleared,
}

impl Op {
    /// What the record is, for a report of what could not be brought back.
    pub fn describe(&self) -> String {
        match self {
            Op::Settings(_) => "the settings".into(),
            Op::Department(d) => format!("department {}", d.name),
            Op::Category(c) => format!("category {}", c.code),
            Op::View(v) => format!("view {}", v.name),
            Op::ViewDeleted(id) => format!("removing view {id}"),
            Op::Firm(f) => format!("firm {}", f.name),
            Op::Visit(v) => format!("visit {}", v.id),
            Op::Issue(i) => format!("item #{} {}", i.number, i.title),
            Op::Event(e) => format!("an event of item {}", e.issue),
            Op::Cleared => "clearing the database".into(),
        }
    }
}

/// `liaison-YYYYMMDD-HHMMSS`: the stem of a full backup and of the journal that follows it.
pub fn stem(at: chrono::NaiveDateTime) -> String {
    format!("{BACKUP_PREFIX}{}", at.format("%Y%m%d-%H%M%S"))
}

/// The time in a stem, or `None` for a name this program did not write.
pub fn stem_time(stem: &str) -> Option<chrono::NaiveDateTime> {
    let stamp = stem.strip_prefix(BACKUP_PREFIX)?;
    if stamp.len() != 15 {
        return None;
    }
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

/// The files in `dir` whose name is a stem followed by `suffix`, oldest first.
pub fn generation_files(dir: &Path, suffix: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let ours = name
            .to_str()
            .and_then(|n| n.strip_suffix(suffix))
            .and_then(stem_time)
            .is_some();
        if ours && entry.file_type()?.is_file() {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// The stem of a generation file's name.
pub fn stem_of(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('.').next().unwrap_or("").to_string()
}

fn frame(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FRAME_HEAD + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The frame at `pos`, if a whole and intact one starts there: its payload's range.
fn frame_at(bytes: &[u8], pos: usize) -> Option<std::ops::Range<usize>> {
    let head = bytes.get(pos..pos + FRAME_HEAD)?;
    if head[..2] != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(head[2..6].try_into().ok()?);
    let crc = u32::from_le_bytes(head[6..10].try_into().ok()?);
    if len == 0 || len > MAX_FRAME {
        return None;
    }
    let range = pos + FRAME_HEAD..pos + FRAME_HEAD + len as usize;
    let payload = bytes.get(range.clone())?;
    (crc32fast::hash(payload) == crc).then_some(range)
}

/// Bytes that hold no whole frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub offset: u64,
    pub bytes: u64,
    /// The records the bytes seem to hold, when they still read as an entry (its checksum
    /// failed, so they are not replayed).
    pub held: Vec<String>,
}

/// A journal file read through.
#[derive(Debug, Default)]
pub struct Scan {
    pub header: Option<JournalHeader>,
    /// Each intact entry: where it starts, and its payload.
    pub entries: Vec<(u64, Vec<u8>)>,
    /// Damaged bytes with intact frames after them (or a whole last frame that fails its
    /// checksum): acknowledged writes that are lost from the journal.
    pub damaged: Vec<Damage>,
    /// An unfinished last frame (a kill while appending): never acknowledged. Its offset and
    /// length.
    pub torn: Option<(u64, u64)>,
    /// Where the next frame goes: the end of the last intact frame, or of the damage.
    pub end: u64,
}

/// Reads every frame of a journal's bytes.
pub fn scan(bytes: &[u8]) -> Scan {
    let mut scan = Scan::default();
    let mut pos = 0;
    let mut first = true;
    while pos < bytes.len() {
        if let Some(range) = frame_at(bytes, pos) {
            let payload = &bytes[range.clone()];
            if first {
                scan.header = serde_json::from_slice(payload).ok();
            } else {
                scan.entries.push((pos as u64, payload.to_vec()));
            }
            first = false;
            pos = range.end;
            scan.end = pos as u64;
            continue;
        }
        // Not a whole frame here: bytes cut short at the end, or damage before more frames.
        let next = (pos + 1..bytes.len()).find(|&p| frame_at(bytes, p).is_some());
        let stop = next.unwrap_or(bytes.len());
        let rest = &bytes[pos..stop];
        let declared_end = rest.get(2..6).map(|l| {
            pos + FRAME_HEAD + u32::from_le_bytes(l.try_into().unwrap_or([0; 4])) as usize
        });
        let cut_short = rest.len() < FRAME_HEAD
            || rest.iter().all(|b| *b == 0)
            || (rest[..2] == MAGIC && declared_end.is_some_and(|end| end > bytes.len()));
        if next.is_none() && cut_short {
            scan.torn = Some((pos as u64, rest.len() as u64));
            break;
        }
        scan.damaged.push(Damage {
            offset: pos as u64,
            bytes: rest.len() as u64,
            held: held_by(rest),
        });
        first = false;
        pos = stop;
        scan.end = pos as u64;
    }
    scan
}

/// What damaged bytes still say they hold, read as an entry whose checksum failed.
fn held_by(bytes: &[u8]) -> Vec<String> {
    let payload = bytes.get(FRAME_HEAD..).unwrap_or(&[]);
    match decode_entry(payload) {
        Ok(ops) => ops.iter().map(Op::describe).collect(),
        Err(_) => Vec::new(),
    }
}

/// The open journal a store appends to.
pub(super) struct Journal {
    file: std::fs::File,
    path: PathBuf,
    len: u64,
    base: Base,
    stem: String,
    /// Entries after the header.
    entries: u64,
    /// Appended since the last sync.
    unsynced: bool,
}

/// What became of a journal opened to carry on with.
pub(super) enum Resumed {
    Journal(Journal),
    /// No header, or damaged bytes: a new journal carries on from it.
    Damaged,
    /// It holds fewer entries than the database says were written: a write reached the
    /// database around it, so the chain is broken.
    Behind,
}

impl Journal {
    /// Creates a new journal `dir/STEM.journal` with its header, synced with its directory.
    pub(super) fn create(dir: &Path, stem: &str, base: Base) -> Result<Journal, StoreError> {
        let path = dir.join(format!("{stem}{JOURNAL_SUFFIX}"));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|e| {
            StoreError::Engine(format!(
                "the journal {} cannot be created ({e}), so nothing can be saved: make its \
                 directory writable, set LIAISON_BACKUPS to one that is, or turn automatic \
                 backups and the journal off (`liaison settings --backups 0`)",
                path.display()
            ))
        })?;
        lock(&file, &path)?;
        let header = JournalHeader {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            base,
        };
        let mut journal = Journal {
            file,
            path,
            len: 0,
            base,
            stem: stem.to_string(),
            entries: 0,
            unsynced: false,
        };
        let payload = serde_json::to_vec(&header).map_err(|e| failed(&journal.path, e.into()))?;
        journal.append_frame(&payload)?;
        journal.sync()?;
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(journal)
    }

    /// Opens an existing journal to append to. An unfinished last frame is cut off, and so
    /// are entries beyond the `confirmed` ones the database counted: appended, then cut off
    /// by a kill before the database's flush, they were never acknowledged (and the database
    /// may have reused what they took, such as an item number).
    pub(super) fn resume(path: &Path, confirmed: Option<u64>) -> Result<Resumed, StoreError> {
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| failed(path, e))?;
        lock(&file, path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| failed(path, e))?;
        let scan = scan(&bytes);
        let Some(header) = scan.header else {
            return Ok(Resumed::Damaged);
        };
        if !scan.damaged.is_empty() || header.format != FORMAT_NAME {
            return Ok(Resumed::Damaged);
        }
        let found = scan.entries.len() as u64;
        let confirmed = confirmed.unwrap_or(found);
        if found < confirmed {
            return Ok(Resumed::Behind);
        }
        let end = match scan.entries.get(confirmed as usize) {
            Some((offset, _)) => *offset,
            None => scan.end,
        };
        if end < bytes.len() as u64 {
            file.set_len(end).map_err(|e| failed(path, e))?;
            file.sync_all().map_err(|e| failed(path, e))?;
        }
        Ok(Resumed::Journal(Journal {
            file,
            path: path.to_path_buf(),
            len: end,
            base: header.base,
            stem: stem_of(path),
            entries: confirmed,
            unsynced: false,
        }))
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn stem(&self) -> &str {
        &self.stem
    }

    pub(super) fn base(&self) -> Base {
        self.base
    }

    pub(super) fn len(&self) -> u64 {
        self.len
    }

    pub(super) fn entries(&self) -> u64 {
        self.entries
    }

    /// Appends one write's records (not yet synced).
    pub(super) fn append(&mut self, ops: &[Op]) -> Result<(), StoreError> {
        let json = serde_json::to_vec(ops).map_err(|e| failed(&self.path, e.into()))?;
        self.append_frame(&entry_payload(json))?;
        self.entries += 1;
        Ok(())
    }

    fn append_frame(&mut self, payload: &[u8]) -> Result<(), StoreError> {
        // Always at the end of the last whole frame, whatever a failed append left after it.
        self.file
            .seek(SeekFrom::Start(self.len))
            .map_err(|e| failed(&self.path, e))?;
        let bytes = frame(payload);
        if let Err(e) = self.file.write_all(&bytes) {
            let _ = self.file.set_len(self.len);
            return Err(failed(&self.path, e));
        }
        self.len += bytes.len() as u64;
        self.unsynced = true;
        Ok(())
    }

    /// Makes what was appended durable.
    pub(super) fn sync(&mut self) -> Result<(), StoreError> {
        if self.unsynced {
            self.file.sync_data().map_err(|e| failed(&self.path, e))?;
            self.unsynced = false;
        }
        Ok(())
    }
}

/// Only the process holding the database appends; `recover` reads a journal only when no
/// one holds it.
fn lock(file: &std::fs::File, path: &Path) -> Result<(), StoreError> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse {
            path: path.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(failed(path, e)),
    }
}

fn failed(path: &Path, e: std::io::Error) -> StoreError {
    if super::files::is_disk_full(&e) {
        // Said as the database's full disk (the journal sits beside it), with the way out.
        let dir = path.parent().unwrap_or(path);
        return StoreError::DiskFull {
            path: Some(dir.to_path_buf()),
            free_bytes: super::files::free_bytes(dir),
            last_item: None,
        };
    }
    StoreError::Engine(format!("the journal {}: {e}", path.display()))
}

/// What an entry's frame holds for its JSON: the JSON itself, or for a large one `COMPRESSED`
/// and the JSON compressed.
fn entry_payload(json: Vec<u8>) -> Vec<u8> {
    if json.len() < COMPRESS_FROM {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() / 4);
    out.push(COMPRESSED);
    out.extend_from_slice(&lz4_flex::compress_prepend_size(&json));
    out
}

/// Payload of an entry, decoded.
pub fn decode_entry(payload: &[u8]) -> Result<Vec<Op>, String> {
    match payload.split_first() {
        Some((&COMPRESSED, packed)) => {
            // Damaged bytes (`held_by`) may declare any length: no more than lz4 can expand.
            let declared = packed.get(..4).map_or(u32::MAX, |l| {
                u32::from_le_bytes(l.try_into().unwrap_or([0xFF; 4]))
            });
            if declared > MAX_FRAME || declared as usize > packed.len().saturating_mul(255) {
                return Err("a compressed entry's length is damaged".into());
            }
            let json = lz4_flex::decompress_size_prepended(packed)
                .map_err(|e| format!("a compressed entry does not decompress: {e}"))?;
            serde_json::from_slice(&json).map_err(|e| e.to_string())
        }
        _ => serde_json::from_slice(payload).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_bytes(entries: &[&[u8]]) -> Vec<u8> {
        let mut bytes = frame(br#"{"format":"liaison-journal","version":1,"base":"empty"}"#);
        for e in entries {
            bytes.extend(frame(e));
        }
        bytes
    }

    #[test]
    fn a_torn_tail_is_not_damage_and_damage_in_the_middle_is_skipped() {
        let whole = journal_bytes(&[b"[1]", b"[2]", b"[3]"]);
        let scan_whole = scan(&whole);
        assert_eq!(scan_whole.entries.len(), 3);
        assert_eq!(scan_whole.header.unwrap().base, Base::Empty);
        assert!(scan_whole.torn.is_none() && scan_whole.damaged.is_empty());

        // Cut in the last frame: torn, the first two entries stand.
        let cut = &whole[..whole.len() - 2];
        let s = scan(cut);
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.torn.map(|t| t.1), Some(11));
        assert!(s.damaged.is_empty());

        // A byte flipped in the second entry: it is damaged, the third still reads.
        let mut flipped = whole.clone();
        let second = scan_whole.entries[1].0 as usize;
        flipped[second + FRAME_HEAD] ^= 0x40;
        let s = scan(&flipped);
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.damaged.len(), 1);
        assert_eq!(s.damaged[0].offset, second as u64);
        assert!(s.torn.is_none());

        // Zeros after the last frame (a file extended but never written): torn.
        let mut zeros = whole.clone();
        zeros.extend([0; 40]);
        let s = scan(&zeros);
        assert_eq!((s.entries.len(), s.damaged.len()), (3, 0));
        assert!(s.torn.is_some());
    }

    /// A large entry is stored compressed and reads back as written; a small one stays JSON.
    #[test]
    fn a_large_entry_is_compressed_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal =
            Journal::create(dir.path(), "liaison-20250101-000000", Base::Empty).unwrap();
        let many: Vec<Op> = (0..2_000).map(|_| Op::ViewDeleted(Id::new())).collect();
        journal.append(&many).unwrap();
        journal.append(&[Op::Cleared]).unwrap();
        journal.sync().unwrap();
        let s = scan(&std::fs::read(journal.path()).unwrap());
        assert!(s.torn.is_none() && s.damaged.is_empty());
        let (big, small) = (&s.entries[0].1, &s.entries[1].1);
        assert_eq!(big[0], COMPRESSED);
        let json = serde_json::to_vec(&many).unwrap();
        assert!(
            big.len() < json.len() / 2,
            "{} of {}",
            big.len(),
            json.len()
        );
        let back = decode_entry(big).unwrap();
        assert_eq!(serde_json::to_vec(&back).unwrap(), json);
        assert_eq!(small.as_slice(), br#"[{"kind":"cleared"}]"#);
        // A compressed entry whose bytes are damaged is refused, not read wrong.
        let mut cut = big.clone();
        cut.truncate(big.len() / 2);
        assert!(decode_entry(&cut).is_err());
        assert!(decode_entry(&[COMPRESSED, 0xFF, 0xFF, 0xFF, 0x7F, 0]).is_err());
    }

    #[test]
    fn an_append_after_a_torn_tail_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal =
            Journal::create(dir.path(), "liaison-20250101-000000", Base::Empty).unwrap();
        journal.append(&[Op::Cleared]).unwrap();
        journal.sync().unwrap();
        let path = journal.path().to_path_buf();
        drop(journal);
        // A kill half way through the next append.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(&frame(b"[{\"kind\":\"cleared\"}]")[..7])
            .unwrap();
        drop(file);
        let Resumed::Journal(mut journal) = Journal::resume(&path, None).unwrap() else {
            panic!("not resumed");
        };
        journal
            .append(&[Op::ViewDeleted(Id::MIN), Op::Cleared])
            .unwrap();
        journal.sync().unwrap();
        drop(journal);
        let s = scan(&std::fs::read(&path).unwrap());
        assert!(s.torn.is_none() && s.damaged.is_empty());
        assert_eq!(s.entries.len(), 2);
        assert_eq!(decode_entry(&s.entries[1].1).unwrap().len(), 2);
    }

    #[test]
    fn a_journal_meeting_a_full_disk_is_said_as_a_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("liaison-1.journal");
        match failed(&path, std::io::Error::from_raw_os_error(28)) {
            StoreError::DiskFull {
                path: Some(at),
                free_bytes,
                last_item: None,
            } => {
                assert_eq!(at, dir.path());
                assert!(free_bytes.is_some());
            }
            other => panic!("{other:?}"),
        }
        let other = failed(&path, std::io::Error::from_raw_os_error(5));
        assert!(matches!(other, StoreError::Engine(_)), "{other:?}");
    }
}
