//! Retrying a service call through an outage: capped exponential backoff with
//! jitter, one log line when the service is lost and one when it is back, and
//! exit 69 once the outage outlasts `--max-retry-time`.

use std::time::{Duration, Instant};

use rand::Rng;

use crate::exit::Failure;
use crate::shutdown::Shutdown;

/// How long to keep retrying.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// `None` = forever (streaming runs); `--once` defaults to 60 s.
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

/// Whether an error is worth retrying.
pub enum Attempt<E> {
    Transient(E),
    Permanent(E),
}

/// Runs `op` until it succeeds, fails permanently, or the outage lasts longer
/// than the policy allows (then: exit 69 naming `service` and `target`).
pub fn retry<T, E>(
    policy: &RetryPolicy,
    service: &'static str,
    target: &str,
    shutdown: &Shutdown,
    mut op: impl FnMut() -> Result<T, Attempt<E>>,
) -> anyhow::Result<T>
where
    E: std::fmt::Display + Into<anyhow::Error>,
{
    let mut lost_since: Option<Instant> = None;
    let mut delay = policy.first_delay;
    loop {
        match op() {
            Ok(v) => {
                if let Some(since) = lost_since {
                    tracing::info!(
                        service,
                        target,
                        "{service} back after {:.1}s",
                        since.elapsed().as_secs_f64()
                    );
                }
                return Ok(v);
            }
            Err(Attempt::Permanent(e)) => return Err(e.into()),
            Err(Attempt::Transient(e)) => {
                let since = *lost_since.get_or_insert_with(|| {
                    tracing::warn!(
                        service,
                        target,
                        "{service} lost: {e}; retrying with backoff"
                    );
                    Instant::now()
                });
                crate::metrics::retried(service);
                let out_for = since.elapsed();
                if policy.give_up_after.is_some_and(|max| out_for >= max) || shutdown.requested() {
                    return Err(Failure::unavailable(
                        service,
                        target.to_string(),
                        format!(
                            "{e} (gave up after {:.0}s; --max-retry-time)",
                            out_for.as_secs_f64()
                        ),
                    ));
                }
                let jitter = rand::thread_rng().gen_range(0.5..1.0);
                std::thread::sleep(delay.mul_f64(jitter));
                delay = (delay * 2).min(policy.max_delay);
            }
        }
    }
}
