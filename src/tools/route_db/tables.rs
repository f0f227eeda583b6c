//! `rtdw route-db tables`: show or change the fact and dimension lists.

use anyhow::{Context, Result};

use super::{TableNames, TablesCommand};
use crate::dims::{self, Kind, Names, TableLists};
use crate::exit::{ExitStatus, Failure};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::state::retrying::Retrying;
use crate::state::{self, Op};

pub(super) fn tables(cmd: TablesCommand, settings: &Settings) -> Result<ExitStatus> {
    let state = state::open(&settings.state, settings.redis.as_deref())?;
    // One attempt: a person at a shell wants the error now, not a retry loop.
    let state = Retrying::new(
        state,
        crate::retry::RetryPolicy::new(Some(std::time::Duration::ZERO)),
        Shutdown::default(),
    );
    let names = Names::new(settings);
    let change = |names_arg: TableNames, add: bool| -> Result<()> {
        let mut ops = Vec::new();
        for (kind, tables) in [(Kind::Fact, names_arg.fact), (Kind::Dim, names_arg.dim)] {
            if tables.is_empty() {
                continue;
            }
            let members: Vec<String> = tables.iter().map(|t| dims::normalise(t)).collect();
            if let Some(bad) = members.iter().find(|t| t.is_empty()) {
                return Err(Failure::usage(format!("empty table name `{bad}`")));
            }
            let key = names.list_key(kind).to_string();
            ops.push(if add {
                Op::SAdd { key, members }
            } else {
                Op::SRem { key, members }
            });
        }
        state
            .exec(ops)
            .with_context(|| format!("changing the table lists in {}", state.describe()))?;
        Ok(())
    };
    match cmd {
        TablesCommand::Add(n) => change(n, true)?,
        TablesCommand::Remove(n) => change(n, false)?,
        TablesCommand::List { json } => {
            let lists = TableLists::read(&state, &names)?;
            let mut out = std::io::stdout().lock();
            use std::io::Write;
            if json {
                let v = serde_json::json!({"fact": lists.facts, "dim": lists.dims});
                writeln!(out, "{v}")?;
            } else {
                if lists.facts.is_empty() && lists.dims.is_empty() {
                    tracing::warn!(
                        "no table is listed in {}: add them with `rtdw route-db tables add --fact order_info --dim user_info …`",
                        state.describe()
                    );
                }
                for (kind, set) in [(Kind::Fact, &lists.facts), (Kind::Dim, &lists.dims)] {
                    for t in set {
                        writeln!(out, "{}\t{t}", kind.label())?;
                    }
                }
            }
            return Ok(ExitStatus::Success);
        }
    }
    // Show the lists as they are now, on stderr (stdout stays for data).
    let lists = TableLists::read(&state, &names)?;
    tracing::info!(
        "{}: {:?}; {}: {:?} (in {})",
        names.fact_tables,
        lists.facts,
        names.dim_tables,
        lists.dims,
        state.describe()
    );
    Ok(ExitStatus::Success)
}
