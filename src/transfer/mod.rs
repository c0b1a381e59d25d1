//! Moving records in and out of the ledger as files people exchange: CSV for firms and items
//! (JSON too for items, with their history), iCalendar for the agenda, the whole ledger as a
//! backup (JSON lines). Text only — no terminal code — so the CLI and the TUI can both call
//! it.

mod agenda_ics;
pub mod backup;
pub mod bundle;
mod csv_layout;
mod firms_csv;
pub mod generations;
mod indexed;
mod issues_in;
mod issues_out;
pub mod json;
pub mod recover;
mod stale;
mod text_stream;

pub use agenda_ics::{export_agenda, AgendaExportOptions, AgendaExportSummary};
pub use firms_csv::{
    export_firms, import_firms, import_firms_marked, ExportError, ExportOptions, ExportSummary,
    FirmOutcome, Headers, ImportError, ImportOptions, ImportReport, Outcome, RowError,
};
pub use indexed::{indexed_ids, IdOrder};
pub use issues_in::{
    import_issues, import_issues_marked, IssuesImportError, IssuesImportReport, RowChange,
    UnusedColumn, IMPORTED_AS_CLOSED, IMPORT_AUTHOR, MAX_REPORTED_ERRORS, MAX_REPORTED_FIRMS,
};
pub use issues_out::{
    export_issue_ids, export_issues, IssueJson, IssuesExportOptions, IssuesExportSummary,
    IssuesFormat, ItemNames,
};
pub use stale::remove_stale_temp_files;

use std::borrow::Cow;
use std::fmt;

/// How the bytes of an imported file are to be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without a byte order mark) when the bytes are valid UTF-8, else GB18030,
    /// which is what Excel on a Chinese Windows saves as "CSV".
    #[default]
    Auto,
    Utf8,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
}

/// The encoding a file was actually read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030",
        })
    }
}

/// Why a file's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingError {
    /// Bytes that are not valid in the encoding, first found on this 1-based line.
    Invalid { encoding: TextEncoding, line: u64 },
    /// Auto found neither valid UTF-8 nor valid GB18030; the lines are where each failed.
    Unknown { utf8_line: u64, gb18030_line: u64 },
    /// UTF-16 (Excel's "Unicode text"), which is not a CSV encoding we read.
    Utf16,
    /// `--encoding gb18030` on a file that starts with a UTF-8 byte order mark.
    Utf8BomAsGb18030,
}

impl fmt::Display for EncodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodingError::Invalid { encoding, line } => f.write_str(
                &crate::messages::invalid_bytes(*line, &encoding.to_string()),
            ),
            EncodingError::Unknown {
                utf8_line,
                gb18030_line,
            } => f.write_str(&crate::messages::neither_encoding(
                *utf8_line,
                *gb18030_line,
            )),
            EncodingError::Utf16 => f.write_str(&crate::messages::utf16()),
            EncodingError::Utf8BomAsGb18030 => f.write_str(&crate::messages::bom_not_gb18030()),
        }
    }
}

impl std::error::Error for EncodingError {}

pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// What makes a spreadsheet (Excel, WPS, LibreOffice) read a cell as a formula: `=`, `+`, `-`
/// and `@`, and the tab and carriage return some of them skip before looking (OWASP's list
/// for CSV injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether the text, past any apostrophes, starts like a formula.
fn looks_like_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A cell as a CSV export writes it: text that a spreadsheet would run as a formula (a title
/// `=HYPERLINK(…)`, a phone `+86 …`) gets a leading apostrophe, which spreadsheets show as
/// plain text. `formula_unguarded` takes it off again on import, so files round-trip; an
/// apostrophe already in front of such text is doubled so that it survives too.
pub(crate) fn formula_guarded(cell: String) -> String {
    if looks_like_formula(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A cell as the CSV exports write it: guarded against formulas, and without a control
/// character other than the line breaks and tabs a multi-line field may hold. Every way in
/// refuses the others, so this only changes text that reached a database before it did; such
/// a character is written as the app shows it (`␛` for ESC), since CSV cannot escape it.
pub(crate) fn csv_cell(cell: String) -> String {
    let cell = if cell
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        cell.chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                c => crate::text::printable(c),
            })
            .collect()
    } else {
        cell
    };
    formula_guarded(cell)
}

/// The text of a cell that `formula_guarded` wrote: one leading apostrophe fewer in front of
/// formula-like text; any other cell as it is.
pub(crate) fn formula_unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => cell,
    }
}

/// The text of a file, borrowed when it is already UTF-8.
pub fn decode(
    bytes: &[u8],
    encoding: Encoding,
) -> Result<(Cow<'_, str>, TextEncoding), EncodingError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(EncodingError::Utf16);
    }
    let without_bom = bytes.strip_prefix(UTF8_BOM);
    match encoding {
        Encoding::Utf8 => decode_utf8(without_bom.unwrap_or(bytes))
            .map(|text| (Cow::Borrowed(text), TextEncoding::Utf8))
            .map_err(|line| EncodingError::Invalid {
                encoding: TextEncoding::Utf8,
                line,
            }),
        Encoding::Gb18030 if without_bom.is_some() => Err(EncodingError::Utf8BomAsGb18030),
        Encoding::Gb18030 => decode_gb18030(bytes)
            .map(|text| (Cow::Owned(text), TextEncoding::Gb18030))
            .map_err(|line| EncodingError::Invalid {
                encoding: TextEncoding::Gb18030,
                line,
            }),
        Encoding::Auto => {
            // A byte order mark settles it: Excel writes one for "CSV UTF-8".
            if let Some(rest) = without_bom {
                return decode(rest, Encoding::Utf8);
            }
            match decode_utf8(bytes) {
                Ok(text) => Ok((Cow::Borrowed(text), TextEncoding::Utf8)),
                Err(utf8_line) => match decode_gb18030(bytes) {
                    Ok(text) => Ok((Cow::Owned(text), TextEncoding::Gb18030)),
                    Err(gb18030_line) => Err(EncodingError::Unknown {
                        utf8_line,
                        gb18030_line,
                    }),
                },
            }
        }
    }
}

/// The 1-based line on which `bytes[offset]` lies. Both encodings read here are ASCII
/// compatible: a 0x0A byte is always a line feed, never part of a character.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u64
}

fn decode_utf8(bytes: &[u8]) -> Result<&str, u64> {
    std::str::from_utf8(bytes).map_err(|e| line_at(bytes, e.valid_up_to()))
}

fn decode_gb18030(bytes: &[u8]) -> Result<String, u64> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => {
            // GB18030 can encode U+FEFF as a byte order mark too.
            Ok(match text.strip_prefix('\u{FEFF}') {
                Some(rest) => rest.to_string(),
                None => text,
            })
        }
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            let start = read.saturating_sub(bad as usize + extra as usize);
            Err(line_at(bytes, start))
        }
        // The buffer was sized for the worst case, so the decoder cannot run out of room.
        encoding_rs::DecoderResult::OutputFull => Err(line_at(bytes, read)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_reads_utf8_with_or_without_bom_and_falls_back_to_gb18030() {
        let text = "企业名称\n中山生物工程有限公司\n";
        let (plain, used) = decode(text.as_bytes(), Encoding::Auto).unwrap();
        assert_eq!((plain.as_ref(), used), (text, TextEncoding::Utf8));
        let with_bom = [UTF8_BOM, text.as_bytes()].concat();
        assert_eq!(decode(&with_bom, Encoding::Auto).unwrap().0, text);
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let (decoded, used) = decode(&gb, Encoding::Auto).unwrap();
        assert_eq!((decoded.as_ref(), used), (text, TextEncoding::Gb18030));
    }

    #[test]
    fn invalid_bytes_are_reported_with_their_line() {
        let bytes = b"name\nok\nbad \xFF here\n";
        assert_eq!(
            decode(bytes, Encoding::Utf8).unwrap_err(),
            EncodingError::Invalid {
                encoding: TextEncoding::Utf8,
                line: 3
            }
        );
        assert_eq!(
            decode(bytes, Encoding::Gb18030).unwrap_err(),
            EncodingError::Invalid {
                encoding: TextEncoding::Gb18030,
                line: 3
            }
        );
        assert_eq!(
            decode(bytes, Encoding::Auto).unwrap_err(),
            EncodingError::Unknown {
                utf8_line: 3,
                gb18030_line: 3
            }
        );
        // A GB18030 lead byte cut off by the end of the file.
        assert_eq!(
            decode(b"name\n\n\xD6", Encoding::Gb18030).unwrap_err(),
            EncodingError::Invalid {
                encoding: TextEncoding::Gb18030,
                line: 3
            }
        );
    }

    #[test]
    fn formula_like_cells_get_an_apostrophe_that_import_takes_off() {
        for (text, written) in [
            (
                "=HYPERLINK(\"http://x\",\"点击\")",
                "'=HYPERLINK(\"http://x\",\"点击\")",
            ),
            ("+86 760 8888 1234", "'+86 760 8888 1234"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("'=1", "''=1"),
            ("''+1", "'''+1"),
            ("新厂房用电增容", "新厂房用电增容"),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
            ("", ""),
        ] {
            assert_eq!(formula_guarded(text.to_string()), written, "{text}");
            assert_eq!(formula_unguarded(written), text, "{written}");
        }
    }

    #[test]
    fn csv_cells_keep_line_breaks_and_tabs_but_no_other_control_character() {
        assert_eq!(csv_cell("一\n二\t三".into()), "一\n二\t三");
        assert_eq!(
            csv_cell("a\u{1b}]0;x\u{7}\r\u{9b}b".into()),
            "a\u{241b}]0;x\u{2407}\u{240d}\u{FFFD}b"
        );
        assert_eq!(csv_cell("=1\u{1b}".into()), "'=1\u{241b}");
    }

    #[test]
    fn utf16_and_contradicting_boms_are_refused() {
        assert_eq!(
            decode(b"\xFF\xFEn\x00", Encoding::Auto).unwrap_err(),
            EncodingError::Utf16
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFname", Encoding::Gb18030).unwrap_err(),
            EncodingError::Utf8BomAsGb18030
        );
    }
}

/// Why a file could not be written.
#[derive(Debug)]
pub enum FileError {
    /// The file could not be created where asked (missing folder, no permission).
    Create(std::io::Error),
    /// Writing failed part way; the target file was not touched.
    Write(std::io::Error),
    /// The records could not be read.
    Store(crate::store::StoreError),
    /// The file would land in the database's own directory (or on one of its files, through
    /// a link), where it would replace what the database is made of.
    IntoDatabase(std::path::PathBuf),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Create(e) => f.write_str(&crate::messages::cannot_create(&e.to_string())),
            FileError::Write(e) => f.write_str(&crate::messages::cannot_write(&e.to_string())),
            FileError::Store(e) => write!(f, "{e}"),
            FileError::IntoDatabase(database) => f.write_str(&crate::messages::inside_database(
                &database.display().to_string(),
            )),
        }
    }
}

/// Writes a file all at once or not at all: into a temporary file beside it (mode 0600, as
/// an export holds the zone's private data), synced, then renamed over the target. A target
/// in the directory of `database` (the store's) is refused before anything is written.
pub fn write_private_file<S>(
    path: &std::path::Path,
    database: &std::path::Path,
    export: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<S, ExportError>,
) -> Result<S, FileError> {
    use std::io::Write;
    if crate::store::lands_in_database(database, path) {
        return Err(FileError::IntoDatabase(database.to_path_buf()));
    }
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => std::path::Path::new("."),
    };
    // What a killed earlier write left here goes first (`stale`).
    stale::remove_stale_temp_files(directory);
    let temp = tempfile::Builder::new()
        .prefix(&stale::temp_prefix())
        .tempfile_in(directory)
        .map_err(FileError::Create)?;
    // Held until the file is renamed (or removed): it is how `stale` tells it is live.
    temp.as_file().lock().map_err(FileError::Create)?;
    let summary = {
        let mut out = std::io::BufWriter::new(temp.as_file());
        let summary = export(&mut out).map_err(|e| match e {
            ExportError::Io(io) => FileError::Write(io),
            ExportError::Store(e) => FileError::Store(e),
        })?;
        out.flush().map_err(FileError::Write)?;
        summary
    };
    temp.as_file().sync_all().map_err(FileError::Write)?;
    temp.persist(path).map_err(|e| FileError::Write(e.error))?;
    Ok(summary)
}
