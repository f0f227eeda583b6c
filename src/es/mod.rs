//! Elasticsearch (SPEC §5): the official client on a small runtime of its
//! own, daily-index templates, and the bulk sink.

pub mod bulk;
pub mod client;
pub mod mapping;
pub mod search;

/// A document that Elasticsearch refused for good (not a 409 on `create`,
/// not a 429 or 5xx, which are retried).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDoc {
    pub index: String,
    pub id: String,
    pub status: u16,
    pub reason: String,
}

impl std::fmt::Display for FailedDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}: status {}: {}",
            self.index, self.id, self.status, self.reason
        )
    }
}
