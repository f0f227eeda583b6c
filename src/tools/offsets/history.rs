//! `offsets history`: the audit log of executed resets and deletes.

use std::io::Write;

use anyhow::Result;

use super::table::{cell, render};
use super::{audit_store, HistoryArgs};
use crate::exit::{ExitStatus, Failure};
use crate::offsets::admin::GroupStore;
use crate::offsets::history;
use crate::settings::Settings;

pub fn history(a: HistoryArgs, settings: &Settings) -> Result<ExitStatus> {
    let store = GroupStore::open(a.store.store.as_ref(), settings)?;
    let entries = history::read(audit_store(&store, settings)?.as_ref(), &a.group)?;
    let mut out = std::io::stdout().lock();
    if let Some(id) = &a.undo {
        let entry = entries.iter().find(|e| &e.id == id).ok_or_else(|| {
            Failure::usage(format!("group {} has no history entry {id}", a.group))
        })?;
        let mut rows = Vec::new();
        for c in &entry.changes {
            match c.before {
                Some(o) => rows.push(vec![
                    c.topic.clone(),
                    c.partition.to_string(),
                    o.to_string(),
                ]),
                None => eprintln!(
                    "{}/{}: nothing was stored before {id}; undo it with `rtdw offsets delete`",
                    c.topic, c.partition
                ),
            }
        }
        // The --export/--from-file form, which Kafka's tool reads too: no header.
        write!(out, "{}", crate::csv_text::write_rows(rows))?;
        return Ok(ExitStatus::Success);
    }
    if a.format.json {
        // One compact object per line, as every --json output.
        for e in &entries {
            serde_json::to_writer(&mut out, e)?;
            writeln!(out)?;
        }
        return Ok(ExitStatus::Success);
    }
    let mut rows = Vec::new();
    let as_csv = a.format.csv;
    // CSV leaves an unknown offset empty; the table shows `-`.
    let shown = |o: Option<i64>| match (o, as_csv) {
        (None, true) => String::new(),
        (o, _) => cell(o),
    };
    for e in &entries {
        for c in &e.changes {
            rows.push(vec![
                e.id.clone(),
                e.by.clone(),
                e.action.clone(),
                c.topic.clone(),
                c.partition.to_string(),
                shown(c.before),
                shown(c.after),
            ]);
        }
    }
    if as_csv {
        let header = [
            "id",
            "by",
            "action",
            "topic",
            "partition",
            "before",
            "after",
        ];
        write!(out, "{}", crate::csv_text::write(&header, rows))?;
    } else {
        let header = [
            "ID",
            "BY",
            "ACTION",
            "TOPIC",
            "PARTITION",
            "BEFORE",
            "AFTER",
        ];
        write!(out, "{}", render(&header, &rows))?;
    }
    Ok(ExitStatus::Success)
}
