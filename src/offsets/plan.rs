//! Reset plans: where each partition's stored offset goes, computed from a
//! specifier the way `kafka-consumer-groups.sh --reset-offsets` does, then
//! clamped into the log.

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};

/// A `rtdw offsets reset` specifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Earliest,
    Latest,
    /// Keep the stored offset (clamped into the log).
    Current,
    Offset(i64),
    ShiftBy(i64),
    /// The first record at or after this instant (`--to-datetime`, `--by-duration`).
    Time(jiff::Timestamp),
    /// `topic,partition,offset` rows (`--from-file`).
    File(BTreeMap<(String, i32), i64>),
}

/// One line of a plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub topic: String,
    pub partition: i32,
    /// The stored offset now (`None`: nothing stored); `stored`, as
    /// `offsets show` calls it.
    pub stored: Option<i64>,
    pub new: i64,
    /// Why `new` is not what the specifier asked for (clamped), if it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the broker says about one partition: (log start, log end), when known.
pub type Bounds = Option<(i64, i64)>;

/// The unclamped target of one partition. `at_time` maps an instant to an
/// offset (the broker's lookup by time).
pub fn target_of(
    target: &Target,
    topic: &str,
    partition: i32,
    current: Option<i64>,
    bounds: Bounds,
    at_time: &dyn Fn(jiff::Timestamp) -> Result<i64>,
) -> Result<Option<i64>> {
    let need_bounds = |what: &str| {
        bounds.ok_or_else(|| {
            anyhow!("{what} needs the log bounds of {topic}/{partition}: give --brokers")
        })
    };
    Ok(Some(match target {
        Target::Earliest => need_bounds("--to-earliest")?.0,
        Target::Latest => need_bounds("--to-latest")?.1,
        Target::Current => match current {
            Some(c) => c,
            None => return Ok(None),
        },
        Target::Offset(n) => *n,
        Target::ShiftBy(n) => match current {
            Some(c) => c.saturating_add(*n),
            None => {
                return Err(anyhow!(
                    "--shift-by: {topic}/{partition} has no stored offset to shift; use --to-offset, --to-earliest or --to-latest for it"
                ))
            }
        },
        Target::Time(t) => at_time(*t)?,
        Target::File(rows) => match rows.get(&(topic.to_string(), partition)) {
            Some(o) => *o,
            None => return Ok(None),
        },
    }))
}

/// Clamps `want` into [log start, log end], and never below 0 even when the
/// bounds are unknown (no `--brokers`): Kafka clients read a negative stored
/// offset as "no offset" and start wherever `auto.offset.reset` says, as
/// `kafka-consumer-groups.sh` avoids too. The note says what happened.
pub fn clamp(want: i64, bounds: Bounds) -> (i64, Option<String>) {
    match bounds {
        Some((low, _)) if want < low => (
            low,
            Some(format!(
                "{want} is before the log start {low}: clamped to {low}"
            )),
        ),
        Some((_, high)) if want > high => (
            high,
            Some(format!(
                "{want} is past the log end {high}: clamped to {high}"
            )),
        ),
        _ if want < 0 => (0, Some(format!("{want} is below offset 0: clamped to 0"))),
        _ => (want, None),
    }
}

/// The `--export` columns.
const HEADER: [&str; 3] = ["topic", "partition", "offset"];

/// Parses `topic,partition,offset` records (the `--export` format, read with
/// the `csv` crate; a header line and blank lines are skipped).
pub fn parse_csv(text: &str, origin: &str) -> Result<BTreeMap<(String, i32), i64>> {
    let mut out = BTreeMap::new();
    for (line, fields) in crate::csv_text::read(text, &HEADER, origin)? {
        let bad = || {
            anyhow!(
                "{origin}:{line}: `{}` is not `topic,partition,offset`",
                fields.join(",")
            )
        };
        let [t, p, o] = fields.as_slice() else {
            return Err(bad());
        };
        let p: i32 = p.parse().map_err(|_| bad())?;
        let o: i64 = o.parse().map_err(|_| bad())?;
        if t.is_empty() || p < 0 || o < 0 {
            return Err(bad());
        }
        out.insert((t.clone(), p), o);
    }
    Ok(out)
}

/// The `--export` file of a plan: `topic,partition,offset` lines with no
/// header, exactly as `kafka-consumer-groups --export` writes them, so the
/// file works with either tool's `--from-file` (which skip a header line).
pub fn to_export(rows: &[Row]) -> String {
    crate::csv_text::write_rows(
        rows.iter()
            .map(|r| vec![r.topic.clone(), r.partition.to_string(), r.new.to_string()]),
    )
}

/// The plan as `--csv` prints it on stdout: a header, then one line per partition.
pub fn to_csv(rows: &[Row]) -> String {
    crate::csv_text::write(
        &HEADER,
        rows.iter()
            .map(|r| vec![r.topic.clone(), r.partition.to_string(), r.new.to_string()]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_time(_: jiff::Timestamp) -> Result<i64> {
        Err(anyhow!("no lookup"))
    }

    #[test]
    fn specifiers_then_clamping() {
        let b = Some((10, 100));
        let t = |target: Target, current| target_of(&target, "t", 0, current, b, &no_time).unwrap();
        assert_eq!(t(Target::Earliest, None), Some(10));
        assert_eq!(t(Target::Latest, Some(50)), Some(100));
        assert_eq!(t(Target::Current, Some(50)), Some(50));
        assert_eq!(t(Target::Current, None), None);
        assert_eq!(t(Target::ShiftBy(-60), Some(50)), Some(-10));
        assert_eq!(
            clamp(-10, b),
            (
                10,
                Some("-10 is before the log start 10: clamped to 10".into())
            )
        );
        assert_eq!(clamp(150, b).0, 100);
        assert_eq!(clamp(150, None), (150, None));
        assert_eq!(
            clamp(-95, None),
            (0, Some("-95 is below offset 0: clamped to 0".into())),
            "no broker: never below 0"
        );
        assert_eq!(clamp(-2, Some((0, 5))).0, 0);
        let err = target_of(&Target::ShiftBy(1), "t", 3, None, b, &no_time).unwrap_err();
        assert!(
            err.to_string().contains("t/3 has no stored offset"),
            "{err}"
        );
        assert!(target_of(&Target::Earliest, "t", 0, None, None, &no_time).is_err());
    }

    #[test]
    fn csv_round_trip_and_errors() {
        let rows = vec![Row {
            topic: "a".into(),
            partition: 2,
            stored: None,
            new: 7,
            note: None,
        }];
        let parsed = parse_csv(&to_csv(&rows), "f").unwrap();
        assert_eq!(parsed, BTreeMap::from([(("a".to_string(), 2), 7)]));
        let err = parse_csv("a,1\n", "plan.csv").unwrap_err().to_string();
        assert!(err.contains("plan.csv:1"), "{err}");
    }
}
