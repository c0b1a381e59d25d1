use super::input::Edit;
use super::Tab;

/// Everything a person can ask of the app. Keys map to these in `keymap`; `update` carries
/// them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Sync with the zone server now (in the background).
    SyncNow,
    /// The visit the selected item was raised in.
    OpenRaisedVisit,
    /// An item raised for a firm from the Issues tab.
    NewItem,
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
    /// The terminal's new size, with what its lists hold there.
    Resize(super::Layout),
    /// From the event loop: more keys are already waiting (`true`), so work only the next
    /// frame needs waits for them; or the last of them was handled (`false`).
    Batching(bool),
    /// Work done in a thread has arrived.
    Background(super::Arrived),
    /// From the event loop when nothing happened for a while: a status message whose time
    /// is up goes (nothing is read again).
    Tick(std::time::Instant),
    /// From the event loop, before the keys it hands over and when it wakes: the wall clock,
    /// so a change records the moment it was made and "today" moves on in an app left open.
    Clock(crate::model::LocalTime),
    /// Start typing a search (Firms).
    StartSearch,
    /// Edit the text being typed (search or form field).
    Input(Edit),
    /// Enter in a search: keep the results and open the selected firm.
    AcceptSearch,
    /// Esc in a search: clear it.
    CancelSearch,
    /// Enter: open what is selected.
    Open,
    /// Esc: close the card, or clear the search results.
    Back,
    NewFirm,
    Edit,
    /// Archive the selected firm, or restore an archived one.
    ArchiveFirm,
    /// Merge the selected firm into another (two records of one firm).
    MergeFirm,
    ToggleArchived,
    AddContact,
    /// Ask for a CSV file and import its firms.
    ImportFirms,
    RemoveContact,
    NextField,
    PreviousField,
    Submit,
    Cancel,
    Confirm,
    /// Agenda: switch between the day and the week view.
    ToggleView,
    /// Agenda: the previous or next day or week.
    PreviousPeriod,
    NextPeriod,
    /// Agenda: ask for a date and show it.
    GoToDate,
    NewVisit,
    /// Mark the visit done (after a confirmation).
    MarkDone,
    /// Cancel the visit (after a confirmation).
    CancelVisit,
    /// Open the minutes of the visit in the editor.
    EditMinutes,
    /// Meeting mode: open the line that files a new item for this firm and visit.
    Capture,
    /// A key for the minutes editor, which handles its own editing keys.
    EditorKey(ratatui::crossterm::event::KeyEvent),
    SaveMinutes,
    /// Ask for a file name and write the agenda there as iCalendar.
    ExportAgenda,
    /// Save the response in the editor as the answer given to the firm.
    SaveAsAnswer,
    /// Issues: type a filter.
    StartFilter,
    NextView,
    PickView,
    SaveView,
    /// Issues: the Lists popup, to rename, merge or retire a department or category.
    ManageLists,
    /// Delete a saved view (the one chosen in the view list, else the one shown).
    DeleteView,
    CycleSort,
    ToggleMark,
    MarkAll,
    Assign,
    SetPriority,
    SetCategory,
    ChangeStatus,
    SetDue,
    SetOwner,
    /// Add or take off tags of the selected or marked items.
    SetTags,
    Respond,
    CloseItem,
    /// Undo the last change, on whatever tab it was made.
    Undo,
    /// Do again the last change undone.
    Redo,
    /// Ask for a file name and write the items shown (the current view) there as CSV.
    ExportIssues,
    /// Issues: record the follow-up call (回访) of the selected closed item.
    RecordCall,
    /// Issues: choose the value to keep of a field of the selected item in conflict.
    ResolveConflict,
    /// Issues: write a bundle of operations for another ledger / apply one.
    ExportBundle,
    ImportBundle,
    /// A key of the Reports tab (`app::reports`).
    Reports(super::reports::ReportsAction),
}
