//! What every streaming tool shares: the `--from/--to/--group/--offsets/batch`
//! flags, and opening the source, sink and offset store they name.

mod args;
mod open;

pub use args::{StreamArgs, Writes, BOUNDED_MAX_RETRY};
pub use open::{open_sink, open_source, require_co_partitioned, EsTarget};

use anyhow::Result;

use crate::counters::Counters;
use crate::exit::ExitStatus;
use crate::pipeline::{self, BatchTransform};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::StreamDef;
use crate::source::Rewind;
use crate::state;
use crate::state::retrying::Retrying;

/// What a streaming tool reads and writes.
pub struct StreamTool {
    pub name: &'static str,
    /// Default input topics (after renames).
    pub inputs: Vec<String>,
    /// Output streams known at start (a tool may add more while running).
    pub streams: Vec<StreamDef>,
    pub dirty: usize,
    /// Where to start reading a partition instead of its stored offset.
    pub rewind: Option<Rewind>,
    /// The state store the transform reads and writes through the pipeline
    /// ([`crate::state::batch::BatchState`]); `None` for a stateless tool.
    pub state: Option<Retrying>,
}

/// Opens the tool's state store (`--state`, or Redis with `--redis`), its
/// calls retried under the run's `--max-retry-time` (exit 69 past it).
pub fn open_state(io: &StreamArgs, settings: &Settings, shutdown: &Shutdown) -> Result<Retrying> {
    let store = state::open(&settings.state, settings.redis.as_deref())?;
    Ok(Retrying::new(store, io.retry_policy(), shutdown.clone()))
}

/// Opens the tool's source and sink, runs the micro-batch loop with
/// `transform`, and logs the summary however the run ended.
pub fn run_stream(
    tool: StreamTool,
    io: &StreamArgs,
    settings: &Settings,
    shutdown: &Shutdown,
    transform: &mut dyn BatchTransform,
) -> Result<ExitStatus> {
    run_stream_with(tool, io, settings, shutdown, transform, None)
}

/// [`run_stream`] for a tool that writes documents (`es` says how, for `--to es`).
pub fn run_stream_with(
    tool: StreamTool,
    io: &StreamArgs,
    settings: &Settings,
    shutdown: &Shutdown,
    transform: &mut dyn BatchTransform,
    es: Option<EsTarget>,
) -> Result<ExitStatus> {
    let opts = io.run_options();
    let mut source = open_source(
        io,
        settings,
        tool.name,
        &tool.inputs,
        shutdown,
        tool.rewind.clone(),
    )?;
    let mut sink = open_sink(io, settings, tool.name, tool.streams.clone(), es, shutdown)?;
    let mut counters = Counters::new(
        tool.name,
        tool.streams.iter().map(|s| s.name.clone()).collect(),
        Some(tool.dirty),
    );
    let result = pipeline::run(
        source.as_mut(),
        transform,
        tool.state.as_ref(),
        sink.as_mut(),
        &mut counters,
        shutdown,
        &opts,
    );
    counters.log_summary();
    result?;
    Ok(ExitStatus::Success)
}
