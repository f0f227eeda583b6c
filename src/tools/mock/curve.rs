//! The shape of an e-commerce day, for `mock logs` and `mock db`: traffic
//! and orders are low before dawn, rise through the morning, hold through
//! the afternoon and peak 20:00–22:00, as gmall's hourly dashboards show a
//! day (hours in `--tz`). A flat day would make the charts show nothing.

/// Relative activity of each hour of the day, 00:00 to 23:00.
const HOURLY: [f64; 24] = [
    3.0, 1.8, 1.0, 0.6, 0.5, 0.6, 1.2, 2.5, 4.0, 5.0, 5.5, 5.8, //
    5.5, 5.0, 5.2, 5.4, 5.3, 5.2, 5.6, 6.5, 7.8, 8.5, 7.5, 5.0,
];

const HOUR_MS: i64 = 3_600_000;

/// The time of day (ms after midnight, before `until_ms`) by which `share`
/// (0.0–1.0) of the activity before `until_ms` has happened: the inverse of
/// the day's cumulative activity. Monotonic in `share`, so evenly spread
/// shares give times in order, denser where the day is busier.
pub fn time_at(share: f64, until_ms: i64) -> i64 {
    let until_ms = until_ms.clamp(1, 24 * HOUR_MS);
    // Each hour's weight, the last one cut at `until_ms`.
    let weight = |h: usize| {
        let start = h as i64 * HOUR_MS;
        let covered = (until_ms - start).clamp(0, HOUR_MS) as f64 / HOUR_MS as f64;
        HOURLY[h] * covered
    };
    let total: f64 = (0..24).map(weight).sum();
    let mut left = share.clamp(0.0, 1.0) * total;
    for h in 0..24 {
        let w = weight(h);
        if left < w || (h as i64 + 1) * HOUR_MS >= until_ms {
            // Spread over the part of the hour before `until_ms` only.
            let span = (until_ms - h as i64 * HOUR_MS).min(HOUR_MS);
            let within = if w > 0.0 { (left / w).min(1.0) } else { 0.0 };
            let t = h as i64 * HOUR_MS + (within * span as f64) as i64;
            return t.min(until_ms - 1);
        }
        left -= w;
    }
    until_ms - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_spread_shares_follow_the_daily_curve() {
        let n = 24_000;
        let mut per_hour = [0u32; 24];
        let mut last = 0;
        for i in 0..n {
            let t = time_at((i as f64 + 0.5) / n as f64, 24 * HOUR_MS);
            assert!(t >= last, "monotonic");
            last = t;
            per_hour[(t / HOUR_MS) as usize] += 1;
        }
        assert!(per_hour[21] > 5 * per_hour[4], "{per_hour:?}");
        assert!(per_hour[23] > 0, "{per_hour:?}");
        // The last half hour before a cut is spread, not piled at the cut.
        let until = 23 * HOUR_MS + 30 * 60_000;
        let last: Vec<i64> = (0..1000)
            .map(|i| time_at(0.99 + i as f64 / 100_000.0, until))
            .collect();
        let at_cut = last.iter().filter(|t| **t == until - 1).count();
        assert!(at_cut <= 1, "{at_cut} at the cut");
        let cut = time_at(0.999_999, until);
        assert!(
            (23 * HOUR_MS..23 * HOUR_MS + 30 * 60_000).contains(&cut),
            "{cut}"
        );
    }
}
