//! A row read through the filter's `Item`.

use super::*;

impl Item for RowRef<'_> {
    fn number(&self) -> u32 {
        self.packed.number
    }
    fn status(&self) -> Status {
        self.packed.flags.status()
    }
    fn priority(&self) -> Priority {
        self.packed.flags.priority()
    }
    fn department(&self) -> Option<Id> {
        optional(&self.table.departments, self.packed.department)
    }
    fn category(&self) -> Option<Id> {
        optional(&self.table.categories, self.packed.category)
    }
    fn firm(&self) -> Id {
        self.table.firms.values[self.packed.firm as usize]
    }
    fn due(&self) -> Option<NaiveDate> {
        date_of(self.table.due(self.position, self.packed))
    }
    fn raised_in_visit(&self) -> bool {
        self.packed.flags.visit()
    }
    fn owner(&self) -> &str {
        &self.table.owners.values[self.packed.owner as usize]
    }
    fn has_tag(&self, tag: &str) -> bool {
        self.table.tags_of(self.packed).iter().any(|t| t == tag)
    }
    fn raised(&self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.table.raised(self.position, self.packed))
            .unwrap_or_default()
    }
    fn awaiting_call(&self) -> bool {
        self.packed.flags.awaiting_call()
    }
    fn closed(&self) -> Option<NaiveDate> {
        date_of(self.table.closed(self.position, self.packed))
    }
    /// The title as typed; details and responses (not kept in memory: a million items'
    /// texts would not fit) once the background search for the word has come back.
    fn contains_text(&self, needle: &Needle) -> bool {
        needle.found_in(
            &self
                .table
                .code
                .decode(self.table.lowered_title(self.packed)),
        ) || self
            .table
            .deep
            .iter()
            .find(|(w, _)| w == needle.text())
            .is_some_and(|(_, bits)| bit(bits, self.position as u32))
    }
}
