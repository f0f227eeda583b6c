//! Elasticsearch (SPEC §5): the official client on a small runtime of its
//! own, daily-index templates, and the bulk sink.

pub mod bulk;
pub mod client;
pub mod daily;
pub mod mapping;
pub mod search;

pub use crate::record::FailedDoc;
