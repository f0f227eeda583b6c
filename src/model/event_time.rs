//! Plausible event times (SPEC §5): a corrupt `ts` must never create a
//! daily index (`gmall_dau_info_1975-09-10`), since Elasticsearch limits the
//! shards of a node and every stray day is one more index. Times before
//! `--min-event-time` (default 2000-01-01, UTC) or more than
//! `--max-event-ahead` (default 1 day) past the machine's clock are dirty.
//! Replays of old days stay inside the range; the bound is per run.

/// The range of event times a run accepts, in epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plausible {
    /// The earliest accepted time (epoch ms, UTC).
    pub min_ms: i64,
    /// How far past the clock a time may be (ms).
    pub max_ahead_ms: i64,
}

impl Default for Plausible {
    fn default() -> Plausible {
        Plausible {
            min_ms: DEFAULT_MIN_MS,
            max_ahead_ms: 86_400_000,
        }
    }
}

/// 2000-01-01T00:00:00Z.
pub const DEFAULT_MIN_MS: i64 = 946_684_800_000;

impl Plausible {
    /// `Err` names the time, the bound it crosses and the flag that moves it.
    pub fn check(&self, ts_ms: i64) -> Result<(), String> {
        self.check_at(ts_ms, jiff::Timestamp::now().as_millisecond())
    }

    /// [`Plausible::check`] against a given clock (epoch ms).
    pub fn check_at(&self, ts_ms: i64, now_ms: i64) -> Result<(), String> {
        let show = |ms: i64| {
            jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
        };
        if ts_ms < self.min_ms {
            return Err(format!(
                "event time {ts_ms} ({}) is before {}: outside the plausible range (--min-event-time)",
                show(ts_ms),
                show(self.min_ms)
            ));
        }
        let latest = now_ms.saturating_add(self.max_ahead_ms);
        if ts_ms > latest {
            return Err(format!(
                "event time {ts_ms} ({}) is more than {} s ahead of the clock: outside the plausible range (--max-event-ahead)",
                show(ts_ms),
                self.max_ahead_ms / 1000
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_replays_pass_corrupt_times_do_not() {
        let p = Plausible::default();
        let now = 1_795_312_800_000; // 2026-11-22T10:00:00Z
        assert!(
            p.check_at(now - 400 * 86_400_000, now).is_ok(),
            "a day replayed a year later"
        );
        assert!(
            p.check_at(now + 3_600_000, now).is_ok(),
            "clock skew of an hour"
        );
        let e = p.check_at(180_000_000_000, now).unwrap_err(); // 1975-09-16
        assert!(
            e.contains("1975-09") && e.contains("--min-event-time"),
            "{e}"
        );
        let e = p.check_at(now + 2 * 86_400_000, now).unwrap_err();
        assert!(
            e.contains("ahead of the clock") && e.contains("--max-event-ahead"),
            "{e}"
        );
    }
}
