use super::*;
use crate::model::Firm;
use chrono::DateTime;
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike, EventStatus};

fn at(text: &str) -> LocalTime {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

fn add_firm(store: &Store, name: &str, address: &str) -> Id {
    let firm = Firm {
        address: address.into(),
        ..Firm::new(name, at("2026-01-05T09:00:00+08:00")).unwrap()
    };
    store.put_firm(&firm).unwrap();
    firm.id
}

fn visit(firm: Id, start: &str, status: VisitStatus) -> Visit {
    let start = at(start);
    Visit {
        id: Id::new(),
        firm,
        start,
        duration_min: 90,
        location: "会议室".into(),
        lead: "陈文锋".into(),
        attendees: vec!["经科局".into(), "投促局".into()],
        purpose: "了解增资扩产".into(),
        status,
        minutes: String::new(),
        created: start - chrono::Duration::days(7),
        updated: start - chrono::Duration::days(2),
    }
}

fn add_visit(store: &Store, visit: Visit) -> Visit {
    store.put_visit(&visit).unwrap();
    visit
}

fn export_with(store: &Store, options: &AgendaExportOptions) -> (String, AgendaExportSummary) {
    let mut out = Vec::new();
    let summary = export_agenda(store, &mut out, options).unwrap();
    (String::from_utf8(out).unwrap(), summary)
}

fn export(store: &Store) -> String {
    export_with(store, &AgendaExportOptions::default()).0
}

/// The events as an independent parser reads them, after checking the file's shape.
fn parse(text: &str) -> Vec<icalendar::Event> {
    assert_well_formed(text);
    let calendar: icalendar::Calendar = text.parse().unwrap();
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event().cloned())
        .collect()
}

/// Every line ends in CRLF, is at most 75 octets and holds whole UTF-8 characters.
fn assert_well_formed(text: &str) {
    let bytes = text.as_bytes();
    assert!(text.ends_with("\r\n"), "the last line ends in CRLF");
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue; // after the final CRLF
        }
        let line = line.strip_suffix(b"\r").expect("a bare LF");
        assert!(!line.contains(&b'\r'), "a bare CR on line {n}");
        assert!(line.len() <= 75, "line {n} has {} octets", line.len());
        std::str::from_utf8(line).expect("a line that splits a character");
    }
}

fn utc_start(event: &icalendar::Event) -> chrono::DateTime<Utc> {
    match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
        other => panic!("DTSTART is not a UTC date-time: {other:?}"),
    }
}

fn utc_end(event: &icalendar::Event) -> chrono::DateTime<Utc> {
    match event.get_end() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => t,
        other => panic!("DTEND is not a UTC date-time: {other:?}"),
    }
}

fn uids(text: &str) -> Vec<String> {
    parse(text)
        .iter()
        .map(|e| e.get_uid().unwrap().to_string())
        .collect()
}

// ---- content lines -----------------------------------------------------------------------

#[test]
fn text_values_escape_backslash_semicolon_comma_and_line_breaks() {
    assert_eq!(
        escape_text("a\\b;c,d\ne，中文；"),
        "a\\\\b\\;c\\,d\\ne，中文；"
    );
    // Colons and quotes need no escape in TEXT; a tab is allowed as it is.
    assert_eq!(escape_text("09:30 \"A\"\tB"), "09:30 \"A\"\tB");
    // A CR (text pasted from Windows) or another control character would make the file
    // invalid: a CRLF becomes one line break, a stray control character goes.
    assert_eq!(escape_text("一\r\n二\r三\u{7}"), "一\\n二三");
    assert_eq!(escape_text("四\u{1b}]0;x\u{7}\u{9b}2J五"), "四]0\\;x2J五");
}

fn folded(line: &str) -> String {
    let mut out = Vec::new();
    write_folded(&mut out, line).unwrap();
    String::from_utf8(out).expect("folding split a character")
}

fn unfold(text: &str) -> String {
    text.strip_suffix("\r\n").unwrap().replace("\r\n ", "")
}

#[test]
fn lines_fold_at_75_octets() {
    let exact = format!("DESCRIPTION:{}", "a".repeat(75 - 12));
    assert_eq!(folded(&exact), format!("{exact}\r\n"));
    let over = format!("{exact}b");
    assert_eq!(folded(&over), format!("{exact}\r\n b\r\n"));
    // A continuation line's leading space counts: 74 octets of content each.
    let long = "x".repeat(75 + 74 + 1);
    let text = folded(&long);
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
        [75, 75, 2]
    );
}

#[test]
fn chinese_text_folds_between_characters_at_every_alignment() {
    // Three-octet Chinese, a four-octet character and ASCII, shifted one octet at a time so
    // that the 75th octet falls on every position inside a character.
    let text = "走访中山生物工程有限公司，了解企业增资扩产计划；🏭 新厂房 (Phase 2) 的用地、用电、环评审批进度。"
        .repeat(4);
    for shift in 0..8 {
        let line = format!("DESCRIPTION:{}{text}", "x".repeat(shift));
        let out = folded(&line);
        assert_well_formed(&out);
        let physical: Vec<&str> = out.split_terminator("\r\n").collect();
        assert!(physical.len() > 5);
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        // Lines are as full as a whole character allows.
        for l in &physical[..physical.len() - 1] {
            assert!(
                l.len() > 75 - 4,
                "a line of {} octets folded early",
                l.len()
            );
        }
        assert_eq!(unfold(&out), line, "shift {shift}");
    }
}

// ---- events --------------------------------------------------------------------------------

#[test]
fn every_field_of_a_visit_reads_back() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "中山生物工程有限公司", "火炬区1号");
    let long_purpose = "了解企业增资扩产计划，协调新厂房用地; 用电\\用水、环评审批进度。".repeat(6);
    let done = add_visit(
        &store,
        Visit {
            purpose: long_purpose.clone(),
            minutes: "企业反映：\n1. 用地指标紧张\n2. 招工难，需人才公寓".into(),
            ..visit(firm, "2026-12-13T09:30:00+08:00", VisitStatus::Done)
        },
    );
    let planned = add_visit(
        &store,
        Visit {
            attendees: vec![],
            lead: String::new(),
            // Minutes of a visit that has not taken place are not shown.
            minutes: "草稿".into(),
            ..visit(firm, "2026-12-20T14:30:00+08:00", VisitStatus::Planned)
        },
    );

    let text = export(&store);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Liaison//"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let events = parse(&text);
    assert_eq!(events.len(), 2);

    let e = &events[0];
    assert_eq!(e.get_uid(), Some(format!("{}@liaison", done.id).as_str()));
    assert_eq!(e.get_summary(), Some("Visit: 中山生物工程有限公司"));
    assert_eq!(e.get_location(), Some("会议室"));
    assert_eq!(
        e.get_description().unwrap(),
        format!(
            "Purpose: {long_purpose}\nLead: 陈文锋\nAttendees: 经科局、投促局\nMinutes:\n\
             企业反映：\n1. 用地指标紧张\n2. 招工难，需人才公寓"
        )
    );
    assert_eq!(utc_start(e), done.start);
    assert_eq!(utc_end(e), done.end());
    assert_eq!(e.get_timestamp(), Some(done.updated.with_timezone(&Utc)));
    assert_eq!(e.get_created(), Some(done.created.with_timezone(&Utc)));
    assert_eq!(
        e.get_last_modified(),
        Some(done.updated.with_timezone(&Utc))
    );
    assert_eq!(e.get_status(), Some(EventStatus::Confirmed));

    let e = &events[1];
    assert_eq!(
        e.get_uid(),
        Some(format!("{}@liaison", planned.id).as_str())
    );
    assert_eq!(e.get_description(), Some("Purpose: 了解增资扩产"));
    assert_eq!(e.get_status(), Some(EventStatus::Confirmed));
}

#[test]
fn times_are_written_in_utc_whatever_the_visits_offset() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "艾特网能技术有限公司", "");
    for start in [
        "2026-12-13T09:30:00+08:00",
        "2026-12-31T23:30:00-05:00",
        "2026-12-15T08:15:00+05:45",
    ] {
        add_visit(&store, visit(firm, start, VisitStatus::Planned));
    }
    let text = export(&store);
    // In time order: 01:30Z, 02:30Z on the 15th, 04:30Z on New Year's Day.
    for expected in [
        "DTSTART:20261213T013000Z\r\nDTEND:20261213T030000Z\r\n",
        "DTSTART:20261215T023000Z\r\nDTEND:20261215T040000Z\r\n",
        "DTSTART:20270101T043000Z\r\nDTEND:20270101T060000Z\r\n",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    let starts: Vec<_> = parse(&text).iter().map(utc_start).collect();
    assert!(starts.is_sorted());
    assert!(!text.contains("TZID"));
}

#[test]
fn uids_are_stable_and_an_unchanged_ledger_exports_the_same_bytes() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "广东星昊药业有限公司", "");
    let first = add_visit(
        &store,
        visit(firm, "2026-12-13T09:30:00+08:00", VisitStatus::Done),
    );
    let second = add_visit(
        &store,
        visit(firm, "2026-12-16T14:30:00+08:00", VisitStatus::Planned),
    );
    let before = export(&store);
    assert_eq!(export(&store), before);
    assert_eq!(
        uids(&before),
        [uid(first.id), uid(second.id)],
        "UIDs come from the visit ids"
    );

    // Editing a visit changes its DTSTAMP (its revision time) and nothing else's.
    let edited = Visit {
        location: "新厂房".into(),
        updated: at("2026-12-17T18:00:00+08:00"),
        ..second
    };
    store.put_visit(&edited).unwrap();
    let after = export(&store);
    assert_eq!(uids(&after), uids(&before));
    let events = parse(&after);
    assert_eq!(
        events[1].get_timestamp(),
        Some(edited.updated.with_timezone(&Utc))
    );
    assert_eq!(events[1].get_location(), Some("新厂房"));
    let first_event = |text: &str| text[..text.find("END:VEVENT").unwrap()].to_string();
    assert_eq!(first_event(&after), first_event(&before));
}

#[test]
fn the_date_range_is_inclusive_and_in_each_visits_local_date() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "中山新高电子材料股份有限公司", "");
    // Local Dec 14 at +14:00 is still Dec 13 in UTC; local Dec 13 at -11:00 is Dec 14 in UTC.
    let kiribati = add_visit(
        &store,
        visit(firm, "2026-12-14T00:30:00+14:00", VisitStatus::Planned),
    );
    let samoa = add_visit(
        &store,
        visit(firm, "2026-12-13T23:30:00-11:00", VisitStatus::Planned),
    );
    let earlier = add_visit(
        &store,
        visit(firm, "2026-12-12T23:59:00+08:00", VisitStatus::Done),
    );
    let later = add_visit(
        &store,
        visit(firm, "2026-12-15T00:00:00+08:00", VisitStatus::Planned),
    );
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d);
    let ids = |from, to| {
        let options = AgendaExportOptions {
            from,
            to,
            ..AgendaExportOptions::default()
        };
        let (text, summary) = export_with(&store, &options);
        let found = uids(&text);
        assert_eq!(found.len(), summary.visits);
        found
    };
    assert_eq!(ids(day(14), day(14)), [uid(kiribati.id)]);
    assert_eq!(ids(day(13), day(13)), [uid(samoa.id)]);
    assert_eq!(
        ids(day(13), day(15)),
        [uid(kiribati.id), uid(samoa.id), uid(later.id)]
    );
    assert_eq!(ids(None, day(12)), [uid(earlier.id)]);
    assert_eq!(ids(day(15), None), [uid(later.id)]);
    assert_eq!(ids(None, None).len(), 4);
    assert!(ids(day(16), None).is_empty());
    // A reversed range is empty, not an error: the command line refuses it before.
    assert!(ids(day(15), day(13)).is_empty());
}

#[test]
fn cancelled_visits_are_kept_as_cancelled_events_unless_left_out() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "中山朗斯家居股份有限公司", "");
    let kept = add_visit(
        &store,
        visit(firm, "2026-12-13T16:30:00+08:00", VisitStatus::Done),
    );
    let cancelled = add_visit(
        &store,
        visit(firm, "2026-12-14T10:00:00+08:00", VisitStatus::Cancelled),
    );

    let (text, summary) = export_with(&store, &AgendaExportOptions::default());
    assert_eq!((summary.visits, summary.cancelled), (2, 1));
    let events = parse(&text);
    assert_eq!(events[1].get_uid(), Some(uid(cancelled.id).as_str()));
    assert_eq!(events[1].get_status(), Some(EventStatus::Cancelled));

    let options = AgendaExportOptions {
        include_cancelled: false,
        ..AgendaExportOptions::default()
    };
    let (text, summary) = export_with(&store, &options);
    assert_eq!((summary.visits, summary.cancelled), (1, 0));
    assert_eq!(uids(&text), [uid(kept.id)]);
}

#[test]
fn the_firms_address_stands_in_for_a_missing_location() {
    let (_dir, store) = temp_store();
    let firm = add_firm(
        &store,
        "中山未名海济生物医药有限公司",
        "中山市火炬开发区健康路8号",
    );
    add_visit(
        &store,
        Visit {
            location: String::new(),
            ..visit(firm, "2026-12-16T14:30:00+08:00", VisitStatus::Planned)
        },
    );
    let bare = add_firm(&store, "弘景光电", "");
    add_visit(
        &store,
        Visit {
            location: String::new(),
            purpose: String::new(),
            lead: String::new(),
            attendees: vec![],
            ..visit(bare, "2026-12-17T14:30:00+08:00", VisitStatus::Planned)
        },
    );
    let events = parse(&export(&store));
    assert_eq!(events[0].get_location(), Some("中山市火炬开发区健康路8号"));
    assert_eq!(events[1].get_location(), None);
    assert_eq!(events[1].get_description(), None);
    assert_eq!(events[1].get_summary(), Some("Visit: 弘景光电"));
}

#[test]
fn damaged_records_are_reported_and_the_rest_exported() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "中荣印刷集团股份有限公司", "");
    let lost = add_visit(
        &store,
        visit(firm, "2026-12-13T14:30:00+08:00", VisitStatus::Done),
    );
    let damaged_firm = add_firm(&store, "艾特网能技术有限公司", "");
    let orphan = add_visit(
        &store,
        visit(damaged_firm, "2026-12-15T09:30:00+08:00", VisitStatus::Done),
    );
    let fine = add_visit(
        &store,
        visit(firm, "2026-12-20T10:00:00+08:00", VisitStatus::Planned),
    );
    crate::store::testing::corrupt_value(&store, "visits", lost.id.as_bytes()).unwrap();
    crate::store::testing::corrupt_value(&store, "firms", damaged_firm.as_bytes()).unwrap();

    let (text, summary) = export_with(&store, &AgendaExportOptions::default());
    let damaged: Vec<(&str, String)> = summary
        .damaged
        .iter()
        .map(|d| (d.tree, d.key.clone()))
        .collect();
    assert_eq!(
        damaged,
        [
            ("visits", lost.id.to_string()),
            ("firms", damaged_firm.to_string())
        ]
    );
    assert_eq!(summary.visits, 2);
    let events = parse(&text);
    assert_eq!(uids(&text), [uid(orphan.id), uid(fine.id)]);
    assert_eq!(events[0].get_summary(), Some("Visit: (unknown firm)"));
}

#[test]
fn an_empty_agenda_is_a_calendar_without_events() {
    let (_dir, store) = temp_store();
    let (text, summary) = export_with(&store, &AgendaExportOptions::default());
    assert_eq!(summary.visits, 0);
    assert!(parse(&text).is_empty());
    assert!(text.contains("X-WR-CALNAME:Liaison agenda\r\n"));
}

#[test]
fn a_large_agenda_streams_in_time_order() {
    let (_dir, store) = temp_store();
    let firm = add_firm(&store, "中山生物工程有限公司", "");
    let base = at("2026-01-01T09:00:00+08:00");
    let mut bulk = store.bulk();
    // Written in reverse so that the order comes from the index, not from insertion.
    for n in (0..500).rev() {
        let start = base + chrono::Duration::hours(7 * n);
        bulk.visit(Visit {
            start,
            created: start,
            updated: start,
            ..visit(firm, "2026-01-01T09:00:00+08:00", VisitStatus::Planned)
        })
        .unwrap();
    }
    bulk.finish().unwrap();
    let events = parse(&export(&store));
    assert_eq!(events.len(), 500);
    let starts: Vec<_> = events.iter().map(utc_start).collect();
    assert!(starts.is_sorted());
    assert_eq!(starts[0], base);
}
