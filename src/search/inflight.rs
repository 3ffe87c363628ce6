//! A bound on the documents queued for the index writer. tantivy's queue holds up to
//! 10,000 documents, so a first build of a vault's index could hold a copy of every note's
//! prose at once while the writer's one thread works through them (21.7 MB on the Obsidian
//! help vault). Each document queued here carries a permit that its indexing gives back;
//! the threads that make documents wait for one.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use tantivy::TantivyDocument;
use tantivy::schema::document::Document;

/// How long a producer waits for the writer before it stops waiting for good: a writer
/// that died keeps its queue (and the permits in it), and must not hang the producers.
const STALL: Duration = Duration::from_secs(5);

/// Permits for documents in flight, shared by the producers and the documents.
#[derive(Clone, Debug)]
pub struct InFlight(Arc<Gate>);

#[derive(Debug)]
struct Gate {
    max: usize,
    /// Documents queued and not yet indexed, and whether waiting was given up.
    state: Mutex<(usize, bool)>,
    freed: Condvar,
}

impl InFlight {
    /// At most `max` documents in flight (at least one).
    pub fn new(max: usize) -> InFlight {
        InFlight(Arc::new(Gate {
            max: max.max(1),
            state: Mutex::new((0, false)),
            freed: Condvar::new(),
        }))
    }

    /// Waits until a document may be queued, and wraps it with its permit.
    pub fn admit(&self, doc: TantivyDocument) -> QueuedDoc {
        let gate = &*self.0;
        let mut state = gate.state.lock().unwrap_or_else(PoisonError::into_inner);
        while state.0 >= gate.max && !state.1 {
            let (next, timeout) = gate
                .freed
                .wait_timeout(state, STALL)
                .unwrap_or_else(PoisonError::into_inner);
            state = next;
            if timeout.timed_out() && state.0 >= gate.max {
                state.1 = true;
            }
        }
        state.0 += 1;
        QueuedDoc {
            doc,
            permit: Some(self.clone()),
        }
    }

    /// Documents in flight now.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.0
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    fn release(&self) {
        let gate = &*self.0;
        let mut state = gate.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 = state.0.saturating_sub(1);
        drop(state);
        gate.freed.notify_one();
    }
}

/// A document for the writer, with the permit it gives back once indexed (dropped).
pub struct QueuedDoc {
    doc: TantivyDocument,
    permit: Option<InFlight>,
}

impl QueuedDoc {
    /// A document outside any bound (a single edit's).
    pub fn free(doc: TantivyDocument) -> QueuedDoc {
        QueuedDoc { doc, permit: None }
    }
}

impl Drop for QueuedDoc {
    fn drop(&mut self) {
        if let Some(permit) = self.permit.take() {
            permit.release();
        }
    }
}

impl Document for QueuedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_come_back_when_documents_are_dropped() {
        let gate = InFlight::new(2);
        let a = gate.admit(TantivyDocument::new());
        let b = gate.admit(TantivyDocument::new());
        assert_eq!(gate.queued(), 2);
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || {
                let c = gate.admit(TantivyDocument::new());
                drop(c);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "a third document waits for a permit");
        drop(a);
        waiter.join().unwrap();
        drop(b);
        assert_eq!(gate.queued(), 0);
        drop(QueuedDoc::free(TantivyDocument::new()));
        assert_eq!(gate.queued(), 0);
    }
}
