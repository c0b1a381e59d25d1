//! The queue's filter language and sort orders, shared by the Issues tab and the command line:
//! `dept:发改局 status:open overdue firm:zsswgc 用地`.
//!
//! Parsing turns text into terms (with the position of any mistake); resolving turns names
//! into ids against the database's departments, categories and firms; matching tests one
//! item. No I/O here.

mod filter;
mod sort;
mod source;
mod store_names;

pub use filter::{
    parse, Check, DateField, Filter, FilterError, Item, Names, Needle, Resolved, Term, TermKind,
    WithResponses,
};
pub use sort::{sort_issues, SortKey};
pub use source::ItemSource;
pub use store_names::{conflicted_numbers, firms_matching, StoreNames};
