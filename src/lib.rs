//! Liaison: the follow-up ledger for officers who visit firms.
//!
//! Layers: `model` (plain types and rules) ← `store` (sled) ← `app` (state and `update`) ←
//! `ui` (drawing) and `cli` (subcommands); `transfer` (CSV and iCalendar in and out) works on the store
//! beside `app`.

pub mod app;
pub mod cli;
pub mod demo;
pub mod messages;
pub mod model;
pub mod query;
pub mod report;
pub mod search;
pub mod server;
pub mod store;
pub mod text;
pub mod transfer;
pub mod tui;
pub mod ui;
