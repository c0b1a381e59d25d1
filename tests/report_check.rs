//! The report's figures computed a second way: straight from `export issues --format json`
//! (and `export agenda`'s visits via `visits list --json`), by a small implementation here
//! that walks each item's history day by day, on generated data with known answers — items
//! answered late, reopened and answered again, handed over twice, closed without an answer,
//! periods across year ends — and compared with `liaison report --format json`.

mod common;

use chrono::{DateTime, Duration, NaiveDate};
use common::{liaison, run_ok, stderr};
use liaison::model::{Change, Issue, LocalTime};
use liaison::model::{
    Department, Firm, Id, IssueDraft, IssueEvent, Priority, Resolution, ResolutionKind, Status,
    Verdict, Visit, VisitStatus,
};
use liaison::store::Store;
use serde_json::Value;

fn at(day: NaiveDate) -> LocalTime {
    DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A tiny deterministic generator (xorshift), so the data is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// An item being written: it and its events so far.
struct Item {
    issue: Issue,
    events: Vec<IssueEvent>,
}

impl Item {
    fn new(
        firm: Id,
        title: &str,
        raised: NaiveDate,
        due: Option<NaiveDate>,
        dept: Option<Id>,
    ) -> Item {
        let mut draft = IssueDraft::new(firm, title);
        draft.due = due;
        draft.department = dept;
        draft.priority = Priority::Normal;
        let issue = draft.into_issue(Id::new(), 0, at(raised)).unwrap();
        let created = IssueEvent::new(issue.id, at(raised), "test", Change::Created);
        Item {
            issue,
            events: vec![created],
        }
    }
    fn push(&mut self, event: Option<IssueEvent>) {
        self.events.extend(event);
    }
    fn assign(&mut self, d: NaiveDate, dept: Id) {
        let e = self.issue.assign(Some(dept), "test", at(d));
        self.push(e);
    }
    fn status(&mut self, d: NaiveDate, to: Status) -> bool {
        match self.issue.change_status(to, None, "test", at(d)) {
            Ok(e) => {
                self.events.push(e);
                true
            }
            Err(_) => false,
        }
    }
    fn answer(&mut self, d: NaiveDate) {
        let e = self
            .issue
            .respond("已答复企业", true, "test", at(d))
            .unwrap();
        self.events.push(e);
        self.status(d, Status::Answered);
    }
    fn respond(&mut self, d: NaiveDate) {
        let e = self
            .issue
            .respond("正在协调", false, "test", at(d))
            .unwrap();
        self.events.push(e);
    }
    fn close(&mut self, d: NaiveDate, kind: ResolutionKind) -> bool {
        let resolution = Resolution {
            kind,
            text: "已告知企业".into(),
        };
        match self
            .issue
            .change_status(Status::Closed, Some(resolution), "test", at(d))
        {
            Ok(e) => {
                self.events.push(e);
                true
            }
            Err(_) => false,
        }
    }
    fn call(&mut self, d: NaiveDate, verdict: Verdict) {
        if let Ok(e) = self.issue.record_call(verdict, "回访", d, "test", at(d)) {
            self.events.push(e);
        }
    }
    fn due(&mut self, d: NaiveDate, due: NaiveDate) {
        if let Ok(e) = self.issue.set_due(Some(due), "test", at(d)) {
            self.events.extend(e);
        }
    }
}

struct Setup {
    dir: tempfile::TempDir,
}

fn write(items: Vec<Item>, firms: Vec<Firm>, depts: Vec<Department>, visits: Vec<Visit>) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for d in &depts {
        store.put_department(d).unwrap();
    }
    let mut bulk = store.bulk();
    for f in firms {
        bulk.firm(f).unwrap();
    }
    for v in visits {
        bulk.visit(v).unwrap();
    }
    for item in items {
        bulk.issue(item.issue, item.events).unwrap();
    }
    bulk.finish().unwrap();
    drop(store);
    Setup { dir }
}

fn visit(firm: Id, d: NaiveDate, status: VisitStatus) -> Visit {
    Visit {
        id: Id::new(),
        firm,
        start: at(d),
        duration_min: 60,
        location: String::new(),
        lead: "陈文锋".into(),
        attendees: vec![],
        purpose: "走访".into(),
        status,
        minutes: String::new(),
        created: at(d),
        updated: at(d),
    }
}

fn report(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&run_ok(dir, &all)).unwrap()
}

#[path = "report_check/second_way.rs"]
mod second_way;
use second_way::{expected, reported};

fn check_period(dir: &std::path::Path, items: &[Value], visits: &[Value], args: &[&str]) {
    let r = report(dir, args);
    let from =
        NaiveDate::parse_from_str(r["period"]["from"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let to = NaiveDate::parse_from_str(r["period"]["to"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let as_of = NaiveDate::parse_from_str(r["as_of"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(
        as_of <= to && as_of >= from.min(as_of),
        "{args:?}: as of {as_of}"
    );
    let mut want = expected(items, visits, from, to, as_of);
    want.departments.retain(|_, row| *row != (0, 0, 0, 0));
    assert_eq!(reported(&r), want, "{args:?}");
}

fn exported(dir: &std::path::Path) -> (Vec<Value>, Vec<Value>) {
    let items: Value =
        serde_json::from_str(&run_ok(dir, &["export", "issues", "--format", "json"])).unwrap();
    let visits: Value = serde_json::from_str(&run_ok(dir, &["visits", "list", "--json"])).unwrap();
    (
        items.as_array().unwrap().clone(),
        visits.as_array().unwrap().clone(),
    )
}

#[test]
fn known_answers_for_december_2025() {
    let firm = Firm::new("深圳艾特网能技术有限公司", at(day(2025, 1, 1))).unwrap();
    let x = Department::new("财政金融局", "").unwrap();
    let y = Department::new("供电局", "").unwrap();
    // Answered late: due the 5th, answered the 8th.
    let mut late = Item::new(
        firm.id,
        "贷款贴息",
        day(2025, 12, 1),
        Some(day(2025, 12, 5)),
        Some(x.id),
    );
    late.answer(day(2025, 12, 8));
    // Handed over twice in the month: counted once, for the second department.
    let mut twice = Item::new(
        firm.id,
        "用电增容",
        day(2025, 12, 2),
        Some(day(2025, 12, 20)),
        None,
    );
    twice.assign(day(2025, 12, 2), x.id);
    twice.assign(day(2025, 12, 3), y.id);
    // Answered, closed, reopened, answered and closed again in the month: once each.
    let mut reopened = Item::new(
        firm.id,
        "人才公寓",
        day(2025, 12, 3),
        Some(day(2025, 12, 31)),
        Some(y.id),
    );
    reopened.answer(day(2025, 12, 4));
    reopened.close(day(2025, 12, 5), ResolutionKind::Answered);
    reopened.status(day(2025, 12, 6), Status::InProgress);
    reopened.answer(day(2025, 12, 9));
    reopened.close(day(2025, 12, 10), ResolutionKind::Answered);
    reopened.call(day(2025, 12, 11), Verdict::NotSatisfied);
    // Raised at the year's end, withdrawn in January: closed without an answer.
    let mut withdrawn = Item::new(
        firm.id,
        "展会补贴",
        day(2025, 12, 30),
        Some(day(2025, 12, 31)),
        None,
    );
    withdrawn.close(day(2026, 1, 2), ResolutionKind::Withdrawn);
    let visits = vec![
        visit(firm.id, day(2025, 12, 15), VisitStatus::Done),
        visit(firm.id, day(2025, 12, 16), VisitStatus::Done),
        visit(firm.id, day(2025, 12, 20), VisitStatus::Planned),
    ];
    let setup = write(
        vec![late, twice, reopened, withdrawn],
        vec![firm],
        vec![x, y],
        visits,
    );
    let r = report(
        setup.dir.path(),
        &["--period", "month", "--date", "2025-12-15"],
    );
    let h = &r["headline"];
    assert_eq!(h["raised"], 4);
    assert_eq!(h["handed_over"], 3, "late, twice (once), reopened");
    assert_eq!(h["answered"], 2, "late and reopened, each once");
    assert_eq!(h["closed"], 1);
    assert_eq!(
        h["open"], 3,
        "late (answered, not closed), twice, withdrawn until January"
    );
    assert_eq!(
        h["overdue"], 2,
        "late (answered, still open) and twice, at the 31st"
    );
    assert_eq!(h["on_time_rate"], 0.5);
    assert_eq!(h["median_days_to_answer"], 4.0, "7 and 1 days");
    assert_eq!(h["satisfaction_rate"], 0.0);
    assert_eq!(h["visits_done"], 2);
    assert_eq!(h["firms_visited"], 1);
    assert_eq!(h["visits_planned"], 1);
    let january = report(
        setup.dir.path(),
        &["--period", "month", "--date", "2026-01-10"],
    );
    assert_eq!(january["headline"]["closed"], 1);
    assert_eq!(
        january["headline"]["answered"], 0,
        "a withdrawal is no answer"
    );
    assert_eq!(
        january["headline"]["satisfaction_rate"],
        Value::Null,
        "no call: no rate"
    );
    let (items, visits) = exported(setup.dir.path());
    check_period(
        setup.dir.path(),
        &items,
        &visits,
        &["--period", "month", "--date", "2025-12-15"],
    );
}

#[test]
fn the_report_agrees_with_the_export_on_generated_data() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let firms: Vec<Firm> = (0..12)
        .map(|i| Firm::new(&format!("企业{i}"), at(day(2024, 1, 1))).unwrap())
        .collect();
    let depts: Vec<Department> = ["财政金融局", "供电局", "人社局", "自然资源分局"]
        .iter()
        .map(|n| Department::new(n, "").unwrap())
        .collect();
    let start = day(2024, 11, 1);
    let mut items = Vec::new();
    for i in 0..300 {
        let raised = start + Duration::days(rng.below(500) as i64);
        let firm = firms[rng.below(12) as usize].id;
        let dept = (rng.below(2) == 0).then(|| depts[rng.below(4) as usize].id);
        let due = (rng.below(5) != 0).then(|| raised + Duration::days(rng.below(20) as i64));
        let mut item = Item::new(firm, &format!("诉求{i}"), raised, due, dept);
        let mut d = raised;
        for _ in 0..rng.below(7) {
            d += Duration::days(rng.below(12) as i64);
            match rng.below(8) {
                0 | 1 => item.assign(d, depts[rng.below(4) as usize].id),
                2 => item.respond(d),
                3 => item.answer(d),
                4 => {
                    let kind = ResolutionKind::ALL[rng.below(3) as usize];
                    item.close(d, kind);
                }
                5 => {
                    item.status(d, Status::InProgress);
                }
                6 => item.call(d, Verdict::ALL[rng.below(3) as usize]),
                _ => item.due(d, d + Duration::days(rng.below(10) as i64)),
            }
        }
        items.push(item);
    }
    let visits: Vec<Visit> = (0..60)
        .map(|_| {
            let status = [
                VisitStatus::Done,
                VisitStatus::Planned,
                VisitStatus::Cancelled,
            ][rng.below(3) as usize];
            visit(
                firms[rng.below(12) as usize].id,
                start + Duration::days(rng.below(500) as i64),
                status,
            )
        })
        .collect();
    let setup = write(items, firms, depts, visits);
    let dir = setup.dir.path();
    let (items, visits) = exported(dir);
    for args in [
        ["--period", "week", "--date", "2024-12-31"],
        ["--period", "week", "--date", "2025-12-29"],
        ["--period", "month", "--date", "2024-12-15"],
        ["--period", "month", "--date", "2025-01-01"],
        ["--period", "quarter", "--date", "2025-10-01"],
        ["--period", "year", "--date", "2025-06-30"],
        ["--period", "year", "--date", "2024-02-29"],
        ["--from", "2024-12-20", "--to", "2025-01-10"],
    ] {
        check_period(dir, &items, &visits, &args);
    }
    // The data holds what the check is about: calls, late answers, items still open.
    let year = report(dir, &["--period", "year", "--date", "2025-06-30"]);
    assert!(year["headline"]["calls"].as_u64().unwrap() > 5, "{year}");
    assert!(year["headline"]["on_time_rate"].as_f64().unwrap() < 0.9);
    assert!(year["headline"]["overdue"].as_u64().unwrap() > 0);
}

#[test]
fn bad_periods_and_formats_are_refused_with_exit_2() {
    let setup = write(vec![], vec![], vec![], vec![]);
    let dir = setup.dir.path();
    for (args, says) in [
        (
            vec!["report", "--period", "fortnight"],
            "--period: fortnight is not a period",
        ),
        (
            vec!["report", "--date", "2025-02-30"],
            "--date: 2025-02-30 is not a day",
        ),
        (
            vec!["report", "--from", "2025-03-01", "--to", "2025-02-01"],
            "is after --to",
        ),
        (
            vec!["report", "--format", "pdf"],
            "--format: pdf is not a format",
        ),
    ] {
        let out = liaison(dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    let empty = report(dir, &["--period", "year", "--date", "2025-01-01"]);
    assert_eq!(
        empty["headline"]["on_time_rate"],
        Value::Null,
        "a rate over nothing is none"
    );
    assert_eq!(empty["headline"]["raised"], 0);
}
