//! The interface in each language: whole screens as snapshots (tests/snapshots), no English
//! word left on a Chinese screen, Chinese headings aligned with their columns, and the
//! monochrome theme telling everything without colour.

mod common;

use common::{column_of, demo_store, Screen};
use liaison::messages::Lang;
use liaison::ui::theme::{set_thread_theme, Theme};
use ratatui::style::{Color, Modifier};

fn demo(lang: Lang) -> (tempfile::TempDir, Screen) {
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let mut screen = Screen::new_in(lang, store, 120, 40);
    screen.app.settle();
    (dir, screen)
}

/// The main screens, by name: Firms, Agenda, Issues, a form, the help.
fn main_screens(lang: Lang) -> Vec<(&'static str, String)> {
    let mut shown = Vec::new();
    let (_dir, mut screen) = demo(lang);
    shown.push(("firms", screen.text()));
    screen.keys("n");
    shown.push(("firm_form", screen.text()));
    screen.key(ratatui::crossterm::event::KeyCode::Esc);
    screen.keys("2");
    shown.push(("agenda", screen.text()));
    screen.keys("3");
    shown.push(("issues", screen.text()));
    screen.keys("?");
    shown.push(("issues_help", screen.text()));
    shown
}

#[test]
fn the_main_screens_in_english() {
    for (name, text) in main_screens(Lang::En) {
        insta::assert_snapshot!(format!("{name}_en"), text);
    }
}

#[test]
fn the_main_screens_in_chinese() {
    for (name, text) in main_screens(Lang::Zh) {
        insta::assert_snapshot!(format!("{name}_zh"), text);
    }
}

/// Words that stay as they are in Chinese: key names, commands, file formats.
const KEPT: [&str; 17] = [
    "CSV",
    "JSON",
    "json",
    "Enter",
    "Esc",
    "Tab",
    "Shift",
    "Ctrl",
    "PgUp",
    "PgDn",
    "Home",
    "End",
    "Space",
    "iCalendar",
    "liaison",
    "zsswgc",
    "zhongshan",
];

#[test]
fn a_chinese_screen_holds_no_english_word() {
    for (name, text) in main_screens(Lang::Zh) {
        let english: Vec<&str> = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 3 && !KEPT.contains(w))
            // Demo data: e-mail addresses.
            .filter(|w| !text.contains(&format!("{w}@")) && !text.contains(&format!("@{w}")))
            .filter(|w| !["example", "cn", "com"].contains(w))
            .collect();
        assert!(english.is_empty(), "{name}: {english:?}\n{text}");
    }
}

#[test]
fn chinese_headings_align_with_their_columns() {
    let (_dir, mut screen) = demo(Lang::Zh);
    screen.keys("3");
    let lines = screen.lines();
    let header = lines.iter().find(|l| l.contains("标题")).unwrap();
    let row = lines.iter().find(|l| l.contains("#7 ")).unwrap();
    assert_eq!(
        column_of(header, "企业"),
        column_of(row, "朗斯家居"),
        "\n{header}\n{row}"
    );
    assert_eq!(
        column_of(header, "部门"),
        column_of(row, "住建局"),
        "\n{header}\n{row}"
    );
    assert_eq!(
        column_of(header, "状态"),
        column_of(row, "已交办"),
        "\n{header}\n{row}"
    );
}

#[test]
fn monochrome_uses_no_colour_and_still_marks_the_selection() {
    set_thread_theme(Some(Theme::MONOCHROME));
    let (_dir, mut screen) = demo(Lang::En);
    for tab in ["1", "2", "3"] {
        screen.keys(tab);
        let buffer = screen.buffer();
        let area = buffer.area;
        let mut reversed_rows = 0;
        for y in 0..area.height {
            let mut reversed = false;
            for x in 0..area.width {
                let cell = &buffer[(x, y)];
                assert_eq!(cell.fg, Color::Reset, "tab {tab} at {x},{y}");
                assert_eq!(cell.bg, Color::Reset, "tab {tab} at {x},{y}");
                reversed |= cell.modifier.contains(Modifier::REVERSED);
            }
            reversed_rows += usize::from(reversed);
        }
        // The tab shown and the mode, and on a list the selected row.
        assert!(reversed_rows >= 2, "tab {tab}: {reversed_rows}");
    }
    // Overdue is told by its `!`, not only its colour.
    assert!(screen.text().contains("2026-11-24 !"), "{}", screen.text());
    set_thread_theme(None);
}

#[test]
fn each_theme_draws_the_selected_row_apart_from_the_others() {
    for theme in [
        Theme::DARK,
        Theme::LIGHT,
        Theme::HIGH_CONTRAST,
        Theme::MONOCHROME,
    ] {
        set_thread_theme(Some(theme));
        let (_dir, mut screen) = demo(Lang::En);
        screen.keys("3");
        let buffer = screen.buffer();
        let lines = screen.lines();
        let y = lines.iter().position(|l| l.contains("#7 ")).unwrap() as u16;
        let x = column_of(&lines[y as usize], "#7").unwrap() as u16;
        let selected = buffer[(x, y)].style();
        let other = buffer[(x, y + 1)].style();
        assert_ne!(selected, other, "{:?}", theme.name);
    }
    set_thread_theme(None);
}
