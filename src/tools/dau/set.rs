//! The day's set `DAU:{dt}` (SPEC §4.4): its key, its expiry, and
//! `--forget-day`. A mid joins it only once its document is durable.

use anyhow::{Context, Result};

use super::SET_PREFIX;
use crate::state::retrying::Retrying;
use crate::state::Op;

pub fn set_key(dt: jiff::civil::Date) -> String {
    format!("{SET_PREFIX}{dt}")
}

/// How long a day's set outlives its last write, whatever its date.
pub const SET_RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(48);

/// When a day's set expires, as a Unix time in seconds: two whole days after
/// its date (`dt` + 3 days, 00:00 in `tz`, SPEC §4.4), but never sooner than
/// [`SET_RETENTION`] after `now`. The second bound is what lets a day be
/// replayed at any later time (SPEC §6): a set dated weeks ago would
/// otherwise expire the moment it is written, and every batch would count
/// its devices again. Each write moves the expiry on, so the set lives as
/// long as a run keeps adding to it, plus two days.
pub fn set_expiry(dt: jiff::civil::Date, tz: &jiff::tz::TimeZone, now: jiff::Timestamp) -> i64 {
    let by_date = dt
        .checked_add(jiff::Span::new().days(3))
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map_or(i64::MIN, |z| z.timestamp().as_second());
    let by_write = now
        .checked_add(SET_RETENTION)
        .map_or(i64::MAX, |t| t.as_second());
    by_date.max(by_write)
}

/// `--forget-day`: deletes the days' sets before the run reads anything.
pub(super) fn forget_days(state: &Retrying, days: &[jiff::civil::Date]) -> Result<()> {
    if days.is_empty() {
        return Ok(());
    }
    let days: std::collections::BTreeSet<_> = days.iter().collect();
    let keys: Vec<String> = days.into_iter().map(|d| set_key(*d)).collect();
    state
        .exec(vec![Op::Del(keys.clone())])
        .with_context(|| format!("forgetting {} in {}", keys.join(", "), state.describe()))?;
    tracing::warn!(
        "forgot {} in {}: every visit of those days is counted again",
        keys.join(", "),
        state.describe()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_live_day_expires_two_days_after_its_date() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let dt = jiff::civil::date(2026, 11, 22);
        let live = at("2026-11-22T10:00:00Z");
        assert_eq!(
            set_expiry(dt, &tz, live),
            at("2026-11-24T16:00:00Z").as_second(),
            "2026-11-25 00:00 in Shanghai"
        );
    }

    #[test]
    fn an_old_day_lives_two_days_after_its_last_write() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let dt = jiff::civil::date(2026, 11, 1);
        let replay = at("2026-11-29T14:00:00Z");
        assert_eq!(
            set_expiry(dt, &tz, replay),
            at("2026-12-01T14:00:00Z").as_second()
        );
        assert!(set_expiry(dt, &tz, replay) > replay.as_second());
    }
}
