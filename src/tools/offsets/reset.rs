//! `offsets reset` and `offsets delete`.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{anyhow, Context, Result};

use super::table::{cell, render};
use super::{audit_store, log_bounds, slots, DeleteArgs, ResetArgs, Slot, TopicScope};
use crate::exit::{ExitStatus, Failure};
use crate::offsets::admin::GroupStore;
use crate::offsets::history::{self, Change, Entry};
use crate::offsets::plan::{self, Row, Target};
use crate::settings::Settings;

/// The specifier given, and its name for the audit log.
fn target(a: &ResetArgs, settings: &Settings) -> Result<(Target, String)> {
    if a.to_earliest {
        return Ok((Target::Earliest, "--to-earliest".into()));
    }
    if a.to_latest {
        return Ok((Target::Latest, "--to-latest".into()));
    }
    if a.to_current {
        return Ok((Target::Current, "--to-current".into()));
    }
    if let Some(n) = a.to_offset {
        if n < 0 {
            return Err(Failure::usage(format!(
                "--to-offset {n}: an offset is 0 or more; to move back from the stored offsets use --shift-by {n}"
            )));
        }
        return Ok((Target::Offset(n), format!("--to-offset {n}")));
    }
    if let Some(n) = a.shift_by {
        return Ok((Target::ShiftBy(n), format!("--shift-by {n}")));
    }
    if let Some(text) = &a.to_datetime {
        let t = parse_datetime(text, settings)?;
        return Ok((Target::Time(t), format!("--to-datetime {text} ({t})")));
    }
    if let Some(text) = &a.by_duration {
        let span: jiff::Span = text.parse().map_err(|e| {
            Failure::usage(format!(
                "--by-duration {text}: {e} (ISO 8601, e.g. PT30M or P1DT2H)"
            ))
        })?;
        let now = jiff::Zoned::now().with_time_zone(settings.tz.clone());
        let t = now
            .checked_sub(span)
            .map_err(|e| Failure::usage(format!("--by-duration {text}: {e}")))?
            .timestamp();
        eprintln!("--by-duration {text}: records from {t} on");
        return Ok((Target::Time(t), format!("--by-duration {text} ({t})")));
    }
    if let Some(path) = &a.from_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("--from-file {}", path.display()))?;
        let rows = plan::parse_csv(&text, &path.display().to_string())
            .map_err(|e| Failure::usage(format!("{e:#}")))?;
        return Ok((
            Target::File(rows),
            format!("--from-file {}", path.display()),
        ));
    }
    Err(Failure::usage(
        "give one reset specifier (--to-earliest, --to-offset N, …)",
    ))
}

/// An ISO 8601 time. With an offset or a `[zone]` it means that instant;
/// without, it is read in `--tz` (unlike kafka-consumer-groups.sh, which
/// silently reads it as UTC). The instant used is printed either way.
fn parse_datetime(text: &str, settings: &Settings) -> Result<jiff::Timestamp> {
    if let Ok(z) = text.parse::<jiff::Zoned>() {
        eprintln!("--to-datetime {text} = {}", z.timestamp());
        return Ok(z.timestamp());
    }
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        eprintln!("--to-datetime {text} = {t}");
        return Ok(t);
    }
    let civil: jiff::civil::DateTime = text.parse().map_err(|e| {
        Failure::usage(format!(
            "--to-datetime {text}: {e} (e.g. 2026-11-22T10:00:00+08:00, or zone-less in --tz)"
        ))
    })?;
    let z = civil.to_zoned(settings.tz.clone()).map_err(|e| {
        Failure::usage(format!("--to-datetime {text} in {}: {e}", settings.tz_name))
    })?;
    eprintln!(
        "--to-datetime {text} has no zone: read in {} (--tz) = {}",
        settings.tz_name,
        z.timestamp()
    );
    Ok(z.timestamp())
}

/// The topics a reset covers.
fn scopes(a: &ResetArgs, store: &GroupStore, target: &Target) -> Result<Vec<TopicScope>> {
    if !a.topic.is_empty() {
        return Ok(a.topic.clone());
    }
    if a.all_topics {
        let topics = store.topics(&a.group)?;
        if topics.is_empty() {
            return Err(Failure::usage(format!(
                "--all-topics: group {} has no stored offsets in {}",
                a.group,
                store.describe()
            )));
        }
        return Ok(topics
            .into_iter()
            .map(|topic| TopicScope {
                topic,
                partitions: None,
            })
            .collect());
    }
    // --from-file alone: the file's partitions.
    let Target::File(rows) = target else {
        return Err(Failure::usage("give --topic T[:P,…] or --all-topics"));
    };
    let mut by_topic: BTreeMap<String, std::collections::BTreeSet<i32>> = BTreeMap::new();
    for (topic, p) in rows.keys() {
        by_topic.entry(topic.clone()).or_default().insert(*p);
    }
    Ok(by_topic
        .into_iter()
        .map(|(topic, parts)| TopicScope {
            topic,
            partitions: Some(parts),
        })
        .collect())
}

/// Refuses while the group is live, unless forced.
fn check_not_live(store: &GroupStore, group: &str, force: bool) -> Result<()> {
    let live = store.liveness(group);
    if force {
        if live.is_live() {
            eprintln!(
                "--force: changing offsets of live group {group} ({})",
                live.describe()
            );
        }
        return Ok(());
    }
    if live.is_live() {
        return Err(anyhow!(
            "group {group} is live: {}. Stop it first (its next commit would overwrite the reset), or pass --force",
            live.describe()
        ));
    }
    if let Some(why) = live.unknown {
        return Err(anyhow!("cannot verify group state: {why}; use --force"));
    }
    Ok(())
}

pub fn reset(a: ResetArgs, settings: &Settings) -> Result<ExitStatus> {
    let store = GroupStore::open(a.store.store.as_ref(), settings)?;
    let log = log_bounds(settings)?;
    let (target, action) = target(&a, settings)?;
    if log.is_none() {
        eprintln!("warning: no --brokers: targets are not clamped into the log");
    }
    let mut rows: Vec<Row> = Vec::new();
    let scopes = scopes(&a, &store, &target)?;
    for Slot {
        topic,
        partition: p,
        stored: current,
        bounds,
    } in slots(&store, log.as_ref(), &a.group, &scopes)?
    {
        let at_time = |t: jiff::Timestamp| -> Result<i64> {
            let (Some(l), Some(b)) = (&log, bounds) else {
                return Err(Failure::usage(
                    "--to-datetime and --by-duration need --brokers",
                ));
            };
            l.offset_at(&topic, p, t.as_millisecond(), b)
        };
        let Some(want) = plan::target_of(&target, &topic, p, current, bounds, &at_time)
            .map_err(|e| Failure::usage(format!("{e:#}")))?
        else {
            continue;
        };
        let (new, note) = plan::clamp(want, bounds);
        if let Some(n) = &note {
            eprintln!("warning: {topic}/{p}: {n}");
        }
        rows.push(Row {
            topic,
            partition: p,
            stored: current,
            new,
            note,
        });
    }
    print_plan(&rows, &a)?;
    if let Some(path) = &a.export {
        std::fs::write(path, plan::to_export(&rows))
            .with_context(|| format!("--export {}", path.display()))?;
    }
    if !a.execute {
        eprintln!("dry run: nothing changed; add --execute to apply this plan");
        return Ok(ExitStatus::Success);
    }
    check_not_live(&store, &a.group, a.force)?;
    let mut by_topic: BTreeMap<&str, BTreeMap<i32, i64>> = BTreeMap::new();
    for r in &rows {
        by_topic
            .entry(&r.topic)
            .or_default()
            .insert(r.partition, r.new);
    }
    for (topic, offsets) in &by_topic {
        store.write(&a.group, topic, offsets)?;
    }
    let changes = rows
        .iter()
        .map(|r| Change {
            topic: r.topic.clone(),
            partition: r.partition,
            before: r.stored,
            after: Some(r.new),
        })
        .collect();
    let entry = Entry::new(store.describe(), format!("reset {action}"), changes);
    history::append(audit_store(&store, settings)?.as_ref(), &a.group, &entry)?;
    eprintln!(
        "reset {} partitions of group {} (history entry {})",
        rows.len(),
        a.group,
        entry.id
    );
    Ok(ExitStatus::Success)
}

fn print_plan(rows: &[Row], a: &ResetArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.format.json {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "group": a.group, "executed": a.execute, "plan": rows }),
        )?;
        writeln!(out)?;
    } else if a.format.csv {
        write!(out, "{}", plan::to_csv(rows))?;
    } else {
        let table: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.topic.clone(),
                    r.partition.to_string(),
                    cell(r.stored),
                    r.new.to_string(),
                ]
            })
            .collect();
        write!(
            out,
            "{}",
            render(&["TOPIC", "PARTITION", "STORED", "NEW"], &table)
        )?;
    }
    Ok(())
}

pub fn delete(a: DeleteArgs, settings: &Settings) -> Result<ExitStatus> {
    let store = GroupStore::open(a.store.store.as_ref(), settings)?;
    let mut changes = Vec::new();
    for topic in &a.topic {
        let stored = store.load(&a.group, topic, &[])?;
        if stored.is_empty() {
            eprintln!("group {} has no stored offsets for {topic}", a.group);
        }
        for (p, o) in stored {
            writeln!(std::io::stdout(), "{topic}\t{p}\t{o}")?;
            changes.push(Change {
                topic: topic.clone(),
                partition: p,
                before: Some(o),
                after: None,
            });
        }
    }
    if !a.execute {
        eprintln!("dry run: nothing deleted; add --execute to delete these offsets");
        return Ok(ExitStatus::Success);
    }
    check_not_live(&store, &a.group, a.force)?;
    store.delete(&a.group, &a.topic)?;
    let entry = Entry::new(
        store.describe(),
        format!("delete --topic {}", a.topic.join(",")),
        changes,
    );
    history::append(audit_store(&store, settings)?.as_ref(), &a.group, &entry)?;
    eprintln!("deleted (history entry {})", entry.id);
    Ok(ExitStatus::Success)
}
