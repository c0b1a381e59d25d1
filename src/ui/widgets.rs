//! Pieces shared by the tabs: a table whose cells are cut by display width, labelled detail
//! lines, and the empty state.

use crate::messages as msg;
use crate::text::{fit, fit_right, width};
use crate::ui::theme::theme;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub struct Column {
    pub title: crate::messages::Msg,
    /// Fixed width, or 0 to share the space left over.
    pub width: u16,
    pub right: bool,
}

pub const fn col(title: crate::messages::Msg, width: u16) -> Column {
    Column {
        title,
        width,
        right: false,
    }
}

pub const fn col_right(title: crate::messages::Msg, width: u16) -> Column {
    Column {
        title,
        width,
        right: true,
    }
}

/// Widths of the columns in `total` columns of space, one space between columns. Flexible
/// columns share what is left, at least 6 each.
pub fn widths(columns: &[Column], total: u16) -> Vec<usize> {
    let gaps = columns.len().saturating_sub(1);
    let fixed: usize = columns.iter().map(|c| usize::from(c.width)).sum();
    let flexible = columns.iter().filter(|c| c.width == 0).count();
    let left = usize::from(total).saturating_sub(fixed + gaps);
    let share = left.checked_div(flexible).unwrap_or(0).max(6);
    let mut extra = left.saturating_sub(share * flexible);
    columns
        .iter()
        .map(|c| {
            if c.width > 0 {
                usize::from(c.width)
            } else {
                let w = share + extra;
                extra = 0;
                w
            }
        })
        .collect()
}

/// A cell whose characters at `positions` are highlighted (search matches), cut with an
/// ellipsis and padded to `width` columns.
pub fn marked_cell(
    text: &str,
    positions: &[usize],
    width: usize,
    base: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    let cut = crate::text::truncate(text, width);
    let kept = if cut == text {
        text.chars().count()
    } else {
        cut.chars().count().saturating_sub(1)
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (i, c) in cut.chars().enumerate() {
        let style = if i < kept && positions.contains(&i) {
            mark
        } else {
            base
        };
        used += crate::text::width(c.encode_utf8(&mut [0; 4]));
        match spans.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push(c),
            _ => spans.push(Span::styled(c.to_string(), style)),
        }
    }
    spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), base));
    spans
}

pub fn mark_style() -> Style {
    Style::new()
        .fg(theme().warn)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// The part of a one-line input that fits in `width` columns, scrolled so the cursor stays
/// visible, and the cursor's column within it.
pub fn input_view(input: &crate::app::input::TextInput, width: usize) -> (String, usize) {
    let width = width.max(2);
    let chars: Vec<char> = input.text.chars().collect();
    let mut start = 0;
    let col = |from: usize, to: usize| -> usize {
        chars[from..to]
            .iter()
            .map(|c| crate::text::width(c.encode_utf8(&mut [0; 4])))
            .sum()
    };
    while col(start, input.cursor) > width - 1 {
        start += 1;
    }
    let mut shown = String::new();
    let mut used = 0;
    for c in &chars[start..] {
        let w = crate::text::width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        shown.push(*c);
        used += w;
    }
    (shown, col(start, input.cursor))
}

/// A rectangle of `width` x `height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Clears the space of a popup. Clearing exactly its area would cut wide characters at its
/// edges in half; clearing one more column each side takes them away whole.
pub fn clear_popup(frame: &mut Frame, area: Rect) {
    let screen = frame.area();
    let x = area.x.saturating_sub(1).max(screen.x);
    let right = (area.x + area.width + 1).min(screen.x + screen.width);
    frame.render_widget(
        ratatui::widgets::Clear,
        Rect {
            x,
            width: right - x,
            ..area
        },
    );
}

/// One table row: each cell cut or padded to its column's width.
pub fn row<'a>(columns: &[Column], widths: &[usize], cells: Vec<(String, Style)>) -> Line<'a> {
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for (i, ((text, style), column)) in cells.into_iter().zip(columns).enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let w = widths[i];
        let cell = if column.right {
            fit_right(&text, w)
        } else {
            fit(&text, w)
        };
        spans.push(Span::styled(cell, style));
    }
    Line::from(spans)
}

pub fn header<'a>(columns: &[Column], widths: &[usize]) -> Line<'a> {
    let style = Style::new().add_modifier(Modifier::BOLD).fg(theme().accent);
    row(
        columns,
        widths,
        columns
            .iter()
            .map(|c| (c.title.to_string(), style))
            .collect(),
    )
}

pub fn selected_style() -> Style {
    theme().selected()
}

pub fn block(title: &str) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme().dim))
        .title(Span::styled(
            format!(" {title} "),
            Style::new().add_modifier(Modifier::BOLD),
        ))
}

/// A table in a bordered block: header, then `lines`, where `selected` (an index into
/// `lines`) is highlighted across the full width.
pub fn table_in(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    header: Line,
    lines: Vec<Line>,
    selected: Option<usize>,
) {
    let inner_width = area.width.saturating_sub(2);
    let mut all = vec![header];
    for (i, line) in lines.into_iter().enumerate() {
        if Some(i) == selected {
            all.push(highlight(line, inner_width));
        } else {
            all.push(line);
        }
    }
    frame.render_widget(Paragraph::new(all).block(block), area);
}

/// A list's bordered block whose top border carries the text being typed (a search, a
/// filter) after the title, so the list keeps its height while it is typed. Returns the
/// block and, when `typing`, where the terminal cursor goes.
pub fn query_block(
    area: Rect,
    title: &str,
    prompt: &str,
    input: &crate::app::input::TextInput,
    typing: bool,
    shown: bool,
    wrong: bool,
) -> (Block<'static>, Option<ratatui::layout::Position>) {
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme().dim))
        .title(Span::styled(
            title.to_string(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    if !(typing || shown) {
        return (block, None);
    }
    let room =
        usize::from(area.width.saturating_sub(4)).saturating_sub(width(title) + width(prompt) + 1);
    let (text, cursor) = input_view(input, room.max(2));
    let style = match (wrong, typing) {
        (true, _) => theme().on(theme().bright, theme().error),
        (false, true) => theme().on(theme().dark, theme().warn),
        (false, false) => Style::new().fg(theme().warn),
    };
    block = block.title(Span::styled(format!("{prompt}{text} "), style));
    // Border corner, the title, one border cell between the two titles, the prompt.
    let x = area.x as usize + 1 + width(title) + 1 + width(prompt) + cursor;
    let position = typing.then(|| {
        ratatui::layout::Position::new((x as u16).min(area.right().saturating_sub(2)), area.y)
    });
    (block, position)
}

/// A document of lines, some of which are selectable rows (`Some(row index)`): the window of
/// `height` lines that keeps the selected row in view (with `context` lines above it when
/// there is room, e.g. its day's header), the selected row highlighted across `width`.
/// Worked out while drawing; the state holds only the selection.
pub fn scrolled<'a>(
    lines: Vec<(Line<'a>, Option<usize>)>,
    selected: Option<usize>,
    height: usize,
    width: u16,
    context: usize,
) -> Vec<Line<'a>> {
    let selected_line = lines
        .iter()
        .position(|(_, i)| selected.is_some() && *i == selected)
        .unwrap_or(0);
    let top = (selected_line + 1 + context)
        .saturating_sub(height)
        .min(selected_line);
    lines
        .into_iter()
        .skip(top)
        .take(height)
        .map(|(line, i)| {
            if selected.is_some() && i == selected {
                highlight(line, width)
            } else {
                line
            }
        })
        .collect()
}

/// A selected row: highlighted across the full width.
pub fn highlight(line: Line<'_>, width: u16) -> Line<'_> {
    let pad = usize::from(width).saturating_sub(line.width());
    let mut line = line.patch_style(selected_style());
    line.spans
        .push(Span::styled(" ".repeat(pad), selected_style()));
    line
}

/// "Label      value" with labels padded by display width so values line up.
pub fn field<'a>(label: &str, value: impl Into<String>) -> Line<'a> {
    const LABEL_WIDTH: usize = 11;
    let value: String = value.into();
    Line::from(vec![
        Span::styled(fit(label, LABEL_WIDTH), Style::new().fg(theme().dim)),
        Span::raw(" "),
        Span::raw(if value.is_empty() {
            msg::NONE.to_string()
        } else {
            value
        }),
    ])
}

pub fn heading<'a>(text: &str) -> Line<'a> {
    Line::from(Span::styled(
        text.to_string(),
        Style::new().add_modifier(Modifier::BOLD).fg(theme().accent),
    ))
}

/// Free text such as notes or minutes, wrapped by display width; control characters are
/// replaced so stored text cannot drive the terminal.
pub fn paragraph_lines<'a>(text: &str) -> Vec<Line<'a>> {
    text.lines()
        .map(|l| Line::raw(crate::text::truncate(l, usize::MAX)))
        .collect()
}

/// A detail panel. Lines longer than the panel are wrapped here, by display width, so a wide
/// character never lands on the border.
/// The detail panel when nothing is selected.
pub fn no_detail(frame: &mut Frame, area: Rect) {
    detail(
        frame,
        area,
        msg::DETAIL.get(),
        vec![Line::raw(msg::NOTHING_SELECTED)],
    );
}

pub fn detail(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let inner = usize::from(area.width.saturating_sub(2));
    let wrapped: Vec<Line> = lines
        .into_iter()
        .flat_map(|l| wrap_line(l, inner))
        .collect();
    frame.render_widget(Paragraph::new(wrapped).block(block(title)), area);
}

/// Splits a styled line into lines of at most `width` columns, keeping each piece's style.
/// Chinese breaks between any two characters; a Latin word is moved whole to the next line
/// when there is a space to break at.
pub fn wrap_line(line: Line<'_>, width: usize) -> Vec<Line<'static>> {
    // Every detail panel passes here: a control character that reached the database (an
    // old version's data, a hostile file) is shown as a placeholder (`wrap_cells`).
    let cells = line
        .spans
        .iter()
        .flat_map(|span| span.content.chars().map(move |c| (c, span.style)));
    let rows = crate::text::wrap_cells(cells, width);
    rows.into_iter()
        .map(|cells| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (c, style) in cells {
                match spans.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push(c),
                    _ => spans.push(Span::styled(c.to_string(), style)),
                }
            }
            Line::from(spans).style(line.style)
        })
        .collect()
}

/// What an empty list shows instead of a blank: what is missing and how to get data.
pub fn empty_state(frame: &mut Frame, area: Rect, title: &str, what: &str) {
    let mut lines = vec![
        Line::raw(""),
        Line::styled(msg::EMPTY_TITLE, Style::new().add_modifier(Modifier::BOLD)),
        Line::raw(what.to_string()),
        Line::raw(""),
    ];
    let hint_width = msg::EMPTY_HINTS.iter().map(|h| width(h)).max().unwrap_or(0);
    for hint in msg::EMPTY_HINTS {
        lines.push(Line::raw(fit(hint.get(), hint_width)));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(block(title)),
        area,
    );
}

/// A list whose records are still being read.
pub fn loading(frame: &mut Frame, area: Rect, title: &str, what: &str) {
    let lines = vec![Line::raw(""), Line::raw(what.to_string())];
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(block(title)),
        area,
    );
}

/// Blanks the cells that wide characters cover. Some widgets (Paragraph among them) draw a
/// Chinese character over a border or older text without clearing the cell its second half
/// covers. ratatui then believes that cell still holds, say, a border `─`, and when the
/// character goes away it does not send the `─` again, while the terminal has erased it:
/// holes such as `└──── ─ ─ ───┘` that stay until the terminal is resized. A blank under
/// each second half keeps the buffer as ratatui's diff expects it.
pub fn blank_hidden_cells(buffer: &mut ratatui::buffer::Buffer) {
    use unicode_width::UnicodeWidthStr;
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let width = buffer[(x, y)].symbol().width().max(1) as u16;
            for hidden in x.saturating_add(1)..x.saturating_add(width).min(area.right()) {
                buffer[(hidden, y)].reset();
            }
            x = x.saturating_add(width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_line_never_starts_with_a_closing_mark() {
        let text = "企业反映新厂区规划许可审批进度慢，希望加快。（附件）";
        for width in 4..40 {
            let rows = wrap_line(Line::raw(text), width);
            let joined: String = rows.iter().map(|l| l.to_string()).collect();
            assert_eq!(joined, text, "nothing lost at {width}");
            for (i, row) in rows.iter().enumerate() {
                let row = row.to_string();
                assert!(crate::text::width(&row) <= width, "{width}: {row}");
                if i > 0 {
                    let first = row.chars().next().unwrap();
                    assert!(
                        !crate::text::NO_LINE_START.contains(first),
                        "{width}: row {i} starts with {first}: {rows:?}"
                    );
                }
                if i + 1 < rows.len() {
                    let last = row.chars().last().unwrap();
                    assert!(
                        !crate::text::NO_LINE_END.contains(last),
                        "{width}: {rows:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn wrapping_never_splits_a_wide_character_past_the_width() {
        let line = Line::from(vec![
            Span::raw("ab"),
            Span::styled("中山生物工程", Style::new().fg(ratatui::style::Color::Red)),
        ]);
        let lines = wrap_line(line, 5);
        let texts: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, vec!["ab中", "山生", "物工", "程"]);
        assert!(lines.iter().all(|l| l.width() <= 5));
        assert_eq!(lines[1].spans[0].style.fg, Some(ratatui::style::Color::Red));
        let hostile = wrap_line(Line::raw("a\u{1b}[2Jb"), 20);
        assert_eq!(hostile[0].to_string(), "a\u{241B}[2Jb");
        let latin = wrap_line(Line::raw("in progress → answered"), 16);
        let texts: Vec<String> = latin.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, vec!["in progress →", "answered"]);
    }

    #[test]
    fn widths_share_the_rest_among_flexible_columns() {
        let columns = [
            col(crate::messages::Msg::new("a", "a"), 4),
            col(crate::messages::Msg::new("b", "b"), 0),
            col(crate::messages::Msg::new("c", "c"), 0),
        ];
        assert_eq!(widths(&columns, 30), vec![4, 12, 12]);
        assert_eq!(widths(&columns, 31), vec![4, 13, 12]);
        // Too narrow: flexible columns keep a minimum instead of vanishing.
        assert_eq!(widths(&columns, 8), vec![4, 6, 6]);
    }
}
