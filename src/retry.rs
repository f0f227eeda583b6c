//! Retrying a service call through an outage: capped exponential backoff with
//! jitter, one log line when the service is lost, a "still retrying" line at
//! growing intervals (2 s, 4 s, 8 s … then every minute) so a person sees the
//! wait, one line when it is back, and exit 69 once the outage outlasts
//! `--max-retry-time`.

use std::time::{Duration, Instant};

use rand::Rng;

use crate::exit::Failure;
use crate::service::Service;
use crate::shutdown::Shutdown;

/// How long to keep retrying.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// `None` = forever (Kafka streaming runs); bounded input (files, stdin)
    /// and `--once` default to 60 s.
    pub give_up_after: Option<Duration>,
}

impl RetryPolicy {
    pub fn new(give_up_after: Option<Duration>) -> RetryPolicy {
        RetryPolicy {
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            give_up_after,
        }
    }
}

/// One outage's backoff: jittered, doubling up to the policy's longest delay.
pub struct Backoff {
    policy: RetryPolicy,
    started: Instant,
    delay: Duration,
    /// When the next "still retrying" line is due (time since the outage began).
    next_note: Duration,
}

/// The first "still retrying" line; later ones double, up to [`NOTE_EVERY_MAX`].
const FIRST_NOTE: Duration = Duration::from_secs(2);
const NOTE_EVERY_MAX: Duration = Duration::from_secs(60);

impl Backoff {
    pub fn new(policy: &RetryPolicy) -> Backoff {
        Backoff {
            policy: *policy,
            started: Instant::now(),
            delay: policy.first_delay,
            next_note: FIRST_NOTE,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Whether to stop trying: the outage outlasted the policy, or a signal came.
    pub fn exhausted(&self, shutdown: &Shutdown) -> bool {
        self.policy
            .give_up_after
            .is_some_and(|max| self.elapsed() >= max)
            || shutdown.requested()
    }

    /// Sleeps before the next attempt; `service` names what is awaited in
    /// the "still retrying" lines.
    pub fn wait(&mut self, service: &str) {
        let elapsed = self.elapsed();
        if elapsed >= self.next_note {
            let limit = match self.policy.give_up_after {
                Some(max) => format!("giving up after {}s (--max-retry-time)", max.as_secs()),
                None => "retrying until it is back (--max-retry-time sets a limit)".to_string(),
            };
            tracing::warn!(
                service,
                waited_s = elapsed.as_secs(),
                "still waiting for {service} after {}s; {limit}",
                elapsed.as_secs()
            );
            self.next_note = (self.next_note * 2).min(elapsed + NOTE_EVERY_MAX);
        }
        let jitter = rand::thread_rng().gen_range(0.5..1.0);
        // Never past the deadline: the last try comes at --max-retry-time.
        let left = self
            .policy
            .give_up_after
            .map_or(Duration::MAX, |max| max.saturating_sub(self.elapsed()));
        // Nor past the next "still waiting" line: it comes on time (2 s,
        // 4 s, …) however long the backoff has grown.
        let until_note = self
            .next_note
            .saturating_sub(self.elapsed())
            .max(Duration::from_millis(1));
        std::thread::sleep(self.delay.mul_f64(jitter).min(left).min(until_note));
        self.delay = (self.delay * 2).min(self.policy.max_delay);
    }
}

/// Whether an error is worth retrying.
pub enum Attempt<E> {
    /// The service could not be reached (connection refused, reset, timeout).
    Transient(E),
    /// The service answered, but is overloaded for now (Elasticsearch's 429
    /// and 5xx): retried on the same backoff, logged as busy, not lost.
    Busy(E),
    Permanent(E),
}

/// Runs `op` until it succeeds, fails permanently, or the outage lasts longer
/// than the policy allows (then: exit 69 naming `service` and `target`).
pub fn retry<T, E>(
    policy: &RetryPolicy,
    service: Service,
    target: &str,
    shutdown: &Shutdown,
    mut op: impl FnMut() -> Result<T, Attempt<E>>,
) -> anyhow::Result<T>
where
    E: std::fmt::Display + Into<anyhow::Error>,
{
    let mut outage: Option<Backoff> = None;
    loop {
        let failed = match op() {
            Ok(v) => {
                if let Some(b) = outage {
                    tracing::info!(
                        service = service.name(),
                        target,
                        "{service} back after {:.1}s",
                        b.elapsed().as_secs_f64()
                    );
                }
                return Ok(v);
            }
            Err(Attempt::Permanent(e)) => return Err(e.into()),
            Err(Attempt::Transient(e)) => ("lost", e),
            Err(Attempt::Busy(e)) => ("busy", e),
        };
        let (state, e) = failed;
        let backoff = outage.get_or_insert_with(|| {
            tracing::warn!(
                service = service.name(),
                target,
                "{service} {state}: {e}; retrying with backoff"
            );
            Backoff::new(policy)
        });
        crate::metrics::retried(service);
        if backoff.exhausted(shutdown) {
            return Err(Failure::unavailable(
                service,
                target.to_string(),
                format!(
                    "{e} ({state}; gave up after {:.0}s; --max-retry-time)",
                    backoff.elapsed().as_secs_f64()
                ),
            ));
        }
        backoff.wait(&format!("{service} {target}"));
    }
}
