//! The flags every streaming tool takes (`--from/--to/--group/--offsets`,
//! batches, retries, `--strict`) and their checks, with no I/O.

use crate::endpoint::{From, To};
use crate::es::bulk::OnRefused;
use crate::exit::Failure;
use crate::model::event_time::Plausible;
use crate::offsets::instances::hostname;
use crate::offsets::OffsetsSpec;
use crate::pipeline::RunOptions;
use crate::retry::RetryPolicy;
use crate::source::lines::DEFAULT_MAX_LINE_BYTES;
use crate::source::BatchLimits;
use anyhow::Result;
use clap::Args;
use std::time::Duration;

#[derive(Debug, Clone, Args)]
pub struct StreamArgs {
    /// Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated
    #[arg(long, required = true, value_name = "SOURCE", num_args = 1..)]
    pub from: Vec<String>,
    /// Output: kafka (default topics), - (NDJSON envelopes on stdout), or DIR/ (one NAME.jsonl per stream, appended)
    #[arg(long, value_name = "SINK")]
    pub to: To,
    /// Kafka consumer group [default: the tool's name]
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]
    #[arg(long, value_name = "STORE")]
    pub offsets: Option<OffsetsSpec>,
    /// Most records per micro-batch
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub batch_max: usize,
    /// Longest wait for a micro-batch to fill, in milliseconds
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub batch_ms: u64,
    /// Drain what is available now, then exit (for cron)
    #[arg(long)]
    pub once: bool,
    /// Stop with exit 65 at the first bad record instead of sending it to the dirty stream
    #[arg(long)]
    pub strict: bool,
    /// Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)
    #[arg(long)]
    pub exactly_once: bool,
    /// A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1
    #[arg(long, value_enum, default_value_t = OnRefused::DeadLetter, value_name = "POLICY")]
    pub on_refused: OnRefused,
    /// Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]
    #[arg(long, value_name = "DURATION")]
    pub max_retry_time: Option<jiff::SignedDuration>,
    /// This instance's name in the group's registry and in its transactional.id [default: the host name]
    #[arg(long, value_name = "NAME")]
    pub instance_id: Option<String>,
    /// Serve Prometheus metrics on HOST:PORT at /metrics
    #[arg(long, value_name = "HOST:PORT")]
    pub metrics_addr: Option<String>,
    /// Lines longer than this become dirty (the dirty record keeps the first 64 KiB)
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index
    #[arg(long, default_value = "2000-01-01", value_name = "YYYY-MM-DD")]
    pub min_event_time: jiff::civil::Date,
    /// Event times further than this ahead of the clock are dirty, e.g. 24h, 90m
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub max_event_ahead: jiff::SignedDuration,
}

/// What a document tool's `--to` may be.
const DOCUMENTS_ONLY: &str = "use --to es, --to - or --to DIR/; --to kafka and --exactly-once are for the Kafka → Kafka tools: split-log, route-db, order-wide";

/// The default `--max-retry-time` of bounded input (files, stdin, `--once`).
pub const BOUNDED_MAX_RETRY: Duration = Duration::from_secs(60);

impl StreamArgs {
    /// Whether `--from` names Kafka topics (rather than files or stdin).
    pub fn reads_kafka(&self) -> Result<bool> {
        Ok(matches!(From::parse(&self.from)?, From::Kafka(_)))
    }

    /// The first phase of a run: every usage error (exit 2) of the stream
    /// flags, with no I/O (no file opened, no connection), so a wrong
    /// `--to` never waits for a broker first. `writes` is what the tool makes.
    pub fn check(&self, tool: &str, writes: Writes) -> Result<()> {
        self.check_output(tool, writes)?;
        if writes == Writes::Documents && self.exactly_once {
            return Err(Failure::usage(format!(
                "--exactly-once: {tool} writes Elasticsearch documents ({DOCUMENTS_ONLY})"
            )));
        }
        self.validate()?;
        if self.batch_max == 0 {
            return Err(Failure::usage("--batch-max must be at least 1"));
        }
        if self.max_line_bytes == 0 {
            return Err(Failure::usage(
                "--max-line-bytes must be at least 1 (every line would be dirty)",
            ));
        }
        if self
            .instance_id
            .as_deref()
            .is_some_and(|i| i.trim().is_empty())
        {
            return Err(Failure::usage(
                "--instance-id must not be empty: it names this instance in the group's registry and its transactional.id",
            ));
        }
        if let Some(addr) = &self.metrics_addr {
            check_host_port(addr)?;
        }
        // Ten years: past that a corrupt time (year 5138) would pass.
        if self.max_event_ahead.is_negative()
            || self.max_event_ahead > jiff::SignedDuration::from_hours(3650 * 24)
        {
            return Err(Failure::usage(
                "--max-event-ahead must be between 0 and 3650 days (ten years)",
            ));
        }
        Ok(())
    }

    /// Whether `--to` names an output of a tool that makes `writes`: the
    /// usage errors of `--to`, for [`StreamArgs::check`] and the sink.
    pub fn check_output(&self, tool: &str, writes: Writes) -> Result<()> {
        match (&self.to, writes) {
            (To::File(p), _) => Err(Failure::usage(format!(
                "--to {}: {tool} writes one file per stream; give a directory with a trailing slash, e.g. --to {}/",
                p.display(),
                p.display()
            ))),
            (To::Kafka(_), Writes::Documents) => Err(Failure::usage(format!(
                "--to kafka: {tool} writes Elasticsearch documents ({DOCUMENTS_ONLY})"
            ))),
            (To::Kafka(Some(t)), _) => Err(Failure::usage(format!(
                "--to kafka:{t}: {tool} writes several topics; use --to kafka and rename topics in rtdw.toml [topics]"
            ))),
            (To::Es, Writes::Records) => Err(Failure::usage(format!(
                "--to es: {tool} writes Kafka topics, not Elasticsearch documents"
            ))),
            _ => Ok(()),
        }
    }

    /// Checks flag combinations that clap cannot express, and that the
    /// input files exist, before any store is opened.
    pub fn validate(&self) -> Result<()> {
        if let From::Lines(paths) = From::parse(&self.from)? {
            if let Some(p) = paths.iter().find(|p| p.as_os_str() != "-" && !p.exists()) {
                return Err(Failure::usage(format!(
                    "--from {}: no such file",
                    p.display()
                )));
            }
        }
        if self.exactly_once {
            if !self.reads_kafka()? || self.to != To::Kafka(None) {
                return Err(Failure::usage(
                    "--exactly-once needs --from kafka:… and --to kafka",
                ));
            }
            if self
                .offsets
                .as_ref()
                .is_some_and(|o| *o != OffsetsSpec::Kafka)
            {
                return Err(Failure::usage(
                    "--exactly-once stores offsets in the Kafka group, inside each transaction: drop --offsets or use --offsets kafka",
                ));
            }
        }
        Ok(())
    }

    /// The batch loop's options (after [`StreamArgs::check`]).
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            limits: BatchLimits {
                max_records: self.batch_max,
                max_wait: Duration::from_millis(self.batch_ms.max(1)),
            },
            strict: self.strict,
        }
    }

    /// The event times this run accepts (`--min-event-time`, `--max-event-ahead`).
    pub fn plausible(&self) -> Plausible {
        let min_ms = self
            .min_event_time
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(crate::model::event_time::DEFAULT_MIN_MS, |z| {
                z.timestamp().as_millisecond()
            });
        Plausible {
            min_ms,
            max_ahead_ms: i64::try_from(self.max_event_ahead.as_millis()).unwrap_or(i64::MAX),
        }
    }

    /// How long to ride out an outage before exit 69. Bounded input (files,
    /// stdin, `--once`) has an end a person or cron waits for, so it gives up
    /// after 60 s by default; a Kafka stream is a service and waits forever.
    pub fn retry_policy(&self) -> RetryPolicy {
        let bounded = self.once || !self.reads_kafka().unwrap_or(false);
        let give_up = match self.max_retry_time {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d.unsigned_abs()),
            None if bounded => Some(BOUNDED_MAX_RETRY),
            None => None,
        };
        RetryPolicy::new(give_up)
    }

    pub fn instance_id(&self) -> String {
        self.instance_id.clone().unwrap_or_else(hostname)
    }

    pub fn group_or(&self, tool: &str) -> String {
        self.group.clone().unwrap_or_else(|| tool.to_string())
    }
}

/// `--metrics-addr HOST:PORT`: a host (name, IPv4, or `[IPv6]`) and a port
/// number, checked without resolving the name.
fn check_host_port(addr: &str) -> Result<()> {
    let port = addr.rsplit_once(':').and_then(|(host, port)| {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        (!host.is_empty())
            .then(|| port.parse::<u16>().ok())
            .flatten()
    });
    match port {
        Some(p) if p > 0 => Ok(()),
        _ => Err(Failure::usage(format!(
            "--metrics-addr {addr}: give HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:9100 or 0.0.0.0:9100"
        ))),
    }
}

/// What a tool writes, for [`StreamArgs::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// Kafka records (`--to kafka`, `-`, `DIR/`).
    Records,
    /// Elasticsearch documents (`--to es`, `-`, `DIR/`).
    Documents,
    /// Either, by `--to` (`order-wide`: documents, or the topic with `--to kafka`).
    Either,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        io: StreamArgs,
    }

    fn give_up(args: &[&str]) -> Option<Duration> {
        let fixed = ["t", "--to", "-"];
        let cli = Cli::parse_from(fixed.iter().chain(args).copied());
        cli.io.retry_policy().give_up_after
    }

    /// Issue 16: a file run against a dead ES hung until SIGTERM.
    #[test]
    fn bounded_input_gives_up_after_a_minute_by_default() {
        assert_eq!(give_up(&["--from", "day.jsonl"]), Some(BOUNDED_MAX_RETRY));
        assert_eq!(give_up(&["--from", "-"]), Some(BOUNDED_MAX_RETRY));
        assert_eq!(
            give_up(&["--from", "kafka", "--once"]),
            Some(BOUNDED_MAX_RETRY)
        );
        assert_eq!(give_up(&["--from", "kafka"]), None);
        assert_eq!(
            give_up(&["--from", "a.jsonl", "--max-retry-time", "0s"]),
            None
        );
        assert_eq!(
            give_up(&["--from", "kafka", "--max-retry-time", "5m"]),
            Some(Duration::from_secs(300))
        );
    }
}
