//! `rtdw route-db`: CDC records → DWD fact topics and the dimension store
//! (SPEC §3.3, §4.2). Which tables are facts and which are dimensions is
//! re-read from the state store at every batch.

mod route;
mod tables;

use route::{route_record, Routed};

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, Subcommand};

use super::common::{open_state, run_stream, StreamArgs, StreamTool, Writes};
use crate::dims::{self, Names, TableLists};
use crate::exit::{ExitStatus, Failure};
use crate::model::cdc::Format;
use crate::model::event_time::Plausible;
use crate::pipeline::{self, BatchTransform};
use crate::record::{InRecord, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::{DiscoveredStreams, StreamDef};
use crate::state::batch::BatchState;
use crate::state::{self, Op, Reply, ReplyIter};

pub const TOOL: &str = "route-db";
pub const INPUT: &str = "ODS_BASE_DB";
pub const DIRTY_TOPIC: &str = "DWD_DIRTY_LOG";
/// The dirty stream is stream 0; fact topics follow as tables show up.
const DIRTY: usize = 0;

#[derive(Debug, ClapArgs)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    mut_arg("to", |a| a.help("Output: kafka (the DWD_{TABLE}_{I|U|D} topics; dimension rows go to the state store), - (NDJSON envelopes on stdout), or DIR/ (one TOPIC.jsonl per stream, appended)")),
    after_help = "Examples:\n  \
rtdw route-db tables add --fact order_info --fact order_detail \\\n      \
--dim user_info --dim base_province\n  \
rtdw mock db --orders 1000 | rtdw route-db --from - --to out/\n  \
rtdw route-db --brokers kafka:9092 --redis redis://r:6379 \\\n      \
--from kafka:ODS_BASE_DB --to kafka"
)]
pub struct Args {
    #[command(subcommand)]
    pub tables: Option<RouteDbCommand>,
    /// `None` with the `tables` subcommand (clap sets it when any of its flags is given).
    #[command(flatten)]
    pub io: Option<StreamArgs>,
    /// CDC dialect of every record [default: detected per record]
    #[arg(long, value_name = "maxwell|canal|debezium")]
    pub format: Option<Format>,
}

#[derive(Debug, Subcommand)]
pub enum RouteDbCommand {
    /// Show or change which tables are facts (FACT:TABLES) and dimensions (DIM:TABLES)
    #[command(subcommand)]
    Tables(TablesCommand),
}

#[derive(Debug, Subcommand)]
pub enum TablesCommand {
    /// Print both lists: `fact TABLE` / `dim TABLE` lines, or --json
    List {
        /// {"fact": [...], "dim": [...]} on stdout
        #[arg(long)]
        json: bool,
    },
    /// Add tables to the lists; a running route-db uses them from its next batch
    Add(TableNames),
    /// Remove tables from the lists
    Remove(TableNames),
}

#[derive(Debug, ClapArgs)]
#[command(group(clap::ArgGroup::new("names").required(true).multiple(true).args(["fact", "dim"])))]
pub struct TableNames {
    /// A fact table (rows go to DWD_{TABLE}_{I|U|D}); repeatable
    #[arg(long, value_name = "TABLE")]
    pub fact: Vec<String>,
    /// A dimension table (rows go to DIM:{TABLE}:{id}); repeatable
    #[arg(long, value_name = "TABLE")]
    pub dim: Vec<String>,
}

/// What happened to the changes, beyond the per-topic counts.
#[derive(Debug, Default, Clone, Copy)]
struct RouteCounts {
    facts: u64,
    dims: dims::WriteCounts,
    /// Changes of tables in neither list.
    unlisted: u64,
    ddl: u64,
    control: u64,
    /// Kafka tombstones (Debezium writes one after every delete).
    tombstones: u64,
    /// TRUNCATE TABLE of a listed table (a dimension's rows are removed).
    truncates: u64,
}

pub struct RouteDb {
    names: Names,
    settings: Settings,
    format: Option<Format>,
    /// `--min-event-time`, `--max-event-ahead`: a change outside is dirty.
    plausible: Plausible,
    /// `DWD_{TABLE}_{OP}` by (table, op letter).
    fact_streams: DiscoveredStreams<(String, &'static str)>,
    lists: Option<TableLists>,
    /// Which of this batch's dimension writes are deletes, for the counts.
    deletes: Vec<bool>,
    counts: RouteCounts,
}

impl RouteDb {
    pub fn new(settings: &Settings, format: Option<Format>, plausible: Plausible) -> RouteDb {
        RouteDb {
            names: Names::new(settings),
            settings: settings.clone(),
            format,
            plausible,
            fact_streams: DiscoveredStreams::new(1),
            lists: None,
            deletes: Vec::new(),
            counts: RouteCounts::default(),
        }
    }

    fn refresh_lists(&mut self, state: &mut BatchState) -> Result<TableLists> {
        let what = format!(
            "reading {} and {}",
            self.names.fact_tables, self.names.dim_tables
        );
        let replies = state.request(&what, &OutBuf::default(), TableLists::ops(&self.names))?;
        let lists = TableLists::from_replies(replies)
            .with_context(|| format!("{what} from {}", state.describe()))?;
        if self.lists.as_ref() != Some(&lists) {
            if lists.is_empty() {
                tracing::warn!(
                    "{} and {} are empty: every change is skipped; add tables with `rtdw route-db tables add`",
                    self.names.fact_tables,
                    self.names.dim_tables
                );
            } else {
                tracing::info!(facts = ?lists.facts, dims = ?lists.dims, "table lists");
            }
            self.lists = Some(lists.clone());
        }
        Ok(lists)
    }

    /// The stream of `DWD_{TABLE}_{OP}`, declared in `out` on first use.
    fn fact_stream(&mut self, table: &str, op: &'static str, out: &mut OutBuf) -> usize {
        let settings = &self.settings;
        self.fact_streams.get((table.to_string(), op), out, || {
            StreamDef::record(settings.topic(&format!("DWD_{}_{op}", table.to_ascii_uppercase())))
        })
    }

    /// Appends one routed record to the batch's outputs.
    fn assemble(
        &mut self,
        rec: &InRecord,
        routed: Routed,
        out: &mut OutBuf,
        dim_ops: &mut Vec<Op>,
        truncates: &mut Vec<(String, String, usize)>,
    ) {
        match routed {
            Routed::Dirty(why) => out.push_dirty(DIRTY, rec, &why),
            Routed::Control => self.counts.control += 1,
            Routed::Ddl => self.counts.ddl += 1,
            Routed::Tombstone => self.counts.tombstones += 1,
            Routed::Truncate { table, version } => {
                let lists = self.lists.as_ref();
                let (fact, dim) = lists.map_or((false, false), |l| {
                    (l.facts.contains(&table), l.dims.contains(&table))
                });
                if !fact && !dim {
                    self.counts.unlisted += 1;
                    return;
                }
                self.counts.truncates += 1;
                if fact {
                    tracing::warn!(
                        "{}: TRUNCATE of the fact table {table}: counted; the DWD topics keep what they had",
                        rec.origin
                    );
                }
                if dim {
                    tracing::warn!(
                        "{}: TRUNCATE of the dimension table {table}: its rows are removed (a later change wins)",
                        rec.origin
                    );
                    // Applied where it stands among the batch's rows.
                    truncates.push((table, version, dim_ops.len()));
                }
            }
            Routed::Rows {
                facts,
                dims,
                unlisted,
            } => {
                self.counts.unlisted += unlisted;
                for fact in facts {
                    let stream = self.fact_stream(&fact.table, fact.op, out);
                    out.push(stream, Some(fact.key.as_bytes()), |o| {
                        o.extend_from_slice(&fact.value)
                    });
                    self.counts.facts += 1;
                }
                dim_ops.extend(dims);
            }
        }
    }
}

impl RouteDb {
    /// The batch's dimension ops with each TRUNCATE in its place, as
    /// version-checked deletes of every row of the table the store has or
    /// the batch wrote before it: a change newer than the truncate keeps its
    /// row, an older (replayed) one loses to the tombstone, and a change of
    /// the same version (Canal gives a batch's messages one `id`, and `es`
    /// whole seconds) is ordered by where it stands in the input.
    fn with_truncates(
        &self,
        state: &mut BatchState,
        out: &OutBuf,
        dim_ops: Vec<Op>,
        truncates: Vec<(String, String, usize)>,
    ) -> Result<Vec<Op>> {
        if truncates.is_empty() {
            return Ok(dim_ops);
        }
        let mut ops = Vec::with_capacity(dim_ops.len());
        let mut rest = dim_ops.into_iter();
        let mut done = 0;
        for (table, version, at) in truncates {
            ops.extend(rest.by_ref().take(at - done));
            done = at;
            self.truncate_ops(state, out, &table, &version, &mut ops)?;
        }
        ops.extend(rest);
        Ok(ops)
    }

    fn truncate_ops(
        &self,
        state: &mut BatchState,
        out: &OutBuf,
        table: &str,
        version: &str,
        dim_ops: &mut Vec<Op>,
    ) -> Result<()> {
        let prefix = self.names.row_key(table, "");
        let pattern = format!("{}*", state::glob::escape(&prefix));
        let stored = state.request(
            &format!("listing the rows of {table}"),
            out,
            vec![Op::Keys(pattern)],
        )?;
        let mut keys: std::collections::BTreeSet<String> =
            stored.into_iter().next_strs()?.into_iter().collect();
        keys.extend(dim_ops.iter().filter_map(|op| match op {
            Op::PutIfNewer { key, .. } if key.starts_with(&prefix) => Some(key.clone()),
            _ => None,
        }));
        dim_ops.extend(keys.into_iter().map(|key| Op::PutIfNewer {
            key,
            value: None,
            version: version.to_string(),
        }));
        Ok(())
    }
}

impl BatchTransform for RouteDb {
    fn process(
        &mut self,
        records: &[InRecord],
        state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let lists = self.refresh_lists(state)?;
        let (names, format, tz) = (&self.names, self.format, &self.settings.tz);
        let plausible = &self.plausible;
        let routed = pipeline::par_map(records, |rec| {
            route_record(rec, &lists, names, format, tz, plausible)
        });
        let mut out = OutBuf::default();
        let mut dim_ops = Vec::new();
        let mut truncates = Vec::new();
        for (rec, r) in records.iter().zip(routed) {
            self.assemble(rec, r, &mut out, &mut dim_ops, &mut truncates);
        }
        let dim_ops = self.with_truncates(state, &out, dim_ops, truncates)?;
        // Dimension rows are written before the batch's outputs are made
        // durable and its offsets stored (after the --strict check): a crash
        // repeats them, and the version rule makes a repeat a no-op.
        self.deletes = dim_ops.iter().map(dims::is_delete).collect();
        state.before_durable(dim_ops);
        emit(out)
    }

    fn before_durable_applied(&mut self, replies: Vec<Reply>) -> Result<()> {
        self.counts.dims.add(&self.deletes, &replies)
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        let c = self.counts;
        vec![
            ("facts", c.facts),
            ("dims_written", c.dims.written),
            ("dims_deleted", c.dims.deleted),
            ("dims_stale", c.dims.stale),
            ("unlisted", c.unlisted),
            ("ddl", c.ddl),
            ("control", c.control),
            ("tombstones", c.tombstones),
            ("truncates", c.truncates),
        ]
    }
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    match (args.tables, args.io) {
        (Some(RouteDbCommand::Tables(cmd)), _) => tables::tables(cmd, settings),
        (None, Some(io)) => route(io, args.format, settings, shutdown),
        (None, None) => Err(Failure::usage(
            "route-db needs --from and --to (or the `tables` subcommand); see rtdw route-db --help",
        )),
    }
}

fn route(
    io: StreamArgs,
    format: Option<Format>,
    settings: &Settings,
    shutdown: &Shutdown,
) -> Result<ExitStatus> {
    io.check(TOOL, Writes::Records)?;
    let state = open_state(&io, settings, shutdown)?;
    tracing::info!("dimension rows and table lists in {}", state.describe());
    let tool = StreamTool {
        name: TOOL,
        inputs: vec![settings.topic(INPUT)],
        streams: vec![StreamDef::record(settings.topic(DIRTY_TOPIC))],
        dirty: DIRTY,
        rewind: None,
        state: Some(state),
    };
    let mut transform = RouteDb::new(settings, format, io.plausible());
    run_stream(tool, &io, settings, shutdown, &mut transform)
}

/// The transform in process against the embedded store (issue 18).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::in_process;
    use crate::settings::GlobalArgs;

    const USER: &str = r#"{"database":"gmall","table":"user_info","type":"insert","ts":1795312800,"xid":1,"data":{"id":7,"gender":"F"}}"#;
    const ORDER: &str = r#"{"database":"gmall","table":"order_info","type":"insert","ts":1795312800,"xid":2,"data":{"id":9,"total_amount":"1.00"}}"#;

    fn rows(store: &crate::state::retrying::Retrying) -> Vec<String> {
        let replies = store
            .exec(vec![Op::Keys("DIM:USER_INFO:*".into())])
            .unwrap();
        replies.into_iter().next_strs().unwrap()
    }

    #[test]
    fn a_strict_batch_writes_no_row_and_a_lenient_one_routes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let store = in_process::store(dir.path());
        store
            .exec(vec![
                Op::SAdd {
                    key: dims::FACT_TABLES.into(),
                    members: vec!["order_info".into()],
                },
                Op::SAdd {
                    key: dims::DIM_TABLES.into(),
                    members: vec!["user_info".into()],
                },
            ])
            .unwrap();
        let settings = Settings::resolve(&GlobalArgs::default()).unwrap();
        let records = in_process::lines("db.jsonl", None, &[USER, ORDER, "not json"]);
        let mut route = RouteDb::new(&settings, None, Plausible::default());
        let err = in_process::batch(&mut route, &store, &records, true).unwrap_err();
        assert!(err.to_string().contains("db.jsonl:3"), "{err}");
        assert!(
            rows(&store).is_empty(),
            "no dimension row from a rejected batch"
        );
        // (The run ends there, exit 65; a new one routes the same records.)
        let mut route = RouteDb::new(&settings, None, Plausible::default());

        let outs = in_process::batch(&mut route, &store, &records, false).unwrap();
        let values = in_process::values(&outs);
        assert_eq!(values.len(), 2, "{values:?}");
        assert!(values
            .iter()
            .any(|(s, v)| *s == DIRTY && v["source"] == "db.jsonl:3"));
        assert!(values.iter().any(|(s, v)| *s != DIRTY && v["id"] == 9));
        assert_eq!(rows(&store), vec!["DIM:USER_INFO:7".to_string()]);
        let counts: std::collections::HashMap<_, _> = route.counts().into_iter().collect();
        assert_eq!((counts["dims_written"], counts["facts"]), (1, 1));
        // An older change of the row: the version rule makes its write stale.
        let older = USER.replace("1795312800", "1795312700");
        let older = in_process::lines("old.jsonl", None, &[older.as_str()]);
        in_process::batch(&mut route, &store, &older, false).unwrap();
        let counts: std::collections::HashMap<_, _> = route.counts().into_iter().collect();
        assert_eq!(counts["dims_stale"], 1);
    }
}
