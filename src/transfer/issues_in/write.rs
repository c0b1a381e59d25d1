//! The write pass on two threads: this one reads and checks the rows, a second one writes
//! them through `Store::bulk` (its transactions, the journal). Reading and planning a row was
//! a fifth of an import's time, now spent beside the writes on the machine's other core.
//!
//! The writes keep the file's order (a department or firm before the items that name it),
//! at most `QUEUED` batches of `BATCH` rows wait between the threads (the import stays
//! streamed), and `Store::bulk` finishes (its last transaction, the journal's sync, the
//! flush) only when every row was read: a pass that fails part way leaves what was written
//! marked unfinished, as before.

use super::*;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Rows sent to the writer at a time.
const BATCH: usize = 256;
/// Batches waiting for the writer, at most.
const QUEUED: usize = 8;

/// One write, in the file's order.
pub(super) enum Write {
    Department(Department),
    Firm(Firm),
    Issue(Issue, Vec<IssueEvent>),
    /// An item already there, changed.
    Update(Issue, Vec<IssueEvent>),
    /// Make what is written so far durable (a long import's periodic flush).
    Flush,
    /// Every row was read: finish the bulk write.
    End,
}

/// The reading side: writes gathered into batches for the writer thread.
pub(super) struct Outbox {
    sender: SyncSender<Vec<Write>>,
    batch: Vec<Write>,
}

impl Outbox {
    /// Queues a write; `Err` when the writer has stopped (its own error is what the import
    /// returns, see `pipelined`).
    pub(super) fn send(&mut self, write: Write) -> Result<(), IssuesImportError> {
        self.batch.push(write);
        if self.batch.len() >= BATCH {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.sender
                .send(batch)
                .map_err(|_| IssuesImportError::Read(io::Error::other("the writer stopped")))?;
        }
        Ok(())
    }

    fn end(mut self) -> Result<(), IssuesImportError> {
        self.batch.push(Write::End);
        self.sender
            .send(self.batch)
            .map_err(|_| IssuesImportError::Read(io::Error::other("the writer stopped")))
    }
}

/// Runs `read` (the write pass over the file) with a writer thread applying what it sends.
pub(super) fn pipelined(
    store: &Store,
    read: impl FnOnce(&mut Outbox) -> Result<IssuesImportReport, IssuesImportError>,
) -> Result<IssuesImportReport, IssuesImportError> {
    one_heap();
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel(QUEUED);
        let writer = scope.spawn(move || write_all(store, receiver));
        let mut outbox = Outbox {
            sender,
            batch: Vec::with_capacity(BATCH),
        };
        let read = read(&mut outbox);
        let ended = match &read {
            Ok(_) => outbox.end(),
            // Dropped: the writer stops without finishing.
            Err(_) => Ok(()),
        };
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The writer's error first: reading stops when the writer does.
        written?;
        ended?;
        read
    })
}

/// glibc gives a second thread its own heap: rows allocated here and freed by the writer,
/// and sled's pages allocated there, then kept each heap's peak apart (a 1,000,000-row import
/// peaked at 535 MB instead of 316). One heap for the process keeps it at 312 MB
/// (measured with MALLOC_ARENA_MAX=1), with no more CPU.
fn one_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; any value is accepted or refused.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// The writer thread: applies the writes in order; finishes the bulk write at `End`.
fn write_all(store: &Store, receiver: Receiver<Vec<Write>>) -> Result<(), StoreError> {
    let mut bulk = Some(store.bulk());
    for batch in receiver {
        for write in batch {
            let Some(open) = bulk.as_mut() else { break };
            match write {
                Write::Department(department) => store.put_department(&department)?,
                Write::Firm(firm) => open.firm(firm)?,
                Write::Issue(issue, events) => open.issue(issue, events)?,
                Write::Update(issue, events) => open.update(issue, events)?,
                Write::Flush => store.flush()?,
                Write::End => {
                    if let Some(done) = bulk.take() {
                        done.finish()?;
                    }
                }
            }
        }
    }
    Ok(())
}
