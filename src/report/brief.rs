//! The figures written out: a brief a person can paste into a message (text, Markdown) in the
//! order zone briefs use — overview, departments, overdue items, hot topics, visits — or every
//! figure for a spreadsheet (CSV, JSON). The CLI's `report` and the Reports tab's `E` both
//! write through `write_brief`.

use super::facts::{Ledger, VisitFacts};
use super::figures::{DepartmentRow, Figures, Headline};
use crate::messages as msg;
use crate::model::Id;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

/// An overdue item as the brief lists it.
#[derive(Debug, Clone)]
pub struct ListedItem<'a> {
    pub number: u32,
    pub firm: Id,
    pub title: Cow<'a, str>,
    pub department: Option<Id>,
}

/// Where the brief finds the items and visits the figures name by index: the ledger (the
/// one-shot `liaison report`) or the tab's tallies (`Tallies::listing`).
pub trait Listing {
    /// Item `index`, with its department as it stood at the end of `at`.
    fn item(&self, index: usize, at: NaiveDate) -> ListedItem<'_>;
    fn visit(&self, index: usize) -> &VisitFacts;
}

impl Listing for Ledger {
    fn item(&self, index: usize, at: NaiveDate) -> ListedItem<'_> {
        let item = &self.items[index];
        ListedItem {
            number: item.number,
            firm: item.firm,
            title: Cow::Borrowed(&item.title),
            department: item.department.at(at).flatten(),
        }
    }

    fn visit(&self, index: usize) -> &VisitFacts {
        &self.visits[index]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefFormat {
    Text,
    Markdown,
    Csv,
    Json,
}

impl BriefFormat {
    pub fn parse(text: &str) -> Option<BriefFormat> {
        match text.trim().to_lowercase().as_str() {
            "text" | "txt" => Some(BriefFormat::Text),
            "markdown" | "md" => Some(BriefFormat::Markdown),
            "csv" => Some(BriefFormat::Csv),
            "json" => Some(BriefFormat::Json),
            _ => None,
        }
    }
}

/// The names a brief shows for ids.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub departments: HashMap<Id, String>,
    pub categories: HashMap<Id, String>,
    pub firms: HashMap<Id, String>,
}

impl Names {
    pub fn load(store: &Store) -> Result<Names, StoreError> {
        Ok(Names {
            departments: store
                .departments()?
                .records
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect(),
            categories: store
                .categories()?
                .records
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect(),
            firms: store
                .firms()?
                .records
                .into_iter()
                .map(|f| {
                    let name = if f.short_name.is_empty() {
                        f.name
                    } else {
                        f.short_name
                    };
                    (f.id, name)
                })
                .collect(),
        })
    }

    pub fn department(&self, id: Option<Id>) -> &str {
        id.and_then(|id| self.departments.get(&id))
            .map_or(msg::REPORT_NO_DEPARTMENT.get(), String::as_str)
    }

    pub fn category(&self, id: Option<Id>) -> &str {
        id.and_then(|id| self.categories.get(&id))
            .map_or(msg::REPORT_NO_CATEGORY.get(), String::as_str)
    }

    pub fn firm(&self, id: Id) -> &str {
        self.firms.get(&id).map_or("?", String::as_str)
    }
}

/// One headline figure, by what kind of number it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Count(u64),
    Rate(Option<f64>),
    Days(Option<f64>),
}

/// The codes of the headline figures, in the order of `msg::REPORT_FIGURES`.
pub const FIGURE_CODES: [&str; 14] = [
    "visits_done",
    "visits_planned",
    "firms_visited",
    "raised",
    "handed_over",
    "answered",
    "closed",
    "open",
    "overdue",
    "on_time_rate",
    "median_days_to_response",
    "median_days_to_answer",
    "calls",
    "satisfaction_rate",
];

pub fn figure_values(h: &Headline) -> [Figure; 14] {
    use Figure::*;
    [
        Count(h.visits_done),
        Count(h.visits_planned),
        Count(h.firms_visited),
        Count(h.raised),
        Count(h.handed_over),
        Count(h.answered),
        Count(h.closed),
        Count(h.open),
        Count(h.overdue),
        Rate(h.on_time_rate),
        Days(h.median_days_to_response),
        Days(h.median_days_to_answer),
        Count(h.calls),
        Rate(h.satisfaction_rate),
    ]
}

/// A department's row of the departments table, as the brief and the Reports tab show it.
pub fn department_cells(d: &DepartmentRow, names: &Names) -> [String; 7] {
    [
        names.department(d.department).to_string(),
        d.handed_over.to_string(),
        d.answered.to_string(),
        d.answered_on_time.to_string(),
        d.overdue.to_string(),
        days_text(d.median_days_to_answer),
        rate_text(d.satisfaction_rate),
    ]
}

pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(
        || msg::REPORT_NO_VALUE.into(),
        |r| format!("{:.1}%", r * 100.0),
    )
}

pub fn days_text(days: Option<f64>) -> String {
    days.map_or_else(|| msg::REPORT_NO_VALUE.into(), |d| format!("{d:.1}"))
}

impl Figure {
    pub fn text(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Rate(r) => rate_text(r),
            Figure::Days(d) => days_text(d),
        }
    }

    /// This figure against an earlier one: `+3`, `−2.5 pp`, `+1.0 d`; `—` when either is
    /// missing.
    pub fn change_from(self, before: Figure) -> String {
        let signed = |v: f64, decimals: usize, unit: &str| {
            let sign = if v > 0.0 {
                "+"
            } else if v < 0.0 {
                "−"
            } else {
                "±"
            };
            format!("{sign}{:.*}{unit}", decimals, v.abs())
        };
        match (self, before) {
            (Figure::Count(a), Figure::Count(b)) => signed(a as f64 - b as f64, 0, ""),
            (Figure::Rate(Some(a)), Figure::Rate(Some(b))) => {
                signed((a - b) * 100.0, 1, msg::UNIT_POINTS.get())
            }
            (Figure::Days(Some(a)), Figure::Days(Some(b))) => {
                signed(a - b, 1, msg::UNIT_DAYS.get())
            }
            _ => msg::REPORT_NO_VALUE.into(),
        }
    }
}

/// A table of the brief: its title, head and rows of text.
pub struct Table {
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Lines after the table (`… and 12 more`).
    pub note: Option<String>,
}

impl Table {
    /// Which columns hold numbers (set right): all their cells read as one, or `—`.
    pub fn numeric(&self) -> Vec<bool> {
        (0..self.head.len())
            .map(|i| {
                i > 0
                    && !self.rows.is_empty()
                    && self.rows.iter().all(|row| {
                        row.get(i).is_some_and(|c| {
                            c.chars()
                                .next()
                                .is_some_and(|ch| ch.is_ascii_digit() || "+−±—#".contains(ch))
                                && !c.contains('-')
                        })
                    })
            })
            .collect()
    }
}

/// The most rows a text brief lists of the overdue items and of the visits.
const LISTED: usize = 30;

fn strings<const N: usize>(head: [crate::messages::Msg; N]) -> Vec<String> {
    head.iter().map(|s| s.get().to_string()).collect()
}

fn limited(rows: Vec<Vec<String>>) -> (Vec<Vec<String>>, Option<String>) {
    let more = rows.len().saturating_sub(LISTED);
    let rows = rows.into_iter().take(LISTED).collect();
    (rows, (more > 0).then(|| msg::report_more(more)))
}

/// The brief's tables, in the order briefs use.
pub fn tables(figures: &Figures, listing: &dyn Listing, names: &Names) -> Vec<Table> {
    let now = figure_values(&figures.headline);
    let previous = figure_values(&figures.previous);
    let year = figure_values(&figures.year_earlier);
    let overview = (0..now.len())
        .map(|i| {
            vec![
                msg::REPORT_FIGURES[i].to_string(),
                now[i].text(),
                previous[i].text(),
                now[i].change_from(previous[i]),
                year[i].text(),
                now[i].change_from(year[i]),
            ]
        })
        .collect();
    let departments = figures
        .departments
        .iter()
        .map(|d| department_cells(d, names).to_vec())
        .collect();
    let (overdue, overdue_more) = limited(
        figures
            .overdue
            .iter()
            .map(|o| {
                let item = listing.item(o.index, figures.as_of);
                vec![
                    format!("#{}", item.number),
                    names.firm(item.firm).to_string(),
                    item.title.to_string(),
                    names.department(item.department).to_string(),
                    o.days.to_string(),
                ]
            })
            .collect(),
    );
    let categories = figures
        .categories
        .iter()
        .filter(|c| c.raised > 0)
        .take(10)
        .map(|c| {
            vec![
                names.category(c.category).to_string(),
                c.raised.to_string(),
                c.answered.to_string(),
                c.open.to_string(),
                c.overdue.to_string(),
            ]
        })
        .collect();
    let listed = |label: &str, counted: &[(String, u64)]| {
        (!counted.is_empty()).then(|| {
            let words: Vec<String> = counted.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            format!("{label}: {}", words.join(", "))
        })
    };
    let notes: Vec<String> = [
        listed(msg::REPORT_WORDS.get(), &figures.hot_words),
        listed(msg::REPORT_TAGS.get(), &figures.hot_tags),
    ]
    .into_iter()
    .flatten()
    .collect();
    let tags = (!notes.is_empty()).then(|| notes.join("\n"));
    let (visits, visits_more) = limited(
        figures
            .visits
            .iter()
            .map(|i| {
                let v = listing.visit(*i);
                vec![
                    v.day.to_string(),
                    names.firm(v.firm).to_string(),
                    v.lead.clone(),
                    crate::text::truncate(&v.purpose, 40),
                    msg::visit_status(v.status).to_string(),
                ]
            })
            .collect(),
    );
    vec![
        Table {
            title: msg::REPORT_OVERVIEW.into(),
            head: strings(msg::REPORT_FIGURE_HEAD),
            rows: overview,
            note: None,
        },
        Table {
            title: msg::REPORT_DEPARTMENTS.into(),
            head: strings(msg::REPORT_DEPARTMENT_HEAD),
            rows: departments,
            note: None,
        },
        Table {
            title: msg::REPORT_OVERDUE.into(),
            head: strings(msg::REPORT_OVERDUE_HEAD),
            rows: overdue,
            note: overdue_more,
        },
        Table {
            title: msg::REPORT_HOT_TOPICS.into(),
            head: strings(msg::REPORT_CATEGORY_HEAD),
            rows: categories,
            note: tags,
        },
        Table {
            title: msg::REPORT_VISITS.into(),
            head: strings(msg::REPORT_VISIT_HEAD),
            rows: visits,
            note: visits_more,
        },
    ]
}

fn title(figures: &Figures) -> String {
    format!(
        "{} — {}",
        msg::REPORT_TITLE,
        msg::report_period_title(&figures.period)
    )
}

/// Writes the brief or the figures in `format`.
pub fn write_brief(
    out: &mut dyn Write,
    figures: &Figures,
    listing: &dyn Listing,
    names: &Names,
    format: BriefFormat,
) -> std::io::Result<()> {
    match format {
        BriefFormat::Text => write_text(out, figures, listing, names),
        BriefFormat::Markdown => write_markdown(out, figures, listing, names),
        BriefFormat::Csv => super::data::write_csv(out, figures, listing, names),
        BriefFormat::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &super::data::json_value(figures, listing, names),
            )?;
            writeln!(out)
        }
    }
}

fn write_text(
    out: &mut dyn Write,
    figures: &Figures,
    listing: &dyn Listing,
    names: &Names,
) -> std::io::Result<()> {
    use crate::text::{fit, fit_right, width};
    writeln!(out, "{}", title(figures))?;
    writeln!(out, "({} {})", msg::REPORT_AS_OF, figures.as_of)?;
    for table in tables(figures, listing, names) {
        writeln!(out)?;
        writeln!(out, "{}", table.title)?;
        if table.rows.is_empty() {
            writeln!(out, "  {}", msg::REPORT_NONE)?;
        } else {
            let numeric = table.numeric();
            let mut widths: Vec<usize> = table.head.iter().map(|h| width(h)).collect();
            for row in &table.rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(width(cell)).min(40);
                }
            }
            let line = |cells: &[String]| {
                let parts: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .zip(&numeric)
                    .map(|((c, w), right)| {
                        // Names to the left, numbers to the right.
                        if *right {
                            fit_right(c, *w)
                        } else {
                            fit(c, *w)
                        }
                    })
                    .collect();
                format!("  {}", parts.join("  ").trim_end())
            };
            writeln!(out, "{}", line(&table.head))?;
            for row in &table.rows {
                writeln!(out, "{}", line(row))?;
            }
        }
        for note in table.note.iter().flat_map(|n| n.lines()) {
            writeln!(out, "  {note}")?;
        }
    }
    Ok(())
}

/// A Markdown table cell: one line, its pipes escaped.
fn md_cell(text: &str) -> String {
    crate::text::for_terminal(text)
        .replace('|', "\\|")
        .replace('\n', " ")
}

fn write_markdown(
    out: &mut dyn Write,
    figures: &Figures,
    listing: &dyn Listing,
    names: &Names,
) -> std::io::Result<()> {
    writeln!(out, "# {}", title(figures))?;
    writeln!(out)?;
    writeln!(out, "_{} {}_", msg::REPORT_AS_OF, figures.as_of)?;
    for table in tables(figures, listing, names) {
        writeln!(out)?;
        writeln!(out, "## {}", table.title)?;
        writeln!(out)?;
        if table.rows.is_empty() {
            writeln!(out, "{}", msg::REPORT_NONE)?;
        } else {
            let cells = |row: &[String]| {
                let row: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
                format!("| {} |", row.join(" | "))
            };
            writeln!(out, "{}", cells(&table.head))?;
            let rule: Vec<&str> = table
                .numeric()
                .into_iter()
                .map(|right| if right { "--:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for row in &table.rows {
                writeln!(out, "{}", cells(row))?;
            }
        }
        for note in table.note.iter().flat_map(|n| n.lines()) {
            writeln!(out)?;
            writeln!(out, "{}", md_cell(note))?;
        }
    }
    Ok(())
}
