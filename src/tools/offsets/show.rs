//! `offsets show` and `offsets list`.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::table::{cell, render};
use super::{log_bounds_if_up, slots, ListArgs, ShowArgs, Slot, TopicScope};
use crate::exit::{ExitStatus, Failure};
use crate::offsets::admin::{GroupStore, Liveness};
use crate::offsets::log_bounds::LogBounds;
use crate::settings::Settings;

/// One partition as `show` reports it.
#[derive(Debug, Serialize)]
pub struct PartitionRow {
    pub topic: String,
    pub partition: i32,
    /// `null` = nothing stored.
    pub stored: Option<i64>,
    pub log_start: Option<i64>,
    pub log_end: Option<i64>,
    pub lag: Option<i64>,
    /// Where a consumer starts when nothing is stored (the log start:
    /// rtdw's auto.offset.reset=earliest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<i64>,
}

#[derive(Debug, Serialize)]
struct ShowReport {
    group: String,
    store: String,
    partitions: Vec<PartitionRow>,
    total_lag: Option<i64>,
    live: Liveness,
}

/// The rows of `scopes` (every topic of the group when empty).
pub fn rows(
    store: &GroupStore,
    log: Option<&LogBounds>,
    group: &str,
    scopes: &[TopicScope],
) -> Result<Vec<PartitionRow>> {
    let scopes: Vec<TopicScope> = if scopes.is_empty() {
        store
            .topics(group)?
            .into_iter()
            .map(|topic| TopicScope {
                topic,
                partitions: None,
            })
            .collect()
    } else {
        scopes.to_vec()
    };
    Ok(slots(store, log, group, &scopes)?
        .into_iter()
        .map(
            |Slot {
                 topic,
                 partition,
                 stored,
                 bounds,
             }| PartitionRow {
                topic,
                partition,
                stored,
                log_start: bounds.map(|b| b.0),
                log_end: bounds.map(|b| b.1),
                lag: match (stored, bounds) {
                    (Some(s), Some((_, end))) => Some((end - s).max(0)),
                    (None, Some((start, end))) => Some(end - start),
                    _ => None,
                },
                starts_at: match (stored, bounds) {
                    (None, Some((start, _))) => Some(start),
                    _ => None,
                },
            },
        )
        .collect())
}

fn total_lag(rows: &[PartitionRow]) -> Option<i64> {
    rows.iter().map(|r| r.lag).sum()
}

pub fn show(a: ShowArgs, settings: &Settings) -> Result<ExitStatus> {
    let store = GroupStore::open(a.store.store.as_ref(), settings)?;
    let (log, log_unknown) = log_bounds_if_up(settings, &store)?;
    let groups: Vec<String> = match &a.group {
        Some(g) => vec![g.clone()],
        None => store.groups()?.into_keys().collect(),
    };
    if groups.is_empty() {
        return Err(Failure::usage(format!(
            "{} holds no group's offsets",
            store.describe()
        )));
    }
    let view = View {
        store: &store,
        log: log.as_ref(),
        log_unknown: log_unknown.as_deref(),
        scopes: &a.topic,
    };
    let mut out = std::io::stdout().lock();
    if a.format.csv {
        let header = [
            "group",
            "topic",
            "partition",
            "stored",
            "log_start",
            "log_end",
            "lag",
        ];
        let mut lines = Vec::new();
        for group in &groups {
            for r in view.rows_of(group, a.group.is_some())? {
                lines.push(vec![
                    group.clone(),
                    r.topic.clone(),
                    r.partition.to_string(),
                    csv_cell(r.stored),
                    csv_cell(r.log_start),
                    csv_cell(r.log_end),
                    csv_cell(r.lag),
                ]);
            }
        }
        write!(out, "{}", crate::csv_text::write(&header, lines))?;
        return Ok(ExitStatus::Success);
    }
    for (i, group) in groups.iter().enumerate() {
        if a.format.json {
            view.json(&mut out, group, a.group.is_some())?;
        } else {
            if i > 0 {
                writeln!(out)?;
            }
            view.table(&mut out, group, a.group.is_some())?;
        }
    }
    Ok(ExitStatus::Success)
}

/// What `show` reads once and renders per group.
struct View<'a> {
    store: &'a GroupStore,
    log: Option<&'a LogBounds>,
    log_unknown: Option<&'a str>,
    scopes: &'a [TopicScope],
}

impl View<'_> {
    /// The group's rows; with `named` (the user named the group) an empty
    /// result is an error saying why, else the group is just empty.
    fn rows_of(&self, group: &str, named: bool) -> Result<Vec<PartitionRow>> {
        let rows = rows(self.store, self.log, group, self.scopes)?;
        if rows.is_empty() && named {
            let why = if self.scopes.is_empty() {
                "; give --topic T (with --brokers) to see where it would start".to_string()
            } else if self.log.is_none() {
                format!(
                    " for {}; without a reachable broker the topics' partitions are unknown: give --brokers to see them",
                    self.scopes.iter().map(|t| t.topic.as_str()).collect::<Vec<_>>().join(", ")
                )
            } else {
                " for the topics given".to_string()
            };
            return Err(Failure::usage(format!(
                "group {group} has no stored offsets in {}{why}",
                self.store.describe()
            )));
        }
        Ok(rows)
    }

    fn json(&self, out: &mut impl Write, group: &str, named: bool) -> Result<()> {
        let rows = self.rows_of(group, named)?;
        let report = ShowReport {
            group: group.to_string(),
            store: self.store.describe(),
            total_lag: total_lag(&rows),
            partitions: rows,
            live: self.store.liveness(group),
        };
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
        Ok(())
    }

    fn table(&self, out: &mut impl Write, group: &str, named: bool) -> Result<()> {
        let rows = self.rows_of(group, named)?;
        let live = self.store.liveness(group);
        let total = total_lag(&rows);
        writeln!(out, "group {group} in {}", self.store.describe())?;
        writeln!(out, "{}", describe_live(&live))?;
        writeln!(out)?;
        let mut table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.topic.clone(),
                    r.partition.to_string(),
                    cell(r.stored),
                    cell(r.log_start),
                    cell(r.log_end),
                    cell(r.lag),
                ]
            })
            .collect();
        table.push(vec![
            "TOTAL".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            cell(total),
        ]);
        let header = [
            "TOPIC",
            "PARTITION",
            "STORED",
            "LOG-START",
            "LOG-END",
            "LAG",
        ];
        write!(out, "{}", render(&header, &table))?;
        for r in rows.iter().filter(|r| r.stored.is_none()) {
            match r.starts_at {
                Some(s) => writeln!(
                    out,
                    "{}/{}: nothing stored; a consumer starts at the log start, {s}",
                    r.topic, r.partition
                )?,
                None => writeln!(
                    out,
                    "{}/{}: nothing stored; a consumer starts at the log start",
                    r.topic, r.partition
                )?,
            }
        }
        match self.log_unknown {
            Some(why) => writeln!(out, "({why}: log start, end and lag unknown)")?,
            None if self.log.is_none() => {
                writeln!(out, "(no --brokers: log start, end and lag unknown)")?
            }
            None => {}
        }
        Ok(())
    }
}

fn csv_cell(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

fn describe_live(l: &Liveness) -> String {
    let mut parts = Vec::new();
    if let Some(state) = &l.group_state {
        parts.push(format!("group state {state}, {} members", l.members.len()));
    }
    if l.instances.is_empty() {
        parts.push("no live rtdw instances".to_string());
    } else {
        parts.push(format!("live: {}", l.describe()));
    }
    if let Some(why) = &l.unknown {
        parts.push(format!("cannot verify group state: {why}"));
    }
    parts.join("; ")
}

#[derive(Debug, Serialize)]
struct GroupSummary {
    group: String,
    topics: Vec<String>,
    total_lag: Option<i64>,
}

pub fn list(a: ListArgs, settings: &Settings) -> Result<ExitStatus> {
    let store = GroupStore::open(a.store.store.as_ref(), settings)?;
    let (log, _) = log_bounds_if_up(settings, &store)?;
    let mut groups = Vec::new();
    for (group, topics) in store.groups()? {
        let scopes: Vec<TopicScope> = topics
            .iter()
            .map(|t| TopicScope {
                topic: t.clone(),
                partitions: None,
            })
            .collect();
        // Only stored partitions count towards a listed group's lag.
        let rows = rows(&store, log.as_ref(), &group, &scopes)?;
        let stored: Vec<PartitionRow> = rows.into_iter().filter(|r| r.stored.is_some()).collect();
        groups.push(GroupSummary {
            group,
            topics,
            total_lag: total_lag(&stored),
        });
    }
    let mut out = std::io::stdout().lock();
    if a.format.json {
        // One compact object per line, as every --json output.
        for g in &groups {
            serde_json::to_writer(&mut out, g)?;
            writeln!(out)?;
        }
    } else if a.format.csv {
        let lines = groups
            .iter()
            .map(|g| vec![g.group.clone(), g.topics.join(" "), csv_cell(g.total_lag)]);
        let header = ["group", "topics", "total_lag"];
        write!(out, "{}", crate::csv_text::write(&header, lines))?;
    } else {
        let table: Vec<Vec<String>> = groups
            .iter()
            .map(|g| vec![g.group.clone(), g.topics.join(","), cell(g.total_lag)])
            .collect();
        write!(out, "{}", render(&["GROUP", "TOPICS", "LAG"], &table))?;
    }
    Ok(ExitStatus::Success)
}
