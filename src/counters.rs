//! Per-run counters, shared by every tool: read, skipped, written per stream,
//! dirty. Shown by the progress line ([`crate::progress::RunProgress`]) and as
//! one summary at the end.

use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Counters {
    pub tool: &'static str,
    pub streams: Vec<String>,
    pub dirty_stream: Option<usize>,
    pub read: u64,
    pub skipped: u64,
    pub written: Vec<u64>,
    /// Documents Elasticsearch refused for good (not in `written`).
    pub refused: u64,
    pub batches: u64,
    /// The tool's own counts (e.g. `route-db`'s stale dimension writes).
    pub extra: Vec<(&'static str, u64)>,
    started: Instant,
}

impl Counters {
    pub fn new(tool: &'static str, streams: Vec<String>, dirty_stream: Option<usize>) -> Counters {
        let n = streams.len();
        Counters {
            tool,
            streams,
            dirty_stream,
            read: 0,
            skipped: 0,
            written: vec![0; n],
            refused: 0,
            batches: 0,
            extra: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Appends streams discovered mid-run (see [`crate::sink::Sink::add_streams`]).
    pub fn add_streams(&mut self, names: impl IntoIterator<Item = String>) {
        self.streams.extend(names);
        self.written.resize(self.streams.len(), 0);
    }

    /// Reports one finished batch (`written` per stream) to the metrics registry.
    pub fn batch_metrics(&self, written: &[u64], read: u64, took: Duration) {
        let per_stream: Vec<(&str, u64)> = self
            .streams
            .iter()
            .zip(written)
            .map(|(name, n)| (name.as_str(), *n))
            .collect();
        let dirty = self.dirty_stream.map_or(0, |d| per_stream[d].1);
        crate::metrics::batch_done(self.tool, read, dirty, &per_stream, took);
    }

    pub fn dirty(&self) -> u64 {
        self.dirty_stream.map(|d| self.written[d]).unwrap_or(0)
    }

    /// The counts by name, in a stable order: the run's, the tool's own, then
    /// records written per stream (`elapsed_s` in seconds, `rate` in records/s).
    pub fn fields(&self) -> Vec<(String, serde_json::Value)> {
        let secs = self.started.elapsed().as_secs_f64().max(1e-9);
        let round = |x: f64, places: i32| {
            let p = 10f64.powi(places);
            (x * p).round() / p
        };
        let mut f: Vec<(String, serde_json::Value)> = vec![
            ("read".into(), self.read.into()),
            ("skipped".into(), self.skipped.into()),
            ("dirty".into(), self.dirty().into()),
            ("refused".into(), self.refused.into()),
            ("batches".into(), self.batches.into()),
            ("elapsed_s".into(), round(secs, 1).into()),
            (
                "rate".into(),
                ((self.read as f64 / secs).round() as u64).into(),
            ),
            (
                "state_round_trips".into(),
                crate::state::round_trips().into(),
            ),
        ];
        for (name, n) in &self.extra {
            f.push((name.to_string(), (*n).into()));
        }
        for (name, n) in self.streams.iter().zip(&self.written) {
            f.push((name.clone(), (*n).into()));
        }
        f
    }

    pub fn log_summary(&self) {
        crate::logging::counts("done", self.tool, &self.fields());
    }
}
