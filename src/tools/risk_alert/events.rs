//! From records to events and from events to alerts: each record's event
//! time and event, the engines (one per task, i.e. partition) and their
//! watermarks, and the alert documents.

use super::*;
use crate::enrich::text;
use crate::model::coupon_fraud::{Alert, Coupon, Engine, Event};
use crate::record::{InRecord, OutBuf};
use anyhow::{Context, Result};
use serde_json::{json, Map, Value};

/// Milliseconds from a JSON number.
/// Epoch ms in any integral form (SPEC §3.3).
pub(super) fn millis(v: Option<&Value>) -> Option<i64> {
    crate::model::lenient::integral(v?)
}

impl RiskAlert {
    /// The record's event time (epoch ms) and the event it carries, `None`
    /// for records the rule ignores (views of other pages), or why it is dirty.
    pub(super) fn event(&self, rec: &InRecord) -> Result<(i64, Option<(String, Event)>), String> {
        let row: Map<String, Value> =
            serde_json::from_slice(&rec.payload).map_err(|e| format!("not a JSON object: {e}"))?;
        let is_action = match rec.topic.as_deref() {
            Some(t) if t == self.action_topic => true,
            Some(t) if t == self.page_topic => false,
            _ => row.contains_key("action_id"),
        };
        let mid = text(row.get("mid")).ok_or("`mid` is missing")?;
        let page_ts = millis(row.get("ts")).ok_or("`ts` is missing or not a number")?;
        self.plausible.check(page_ts)?;
        if !is_action {
            let page = text(row.get("page_id")).ok_or("`page_id` is missing")?;
            let view = self.browse_pages.contains(&page);
            return Ok((page_ts, view.then_some((mid, Event::View { ts: page_ts }))));
        }
        let action_id = text(row.get("action_id")).ok_or("`action_id` is missing")?;
        let ts = match row.get("action_ts") {
            None | Some(Value::Null) => page_ts,
            Some(v) => crate::model::lenient::integral(v).ok_or_else(|| {
                format!("`action_ts` {v} is not an integral time in epoch milliseconds")
            })?,
        };
        self.plausible
            .check(ts)
            .map_err(|e| format!("`action_ts`: {e}"))?;
        let coupon = if action_id == COUPON_ACTION {
            // A visitor who is not logged in takes a coupon as no user.
            let uid = text(row.get("user_id"))
                .or_else(|| text(row.get("uid")))
                .unwrap_or_default();
            let item = text(row.get("action_item"))
                .or_else(|| text(row.get("item")))
                .unwrap_or_default();
            Some(Coupon { uid, item, page_ts })
        } else {
            None
        };
        Ok((
            ts,
            Some((
                mid,
                Event::Action {
                    ts,
                    action_id,
                    coupon,
                },
            )),
        ))
    }

    /// The windows of partition `task`, created on its first event.
    pub(super) fn engine(&mut self, task: i32) -> &mut Engine {
        let (rule, streaming, kafka) = (self.rule, self.streaming, self.splits.is_some());
        self.engines.entry(task).or_insert_with(|| {
            if kafka {
                Engine::driven(rule)
            } else if streaming {
                Engine::streaming(rule)
            } else {
                Engine::bounded(rule)
            }
        })
    }

    /// Moves each task's watermark and evaluates what it passed. Kafka: the
    /// least newest-event time of the task's topic-partitions that are not
    /// idle, minus the lateness; an assigned input that has delivered no
    /// event yet holds it until it idles (or a `--once` run finds it at its
    /// end). When every input idles: the newest of them.
    pub(super) fn advance(&mut self) -> Vec<Alert> {
        let Some(splits) = self.splits.as_ref() else {
            return self
                .engines
                .values_mut()
                .flat_map(Engine::advance)
                .collect();
        };
        let lateness = self.rule.lateness_ms;
        let mut alerts = Vec::new();
        for (task, engine) in &mut self.engines {
            let inputs: Vec<&Split> = splits
                .iter()
                .filter(|((_, p), _)| p == task)
                .map(|(_, s)| s)
                .collect();
            let active = inputs
                .iter()
                .filter(|s| !s.at_log_end && s.seen.elapsed() < SPLIT_IDLE);
            let newest = active
                .map(|s| s.newest)
                .min()
                .or_else(|| inputs.iter().map(|s| s.newest).max())
                .filter(|&t| t > i64::MIN);
            if let Some(newest) = newest {
                alerts.extend(engine.advance_to(newest.saturating_sub(lateness)));
            }
        }
        alerts
    }

    pub(super) fn late(&self) -> u64 {
        self.late_before + self.engines.values().map(|e| e.late).sum::<u64>()
    }

    pub(super) fn count(&mut self, event: &Event) {
        match event {
            Event::Action { coupon, .. } => {
                self.counts.actions += 1;
                self.counts.coupons += u64::from(coupon.is_some());
            }
            Event::View { .. } => self.counts.browse_views += 1,
        }
    }

    pub(super) fn write_alerts(&mut self, alerts: Vec<Alert>, out: &mut OutBuf) -> Result<()> {
        for a in alerts {
            let at = jiff::Timestamp::from_millisecond(a.ts)
                .with_context(|| format!("alert time {} of {}", a.ts, a.mid))?
                .to_zoned(self.tz.clone());
            let dt = at.date();
            let id = format!("{}_{}", a.mid, at.strftime("%Y-%m-%d_%H:%M"));
            let doc = json!({"mid": a.mid, "uids": a.uids, "item_ids": a.item_ids,
                "events": a.events, "ts": a.ts, "dt": dt.to_string()});
            let stream = self.days.stream(dt, out);
            let value = serde_json::to_vec(&doc).context("encoding an alert")?;
            out.push(stream, Some(id.as_bytes()), |o| o.extend_from_slice(&value));
            self.counts.alerts += 1;
        }
        Ok(())
    }
}
