//! Bundles: a ledger's operations in a file carried to another ledger (docs/sync.md).
//!
//! JSON lines: a header line (format, version, sender, what the sender has seen from each
//! actor, how many operations follow and a CRC32 of the lines that follow), then one
//! operation per line. A bundle whose operations do not add up to its header (damaged, cut
//! short) is refused before anything is applied.

use crate::model::Id;
use crate::store::oplog::Op;
use crate::store::{Applied, Store, StoreError, Versions};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

pub const FORMAT: &str = "liaison-bundle";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// The actor of the ledger that wrote it.
    pub sender: Id,
    /// Per actor, how many of its operations the sender held.
    pub seen: Versions,
    /// Operations that follow.
    pub ops: u64,
    /// CRC32 of every byte after the header line.
    pub crc32: u32,
}

/// Which operations a bundle carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything this ledger holds.
    All,
    /// What `peer` had not seen when it last sent us a bundle (everything if it never did).
    For(Id),
}

/// What a bundle written held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub ops: usize,
}

/// The bundle's bytes.
pub fn encode(store: &Store, scope: Scope) -> Result<(Vec<u8>, Written), StoreError> {
    let seen = match scope {
        Scope::All => None,
        Scope::For(peer) => store.peer_versions(peer)?,
    };
    let ops = store.ops_missing_from(seen.as_ref())?;
    let mut body = Vec::new();
    for op in &ops {
        serde_json::to_writer(&mut body, op).expect("operations serialise");
        body.push(b'\n');
    }
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        sender: store.actor()?,
        seen: store.versions()?,
        ops: ops.len() as u64,
        crc32: crc32fast::hash(&body),
    };
    let mut out = serde_json::to_vec(&header).expect("header serialises");
    out.push(b'\n');
    out.extend_from_slice(&body);
    Ok((out, Written { ops: ops.len() }))
}

/// Writes a bundle to `path` (through a temporary file, so a half-written one never has the
/// name).
pub fn write(store: &Store, path: &Path, scope: Scope) -> Result<Written, String> {
    let (bytes, written) = encode(store, scope).map_err(|e| e.to_string())?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    file.write_all(&bytes)
        .and_then(|_| file.as_file().sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.persist(path)
        .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    Ok(written)
}

/// A bundle read back and checked whole: its header and operations.
pub fn decode(bytes: &[u8]) -> Result<(Header, Vec<Op>), String> {
    let Some(end) = bytes.iter().position(|b| *b == b'\n') else {
        return Err("it has no header line (not a bundle, or cut short)".into());
    };
    let header: Header = serde_json::from_slice(&bytes[..end])
        .map_err(|e| format!("line 1: not a bundle header ({e})"))?;
    if header.format != FORMAT {
        return Err(format!("line 1: format {:?}, not {FORMAT}", header.format));
    }
    if header.version > VERSION {
        return Err(format!(
            "bundle format v{}, written by a newer liaison; this one reads up to v{VERSION}",
            header.version
        ));
    }
    let body = &bytes[end + 1..];
    if crc32fast::hash(body) != header.crc32 {
        return Err(format!(
            "its operations do not match its checksum (damaged or cut short: {} bytes after the header)",
            body.len()
        ));
    }
    let mut ops = Vec::new();
    for (index, line) in body.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let op: Op = serde_json::from_slice(line)
            .map_err(|e| format!("line {}: not an operation ({e})", index + 2))?;
        ops.push(op);
    }
    if ops.len() as u64 != header.ops {
        return Err(format!(
            "the header announces {} operations, {} follow",
            header.ops,
            ops.len()
        ));
    }
    Ok((header, ops))
}

/// Reads and applies a bundle: all of it, or (damaged, cut short, out of order) nothing.
pub fn import(store: &Store, path: &Path) -> Result<(Header, Applied), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (header, ops) = decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let applied = store
        .apply_ops(&ops, Some((header.sender, &header.seen)))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((header, applied))
}
