//! Plain data types and their rules. No I/O lives here: the store persists these types and the
//! app changes them only through the rules below.

mod call;
mod firm;
mod id;
mod issue;
mod moment;
pub mod numbers;
mod reference;
mod rules;
mod visit;
pub mod when;

pub use call::Verdict;
pub use firm::{Contact, Firm};
pub use id::{Id, IdSet};
pub use issue::{
    clean_author, clean_tag, split_tags, Change, Issue, IssueDraft, IssueEvent, IssueSummary,
    Priority, Resolution, ResolutionKind, Status, AUTHOR_MAX, DETAIL_MAX, OWNER_MAX, TAG_MAX,
    TITLE_MAX,
};
pub use moment::Moment;
pub use reference::{Category, Department, SavedView, Sla, VIEW_TEXT_MAX};
pub use rules::{clean_text, name_key, Field, FieldError, Problem};
pub use visit::{Visit, VisitStatus, MAX_DURATION_MIN};

/// A moment in local time, with its offset, as the officer saw it on their laptop.
pub type LocalTime = chrono::DateTime<chrono::FixedOffset>;
