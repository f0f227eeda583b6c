//! `rtdw split-log`: ODS user-behaviour logs → the DWD streams (SPEC §3.2, §4.1).
//! Keyed by `mid`; the producer is flushed before offsets are stored.

use anyhow::Result;
use clap::Args as ClapArgs;

use super::common::{run_stream, StreamArgs, StreamTool, Writes};
use crate::exit::ExitStatus;
use crate::model::event_time::Plausible;
use crate::model::lenient;
use crate::model::log::{self, LogKind};
use crate::pipeline::{Parallel, RecordTransform};
use crate::record::{InRecord, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::StreamDef;

pub const TOOL: &str = "split-log";
pub const INPUT: &str = "ODS_BASE_LOG";

/// Output streams, in this order (the index is the stream id).
pub const STREAMS: [&str; 6] = [
    "DWD_START_LOG",
    "DWD_PAGE_LOG",
    "DWD_PAGE_DISPLAY",
    "DWD_PAGE_ACTION",
    "DWD_ERROR_LOG",
    "DWD_DIRTY_LOG",
];
const START: usize = 0;
const PAGE: usize = 1;
const DISPLAY: usize = 2;
const ACTION: usize = 3;
const ERROR: usize = 4;
pub const DIRTY: usize = 5;

#[derive(Debug, ClapArgs)]
#[command(mut_arg("to", |a| a.help("Output: kafka (the DWD topics), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)")),
    after_help = "Examples:\n  \
rtdw mock logs --devices 1000 --date 2026-11-22 \\\n      \
| rtdw split-log --from - --to out/\n  \
zcat day.jsonl.gz | rtdw split-log --from - --to - | rtdw dau --from - --to -\n  \
rtdw split-log --brokers kafka:9092 --from kafka:ODS_BASE_LOG --to kafka \\\n      \
--offsets redis --redis redis://r:6379")]
pub struct Args {
    #[command(flatten)]
    pub io: StreamArgs,
}

/// The per-record split; stateless, so it runs on every core.
pub struct SplitLog {
    /// Event times outside it are dirty (SPEC §5).
    pub plausible: Plausible,
}

impl RecordTransform for SplitLog {
    fn apply(&self, rec: &InRecord, out: &mut OutBuf) {
        if let Some(len) = rec.truncated_from {
            let why = format!(
                "line is {len} bytes, longer than --max-line-bytes; `raw` keeps the first {} bytes",
                rec.payload.len()
            );
            out.push_dirty(DIRTY, rec, &why);
            return;
        }
        // Duplicate keys: the last value wins, as in fastjson (SPEC §3.3).
        let deduplicated: Vec<u8>;
        let parsed = match log::parse(&rec.payload) {
            Err(why) if lenient::is_duplicate_key(&why) => {
                deduplicated = lenient::last_wins(&rec.payload).unwrap_or_default();
                log::parse(&deduplicated)
            }
            other => other,
        };
        let v = match parsed.and_then(|v| self.plausible.check(v.ts).map(|()| v)) {
            Ok(v) => v,
            Err(why) => {
                out.push_dirty(DIRTY, rec, &why);
                return;
            }
        };
        let Some(common) = v.log.common.as_ref() else {
            return;
        };
        let key = Some(v.mid.as_bytes());
        let page = v.log.page.as_ref();
        // The head (`{` + common + page fields) of the first record is copied
        // into the display and action records instead of being re-encoded.
        let mut head = 0..0;
        match (v.kind, &v.log.start) {
            (LogKind::Start, Some(s)) => out.push(START, key, |o| {
                log::write_head(o, common, None);
                log::write_start_tail(o, s, v.ts);
            }),
            _ => out.push(PAGE, key, |o| {
                let from = o.len();
                log::write_head(o, common, page);
                head = from..o.len();
                log::close_with_ts(o, v.ts);
            }),
        }
        let page_head = |o: &mut Vec<u8>| {
            if head.is_empty() {
                // A start log that carries displays or actions: no page fields.
                log::write_head(o, common, None);
                log::write_page_fields(o, None);
            } else {
                o.extend_from_within(head.clone());
            }
        };
        for d in v.log.displays.iter().flatten() {
            out.push(DISPLAY, key, |o| {
                page_head(o);
                log::write_display_tail(o, d, v.ts);
            });
        }
        for a in v.log.actions.iter().flatten() {
            out.push(ACTION, key, |o| {
                page_head(o);
                log::write_action_tail(o, a, v.ts);
            });
        }
        if v.log.err.is_some() {
            out.push(ERROR, key, |o| o.extend_from_slice(&rec.payload));
        }
    }
}

pub fn stream_defs(settings: &Settings) -> Vec<StreamDef> {
    STREAMS
        .iter()
        .map(|s| StreamDef::record(settings.topic(s)))
        .collect()
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    args.io.check(TOOL, Writes::Records)?;
    let tool = StreamTool {
        name: TOOL,
        inputs: vec![settings.topic(INPUT)],
        streams: stream_defs(settings),
        dirty: DIRTY,
        rewind: None,
        state: None,
    };
    run_stream(
        tool,
        &args.io,
        settings,
        shutdown,
        &mut Parallel(SplitLog {
            plausible: args.io.plausible(),
        }),
    )
}
