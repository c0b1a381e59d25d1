//! Syncing with the zone server from the app (issue 15): on start, every few minutes and on
//! Ctrl-Y, a sync runs on a thread of its own with its own handle on the store; its outcome
//! comes back through the app's channel (`Done::Synced`) into `update`. A key never waits
//! for the network.

use super::{App, MessageKind};
use crate::server::{self, ServerUrl, StoreLedger, SyncOptions, SyncReport};
use crate::store::Store;
use std::time::{Duration, Instant};

/// How often the app syncs by itself.
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// What a finished sync says.
pub type Outcome = Result<SyncReport, String>;

#[derive(Default)]
pub struct ServerSync {
    /// The server's URL (`settings --server` or `LIAISON_SERVER`); none: the app never syncs.
    url: Option<String>,
    running: bool,
    /// When the last sync ended, and how.
    pub last: Option<(Instant, Outcome)>,
    next: Option<Instant>,
    /// How many operations this ledger has made, read after each action (not per frame):
    /// the status line's "N to send" counts from it.
    own_head: u64,
}

/// The sync's part of the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    Syncing,
    /// Synced this many minutes ago, with this many of our changes made since.
    Synced {
        minutes: u64,
        to_send: u64,
    },
    /// Never synced yet, or the last try failed: the reason.
    Offline(String),
}

impl ServerSync {
    /// Reads the server setting; a sync is due at once when there is one.
    pub fn new(store: &Store) -> ServerSync {
        let url = store
            .server_url()
            .ok()
            .flatten()
            .or_else(|| std::env::var(server::SERVER_ENV).ok())
            .filter(|url| !url.trim().is_empty());
        let next = url.as_ref().map(|_| Instant::now());
        ServerSync {
            url,
            next,
            ..ServerSync::default()
        }
    }

    /// Syncing with this server, whatever the settings say (tests give a URL holding a
    /// password, which settings refuse).
    pub fn with_url(url: &str) -> ServerSync {
        ServerSync {
            url: Some(url.to_string()),
            next: Some(Instant::now()),
            ..ServerSync::default()
        }
    }

    pub fn enabled(&self) -> bool {
        self.url.is_some()
    }

    pub fn running(&self) -> bool {
        self.running
    }

    /// Reads how many operations this ledger has made, for the status line (after an
    /// action, which may have written some).
    pub fn note_writes(&mut self, store: &Store) {
        if self.url.is_some() {
            self.own_head = store.actor().and_then(|a| store.version_of(a)).unwrap_or(0);
        }
    }

    /// The status line's words, or None without a server.
    pub fn status(&self) -> Option<SyncStatus> {
        self.url.as_ref()?;
        if self.running() {
            return Some(SyncStatus::Syncing);
        }
        Some(match &self.last {
            None => SyncStatus::Offline("not synced yet".into()),
            Some((_, Err(reason))) => SyncStatus::Offline(reason.clone()),
            Some((at, Ok(report))) => SyncStatus::Synced {
                minutes: at.elapsed().as_secs() / 60,
                to_send: self.own_head.saturating_sub(report.sent),
            },
        })
    }
}

/// Starts a sync unless one is running or there is no server.
pub fn start(app: &mut App) {
    let sync = &mut app.server;
    let Some(url) = sync.url.clone().filter(|_| !sync.running) else {
        return;
    };
    sync.running = true;
    sync.next = None;
    let store = app.store.clone();
    let outbox = app.outbox.clone();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&url, &store)))
            .unwrap_or_else(|_| Err("the sync stopped".to_string()));
        // The receiver may be gone (the app quit first).
        let _ = outbox.send(super::Action::Background(super::Arrived::new(
            super::Done::Synced(outcome),
        )));
    });
}

fn run(url: &str, store: &Store) -> Outcome {
    let url = ServerUrl::parse(url).map_err(|e| e.to_string())?;
    let mut ledger = StoreLedger::new(store).map_err(|e| e.to_string())?;
    server::sync(&url, &mut ledger, SyncOptions::default(), &mut |_| {}).map_err(|e| e.to_string())
}

/// The time passed: starts the next sync when it is due.
pub(super) fn tick(app: &mut App, now: Instant) {
    if app.server.next.is_some_and(|due| now >= due) {
        start(app);
    }
}

/// A sync ended: its outcome becomes the status line's, and what it brought is announced.
pub(super) fn arrived(app: &mut App, outcome: Outcome) {
    app.server.running = false;
    app.server.next = Some(Instant::now() + EVERY);
    if let Ok(report) = &outcome {
        if report.new > 0 {
            announce(app, report);
        }
    }
    app.server.last = Some((Instant::now(), outcome));
}

/// Other ledgers' changes arrived: the lists are read again and the officer told.
fn announce(app: &mut App, report: &SyncReport) {
    if let Err(e) = app.reread() {
        app.say(MessageKind::Error, e.to_string());
        return;
    }
    let text = crate::messages::sync_arrived(report.new, report.responses, report.conflicts);
    let kind = if report.conflicts > 0 {
        MessageKind::Warning
    } else {
        MessageKind::Info
    };
    app.say(kind, text);
}
