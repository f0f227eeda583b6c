//! `rtdw dau`: daily active users (SPEC §4.4). Visit starts of
//! `DWD_PAGE_LOG` (no `last_page_id`); the earliest per `mid` and business
//! date per batch; deduplicated across batches with the set `DAU:{dt}`;
//! enriched from the dimension store; one document per mid and day in
//! `gmall_dau_info_{dt}` with `_id` = mid, written with `create`.
//!
//! The order loses nothing and counts nothing twice: check the set
//! (read-only), write the documents (durable), *then* add the mids to the
//! set, *then* store the offsets. A crash before the set is written replays
//! the batch: the set does not have the mids, the documents are written again
//! and answered 409 (done). A crash after replays a batch whose mids the set
//! already has: nothing is written again.

mod set;
mod template;

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use serde_json::{json, Map, Value};

use super::common::{open_state, run_stream_with, EsTarget, StreamArgs, StreamTool, Writes};
use crate::dims::Names;
use crate::enrich::{add_province, add_user, text, DimLookup};
use crate::es::bulk::BulkOp;
use crate::es::daily::DailyIndex;
use crate::exit::ExitStatus;
use crate::pipeline::BatchTransform;
use crate::record::{InRecord, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::{StreamDef, StreamKind};
use crate::state::batch::BatchState;
use crate::state::Op;

pub const TOOL: &str = "dau";
pub const INPUT: &str = "DWD_PAGE_LOG";
pub const INDEX_PREFIX: &str = "gmall_dau_info_";
pub const SET_PREFIX: &str = "DAU:";
/// Dirty records are documents too (ES index names are lower-case).
pub const DIRTY_INDEX: &str = "rtdw_dirty_dau";
const DIRTY: usize = 0;

#[derive(Debug, ClapArgs)]
#[command(mut_arg("to", |a| a.help("Output: es (gmall_dau_info_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)")),
    // Kafka → Kafka only: this tool writes documents, not topics.
    mut_arg("exactly_once", |a| a.hide(true)),
    after_help = "Examples:\n  \
rtdw split-log --from day.jsonl --to - | rtdw dau --from - --to -\n  \
rtdw dau --brokers kafka:9092 --redis redis://r:6379 \\\n      \
--es http://es:9200 --from kafka --to es")]
pub struct Args {
    #[command(flatten)]
    pub io: StreamArgs,
    /// Forget the DAU set of this business date before reading, so the run
    /// counts the day from scratch (a kappa-style recomputation into a fresh
    /// output); repeatable. Run it as one instance, not beside a live job of that day
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub forget_day: Vec<jiff::civil::Date>,
}

/// Counts beyond the per-index ones.
#[derive(Debug, Default, Clone, Copy)]
struct DauCounts {
    /// Page logs that are not a visit start.
    not_start: u64,
    /// Visit starts of a mid already counted that day (in the batch or the set).
    repeat: u64,
    /// Of `repeat`: the mid was in the day's set before this batch (an
    /// earlier run or batch counted it).
    already_counted: u64,
    new: u64,
    /// Visits looked up in the dimension store (the base of `missing_*`).
    enriched: u64,
    missing_user: u64,
    missing_province: u64,
}

/// One candidate visit: the earliest start of a mid on a day in the batch.
struct Visit {
    mid: String,
    dt: jiff::civil::Date,
    ts: i64,
    record: Map<String, Value>,
}

use set::forget_days;
pub use set::{set_expiry, set_key, SET_RETENTION};
pub use template::template;

impl Dau {
    /// `store` names where the sets live, for messages.
    pub fn new(
        store: String,
        plausible: crate::model::event_time::Plausible,
        settings: &Settings,
    ) -> Dau {
        Dau {
            store,
            plausible,
            names: Names::new(settings),
            tz: settings.tz.clone(),
            days: DailyIndex::new(INDEX_PREFIX, 1),
            counts: DauCounts::default(),
            seen_days: Default::default(),
            counted_days: Default::default(),
            fields: crate::es::mapping::properties(&template().body),
        }
    }
}

pub struct Dau {
    /// Where the sets live, for messages.
    store: String,
    plausible: crate::model::event_time::Plausible,
    names: Names,
    tz: jiff::tz::TimeZone,
    /// `gmall_dau_info_{dt}` by day.
    days: DailyIndex,
    counts: DauCounts,
    /// Business dates of the input's visit starts, and those with a new visit.
    seen_days: std::collections::BTreeSet<jiff::civil::Date>,
    counted_days: std::collections::BTreeSet<jiff::civil::Date>,
    /// The template's field types: a log whose fields they cannot take is
    /// dirty here, not refused by Elasticsearch ([`crate::es::mapping`]).
    fields: Map<String, Value>,
}

impl Dau {
    /// The visit starts of the batch, earliest per mid and day.
    fn visits(&mut self, records: &[InRecord], out: &mut OutBuf) -> Vec<Visit> {
        let mut earliest: HashMap<(String, jiff::civil::Date), Visit> = HashMap::new();
        for rec in records {
            let parsed: Result<Map<String, Value>, String> =
                serde_json::from_slice(&rec.payload).map_err(|e| format!("not a JSON object: {e}"));
            let record = match parsed {
                Ok(r) => r,
                Err(why) => {
                    out.push_dirty_doc(DIRTY, rec, &why);
                    continue;
                }
            };
            if text(record.get("last_page_id")).is_some() {
                self.counts.not_start += 1;
                continue;
            }
            let (Some(mid), Some(ts)) = (
                text(record.get("mid")),
                record.get("ts").and_then(crate::model::lenient::integral),
            ) else {
                out.push_dirty_doc(DIRTY, rec, "a page log needs `mid` and a numeric `ts`");
                continue;
            };
            // Written back as an integer, whatever form it came in.
            let mut record = record;
            record.insert("ts".into(), Value::from(ts));
            let Ok(at) = jiff::Timestamp::from_millisecond(ts) else {
                out.push_dirty_doc(DIRTY, rec, &format!("`ts` {ts} is not a time"));
                continue;
            };
            if let Err(why) = self.plausible.check(ts) {
                out.push_dirty_doc(DIRTY, rec, &why);
                continue;
            }
            if let Err(why) = crate::es::mapping::check(&self.fields, &record) {
                out.push_dirty_doc(DIRTY, rec, &why);
                continue;
            }
            let dt = at.to_zoned(self.tz.clone()).date();
            match earliest.entry((mid.clone(), dt)) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    self.counts.repeat += 1;
                    if ts < e.get().ts {
                        e.insert(Visit {
                            mid,
                            dt,
                            ts,
                            record,
                        });
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(Visit {
                        mid,
                        dt,
                        ts,
                        record,
                    });
                }
            }
        }
        let mut visits: Vec<Visit> = earliest.into_values().collect();
        visits.sort_by(|a, b| (a.dt, a.ts, &a.mid).cmp(&(b.dt, b.ts, &b.mid)));
        visits
    }

    /// Drops the visits whose mid the day's set already has: one round trip.
    fn unseen(
        &mut self,
        state: &mut BatchState,
        out: &OutBuf,
        visits: Vec<Visit>,
    ) -> Result<Vec<Visit>> {
        let mut by_day: BTreeMap<jiff::civil::Date, Vec<usize>> = BTreeMap::new();
        for (i, v) in visits.iter().enumerate() {
            by_day.entry(v.dt).or_default().push(i);
        }
        let ops: Vec<Op> = by_day
            .iter()
            .map(|(dt, idx)| Op::SMIsMember {
                key: set_key(*dt),
                members: idx.iter().map(|&i| visits[i].mid.clone()).collect(),
            })
            .collect();
        let replies = state.request("checking the DAU sets", out, ops)?;
        let mut seen = vec![false; visits.len()];
        for ((_, idx), reply) in by_day.iter().zip(replies) {
            let members = reply
                .into_bools(idx.len())
                .with_context(|| format!("checking the DAU sets in {}", self.store))?;
            for (&i, member) in idx.iter().zip(members) {
                seen[i] = member;
            }
        }
        let before = visits.len();
        let fresh: Vec<Visit> = visits
            .into_iter()
            .zip(seen)
            .filter_map(|(v, s)| (!s).then_some(v))
            .collect();
        self.counts.repeat += (before - fresh.len()) as u64;
        self.counts.already_counted += (before - fresh.len()) as u64;
        if !fresh.is_empty() {
            self.counted_days.extend(fresh.iter().map(|v| v.dt));
        }
        self.seen_days.extend(by_day.keys().copied());
        Ok(fresh)
    }

    /// Adds user and province fields, reading every dimension row of the batch in one round trip.
    fn enrich(&mut self, state: &mut BatchState, out: &OutBuf, visits: &mut [Visit]) -> Result<()> {
        let mut lookup = DimLookup::new(&self.names);
        let wanted: Vec<_> = visits
            .iter()
            .map(|v| {
                (
                    lookup.want("user_info", v.record.get("user_id")),
                    lookup.want("base_province", v.record.get("province_id")),
                )
            })
            .collect();
        let rows = DimLookup::rows(state.request(
            "reading dimension rows",
            out,
            lookup.ops().collect(),
        )?);
        self.counts.enriched += visits.len() as u64;
        for (v, (user, province)) in visits.iter_mut().zip(wanted) {
            let (u, p) = (rows.get(user), rows.get(province));
            // Counted only when the log names a row the store lacks (a
            // visitor who is not logged in has no user to look up).
            if user.is_some() && u.is_none() {
                self.counts.missing_user += 1;
            }
            if province.is_some() && p.is_none() {
                self.counts.missing_province += 1;
            }
            add_user(&mut v.record, u, v.dt);
            add_province(&mut v.record, p);
        }
        Ok(())
    }
}

impl BatchTransform for Dau {
    fn process(
        &mut self,
        records: &[InRecord],
        state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let mut out = OutBuf::default();
        let visits = self.visits(records, &mut out);
        let mut visits = self.unseen(state, &out, visits)?;
        self.enrich(state, &out, &mut visits)?;
        let mut days = std::collections::BTreeSet::new();
        for mut v in visits {
            let at = jiff::Timestamp::from_millisecond(v.ts)
                .map(|t| t.to_zoned(self.tz.clone()))
                .ok();
            v.record.insert("dt".into(), json!(v.dt.to_string()));
            v.record.insert(
                "hr".into(),
                json!(at.map_or_else(String::new, |z| format!("{:02}", z.hour()))),
            );
            let stream = self.days.stream(v.dt, &mut out);
            let value = serde_json::to_vec(&v.record).context("encoding a DAU document")?;
            out.push(stream, Some(v.mid.as_bytes()), |o| {
                o.extend_from_slice(&value)
            });
            // Once the document is durable the day's set gets the mid; not
            // when Elasticsearch refused it: its visit must be written again.
            let document = (self.days.name(v.dt), v.mid.clone());
            state.after_durable(
                Op::SAdd {
                    key: set_key(v.dt),
                    members: vec![v.mid],
                },
                Some(document),
            );
            days.insert(v.dt);
            self.counts.new += 1;
        }
        let now = jiff::Timestamp::now();
        for dt in days {
            state.after_durable(
                Op::ExpireAt {
                    key: set_key(dt),
                    unix_secs: set_expiry(dt, &self.tz, now),
                },
                None,
            );
        }
        emit(out)
    }

    /// Bounded input ended: a day whose every visit an earlier run had
    /// already counted wrote nothing, and says so (a replay into a fresh
    /// output would otherwise end silently empty).
    fn finish(&mut self, _emit: &mut dyn FnMut(OutBuf) -> Result<()>) -> Result<()> {
        let store = self.store.clone();
        let c = self.counts;
        crate::enrich::warn_missing(TOOL, "user_info", c.missing_user, c.enriched, &store);
        crate::enrich::warn_missing(
            TOOL,
            "base_province",
            c.missing_province,
            c.enriched,
            &store,
        );
        let silent: Vec<String> = self
            .seen_days
            .difference(&self.counted_days)
            .map(|d| d.to_string())
            .collect();
        if !silent.is_empty() {
            tracing::warn!(
                "every visit of {} in the input was already counted in {} ({} visit starts): no document written for it; to recompute a day from scratch, run again with --forget-day {}",
                silent.join(", "),
                self.store,
                self.counts.already_counted,
                silent[0]
            );
        }
        Ok(())
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        let c = self.counts;
        vec![
            ("new", c.new),
            ("repeat", c.repeat),
            ("already_counted", c.already_counted),
            ("not_start", c.not_start),
            ("missing_user", c.missing_user),
            ("missing_province", c.missing_province),
        ]
    }
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    args.io.check(TOOL, Writes::Documents)?;
    let state = open_state(&args.io, settings, shutdown)?;
    tracing::info!("DAU sets and dimension rows in {}", state.describe());
    forget_days(&state, &args.forget_day)?;
    let tool = StreamTool {
        name: TOOL,
        inputs: vec![settings.topic(INPUT)],
        streams: vec![StreamDef {
            name: DIRTY_INDEX.into(),
            kind: StreamKind::Document,
        }],
        dirty: DIRTY,
        rewind: None,
        state: Some(state.clone()),
    };
    let mut transform = Dau::new(state.describe(), args.io.plausible(), settings);
    let es = EsTarget {
        op: BulkOp::Create,
        template: Some(template()),
        also_kafka: false,
    };
    run_stream_with(tool, &args.io, settings, shutdown, &mut transform, Some(es))
}

/// The transform in process against the embedded store (issue 18).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::in_process;
    use crate::settings::GlobalArgs;

    #[test]
    fn a_visit_counts_once_and_its_mid_joins_the_set_after_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let store = in_process::store(dir.path());
        let settings = Settings::resolve(&GlobalArgs::default()).unwrap();
        let mut dau = Dau::new("test".into(), Default::default(), &settings);
        let logs = [
            r#"{"mid":"m1","page_id":"home","ts":1795312800000}"#,
            r#"{"mid":"m1","page_id":"home","ts":1795312900000}"#,
            r#"{"mid":"m2","page_id":"home","ts":1795313000000,"during_time":"abc"}"#,
        ];
        let records = in_process::lines("page.jsonl", None, &logs);
        let outs = in_process::batch(&mut dau, &store, &records, false).unwrap();
        let values = in_process::values(&outs);
        let docs: Vec<_> = values.iter().filter(|(s, _)| *s != DIRTY).collect();
        assert_eq!(docs.len(), 1, "{values:?}");
        assert_eq!(docs[0].1["ts"], 1_795_312_800_000i64, "the earliest start");
        assert!(values
            .iter()
            .any(|(s, v)| *s == DIRTY && v["error"].as_str().unwrap().contains("during_time")));
        let set = set_key(jiff::civil::date(2026, 11, 22));
        let members = store.exec(vec![Op::SMembers(set)]).unwrap();
        assert_eq!(members, vec![crate::state::Reply::Strs(vec!["m1".into()])]);
        // The next batch finds m1 in the set: nothing new.
        let outs = in_process::batch(&mut dau, &store, &records[..2], false).unwrap();
        assert!(in_process::values(&outs).is_empty());
        // --strict: the bad log stops the batch before anything is sent.
        let mut fresh = Dau::new("test".into(), Default::default(), &settings);
        let other = in_process::store(&dir.path().join("other"));
        let err = in_process::batch(&mut fresh, &other, &records, true).unwrap_err();
        assert!(err.to_string().contains("page.jsonl:3"), "{err}");
    }
}
