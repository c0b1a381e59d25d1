//! Work done in threads (reading the items, a search of details and responses) comes back
//! as an `Action` through the app's one channel, and `update` takes it in like a key.

use super::queue::Loaded;
use crate::store::StoreError;
use std::sync::{Arc, Mutex};

/// A result of background work.
pub enum Done {
    /// Every item, read after the first frame.
    Items(Result<Box<Loaded>, StoreError>),
    /// The firms' search keys have been read (the thread holds them until they are taken).
    FirmKeys,
    /// Item numbers found for each of `words` in details, resolutions and responses.
    Search {
        words: Vec<String>,
        /// Per word, the items whose other texts hold it (id and number).
        found: Result<Vec<Vec<(crate::model::Id, u32)>>, StoreError>,
    },
    /// A sync with the zone server ended (`app::server_sync`).
    Synced(super::server_sync::Outcome),
    /// What the Reports tab counts from (`app::reports`).
    Reports(Result<Box<super::reports::Read>, StoreError>),
    /// Days the Reports tab's neighbouring periods are counted at (`app::reports`).
    ReportsAhead(Result<Box<super::reports::Ahead>, StoreError>),
    /// A bundle was applied (the sender's ledger code and what it changed) or refused.
    Bundle(Result<(String, crate::store::Applied), String>),
}

/// A `Done` inside an `Action`: actions are cloned and compared (key tables, tests), a
/// result is taken once. Two are equal when they are the same delivery.
#[derive(Clone)]
pub struct Arrived(Arc<Mutex<Option<Done>>>);

impl Arrived {
    pub fn new(done: Done) -> Arrived {
        Arrived(Arc::new(Mutex::new(Some(done))))
    }

    /// The result, the first time it is asked for.
    pub fn take(&self) -> Option<Done> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl PartialEq for Arrived {
    fn eq(&self, other: &Arrived) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Arrived {}

impl std::fmt::Debug for Arrived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Arrived")
    }
}

/// Runs `work` in a thread and sends its result as `Action::Background`; a thread that
/// panics sends `stopped` as an error instead of leaving the app waiting.
pub(super) fn spawn<T: Send + 'static>(
    outbox: &std::sync::mpsc::Sender<super::Action>,
    stopped: &'static str,
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
    wrap: impl FnOnce(Result<T, StoreError>) -> Done + Send + 'static,
) {
    let outbox = outbox.clone();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .unwrap_or_else(|_| Err(StoreError::Engine(stopped.to_string())));
        // The receiver may be gone (the app quit first); nothing is left to do then.
        let _ = outbox.send(super::Action::Background(Arrived::new(wrap(result))));
    });
}

/// What the list areas hold at the terminal's size, worked out by `ui` and handed to the
/// app with `Action::Resize`: the app never asks the drawing code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub width: u16,
    pub height: u16,
    /// Rows of records a list shows, per tab (in `Tab::ALL` order).
    pub rows: Vec<usize>,
}

impl Layout {
    pub fn rows(&self, tab: super::Tab) -> usize {
        self.rows.get(tab.index()).copied().unwrap_or(1).max(1)
    }
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            width: 80,
            height: 24,
            rows: vec![10; super::Tab::ALL.len()],
        }
    }
}

/// Hands memory freed after a large piece of work back to the system. glibc keeps freed
/// memory in each thread's heap for reuse; after the items are read that is tens of
/// megabytes the app would hold all session without using.
pub(super) fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes every thread allocate from one heap. glibc gives each thread that allocates at once
/// its own heap (an arena); the items' readers, the background thread and the filter's second
/// thread each left one behind, every one with its freed pages between live blocks (the kept
/// orders, sled's cached pages): about 10 MiB of the app's memory after a million items are
/// read. The app's threads allocate little once the items are in; the readers take a lock
/// per allocation instead (the load measured no slower). Like `keep_large_blocks_apart`, set
/// before the app's store is opened.
pub fn share_one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Keeps blocks of 128 KiB and more in mappings of their own, handed back to the system when
/// freed. glibc otherwise raises that threshold to the largest block freed so far (up to
/// 32 MiB): once the load had freed a share's vectors, later large blocks came from the heaps,
/// where the small records left around them kept their pages resident (4-6 MiB of the app's
/// memory after a million items are read; the load no slower). Set by the command line before
/// the app's store is opened (sled's start allocates large blocks too), and again before the
/// load starts for the apps opened otherwise (the bench, tests).
pub fn keep_large_blocks_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
    }
}
