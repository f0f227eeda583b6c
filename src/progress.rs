//! Progress of a long job a person watches: an indicatif bar when stderr is
//! a terminal, else a log line every ten seconds (cron, systemd and pipes get
//! text they can keep; `RTDW_PROGRESS_EVERY`, e.g. `1m`, changes the interval).
//!
//! [`Progress`] counts rows towards a known total (`mock`, `bootstrap-dims`,
//! `restore-state`); [`RunProgress`] follows a streaming tool's run: bytes of
//! the input files with records/s and ETA, or records/s and lag for Kafka.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::counters::Counters;
use crate::source::SourceProgress;

const DEFAULT_LOG_EVERY: Duration = Duration::from_secs(10);

/// The interval between progress log lines: `RTDW_PROGRESS_EVERY` (a
/// duration such as `30s` or `1m`), else ten seconds.
fn log_every() -> Duration {
    let Ok(text) = std::env::var("RTDW_PROGRESS_EVERY") else {
        return DEFAULT_LOG_EVERY;
    };
    match text.parse::<jiff::SignedDuration>() {
        Ok(d) => d.unsigned_abs(),
        Err(e) => {
            tracing::warn!(
                "RTDW_PROGRESS_EVERY={text} is not a duration such as 30s or 1m ({e}); using 10s"
            );
            DEFAULT_LOG_EVERY
        }
    }
}

/// Whether to draw a bar: stderr is a terminal and INFO lines are shown (`-q` hides it).
fn on_terminal() -> bool {
    std::io::stderr().is_terminal() && tracing::enabled!(tracing::Level::INFO)
}

pub struct Progress {
    label: String,
    total: Option<u64>,
    done: u64,
    started: Instant,
    last_log: Instant,
    every: Duration,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `total` = rows expected (None when unknown, e.g. a pipe).
    pub fn new(label: &str, total: Option<u64>) -> Progress {
        let bar = on_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{msg} [{bar:30}] {human_pos}/{human_len} rows, ETA {eta}"
            } else {
                "{msg} {spinner} {human_pos} rows"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(label.to_string());
            bar
        });
        let now = Instant::now();
        Progress {
            label: label.to_string(),
            total,
            done: 0,
            started: now,
            last_log: now,
            every: log_every(),
            bar,
        }
    }

    pub fn add(&mut self, rows: u64) {
        self.done += rows;
        if let Some(bar) = &self.bar {
            bar.inc(rows);
        } else if self.last_log.elapsed() >= self.every {
            self.last_log = Instant::now();
            tracing::info!("{}: {}", self.label, self.line());
        }
    }

    pub fn rate(&self) -> f64 {
        self.done as f64 / self.started.elapsed().as_secs_f64().max(1e-9)
    }

    fn line(&self) -> String {
        let rate = self.rate();
        match self.total {
            Some(total) if total > 0 => {
                let left = total.saturating_sub(self.done) as f64 / rate.max(1e-9);
                format!(
                    "{}/{total} rows ({:.0} %), {rate:.0} rows/s, ETA {left:.0}s",
                    self.done,
                    self.done as f64 * 100.0 / total as f64
                )
            }
            _ => format!("{} rows, {rate:.0} rows/s", self.done),
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress of a streaming tool's run (see the module docs).
pub struct RunProgress {
    tool: &'static str,
    bar: Option<ProgressBar>,
    /// Whether the bar counts bytes (files) or only spins (stdin, Kafka).
    bar_has_total: bool,
    every: Duration,
    last_log: Instant,
    started: Instant,
}

impl RunProgress {
    pub fn new(tool: &'static str) -> RunProgress {
        let now = Instant::now();
        RunProgress {
            tool,
            bar: None,
            bar_has_total: false,
            every: log_every(),
            last_log: now,
            started: now,
        }
    }

    /// After each batch: redraws the bar, or logs a line when one is due.
    pub fn update(&mut self, counters: &Counters, source: SourceProgress) {
        let rate = counters.read as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
        if on_terminal() {
            self.draw(counters, source, rate);
        } else if self.last_log.elapsed() >= self.every {
            self.last_log = Instant::now();
            let fields = self.fields(counters, source);
            crate::logging::counts("progress", self.tool, &fields);
        }
    }

    fn draw(&mut self, counters: &Counters, source: SourceProgress, rate: f64) {
        let total = source.bytes_total.filter(|t| *t > 0);
        let bar = self.bar.get_or_insert_with(|| {
            let (bar, template) = match total {
                Some(t) => (
                    ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
                    "{prefix} [{bar:30}] {bytes}/{total_bytes}, ETA {eta} · {msg}",
                ),
                None => (
                    ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                    "{prefix} {spinner} {msg}",
                ),
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(self.tool);
            bar
        });
        self.bar_has_total = total.is_some();
        if let Some(read) = source.bytes_read.filter(|_| self.bar_has_total) {
            bar.set_position(read);
        } else {
            bar.tick();
        }
        let mut msg = format!(
            "{} records, {} records/s, {} dirty",
            thousands(counters.read),
            thousands(rate as u64),
            thousands(counters.dirty())
        );
        if let Some(lag) = source.lag {
            msg.push_str(&format!(", lag {}", thousands(lag.max(0) as u64)));
        }
        bar.set_message(msg);
    }

    /// The counters' fields and the source's: `bytes_read`, `bytes_total`,
    /// `percent`, `eta_s` (seconds) for files; `lag` (records) for Kafka.
    fn fields(
        &self,
        counters: &Counters,
        source: SourceProgress,
    ) -> Vec<(String, serde_json::Value)> {
        let mut f = counters.fields();
        if let Some(read) = source.bytes_read {
            f.push(("bytes_read".into(), read.into()));
        }
        if let (Some(read), Some(total)) = (source.bytes_read, source.bytes_total) {
            f.push(("bytes_total".into(), total.into()));
            if total > 0 && read > 0 {
                let done = read as f64 / total as f64;
                let secs = self.started.elapsed().as_secs_f64();
                let eta = secs * (1.0 - done) / done;
                f.push(("percent".into(), ((done * 1000.0).round() / 10.0).into()));
                f.push(("eta_s".into(), (eta.round() as u64).into()));
            }
        }
        if let Some(lag) = source.lag {
            f.push(("lag".into(), lag.into()));
        }
        f
    }
}

/// The bar goes when the run ends, by error too: stderr keeps only log lines.
impl Drop for RunProgress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
