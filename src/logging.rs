//! Diagnostics on stderr through `tracing`; data never goes there.
//!
//! `--log-format json` makes every line one JSON object in
//! tracing-subscriber's shape (`timestamp`, `level`, `fields.message`, …).
//! Counters are numbers in `fields` (see [`counts`]), and the final error is
//! a JSON object too (see [`error_json`]). `NO_COLOR` (any non-empty value,
//! <https://no-color.org>) turns colours off, as does a stderr that is not a
//! terminal.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use serde_json::{Map, Value};
use tracing_subscriber::EnvFilter;

/// `--log-format`: lines of text, or one JSON object per line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

static JSON: AtomicBool = AtomicBool::new(false);

/// Sets up logging from -v/-q and `--log-format`; `RUST_LOG` overrides the level.
pub fn init(verbose: u8, quiet: u8, format: LogFormat) {
    let level = match (verbose, quiet) {
        (0, 0) => "info",
        (1, _) => "debug",
        (v, _) if v >= 2 => "trace",
        (_, 1) => "warn",
        _ => "error",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("rtdw={level},warn")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour())
        .with_writer(std::io::stderr);
    JSON.store(format == LogFormat::Json, Ordering::Relaxed);
    let _ = match format {
        LogFormat::Text => builder.with_target(false).try_init(),
        LogFormat::Json => builder.json().with_current_span(false).try_init(),
    };
}

/// Colours only on a terminal, and never when `NO_COLOR` is set and non-empty.
pub fn colour() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::IsTerminal::is_terminal(&std::io::stderr())
}

/// Whether `--log-format json` is on.
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// An INFO line carrying named counts: with `--log-format json`, the counts
/// are numbers in `fields` (`{"fields":{"message":"done","read":12,…}}`);
/// as text, `message: name=value …`.
pub fn counts(message: &str, tool: &str, counts: &[(String, Value)]) {
    if !tracing::enabled!(tracing::Level::INFO) {
        return;
    }
    if json() {
        let mut fields = Map::new();
        fields.insert("message".into(), message.into());
        fields.insert("tool".into(), tool.into());
        for (k, v) in counts {
            fields.insert(k.clone(), v.clone());
        }
        write_json_line("INFO", fields);
    } else {
        let text: Vec<String> = counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        tracing::info!(tool, "{message}: {}", text.join(" "));
    }
}

/// The final error as one JSON line: `fields.message` is the error, with
/// `causes` (outermost first), `hint` (or null) and `exit_code`.
pub fn error_json(error: &anyhow::Error, hint: Option<&str>, exit_code: i32) {
    let mut fields = Map::new();
    fields.insert("message".into(), error.to_string().into());
    let causes: Vec<Value> = error
        .chain()
        .skip(1)
        .map(|c| c.to_string().into())
        .collect();
    fields.insert("causes".into(), causes.into());
    fields.insert("hint".into(), hint.map_or(Value::Null, Value::from));
    fields.insert("exit_code".into(), exit_code.into());
    write_json_line("ERROR", fields);
}

/// One line in tracing-subscriber's JSON shape: the same key order
/// (`timestamp`, `level`, `fields`, `target`) and timestamp precision (µs).
fn write_json_line(level: &str, fields: Map<String, Value>) {
    let timestamp = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S%.6fZ");
    let line = format!(
        "{{\"timestamp\":\"{timestamp}\",\"level\":{},\"fields\":{},\"target\":\"rtdw\"}}",
        Value::from(level),
        Value::Object(fields)
    );
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
