//! Progress of a long job a person watches: an indicatif bar (rows, rows/s,
//! ETA) when stderr is a terminal, else a log line every ten seconds (cron,
//! systemd and pipes get text they can keep).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const LOG_EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    label: String,
    total: Option<u64>,
    done: u64,
    started: Instant,
    last_log: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// `total` = rows expected (None when unknown, e.g. a pipe).
    pub fn new(label: &str, total: Option<u64>) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
            let template = if total.is_some() {
                "{msg} [{bar:30}] {human_pos}/{human_len} rows, {per_sec}, ETA {eta}"
            } else {
                "{msg} {human_pos} rows, {per_sec}"
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
            bar,
        }
    }

    pub fn add(&mut self, rows: u64) {
        self.done += rows;
        if let Some(bar) = &self.bar {
            bar.inc(rows);
        } else if self.last_log.elapsed() >= LOG_EVERY {
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
