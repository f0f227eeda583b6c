//! rtdw core library: everything the `rtdw` binary does, testable without a process.
//!
//! Data flows one way: a [`source`] yields a batch, a tool's transform turns it
//! into outputs ([`record::OutBuf`]), the [`sink`]s make them durable, and only
//! then the source stores its positions ([`offsets`]). Tools live in [`tools`].

pub mod cli;
pub mod counters;
pub mod csv_text;
pub mod dims;
pub mod endpoint;
pub mod enrich;
pub mod es;
pub mod exit;
pub mod failpoint;
pub mod kafka;
pub mod logging;
pub mod metrics;
pub mod model;
pub mod offsets;
pub mod pipeline;
pub mod progress;
pub mod record;
pub mod retry;
pub mod service;
pub mod settings;
pub mod shutdown;
pub mod sink;
pub mod source;
pub mod state;
pub mod tools;
