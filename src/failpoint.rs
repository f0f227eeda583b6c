//! Failpoints for crash tests, compiled in only with `--features failpoints`.
//!
//! `RTDW_FAILPOINT=NAME` (optionally `NAME@N`, the N-th time it is reached)
//! makes the process abort at that point, as abruptly as `kill -9`: no
//! destructor runs, nothing is flushed or committed. `NAME[@N]:panic`
//! panics there instead (a bug in a worker thread). Without the feature the
//! macro expands to nothing.

/// The points a test can stop the process at.
pub mod names {
    /// Records handed to the producer, producer not flushed.
    pub const AFTER_PRODUCE_BEFORE_FLUSH: &str = "after-produce-before-flush";
    /// Outputs durable, offsets not stored.
    pub const AFTER_FLUSH_BEFORE_OFFSETS: &str = "after-flush-before-offsets";
    /// Inside an open Kafka transaction, before its commit.
    pub const INSIDE_TRANSACTION: &str = "inside-transaction";
    /// `dau`: the documents are durable, the mids not yet in the day's set.
    pub const AFTER_SINK_BEFORE_STATE: &str = "after-sink-before-state";
    /// `bootstrap-dims`: the MySQL reader thread has read a page.
    pub const MYSQL_READER_PAGE: &str = "mysql-reader-page";
}

#[cfg(feature = "failpoints")]
pub fn hit(name: &str) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static HITS: AtomicU64 = AtomicU64::new(0);
    let Ok(spec) = std::env::var("RTDW_FAILPOINT") else {
        return;
    };
    let (spec, panics) = match spec.strip_suffix(":panic") {
        Some(s) => (s.to_string(), true),
        None => (spec, false),
    };
    let (want, nth) = match spec.split_once('@') {
        Some((n, k)) => (n.to_string(), k.parse::<u64>().unwrap_or(1)),
        None => (spec, 1),
    };
    if want == name && HITS.fetch_add(1, Ordering::Relaxed) + 1 >= nth {
        if panics {
            panic!("failpoint {name} reached: panicking");
        }
        eprintln!("failpoint {name} reached: aborting");
        std::process::abort();
    }
}

/// Marks a failpoint; a no-op unless built with `--features failpoints`.
#[macro_export]
macro_rules! failpoint {
    ($name:expr) => {
        #[cfg(feature = "failpoints")]
        $crate::failpoint::hit($name);
    };
}
