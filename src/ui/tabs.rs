//! The one place drawing dispatches on the tab, as `app::tabs` does for keys and actions: a
//! new tab is an arm in each function here and its own module beside this one.

use super::{agenda, firms, issues, reports};
use crate::app::{App, Tab};
use ratatui::layout::Rect;
use ratatui::Frame;

/// The tab's list (or its open card or visit) and its detail.
pub(super) fn draw(frame: &mut Frame, app: &App, list: Rect, detail: Rect) {
    match app.tab {
        Tab::Firms => firms::draw(frame, app, list, detail),
        Tab::Agenda => agenda::draw(frame, app, list, detail),
        Tab::Issues => issues::draw(frame, app, list, detail),
        // One page of its own: the figures, the tables and the chart.
        Tab::Reports => reports::draw(frame, app, list.union(detail)),
    }
}

/// Below this width the detail panel goes under the list instead of beside it. The queue has
/// many columns, so it wants more room before it puts its detail beside it.
pub(super) fn side_by_side_min_width(tab: Tab) -> u16 {
    match tab {
        Tab::Issues => 160,
        Tab::Firms | Tab::Agenda | Tab::Reports => 100,
    }
}
