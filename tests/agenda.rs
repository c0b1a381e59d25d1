//! The Agenda as the aide uses it: the week, the visit form, meeting mode, minutes.

mod common;

use common::{ctrl, demo_store, Screen};
use liaison::app::agenda::AgendaView;
use liaison::app::{Mode, Tab};
use liaison::model::VisitStatus;
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

/// Opens the agenda at a day of the article's December.
fn go_to(screen: &mut Screen, day: &str) {
    screen.keys("2:").type_text(day).key(KeyCode::Enter);
}

/// Opens the agenda at the article's second December week (Monday 15th to Sunday 21st):
/// the visits of the 15th and the 16th.
fn december(screen: &mut Screen) {
    go_to(screen, "2025-12-15");
}

#[test]
fn the_december_visits_show_in_the_week_view_and_the_day_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    go_to(&mut screen, "2025-12-13");
    assert_eq!(screen.app.agenda.view, AgendaView::Week);
    // A week runs Monday to Sunday (issue 12, point 18).
    let text = screen.text();
    assert!(text.contains("Week 2025-12-08 – 12-14"), "{text}");
    for row in [
        "09:30–11:00 广东星昊药业有限公司",
        "14:30–16:00 中荣印刷集团股份有限公司",
    ] {
        assert!(text.contains(row), "missing {row}:\n{text}");
    }
    assert!(text.contains("2025-12-08 Mon"));
    screen.keys("]");
    let text = screen.text();
    for row in [
        "09:30–11:30 中山生物工程有限公司",
        "14:30–16:30 中山未名海济生物医药有限公司",
        // Before a visit: what the firm is still waiting for.
        "1 overdue",
    ] {
        assert!(text.contains(row), "missing {row}:\n{text}");
    }
    assert!(text.contains("2025-12-21 Sun"), "an empty day still shows");
    screen.keys("[").keys("v");
    assert_eq!(screen.app.agenda.view, AgendaView::Day);
    assert_eq!(
        screen.app.agenda.visits.len(),
        3,
        "the day of the selected visit"
    );
    screen.keys("l");
    assert!(
        screen.app.agenda.visits.is_empty(),
        "the 14th has no visits"
    );
    assert!(screen.text().contains("no visits"));
    screen.keys("]");
    assert_eq!(screen.app.agenda.visits.len(), 3, "the 15th");
    screen.keys("h").keys("[");
    assert_eq!(screen.app.agenda.anchor.to_string(), "2025-12-13");
}

#[test]
fn meeting_mode_captures_items_that_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let visit_id;
    {
        let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
        december(&mut screen);
        // The visit to 未名海济 is the last of the week.
        screen.keys("G").key(KeyCode::Enter);
        let visit = screen.app.agenda.open_visit().unwrap().clone();
        visit_id = visit.id;
        assert_eq!(
            screen.app.firm_name(visit.firm),
            "中山未名海济生物医药有限公司"
        );
        assert_eq!(screen.app.agenda.screen.as_ref().unwrap().issues.len(), 3);
        screen.keys("c");
        assert_eq!(screen.app.mode(), Mode::Capture);
        for title in [
            "新厂房设备调试需临时用电",
            "研发人才公寓申请",
            "海外注册资金支持",
        ] {
            screen.type_text(title).key(KeyCode::Enter);
            assert_eq!(
                screen.app.mode(),
                Mode::Capture,
                "the line stays open for the next item"
            );
        }
        let text = screen.text();
        assert!(text.contains("Items raised in this visit (6)"), "{text}");
        assert!(text.contains("研发人才公寓申请"));
        assert!(text.contains("#23 海外注册资金支持 filed; saved"));
        // Enter on an empty line files nothing.
        screen.key(KeyCode::Enter);
        assert_eq!(screen.app.agenda.screen.as_ref().unwrap().issues.len(), 6);
        screen.key(KeyCode::Esc);
        assert_eq!(screen.app.mode(), Mode::Normal);
        // The items are in the queue at once, with firm and visit.
        screen.keys("3");
        assert_eq!(screen.app.issues.len(), 23);
        assert!(
            screen.text().contains("All open · 18 of 23"),
            "{}",
            screen.text()
        );
    }
    let store = Store::open(dir.path()).unwrap();
    let item = store.issue_by_number(22).unwrap().unwrap();
    assert_eq!(item.title, "研发人才公寓申请");
    assert_eq!(item.visit, Some(visit_id));
    let firm = store.firm(item.firm).unwrap().unwrap();
    assert_eq!(firm.name, "中山未名海济生物医药有限公司");
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn minutes_are_edited_saved_and_quitting_never_loses_them() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
        december(&mut screen);
        screen.keys("G").key(KeyCode::Enter).keys("m");
        assert_eq!(screen.app.mode(), Mode::Editor);
        screen.key_event(ctrl('e'));
        screen
            .key(KeyCode::Enter)
            .type_text("王婉灵总经理：一小时内可达现场协调。");
        screen.key_event(ctrl('s'));
        assert_eq!(screen.app.mode(), Mode::Normal);
        assert!(screen.text().contains("一小时内可达现场协调"));
        // Typed but not saved when quitting: saved all the same.
        screen.keys("m").type_text("（待续）");
        screen.key_event(ctrl('c'));
        assert!(screen.app.quit);
    }
    let store = Store::open(dir.path()).unwrap();
    let visit = store
        .visit_ids_by_time()
        .unwrap()
        .into_iter()
        .map(|id| store.visit(id).unwrap().unwrap())
        .find(|v| v.minutes.contains("一小时内可达现场协调"))
        .expect("saved");
    assert!(visit.minutes.contains("（待续）"));
    assert!(
        visit.minutes.starts_with("参观新建成"),
        "the old minutes are kept"
    );
}

#[test]
fn the_minutes_editor_puts_the_terminal_cursor_after_chinese_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    december(&mut screen);
    screen.keys("G").key(KeyCode::Enter).keys("m");
    screen.key_event(ctrl('e'));
    screen.key(KeyCode::Enter);
    let (x0, y0) = screen.cursor().unwrap();
    screen.type_text("协调");
    let (x1, y1) = screen.cursor().unwrap();
    assert_eq!((x1 - x0, y1), (4, y0));
}

#[test]
fn a_visit_is_planned_with_loose_input_and_a_preview_before_saving() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("2n");
    assert_eq!(screen.app.mode(), Mode::Form);
    screen
        .type_text("zsswgc")
        .key(KeyCode::Tab)
        .type_text("tomorrow 14:00")
        .key(KeyCode::Tab);
    screen.key_event(ctrl('u'));
    screen.type_text("1h30");
    let text = screen.text();
    assert!(text.contains("→ 中山生物工程有限公司"), "{text}");
    assert!(text.contains("→ 2026-11-29 Sun 14:00"));
    assert!(text.contains("→ 1 h 30 min"));
    screen
        .key(KeyCode::Tab)
        .type_text("会议室")
        .key(KeyCode::Tab)
        .type_text("陈文锋");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    let visit = screen.app.agenda.selected().unwrap().clone();
    assert_eq!(screen.app.firm_name(visit.firm), "中山生物工程有限公司");
    assert_eq!(visit.duration_min, 90);
    assert_eq!(visit.start.to_rfc3339(), "2026-11-29T14:00:00+08:00");
    assert!(screen
        .text()
        .contains("Visit to 中山生物工程有限公司 on 2026-11-29 14:00 added; saved"));
    assert_eq!(screen.app.counts.visits, 14);
}

#[test]
fn a_bad_visit_form_says_why_next_to_each_field_and_esc_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("2n");
    screen
        .type_text("没有这家")
        .key(KeyCode::Tab)
        .type_text("someday 25:00");
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Form);
    let form = screen.app.form().unwrap();
    assert_eq!(form.fields[0].error.as_deref(), Some("No firm matches"));
    assert!(form.fields[1]
        .error
        .as_deref()
        .unwrap()
        .contains("someday is not a date"));
    assert_eq!(form.focus, 0, "the first problem gets the focus");
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
    drop(screen);
    assert_eq!(
        Store::open(dir.path()).unwrap().counts().unwrap().visits,
        13
    );
}

#[test]
fn marking_done_asks_once_and_rescheduling_moves_the_visit() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    // The tests' today is a Saturday: the planned follow-ups are in the next week.
    screen.keys("2]");
    let visit = screen.app.agenda.selected().unwrap().clone();
    screen.keys("d");
    assert_eq!(screen.app.mode(), Mode::Confirm);
    assert!(screen.text().contains("as done?"));
    screen.keys("y");
    assert_eq!(
        screen.app.agenda.selected().unwrap().status,
        VisitStatus::Done
    );
    // Reschedule by editing the time.
    screen.keys("e").key(KeyCode::Tab);
    screen.key_event(ctrl('u'));
    screen.type_text("+5d 16:00").key(KeyCode::Enter);
    let moved = screen.app.agenda.selected().unwrap();
    assert_eq!(moved.id, visit.id);
    assert_eq!(moved.start.to_rfc3339(), "2026-12-03T16:00:00+08:00");
    // Cancel it.
    screen.keys("X").keys("y");
    assert_eq!(
        screen.app.agenda.selected().unwrap().status,
        VisitStatus::Cancelled
    );
    assert!(screen.text().contains("cancelled"));
}

#[test]
fn a_lead_in_two_places_at_once_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen
        .keys("2n")
        .type_text("星昊")
        .key(KeyCode::Tab)
        .type_text("+2d 10:30");
    for _ in 0..3 {
        screen.key(KeyCode::Tab);
    }
    screen.type_text("企业服务中心 李晓").key(KeyCode::Enter);
    assert!(screen.text().contains("⚠ clash"), "{}", screen.text());
    assert_eq!(screen.app.agenda.conflicts.len(), 2);
}

#[test]
fn the_card_opens_a_visit_and_the_visit_opens_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("/").type_text("wmhj").key(KeyCode::Enter);
    // One contact, then the visits, newest first: the December visit is second.
    screen.keys("jj").key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Agenda);
    let screen_state = screen
        .app
        .agenda
        .screen
        .as_ref()
        .expect("the visit is open");
    assert_eq!(screen_state.issues.len(), 3);
    screen.keys("g").key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(
        screen.app.issues.selected().unwrap().title,
        "设备调试期用电增容"
    );
}

#[test]
fn the_agenda_exports_to_an_ics_file_from_the_app() {
    let dir = tempfile::tempdir().unwrap();
    // The file goes beside the database: inside it is refused.
    let mut screen = Screen::new(demo_store(&dir.path().join("db")), 120, 40);
    let path = dir.path().join("agenda.ics");
    screen.keys("2x");
    screen.key_event(ctrl('u'));
    screen.type_text(path.to_str().unwrap()).key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert!(screen
        .app
        .message
        .as_ref()
        .unwrap()
        .text
        .starts_with("Exported 13 visit(s)"));
    let ics = std::fs::read_to_string(&path).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 13);
    screen.keys("x");
    screen.key_event(ctrl('u'));
    screen
        .type_text("/no/such/dir/agenda.ics")
        .key(KeyCode::Enter);
    assert_eq!(
        screen.app.mode(),
        Mode::Form,
        "a path that cannot be written keeps the form"
    );
    assert!(screen.app.form().unwrap().fields[0]
        .error
        .as_deref()
        .unwrap()
        .contains("cannot create"));
}

/// Issue 12, bug 3: the lead column of the visit to 广东星昊药业有限公司 (a name that fits)
/// started at column 46, those of the visits whose names were cut at 37.
#[test]
fn every_row_of_the_agenda_keeps_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    for (width, height) in [(120, 40), (80, 24)] {
        let mut screen = Screen::new(demo_store(dir.path()), width, height);
        december(&mut screen);
        screen.keys("v");
        let lines = screen.lines();
        // The list only: at 120 columns the detail panel is beside it.
        let rows: Vec<&str> = lines
            .iter()
            .map(|l| l.split("││").next().unwrap())
            .filter(|l| l.contains("陈文锋") && l.contains('–'))
            .collect();
        assert_eq!(rows.len(), 3, "{}", lines.join("\n"));
        let leads: Vec<usize> = rows
            .iter()
            .map(|l| common::column_of(l, "陈文锋").unwrap())
            .collect();
        assert!(
            leads.windows(2).all(|w| w[0] == w[1]),
            "{width}: {leads:?}\n{}",
            lines.join("\n")
        );
        drop(screen);
        std::fs::remove_dir_all(dir.path()).unwrap();
    }
}

/// Issue 12, points 4 and 15: an item shows the visit it was raised in and `m` goes there;
/// Esc on a visit goes back where it was opened from (the item, a firm's card), with the
/// selection where it was.
#[test]
fn a_visit_opened_from_an_item_or_a_card_goes_back_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("3/").type_text("#1").key(KeyCode::Enter);
    let text = screen.text();
    assert!(
        text.contains("Raised in   visit 2025-12-13 09:30 · 星昊药业 · 陈文锋 (m)"),
        "{text}"
    );
    screen.keys("m");
    assert_eq!(screen.app.tab, Tab::Agenda);
    let open = screen.app.agenda.open_visit().expect("the visit is open");
    assert_eq!(open.location, "星昊药业会议室");
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(screen.app.issues.selected().unwrap().number, 1);

    // From a firm's card: its first visit row, Enter, then Esc.
    screen.keys("1/").type_text("xinghao").key(KeyCode::Enter);
    let contacts = screen
        .app
        .firm(screen.app.firms.card.as_ref().unwrap().firm)
        .unwrap()
        .contacts
        .len();
    for _ in 0..contacts {
        screen.keys("j");
    }
    let row = screen.app.firms.card.as_ref().unwrap().cursor.selected;
    screen.key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Agenda);
    assert!(screen.app.agenda.open_visit().is_some());
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.tab, Tab::Firms);
    let card = screen.app.firms.card.as_ref().expect("back on the card");
    assert_eq!(card.cursor.selected, row);

    // Moving to the Agenda by hand: Esc on a visit stays there.
    screen.key(KeyCode::Enter).keys("2").keys("2");
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.tab, Tab::Agenda);
}

/// Issue 12, point 14: any two visits that overlap clash, whoever leads them; the form warns
/// before saving, and the lead starts as the officer (`settings --user`).
#[test]
fn the_visit_form_warns_of_a_clash_and_the_lead_starts_as_the_officer() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    store.set_user("王敏").unwrap();
    let mut screen = Screen::new(store, 120, 40);
    december(&mut screen);
    screen.keys("n").type_text("zhongrong");
    screen.key(KeyCode::Tab).type_text("2025-12-13 15:00");
    let text = screen.text();
    assert!(
        text.contains("→ 2025-12-13 Sat 15:00  ⚠ clashes with 14:30–16:00 中荣印刷"),
        "{text}"
    );
    let form = screen.app.form().unwrap();
    assert_eq!(form.text(liaison::model::Field::Lead), "王敏");
    // Saved anyway, both are marked, though 王敏 leads one and 陈文锋 the other.
    screen.key(KeyCode::Enter);
    let mode = screen.app.mode();
    assert_eq!(mode, Mode::Normal, "{}", screen.text());
    assert!(screen.app.agenda.conflicts.len() >= 2);
}

/// Issue 12, point 18: a week starts on Monday, or on Sunday when set so.
#[test]
fn a_week_starts_on_sunday_when_set_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    store
        .set_week_start(liaison::model::when::WeekStart::Sunday)
        .unwrap();
    let mut screen = Screen::new(store, 120, 40);
    december(&mut screen);
    let text = screen.text();
    assert!(text.contains("Week 2025-12-14 – 12-20"), "{text}");
}

/// Issue 12, point 13: the visit form's firm field shows the firms a name matches; the
/// arrows choose one, instead of the top match being taken silently.
#[test]
fn the_firm_field_offers_its_candidates_and_the_arrows_choose() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("2n").type_text("zhongshan");
    let field = screen
        .app
        .form()
        .unwrap()
        .field(liaison::model::Field::Firm)
        .unwrap()
        .clone();
    assert!(field.choices.len() > 1, "{:?}", field.choices);
    let text = screen.text();
    for (_, name) in &field.choices {
        assert!(text.contains(name.as_str()), "{name}: {text}");
    }
    assert!(
        text.contains(&format!("› {}", field.choices[0].1)),
        "{text}"
    );
    screen.key(KeyCode::Down);
    let second = field.choices[1].clone();
    assert!(screen.text().contains(&format!("› {}", second.1)));
    screen
        .key(KeyCode::Tab)
        .type_text("2026-12-09 10:00")
        .key(KeyCode::Enter);
    let mode = screen.app.mode();
    assert_eq!(mode, Mode::Normal, "{}", screen.text());
    let store = &screen.app.store;
    let planned = store
        .visit_ids_by_time()
        .unwrap()
        .into_iter()
        .map(|id| store.visit(id).unwrap().unwrap())
        .find(|v| v.start.to_rfc3339().starts_with("2026-12-09T10:00"))
        .expect("saved");
    assert_eq!(planned.firm, second.0, "the firm chosen with the arrows");
}
