//! A spinner on stderr that appears only when a run lasts longer than a second on a terminal.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Shows `message` with a spinner after one second, until dropped.
pub struct DelayedSpinner {
    done: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl DelayedSpinner {
    pub fn start(message: &'static str) -> DelayedSpinner {
        if !std::io::stderr().is_terminal() {
            return DelayedSpinner {
                done: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if rx.recv_timeout(Duration::from_secs(1)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
            bar.enable_steady_tick(Duration::from_millis(100));
            let _ = rx.recv();
            bar.finish_and_clear();
        });
        DelayedSpinner {
            done: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for DelayedSpinner {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
