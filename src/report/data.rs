//! Every figure for a spreadsheet or a script: CSV (one figure a line) and JSON, as
//! `write_brief` writes them for `--format csv|json`.

use super::brief::{figure_values, Figure, Listing, Names, FIGURE_CODES};
use super::figures::{Figures, Headline};
use crate::model::VisitStatus;
use serde_json::{json, Value};
use std::io::Write;

fn csv_cell(text: &str) -> String {
    let text = crate::transfer::csv_cell(text.to_string());
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Every figure, one per line: `section,name,figure,value` (a rate as a fraction, a missing
/// one empty), for a spreadsheet's pivot table.
pub(super) fn write_csv(
    out: &mut dyn Write,
    figures: &Figures,
    listing: &dyn Listing,
    names: &Names,
) -> std::io::Result<()> {
    writeln!(out, "section,name,figure,value")?;
    let value = |f: Figure| match f {
        Figure::Count(n) => n.to_string(),
        Figure::Rate(r) | Figure::Days(r) => r.map(|v| format!("{v}")).unwrap_or_default(),
    };
    let mut line = |section: &str, name: &str, figure: &str, v: String| {
        writeln!(
            out,
            "{},{},{},{}",
            csv_cell(section),
            csv_cell(name),
            csv_cell(figure),
            csv_cell(&v)
        )
    };
    line("period", "", "from", figures.period.from.to_string())?;
    line("period", "", "to", figures.period.to.to_string())?;
    line("period", "", "as_of", figures.as_of.to_string())?;
    for (section, h, period) in [
        ("headline", &figures.headline, figures.period),
        ("previous", &figures.previous, figures.period.previous()),
        (
            "year_earlier",
            &figures.year_earlier,
            figures.period.year_earlier(),
        ),
    ] {
        let label = period.label();
        for (code, f) in FIGURE_CODES.iter().zip(figure_values(h)) {
            line(section, &label, code, value(f))?;
        }
    }
    for d in &figures.departments {
        let name = names.department(d.department);
        line("department", name, "handed_over", d.handed_over.to_string())?;
        line("department", name, "answered", d.answered.to_string())?;
        line(
            "department",
            name,
            "answered_on_time",
            d.answered_on_time.to_string(),
        )?;
        line("department", name, "overdue", d.overdue.to_string())?;
        line(
            "department",
            name,
            "median_days_to_answer",
            value(Figure::Days(d.median_days_to_answer)),
        )?;
        line(
            "department",
            name,
            "satisfaction_rate",
            value(Figure::Rate(d.satisfaction_rate)),
        )?;
    }
    for c in &figures.categories {
        let name = names.category(c.category);
        line("category", name, "raised", c.raised.to_string())?;
        line("category", name, "answered", c.answered.to_string())?;
        line("category", name, "open", c.open.to_string())?;
        line("category", name, "overdue", c.overdue.to_string())?;
    }
    for (firm, open) in &figures.top_firms {
        line("firm", names.firm(*firm), "open", open.to_string())?;
    }
    for (tag, n) in &figures.hot_tags {
        line("tag", tag, "raised", n.to_string())?;
    }
    for (word, n) in &figures.hot_words {
        line("word", word, "raised", n.to_string())?;
    }
    for o in figures.overdue.iter() {
        let item = listing.item(o.index, figures.as_of);
        line(
            "overdue",
            &format!("#{}", item.number),
            "days_overdue",
            o.days.to_string(),
        )?;
    }
    for b in &figures.series {
        line(
            "series",
            &b.from.to_string(),
            "raised",
            b.raised.to_string(),
        )?;
        line(
            "series",
            &b.from.to_string(),
            "answered",
            b.answered.to_string(),
        )?;
    }
    Ok(())
}

fn headline_json(h: &Headline) -> Value {
    let mut map = serde_json::Map::new();
    for (code, f) in FIGURE_CODES.iter().zip(figure_values(h)) {
        let v = match f {
            Figure::Count(n) => json!(n),
            Figure::Rate(r) | Figure::Days(r) => json!(r),
        };
        map.insert(code.to_string(), v);
    }
    Value::Object(map)
}

fn period_json(p: &super::Period) -> Value {
    json!({"kind": p.kind.code(), "from": p.from.to_string(), "to": p.to.to_string(), "label": p.label()})
}

/// Every figure as JSON; a rate or median over nothing is `null`.
pub fn json_value(figures: &Figures, listing: &dyn Listing, names: &Names) -> Value {
    json!({
        "period": period_json(&figures.period),
        "as_of": figures.as_of.to_string(),
        "headline": headline_json(&figures.headline),
        "previous": {"period": period_json(&figures.period.previous()), "figures": headline_json(&figures.previous)},
        "year_earlier": {"period": period_json(&figures.period.year_earlier()), "figures": headline_json(&figures.year_earlier)},
        "departments": figures.departments.iter().map(|d| json!({
            "department": d.department.map(|_| names.department(d.department)),
            "handed_over": d.handed_over,
            "answered": d.answered,
            "answered_on_time": d.answered_on_time,
            "overdue": d.overdue,
            "median_days_to_answer": d.median_days_to_answer,
            "satisfaction_rate": d.satisfaction_rate,
        })).collect::<Vec<_>>(),
        "categories": figures.categories.iter().map(|c| json!({
            "category": c.category.map(|_| names.category(c.category)),
            "raised": c.raised,
            "answered": c.answered,
            "open": c.open,
            "overdue": c.overdue,
        })).collect::<Vec<_>>(),
        "top_firms": figures.top_firms.iter().map(|(f, n)| json!({"firm": names.firm(*f), "open": n})).collect::<Vec<_>>(),
        "overdue": figures.overdue.iter().map(|o| {
            let item = listing.item(o.index, figures.as_of);
            json!({
                "number": item.number,
                "firm": names.firm(item.firm),
                "title": item.title,
                "department": item.department.map(|d| names.department(Some(d))),
                "days_overdue": o.days,
            })
        }).collect::<Vec<_>>(),
        "hot_tags": figures.hot_tags.iter().map(|(t, n)| json!({"tag": t, "raised": n})).collect::<Vec<_>>(),
        "hot_words": figures.hot_words.iter().map(|(w, n)| json!({"word": w, "raised": n})).collect::<Vec<_>>(),
        "visits": figures.visits.iter().map(|i| {
            let v = listing.visit(*i);
            json!({
                "day": v.day.to_string(),
                "firm": names.firm(v.firm),
                "lead": v.lead,
                "purpose": v.purpose,
                "status": match v.status {
                    VisitStatus::Planned => "planned",
                    VisitStatus::Done => "done",
                    VisitStatus::Cancelled => "cancelled",
                },
            })
        }).collect::<Vec<_>>(),
        "series": figures.series.iter().map(|b| json!({
            "from": b.from.to_string(), "to": b.to.to_string(), "raised": b.raised, "answered": b.answered,
        })).collect::<Vec<_>>(),
    })
}
