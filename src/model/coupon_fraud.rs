//! The coupon-fraud rule (SPEC §4.7, seed 002) in event time: per device
//! (`mid`), at least `min_users` distinct users took a coupon within a
//! span shorter than `window`, and the device did not browse in that span.
//!
//! Each coupon taken is a candidate end of a span: it is evaluated over
//! the span `(t − window, t]` once the watermark has passed `t`, that is,
//! once no event at or before `t` can still be accepted. Streaming input
//! moves the watermark to the newest event time minus the allowed
//! lateness, per event, and drops (and counts) events behind it; bounded
//! input is fed in event-time order and the watermark follows each event.
//! Either way an alert depends only on the events accepted, never on how
//! they were batched, and at most one fires per device and minute (the
//! first completing event of that minute).
//!
//! State is evicted as the watermark passes: what is older than the
//! watermark minus the window can be in no span still to be evaluated, so
//! memory follows the devices active in the last window.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub window_ms: i64,
    pub min_users: usize,
    pub lateness_ms: i64,
}

/// A coupon taken: by whom (empty: a visitor not logged in, who counts as
/// no user), which coupon, on the page view of which time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub uid: String,
    pub item: String,
    pub page_ts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An action of the device at `ts` (its id goes to the alert's events);
    /// `coupon` when it is a `get_coupon`.
    Action {
        ts: i64,
        action_id: String,
        coupon: Option<Coupon>,
    },
    /// A view of a browse page at `ts` (browsing, unless a coupon was taken on it).
    View { ts: i64 },
}

impl Event {
    pub fn ts(&self) -> i64 {
        match self {
            Event::Action { ts, .. } | Event::View { ts } => *ts,
        }
    }
}

/// One alert: the span's users, coupons and actions, and the time of the
/// coupon that completed the pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub mid: String,
    pub uids: Vec<String>,
    pub item_ids: Vec<String>,
    pub events: Vec<String>,
    pub ts: i64,
}

#[derive(Debug, Default)]
struct Device {
    /// (time, action id, coupon), in time order.
    actions: Vec<(i64, String, Option<Coupon>)>,
    /// Browse-page views, in time order.
    views: Vec<i64>,
    /// Page views (by their time) on which a coupon was taken.
    coupon_pages: HashSet<i64>,
    /// Minutes (Unix minutes) already alerted.
    alerted: BTreeSet<i64>,
}

impl Device {
    fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.views.is_empty() && self.alerted.is_empty()
    }
}

fn insert_sorted<T>(v: &mut Vec<T>, item: T, key: impl Fn(&T) -> i64) {
    let k = key(&item);
    let at = v.partition_point(|x| key(x) <= k);
    v.insert(at, item);
}

pub struct Engine {
    rule: Rule,
    devices: HashMap<String, Device>,
    /// Coupons to evaluate: (time, mid), earliest first.
    pending: BinaryHeap<Reverse<(i64, String)>>,
    /// Events before this are late; coupons before it have been evaluated.
    watermark: i64,
    max_ts: i64,
    /// Streaming: the watermark trails the newest event; bounded: the caller moves it.
    streaming: bool,
    pub late: u64,
}

impl Engine {
    /// An engine for unbounded input: events behind the watermark are late.
    pub fn streaming(rule: Rule) -> Engine {
        Engine::new(rule, true)
    }

    /// An engine for bounded input fed in event-time order ([`Engine::evaluate_bounded`]).
    pub fn bounded(rule: Rule) -> Engine {
        Engine::new(rule, false)
    }

    /// An engine whose watermark the caller moves with [`Engine::advance_to`]
    /// (e.g. the least of several inputs' watermarks); events behind it are late.
    pub fn driven(rule: Rule) -> Engine {
        Engine::new(rule, false)
    }

    fn new(rule: Rule, streaming: bool) -> Engine {
        Engine {
            rule,
            devices: HashMap::new(),
            pending: BinaryHeap::new(),
            watermark: i64::MIN,
            max_ts: i64::MIN,
            streaming,
            late: 0,
        }
    }

    pub fn watermark(&self) -> i64 {
        self.watermark
    }

    /// Devices with state (for memory figures).
    pub fn devices(&self) -> usize {
        self.devices.len()
    }

    /// Accepts an event, or counts it late (false) when it is behind the watermark.
    pub fn push(&mut self, mid: &str, event: Event) -> bool {
        let ts = event.ts();
        if ts < self.watermark {
            self.late += 1;
            return false;
        }
        if self.streaming && ts > self.max_ts {
            self.max_ts = ts;
            self.watermark = self.watermark.max(ts.saturating_sub(self.rule.lateness_ms));
        }
        let device = self.devices.entry(mid.to_string()).or_default();
        match event {
            Event::View { ts } => insert_sorted(&mut device.views, ts, |t| *t),
            Event::Action {
                ts,
                action_id,
                coupon,
            } => {
                if let Some(c) = &coupon {
                    device.coupon_pages.insert(c.page_ts);
                    self.pending.push(Reverse((ts, mid.to_string())));
                }
                insert_sorted(&mut device.actions, (ts, action_id, coupon), |a| a.0);
            }
        }
        true
    }

    /// Evaluates the coupons the watermark has passed and evicts what no
    /// span to come can hold. Streaming callers call it after each batch.
    pub fn advance(&mut self) -> Vec<Alert> {
        self.advance_to(self.watermark)
    }

    /// Evaluates every coupon before `watermark` (bounded input moves it
    /// itself; `i64::MAX` at the end of the input).
    pub fn advance_to(&mut self, watermark: i64) -> Vec<Alert> {
        self.watermark = self.watermark.max(watermark);
        let mut alerts = Vec::new();
        while let Some(Reverse((ts, _))) = self.pending.peek() {
            if *ts >= self.watermark {
                break;
            }
            let Some(Reverse((ts, mid))) = self.pending.pop() else {
                break;
            };
            if let Some(alert) = self.evaluate(&mid, ts) {
                alerts.push(alert);
            }
        }
        self.evict();
        alerts
    }

    /// Feeds bounded input in event-time order and evaluates all of it.
    pub fn evaluate_bounded(&mut self, mut events: Vec<(String, Event)>) -> Vec<Alert> {
        // Ties in a stable order, so that line order never matters.
        events.sort_by(|(ma, a), (mb, b)| {
            (a.ts(), ma, matches!(a, Event::View { .. })).cmp(&(
                b.ts(),
                mb,
                matches!(b, Event::View { .. }),
            ))
        });
        let mut alerts = Vec::new();
        for (mid, event) in events {
            let ts = event.ts();
            if ts > self.watermark {
                alerts.extend(self.advance_to(ts));
            }
            self.push(&mid, event);
        }
        alerts.extend(self.advance_to(i64::MAX));
        alerts
    }

    fn evaluate(&mut self, mid: &str, ts: i64) -> Option<Alert> {
        let rule = self.rule;
        let device = self.devices.get_mut(mid)?;
        let minute = ts.div_euclid(60_000);
        if device.alerted.contains(&minute) {
            return None;
        }
        let from = ts.saturating_sub(rule.window_ms); // exclusive
        let in_span = |t: i64| t > from && t <= ts;
        let browsed = device
            .views
            .iter()
            .any(|&v| in_span(v) && !device.coupon_pages.contains(&v));
        if browsed {
            return None;
        }
        let (mut uids, mut items, mut events) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
        for (t, action_id, coupon) in &device.actions {
            if !in_span(*t) {
                continue;
            }
            events.push(action_id.clone());
            if let Some(c) = coupon {
                if !c.uid.is_empty() {
                    uids.insert(c.uid.clone());
                }
                items.insert(c.item.clone());
            }
        }
        if uids.len() < rule.min_users {
            return None;
        }
        device.alerted.insert(minute);
        Some(Alert {
            mid: mid.to_string(),
            uids: uids.into_iter().collect(),
            item_ids: items.into_iter().collect(),
            events,
            ts,
        })
    }

    fn evict(&mut self) {
        if self.watermark == i64::MIN {
            return;
        }
        let horizon = self.watermark.saturating_sub(self.rule.window_ms);
        let minute = self.watermark.div_euclid(60_000);
        self.devices.retain(|_, d| {
            d.actions
                .drain(..d.actions.partition_point(|a| a.0 <= horizon));
            d.views.drain(..d.views.partition_point(|&v| v <= horizon));
            d.coupon_pages.retain(|&p| p > horizon);
            // Coupons still to evaluate are at the watermark or later.
            d.alerted = d.alerted.split_off(&minute);
            !d.is_empty()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn rule() -> Rule {
        Rule {
            window_ms: 5 * MIN,
            min_users: 3,
            lateness_ms: MIN,
        }
    }

    fn coupon(ts: i64, uid: &str) -> (String, Event) {
        (
            "m1".into(),
            Event::Action {
                ts,
                action_id: "get_coupon".into(),
                coupon: Some(Coupon {
                    uid: uid.into(),
                    item: format!("c{uid}"),
                    page_ts: ts - 1000,
                }),
            },
        )
    }

    fn view(ts: i64) -> (String, Event) {
        ("m1".into(), Event::View { ts })
    }

    /// A view on which a coupon was taken (not browsing).
    fn coupon_on_view(ts: i64, uid: &str) -> Vec<(String, Event)> {
        let (mid, mut c) = coupon(ts + 500, uid);
        if let Event::Action {
            coupon: Some(ref mut k),
            ..
        } = c
        {
            k.page_ts = ts;
        }
        vec![view(ts), (mid, c)]
    }

    /// Streams `events` in this order, then lets the watermark pass everything.
    fn stream(events: Vec<(String, Event)>) -> (Vec<Alert>, u64) {
        let mut e = Engine::streaming(rule());
        let mut alerts = Vec::new();
        for (mid, ev) in events {
            e.push(&mid, ev);
            alerts.extend(e.advance());
        }
        alerts.extend(e.advance_to(i64::MAX));
        (alerts, e.late)
    }

    fn minutes(alerts: &[Alert]) -> Vec<i64> {
        alerts.iter().map(|a| a.ts / MIN).collect()
    }

    #[test]
    fn the_scenarios_of_the_rule() {
        let t0 = 1_000 * MIN;
        type Case = (&'static str, Vec<(String, Event)>, Vec<i64>, u64);
        let cases: Vec<Case> = vec![
            (
                "3 users in 2 minutes",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + MIN, "2"),
                    coupon(t0 + 2 * MIN, "3"),
                ],
                vec![1002],
                0,
            ),
            (
                "2 users",
                vec![coupon(t0, "1"), coupon(t0 + MIN, "2")],
                vec![],
                0,
            ),
            (
                "3 users with a browsing view in between",
                vec![
                    coupon(t0, "1"),
                    view(t0 + 30_000),
                    coupon(t0 + MIN, "2"),
                    coupon(t0 + 2 * MIN, "3"),
                ],
                vec![],
                0,
            ),
            (
                "a view with a coupon taken on it is not browsing",
                [coupon(t0, "1"), coupon(t0 + MIN, "2")]
                    .into_iter()
                    .chain(coupon_on_view(t0 + 90_000, "3"))
                    .collect(),
                vec![1001],
                0,
            ),
            (
                "3 users over 12 minutes",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + 6 * MIN, "2"),
                    coupon(t0 + 12 * MIN, "3"),
                ],
                vec![],
                0,
            ),
            (
                "4 users in 1 minute: one alert",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + 10_000, "2"),
                    coupon(t0 + 20_000, "3"),
                    coupon(t0 + 30_000, "4"),
                ],
                vec![1000],
                0,
            ),
            (
                "the pattern again 10 minutes later",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + 10_000, "2"),
                    coupon(t0 + 20_000, "3"),
                    coupon(t0 + 10 * MIN, "4"),
                    coupon(t0 + 10 * MIN + 10_000, "5"),
                    coupon(t0 + 10 * MIN + 20_000, "6"),
                ],
                vec![1000, 1010],
                0,
            ),
            (
                "the browsing view arrives late, within lateness",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + 20_000, "2"),
                    coupon(t0 + 40_000, "3"),
                    coupon(t0 + 80_000, "4"),
                    view(t0 + 30_000),
                ],
                vec![],
                0,
            ),
            (
                "a coupon after the lateness bound",
                vec![
                    coupon(t0, "1"),
                    coupon(t0 + 20_000, "2"),
                    coupon(t0 + 10 * MIN, "9"),
                    coupon(t0 + 40_000, "3"),
                ],
                vec![],
                1,
            ),
        ];
        for (name, events, want, late) in cases {
            let (alerts, counted_late) = stream(events.clone());
            assert_eq!(minutes(&alerts), want, "{name} (streamed)");
            assert_eq!(counted_late, late, "{name}: late events");
            if late == 0 {
                let bounded = Engine::bounded(rule()).evaluate_bounded(events);
                assert_eq!(bounded, alerts, "{name}: bounded input gives the same");
            }
        }
    }

    #[test]
    fn an_alert_names_the_span() {
        let t0 = 1_000 * MIN;
        let (alerts, _) = stream(vec![
            coupon(t0, "1"),
            (
                "m1".into(),
                Event::Action {
                    ts: t0 + 5_000,
                    action_id: "favor_add".into(),
                    coupon: None,
                },
            ),
            coupon(t0 + 10_000, "2"),
            coupon(t0 + 20_000, "2"),
            coupon(t0 + 30_000, "3"),
        ]);
        assert_eq!(alerts.len(), 1);
        let a = &alerts[0];
        assert_eq!(a.uids, ["1", "2", "3"]);
        assert_eq!(a.item_ids, ["c1", "c2", "c3"]);
        assert_eq!(
            a.events,
            [
                "get_coupon",
                "favor_add",
                "get_coupon",
                "get_coupon",
                "get_coupon"
            ]
        );
        assert_eq!(a.ts, t0 + 30_000);
    }

    #[test]
    fn state_is_evicted_behind_the_watermark() {
        let mut e = Engine::streaming(rule());
        for d in 0..1000 {
            e.push(&format!("m{d}"), coupon(d * 1000, "1").1);
        }
        e.advance();
        // Watermark 939 s, so what is at or before 639 s is gone.
        assert_eq!(e.devices(), 360);
        e.push("late-riser", coupon(100 * MIN, "1").1);
        e.advance();
        assert_eq!(e.devices(), 1, "only the device of the last window");
    }
}
