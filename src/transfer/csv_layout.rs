//! The header row of an imported CSV file, shared by the firms and the items imports: which
//! known column each header cell names, where it sits, and how the file spells it (so that
//! errors name the column as the person sees it). Each import keeps its own error type and
//! wording; this module only says what is wrong with the header.

use super::Headers;
use crate::model::name_key;
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;

/// A column an import knows, with the header texts that name it.
pub(super) trait CsvColumn: Copy + 'static {
    /// Every column, each at its `index`.
    const COLUMNS: &'static [Self];

    fn index(self) -> usize;

    fn chinese(self) -> &'static str;

    /// Also the label of the column in errors when the file does not have it.
    fn english(self) -> &'static str;

    /// Header texts beyond the two an export writes.
    fn other_names(self) -> &'static [&'static str];

    fn header(self, headers: Headers) -> &'static str {
        match headers {
            Headers::Chinese => self.chinese(),
            Headers::English => self.english(),
        }
    }

    fn from_header(text: &str) -> Option<Self> {
        let wanted = header_key(text);
        Self::COLUMNS.iter().copied().find(|column| {
            [column.chinese(), column.english()]
                .iter()
                .chain(column.other_names())
                .any(|name| header_key(name) == wanted)
        })
    }
}

/// Header cells compare ignoring case, width, spaces, `_` and `-`: `Short Name`, `short_name`
/// and `SHORT-NAME` are one column.
pub(super) fn header_key(text: &str) -> String {
    name_key(text).replace(['_', '-'], "")
}

/// The CSV reader both imports use.
pub(super) fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        // Rows shorter than the header are common (trailing empty cells dropped); longer ones
        // carry cells under no header, which are ignored like unknown columns.
        .flexible(true)
        .from_reader(input)
}

/// What is wrong with a header row; each import turns it into its own error.
#[derive(Debug)]
pub(super) enum HeaderError<C> {
    /// The file has no header row.
    Empty,
    /// Two header cells name the same column: the first and the second as the file spells them.
    Duplicate { first: String, second: String },
    /// Required columns the header lacks, and the (trimmed, non-empty) header cells it has.
    Missing { missing: Vec<C>, found: Vec<String> },
}

/// The end of a missing-column message: the header found, and a hint when it looks split by
/// the wrong separator.
pub(super) fn write_found(f: &mut fmt::Formatter<'_>, found: &[String]) -> fmt::Result {
    const LISTED: usize = 20;
    f.write_str(&crate::messages::header_has(
        &found[..found.len().min(LISTED)].join(", "),
    ))?;
    if found.len() > LISTED {
        f.write_str(&crate::messages::and_more(found.len() - LISTED))?;
    }
    // Excel's "Unicode text" and some European locales separate with these.
    if found.iter().any(|h| h.contains(['\t', ';'])) {
        f.write_str(&crate::messages::looks_tab_separated())?;
    }
    Ok(())
}

pub(super) fn write_duplicate(
    f: &mut fmt::Formatter<'_>,
    first: &str,
    second: &str,
) -> fmt::Result {
    f.write_str(&crate::messages::duplicate_column(first, second))
}

/// Header cells are quoted back in messages: at most this many characters of each, so that a
/// cell of megabytes (a file that is not what it claims) does not come back whole.
const ECHOED_CHARS: usize = 60;

/// A header cell as messages quote it: cut to `ECHOED_CHARS`, saying how long it was.
pub(super) fn echoed(text: &str) -> String {
    match text.char_indices().nth(ECHOED_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// Where each known column sits in the file, and the header text the file uses for it.
pub(super) struct Layout<C> {
    positions: Vec<Option<usize>>,
    /// The English name of a column the file does not have.
    labels: Vec<String>,
    /// Header cells that name no known column.
    pub(super) ignored: Vec<String>,
    columns: PhantomData<C>,
}

impl<C: CsvColumn> Layout<C> {
    pub(super) fn from_headers(
        headers: &csv::StringRecord,
        required: &[C],
    ) -> Result<Layout<C>, HeaderError<C>> {
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(HeaderError::Empty);
        }
        let mut positions = vec![None; C::COLUMNS.len()];
        let mut labels: Vec<String> = C::COLUMNS.iter().map(|c| c.english().to_string()).collect();
        let mut ignored = Vec::new();
        for (position, text) in headers.iter().enumerate() {
            let text = text.trim();
            if text.is_empty() {
                // Spreadsheets often carry empty columns at the right edge.
                continue;
            }
            match C::from_header(text) {
                None => ignored.push(echoed(text)),
                Some(column) => {
                    if positions[column.index()].is_some() {
                        return Err(HeaderError::Duplicate {
                            first: labels[column.index()].clone(),
                            second: echoed(text),
                        });
                    }
                    positions[column.index()] = Some(position);
                    labels[column.index()] = echoed(text);
                }
            }
        }
        let missing: Vec<C> = required
            .iter()
            .copied()
            .filter(|c| positions[c.index()].is_none())
            .collect();
        if !missing.is_empty() {
            return Err(HeaderError::Missing {
                missing,
                found: headers
                    .iter()
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(echoed)
                    .collect(),
            });
        }
        Ok(Layout {
            positions,
            labels,
            ignored,
            columns: PhantomData,
        })
    }

    pub(super) fn has(&self, column: C) -> bool {
        self.positions[column.index()].is_some()
    }

    /// The column as the file's header spells it, else its English name.
    pub(super) fn label(&self, column: C) -> &str {
        &self.labels[column.index()]
    }

    /// The trimmed cell, empty when the column is absent or the row is short, without the
    /// apostrophe an export puts in front of formula-like text.
    pub(super) fn text<'r>(&self, record: &'r csv::StringRecord, column: C) -> &'r str {
        let value = self.positions[column.index()]
            .and_then(|position| record.get(position))
            .unwrap_or("")
            .trim();
        super::formula_unguarded(value)
    }
}
