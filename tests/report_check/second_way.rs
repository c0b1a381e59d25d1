//! The second way: the report's figures computed from the exported items and visits alone,
//! walking each item's history day by day.

use super::*;
use std::collections::{BTreeMap, HashSet};

/// The local day of an exported moment (`2025-12-01T10:00:00+08:00`): as recorded.
fn day_of(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap()
}

/// One item's life as this check reads it from the export.
#[derive(Debug)]
struct Life {
    raised: NaiveDate,
    /// (day, status, department, due) after each event, in order; the first is at raising.
    states: Vec<(NaiveDate, String, Option<String>, Option<NaiveDate>)>,
    handed: Vec<(NaiveDate, String)>,
    answers: Vec<NaiveDate>,
    responses: Vec<NaiveDate>,
    closes: Vec<NaiveDate>,
    calls: Vec<(NaiveDate, String)>,
}

fn life(item: &Value) -> Life {
    let raised = day_of(item["created"].as_str().unwrap());
    let history = item["history"].as_array().unwrap();
    let text = |v: &Value| v.as_str().map(str::to_string);
    let date = |v: &Value| {
        v.as_str()
            .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    };
    // The state at raising: what the first change of each field changed from, else now.
    let first = |kind: &str| history.iter().find(|e| e["change"]["kind"] == kind);
    let mut status = first("status").map_or(text(&item["status"]), |e| text(&e["change"]["from"]));
    let mut dept =
        first("department").map_or(text(&item["department"]), |e| text(&e["change"]["from"]));
    let mut due = first("due").map_or(date(&item["due"]), |e| date(&e["change"]["from"]));
    let mut life = Life {
        raised,
        states: vec![(raised, status.clone().unwrap(), dept.clone(), due)],
        handed: dept.iter().map(|d| (raised, d.clone())).collect(),
        answers: vec![],
        responses: vec![],
        closes: vec![],
        calls: vec![],
    };
    for event in history {
        let on = day_of(event["at"].as_str().unwrap()).max(raised);
        let c = &event["change"];
        match c["kind"].as_str().unwrap() {
            "department" => {
                dept = text(&c["to"]);
                if let Some(d) = &dept {
                    life.handed.push((on, d.clone()));
                }
            }
            "due" => due = date(&c["to"]),
            "response" => {
                life.responses.push(on);
                if c["to_firm"] == true {
                    life.answers.push(on);
                }
            }
            "status" => {
                status = text(&c["to"]);
                match status.as_deref() {
                    Some("answered") => {
                        life.responses.push(on);
                        life.answers.push(on);
                    }
                    Some("closed") => {
                        life.closes.push(on);
                        if c["resolution"]["kind"] != "withdrawn" {
                            life.responses.push(on);
                            life.answers.push(on);
                        }
                    }
                    _ => {}
                }
            }
            "call" => life.calls.push((
                date(&c["day"]).unwrap().max(raised),
                text(&c["verdict"]).unwrap(),
            )),
            _ => {}
        }
        life.states
            .push((on, status.clone().unwrap(), dept.clone(), due));
    }
    life
}

impl Life {
    /// The state at the end of a day: the last one recorded on or before it.
    fn at(&self, d: NaiveDate) -> Option<&(NaiveDate, String, Option<String>, Option<NaiveDate>)> {
        self.states.iter().rev().find(|s| s.0 <= d)
    }
    fn open_at(&self, d: NaiveDate) -> bool {
        self.raised <= d && self.at(d).is_some_and(|s| s.1 != "closed")
    }
    fn overdue_at(&self, d: NaiveDate) -> bool {
        self.open_at(d) && self.at(d).unwrap().3.is_some_and(|due| due < d)
    }
}

#[derive(Debug, Default, PartialEq)]
pub(super) struct Expected {
    raised: u64,
    handed_over: u64,
    answered: u64,
    closed: u64,
    open: u64,
    overdue: u64,
    calls: u64,
    on_time_rate: Option<f64>,
    median_days_to_response: Option<f64>,
    median_days_to_answer: Option<f64>,
    satisfaction_rate: Option<f64>,
    visits_done: u64,
    visits_planned: u64,
    firms_visited: u64,
    /// Per department: handed over, answered, answered on time, overdue.
    pub(super) departments: BTreeMap<String, (u64, u64, u64, u64)>,
}

/// Rates to nine places: the two ways may divide in a different order.
fn round(v: Option<f64>) -> Option<f64> {
    v.map(|v| (v * 1e9).round() / 1e9)
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort();
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2] as f64),
        n => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
    }
}

pub(super) fn expected(
    items: &[Value],
    visits: &[Value],
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Expected {
    let within = |d: &NaiveDate| from <= *d && *d <= to;
    let mut e = Expected::default();
    let (mut timely, mut with_due, mut satisfied) = (0, 0, 0);
    let (mut to_answer, mut to_response) = (vec![], vec![]);
    for item in items {
        let l = life(item);
        e.raised += u64::from(within(&l.raised));
        if let Some((_, d)) = l.handed.iter().rev().find(|h| within(&h.0)) {
            e.handed_over += 1;
            e.departments.entry(d.clone()).or_default().0 += 1;
        }
        if let Some(a) = l.answers.iter().find(|d| within(d)) {
            e.answered += 1;
            to_answer.push((*a - l.raised).num_days());
            let state = l.at(*a).unwrap();
            let dept = state.2.clone().unwrap_or_default();
            let row = e.departments.entry(dept).or_default();
            row.1 += 1;
            if let Some(due) = state.3 {
                with_due += 1;
                if *a <= due {
                    timely += 1;
                    row.2 += 1;
                }
            }
        }
        if let Some(r) = l.responses.first().filter(|d| within(d)) {
            to_response.push((*r - l.raised).num_days());
        }
        e.closed += u64::from(l.closes.iter().any(within));
        e.open += u64::from(l.open_at(as_of));
        if l.overdue_at(as_of) {
            e.overdue += 1;
            let dept = l.at(as_of).unwrap().2.clone().unwrap_or_default();
            e.departments.entry(dept).or_default().3 += 1;
        }
        if let Some((_, verdict)) = l.calls.iter().rev().find(|c| within(&c.0)) {
            e.calls += 1;
            satisfied += u64::from(verdict != "not-satisfied");
        }
    }
    let rate = |a: u64, b: u64| round((b > 0).then(|| a as f64 / b as f64));
    e.on_time_rate = rate(timely, with_due);
    e.satisfaction_rate = rate(satisfied, e.calls);
    e.median_days_to_answer = median(to_answer);
    e.median_days_to_response = median(to_response);
    let mut firms = HashSet::new();
    for v in visits {
        let d = day_of(v["start"].as_str().unwrap());
        if !within(&d) {
            continue;
        }
        match v["status"].as_str().unwrap() {
            "done" => {
                e.visits_done += 1;
                firms.insert(v["firm"].as_str().unwrap().to_string());
            }
            "planned" => e.visits_planned += 1,
            _ => {}
        }
    }
    e.firms_visited = firms.len() as u64;
    e
}

/// The report's figures in the same shape.
pub(super) fn reported(r: &Value) -> Expected {
    let h = &r["headline"];
    let n = |k: &str| h[k].as_u64().unwrap();
    let f = |k: &str| round(h[k].as_f64());
    let mut departments = BTreeMap::new();
    for d in r["departments"].as_array().unwrap() {
        let name = d["department"].as_str().unwrap_or_default().to_string();
        let row = (
            d["handed_over"].as_u64().unwrap(),
            d["answered"].as_u64().unwrap(),
            d["answered_on_time"].as_u64().unwrap(),
            d["overdue"].as_u64().unwrap(),
        );
        if row != (0, 0, 0, 0) {
            departments.insert(name, row);
        }
    }
    Expected {
        raised: n("raised"),
        handed_over: n("handed_over"),
        answered: n("answered"),
        closed: n("closed"),
        open: n("open"),
        overdue: n("overdue"),
        calls: n("calls"),
        on_time_rate: f("on_time_rate"),
        median_days_to_response: f("median_days_to_response"),
        median_days_to_answer: f("median_days_to_answer"),
        satisfaction_rate: f("satisfaction_rate"),
        visits_done: n("visits_done"),
        visits_planned: n("visits_planned"),
        firms_visited: n("firms_visited"),
        departments,
    }
}
