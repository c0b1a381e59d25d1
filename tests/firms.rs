//! The Firms tab as an officer uses it: search by pinyin, the card, forms, archive.

mod common;

use common::{demo_store, Screen};
use liaison::app::{Mode, Tab};
use liaison::store::Store;
use ratatui::crossterm::event::KeyCode;

fn demo_screen() -> (tempfile::TempDir, Screen) {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    (dir, Screen::new(store, 120, 40))
}

fn firm_row<'a>(lines: &'a [String], name: &str) -> Option<&'a String> {
    lines
        .iter()
        .find(|l| l.starts_with('│') && l.contains(name))
}

#[test]
fn pinyin_initials_select_the_firm_in_the_first_row() {
    let (_dir, mut screen) = demo_screen();
    screen.keys("/").type_text("zsswgc");
    assert_eq!(screen.app.mode(), Mode::Search);
    assert_eq!(
        screen.app.firms.selected().unwrap().name,
        "中山生物工程有限公司"
    );
    let lines = screen.lines();
    assert!(
        lines[1].contains("/ zsswgc"),
        "the query shows in the border: {}",
        lines[1]
    );
    assert!(lines[1].contains("1 of 8"));
    assert!(
        lines[3].contains("中山生物工程有限公司"),
        "first row: {}",
        lines[3]
    );
    // The terminal cursor sits after the query, in the border line.
    let (x, y) = screen.cursor().unwrap();
    assert_eq!(y, 1);
    assert_eq!(
        usize::from(x),
        common::column_of(&lines[1], "zsswgc").unwrap() + 6,
        "{}",
        lines[1]
    );
}

#[test]
fn full_pinyin_chinese_and_short_names_search_too() {
    let (_dir, mut screen) = demo_screen();
    for (query, first) in [
        ("zhongshanshengwu", "中山生物工程有限公司"),
        ("生物", "中山生物工程有限公司"),
        ("wmhj", "中山未名海济生物医药有限公司"),
        ("hongjing", "广东弘景光电科技股份有限公司"),
    ] {
        screen.keys("/").type_text(query);
        assert_eq!(screen.app.firms.selected().unwrap().name, first, "{query}");
        screen.key(KeyCode::Esc);
        assert!(!screen.app.firms.is_filtered());
        assert_eq!(screen.app.firms.shown.len(), 8);
    }
    screen.keys("/").type_text("qqqq");
    assert!(screen.text().contains("No firm matches"));
    screen
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace)
        .key(KeyCode::Backspace);
    assert_eq!(screen.app.firms.shown.len(), 8);
}

#[test]
fn the_card_shows_contacts_the_december_visit_and_items_and_opens_them() {
    let (_dir, mut screen) = demo_screen();
    screen.keys("/").type_text("zsswgc").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    let card = screen.app.firms.card.as_ref().expect("the card is open");
    assert_eq!(card.visits.len(), 2);
    assert_eq!(card.issues.len(), 3);
    let text = screen.text();
    for expected in [
        "Contacts (2)",
        "林海",
        "许静",
        "2025-12-16 Tue 09:30",
        "Visits (2)",
        "Items (3)",
        "扩大产能需新增用地",
    ] {
        assert!(text.contains(expected), "missing {expected}:\n{text}");
    }
    // The overdue item comes first among the items and is marked.
    let lines = screen.lines();
    let overdue = lines
        .iter()
        .find(|l| l.contains("扩大产能需新增用地"))
        .unwrap();
    assert!(overdue.contains(" ! "), "{overdue}");
    // Contacts (2) then visits (2): the fifth row is the first item.
    screen.keys("jjjj").key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Issues);
    assert_eq!(
        screen.app.issues.selected().unwrap().title,
        "扩大产能需新增用地"
    );
    screen.keys("1");
    screen.keys("k").key(KeyCode::Enter);
    assert_eq!(screen.app.tab, Tab::Agenda);
    assert!(screen
        .app
        .agenda
        .selected()
        .unwrap()
        .purpose
        .contains("面对面沟通"));
    screen.keys("1").key(KeyCode::Esc);
    assert!(screen.app.firms.card.is_none());
}

#[test]
fn a_contact_added_on_the_card_is_saved_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
        screen.keys("/").type_text("zsswgc").key(KeyCode::Enter);
        screen.keys("a");
        assert_eq!(screen.app.mode(), Mode::Form);
        screen
            .type_text("李晓明")
            .key(KeyCode::Tab)
            .type_text("采购经理")
            .key(KeyCode::Tab);
        // The cursor follows Chinese text by display width: label (12) + space + 2 x 4.
        screen.type_text("call me");
        screen.key(KeyCode::Enter);
        assert_eq!(
            screen.app.mode(),
            Mode::Form,
            "a bad phone keeps the form open"
        );
        let text = screen.text();
        assert!(text.contains("is not a phone number"), "{text}");
        screen.key(KeyCode::Char('u'));
        screen.key_event(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char('u'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        ));
        screen.type_text("0760-8888 1234").key(KeyCode::Enter);
        assert_eq!(screen.app.mode(), Mode::Normal);
        assert!(screen.text().contains("Saved 李晓明"));
        assert!(screen.text().contains("Contacts (3)"));
    }
    let store = Store::open(dir.path()).unwrap();
    let id = store.firm_by_name("中山生物工程有限公司").unwrap().unwrap();
    let firm = store.firm(id).unwrap().unwrap();
    let added = firm
        .contacts
        .iter()
        .find(|c| c.name == "李晓明")
        .expect("saved");
    assert_eq!(added.title, "采购经理");
    assert_eq!(added.phone, "0760-8888 1234");
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_form_cursor_sits_at_the_display_column_of_chinese_text() {
    let (_dir, mut screen) = demo_screen();
    screen.keys("n").type_text("中山");
    let (x, _) = screen.cursor().unwrap();
    screen.type_text("测试");
    let (x2, _) = screen.cursor().unwrap();
    assert_eq!(
        x2 - x,
        4,
        "two wide characters move the cursor four columns"
    );
    screen.key(KeyCode::Left);
    assert_eq!(screen.cursor().unwrap().0, x2 - 2);
}

#[test]
fn a_cancelled_form_writes_nothing_and_an_invalid_one_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen
        .keys("n")
        .type_text("中山新公司有限公司")
        .key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert_eq!(screen.app.firms.all.len(), 8);
    screen.keys("n").key(KeyCode::Enter);
    assert!(
        screen.text().contains("must not be empty"),
        "an empty name is refused"
    );
    screen.type_text("中山生物工程有限公司").key(KeyCode::Enter);
    assert!(screen
        .text()
        .contains("a firm named 中山生物工程有限公司 already exists"));
    assert_eq!(screen.app.mode(), Mode::Form);
    screen.key(KeyCode::Esc);
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.counts().unwrap().firms, 8);
}

#[test]
fn a_new_firm_is_saved_and_found_by_its_pinyin() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("n").type_text("中山翠亨新能源有限公司");
    screen.key(KeyCode::Tab).type_text("翠亨新能源");
    screen.key(KeyCode::Tab).type_text("新能源");
    for _ in 0..3 {
        screen.key(KeyCode::Tab);
    }
    screen.type_text("重点企业、规上企业").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert!(screen.text().contains("Added 中山翠亨新能源有限公司"));
    assert_eq!(
        screen.app.firms.selected().unwrap().name,
        "中山翠亨新能源有限公司"
    );
    screen.keys("/").type_text("cuiheng");
    assert_eq!(
        screen.app.firms.selected().unwrap().tags,
        vec!["重点企业", "规上企业"]
    );
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    assert!(store
        .firm_by_name("中山翠亨新能源有限公司")
        .unwrap()
        .is_some());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn editing_a_firm_renames_it_and_search_follows() {
    let (_dir, mut screen) = demo_screen();
    screen
        .keys("/")
        .type_text("艾特")
        .key(KeyCode::Enter)
        .key(KeyCode::Esc);
    screen.keys("e");
    // Clear the name and type a new one.
    screen.key_event(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    screen.type_text("艾特网能科技有限公司").key(KeyCode::Enter);
    assert_eq!(screen.app.mode(), Mode::Normal);
    screen.key(KeyCode::Esc).keys("/").type_text("atwnkj");
    assert_eq!(
        screen.app.firms.selected().unwrap().name,
        "艾特网能科技有限公司"
    );
}

#[test]
fn archiving_asks_first_hides_the_firm_and_a_toggle_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen
        .keys("/")
        .type_text("langsi")
        .key(KeyCode::Enter)
        .key(KeyCode::Esc)
        .key(KeyCode::Esc);
    let name = "中山朗斯家居股份有限公司";
    screen.select_listed_firm(name);
    screen.keys("d");
    assert_eq!(screen.app.mode(), Mode::Confirm);
    assert!(screen.text().contains("Archive 中山朗斯家居股份有限公司?"));
    screen.keys("n");
    assert_eq!(screen.app.firms.shown.len(), 8, "no: nothing changes");
    screen.keys("d").keys("y");
    assert_eq!(screen.app.firms.shown.len(), 7);
    // The list cuts the long name; its start is enough to find the row.
    assert!(firm_row(&screen.lines(), "中山朗斯家居").is_none());
    screen.keys("A");
    let lines = screen.lines();
    assert!(firm_row(&lines, "中山朗斯家居")
        .unwrap()
        .contains("[archived]"));
    // Issue 12, bug 8: a search counts the firms it looks through, not the archived too.
    screen.keys("A").keys("/").type_text("zhongshan");
    let text = screen.text();
    assert!(text.contains(" of 7 "), "{text}");
    screen.key(KeyCode::Esc);
    drop(screen);
    let store = Store::open(dir.path()).unwrap();
    let id = store.firm_by_name(name).unwrap().unwrap();
    assert!(store.firm(id).unwrap().unwrap().archived);
}

#[test]
fn help_on_the_firms_tab_lists_search_and_form_keys() {
    let (_dir, mut screen) = demo_screen();
    screen.keys("?");
    let text = screen.text();
    for expected in [
        "search (name, pinyin, initials)",
        "new firm",
        "archive",
        "While searching",
        "In a form",
        "cancel, nothing is written",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    screen
        .key(KeyCode::Esc)
        .keys("/")
        .type_text("zs")
        .key(KeyCode::Enter)
        .keys("?");
    assert!(screen.text().contains("add a contact"));
}

#[test]
fn firms_are_imported_from_a_csv_file_named_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen
        .keys("i")
        .type_text("/no/such/file.csv")
        .key(KeyCode::Enter);
    assert_eq!(
        screen.app.mode(),
        Mode::Form,
        "a missing file keeps the prompt open"
    );
    assert!(screen.text().contains("cannot read /no/such/file.csv"));
    let csv = dir.path().join("new.csv");
    std::fs::write(
        &csv,
        "企业名称,行业,联系人,电话\n中山翠亨新能源有限公司,新能源,陈晨,0760-8888 0001\n中山生物工程有限公司,生物制品,赵六,0760-8888 0002\n,缺名称,,\n",
    )
    .unwrap();
    screen.key_event(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    ));
    screen.type_text(csv.to_str().unwrap()).key(KeyCode::Enter);
    // Issue 12, point 6: every bad row is listed in a popup to scroll, not cut on the
    // status line.
    assert_eq!(screen.app.mode(), Mode::Report);
    let text = screen.text();
    assert!(
        text.contains("line 4 企业名称: must not be empty"),
        "{text}"
    );
    assert!(
        text.contains("1 added, 1 updated, 0 unchanged, 1 bad row(s)"),
        "{text}"
    );
    screen.key(KeyCode::Esc);
    assert_eq!(screen.app.mode(), Mode::Normal);
    assert_eq!(screen.app.firms.all.len(), 9);
    screen.keys("/").type_text("cuiheng");
    assert_eq!(
        screen.app.firms.selected().unwrap().contacts[0].name,
        "陈晨"
    );
}

/// The app opens with the firms' names only and reads their search keys in the background;
/// a search typed at once waits for them and finds the firm by pinyin, as it would later.
#[test]
fn a_search_typed_as_the_app_opens_uses_the_keys_read_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::demo_store(dir.path());
    let app = liaison::app::App::new_reading_in_background(store, common::now()).unwrap();
    let mut screen = common::Screen::with_app(app, 120, 40);
    screen.keys("/").type_text("zsswgc");
    assert_eq!(
        screen.app.firms.selected().unwrap().name,
        "中山生物工程有限公司"
    );
    assert!(screen.lines()[1].contains("1 of 8"));
}

/// Issue 12, point 16: a form shows every problem at once, each beside its field.
#[test]
fn a_contact_form_shows_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    screen.keys("/").type_text("zsswgc").key(KeyCode::Enter);
    screen.keys("a");
    assert_eq!(screen.app.mode(), Mode::Form);
    // No name, a phone without digits, an email without @.
    screen
        .key(KeyCode::Tab)
        .key(KeyCode::Tab)
        .type_text("电话待定")
        .key(KeyCode::Tab)
        .type_text("wang.example.cn")
        .key(KeyCode::Enter);
    let form = screen.app.form().expect("the form stays open");
    let with_errors: Vec<_> = form
        .fields
        .iter()
        .filter(|f| f.error.is_some())
        .map(|f| f.field)
        .collect();
    use liaison::model::Field;
    assert_eq!(
        with_errors,
        vec![Field::ContactName, Field::Phone, Field::Email]
    );
    assert_eq!(form.focus, 0, "the first problem gets the focus");
}

/// Issue 12, point 21: `M` merges the selected firm into another found by pinyin, after a
/// confirmation; its items and visits move, it is archived.
#[test]
fn a_firm_recorded_twice_is_merged_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut screen = Screen::new(demo_store(dir.path()), 120, 40);
    let name = "中山朗斯家居股份有限公司";
    screen.select_listed_firm(name);
    let from = screen.app.firms.selected().unwrap().id;
    let items = screen.app.store.issues_of_firm(from).unwrap().len();
    assert!(items > 0);
    screen.keys("M").type_text("zsswgc").key(KeyCode::Enter);
    let mode = screen.app.mode();
    assert_eq!(mode, Mode::Confirm, "{}", screen.text());
    assert!(screen.text().contains("A merge is not undone"));
    screen.keys("y");
    let said = screen.text();
    assert!(said.contains(&format!("{items} item(s) moved")), "{said}");
    let store = &screen.app.store;
    let into = store.firm_by_name("中山生物工程有限公司").unwrap().unwrap();
    assert!(store.issues_of_firm(from).unwrap().is_empty());
    assert!(store.firm(from).unwrap().unwrap().archived);
    assert!(store.issues_of_firm(into).unwrap().len() >= items);
    assert!(store.check().unwrap().is_ok());
}
