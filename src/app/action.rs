use super::Tab;

/// Everything a person can ask of the app. Keys map to these in `keymap`; `update` carries
/// them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextTab,
    PreviousTab,
    GoTo(Tab),
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    Today,
    ToggleHelp,
    CloseOverlay,
    Resize(u16, u16),
}
