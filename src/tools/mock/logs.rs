//! `rtdw mock logs`: ODS user-behaviour lines exactly as the log system
//! sends them (bare lines, not envelopes: a malformed line cannot be wrapped in one).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use anyhow::{Context, Result};
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use super::gmall::{PROVINCES, SKUS};
use super::{open_out, LineOut};
use crate::endpoint::To;
use crate::exit::{ExitStatus, Failure};
use crate::settings::Settings;
use crate::shutdown::Shutdown;

#[derive(Debug, Clone, Args)]
pub struct LogsArgs {
    /// Distinct devices (mid)
    #[arg(long, default_value_t = 1000)]
    pub devices: u32,
    /// Distinct user accounts (uid)
    #[arg(long, default_value_t = 500)]
    pub users: u32,
    /// Business date of the logs (YYYY-MM-DD, in --tz) [default: today]
    #[arg(long)]
    pub date: Option<jiff::civil::Date>,
    /// Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]
    #[arg(long)]
    pub seed: Option<u64>,
    /// Stop after this many lines [default: about three visits per device]
    #[arg(long)]
    pub lines: Option<u64>,
    /// Share of malformed lines (0.0–1.0)
    #[arg(long, default_value_t = 0.0)]
    pub dirty_ratio: f64,
    /// Share of devices that are coupon bots (many accounts taking coupons, no browsing)
    #[arg(long, default_value_t = 0.01)]
    pub bot_ratio: f64,
    /// Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_LOG.jsonl), kafka or kafka:TOPIC
    #[arg(long, default_value = "-")]
    pub to: To,
}

pub fn run(a: LogsArgs, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    if a.devices == 0 || a.users == 0 {
        return Err(Failure::usage("--devices and --users must be at least 1"));
    }
    if !(0.0..=1.0).contains(&a.dirty_ratio) || !(0.0..=1.0).contains(&a.bot_ratio) {
        return Err(Failure::usage(
            "--dirty-ratio and --bot-ratio are shares between 0.0 and 1.0",
        ));
    }
    let date = match a.date {
        Some(d) => d,
        None => jiff::Zoned::now()
            .with_time_zone(settings.tz.clone())
            .date(),
    };
    let day_start = date
        .to_zoned(settings.tz.clone())
        .with_context(|| format!("the start of {date} in {}", settings.tz_name))?
        .timestamp()
        .as_millisecond();
    let mut out = open_out(&a.to, settings, &settings.topic("ODS_BASE_LOG"))?;
    let mut gen = LogGen::new(&a, day_start, super::seed_for(a.seed, date));
    let target = a.lines.unwrap_or(u64::from(a.devices) * 3 * 7);
    let mut lines = Vec::new();
    let mut order = TimeOrder::default();
    let mut generated = 0u64;
    let mut shown = crate::progress::Progress::new("mock logs", Some(target));
    while generated < target && !shutdown.requested() {
        let progress = generated as f64 / target as f64;
        lines.clear();
        gen.visit(progress, &mut lines);
        for (ts, mid, line) in lines.drain(..).take((target - generated) as usize) {
            order.push(ts, mid, gen.maybe_dirty(&line));
            generated += 1;
            shown.add(1);
        }
        order.write_before(gen.earliest_visit(progress), &mut out)?;
    }
    shown.finish();
    order.write_before(i64::MAX, &mut out)?;
    let written = order.written;
    out.finish()?;
    tracing::info!("mock logs: {written} lines for {date}");
    Ok(ExitStatus::Success)
}

const BRANDS: [(&str, &[&str]); 5] = [
    ("Xiaomi", &["Xiaomi 10 Pro", "Xiaomi 9", "Redmi k30"]),
    ("Huawei", &["Huawei Mate 30", "Huawei P30", "Honor 20s"]),
    ("iPhone", &["iPhone 11", "iPhone X", "iPhone Xs Max"]),
    ("vivo", &["vivo iqoo3", "vivo x50"]),
    ("oneplus", &["Oneplus 7", "Oneplus 8"]),
];
const CHANNELS: [&str; 6] = ["xiaomi", "huawei", "oppo", "vivo", "Appstore", "wandoujia"];
const VERSIONS: [&str; 4] = ["v2.1.134", "v2.1.132", "v2.0.1", "v2.1.111"];
const DISPLAY_TYPES: [&str; 4] = ["activity", "promotion", "recommend", "query"];
const SOURCE_TYPES: [&str; 4] = ["promotion", "recommend", "query", "activity"];
const KEYWORDS: [&str; 5] = ["图书", "手机", "小米", "电视", "口红"];
const COUPONS: u32 = 3;
const DAY_MS: i64 = 86_400_000;
/// Visits start before 23:45 and so end within the day (a visit lasts minutes).
const LAST_VISIT_MS: i64 = DAY_MS - 15 * 60_000;

/// A log reaches the log server when it happens, not when its visit
/// starts: lines wait here, earliest first, until no visit to come can be
/// earlier (ties keep their generation order).
#[derive(Default)]
struct TimeOrder {
    waiting: BinaryHeap<Reverse<Waiting>>,
    seq: u64,
    written: u64,
}

/// (time, generation order, mid, line).
type Waiting = (i64, u64, String, Vec<u8>);

impl TimeOrder {
    fn push(&mut self, ts: i64, mid: String, line: Vec<u8>) {
        self.waiting.push(Reverse((ts, self.seq, mid, line)));
        self.seq += 1;
    }

    /// Writes the waiting lines older than `until`.
    fn write_before(&mut self, until: i64, out: &mut LineOut) -> Result<()> {
        while self.waiting.peek().is_some_and(|Reverse(w)| w.0 < until) {
            let Some(Reverse((_, _, mid, line))) = self.waiting.pop() else {
                break;
            };
            out.line(&mid, &line)?;
            self.written += 1;
        }
        Ok(())
    }
}

struct Device {
    mid: String,
    brand: &'static str,
    model: &'static str,
    os: String,
    channel: &'static str,
    province: String,
    version: &'static str,
    is_new: bool,
    bot: bool,
}

pub struct LogGen {
    rng: ChaCha8Rng,
    devices: Vec<Device>,
    users: u32,
    day_start: i64,
    dirty_ratio: f64,
}

impl LogGen {
    fn new(a: &LogsArgs, day_start: i64, seed: u64) -> LogGen {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let devices = (1..=a.devices)
            .map(|i| {
                let (brand, models) = BRANDS[rng.gen_range(0..BRANDS.len())];
                let os = if brand == "iPhone" {
                    format!("iOS 13.{}", rng.gen_range(0..4))
                } else {
                    format!("Android {}.0", rng.gen_range(8..12))
                };
                Device {
                    mid: format!("mid_{i}"),
                    brand,
                    model: models[rng.gen_range(0..models.len())],
                    os,
                    channel: if brand == "iPhone" {
                        "Appstore"
                    } else {
                        CHANNELS[rng.gen_range(0..CHANNELS.len())]
                    },
                    province: PROVINCES[rng.gen_range(0..PROVINCES.len())].id.to_string(),
                    version: VERSIONS[rng.gen_range(0..VERSIONS.len())],
                    is_new: rng.gen_bool(0.1),
                    bot: rng.gen_bool(a.bot_ratio),
                }
            })
            .collect();
        LogGen {
            rng,
            devices,
            users: a.users,
            day_start,
            dirty_ratio: a.dirty_ratio,
        }
    }

    fn common(&self, d: &Device, uid: Option<u32>) -> Value {
        let mut c = json!({
            "ar": d.province, "ba": d.brand, "ch": d.channel, "is_new": if d.is_new { "1" } else { "0" },
            "md": d.model, "mid": d.mid, "os": d.os, "vc": d.version,
        });
        if let (Some(uid), Some(m)) = (uid, c.as_object_mut()) {
            m.insert("uid".into(), Value::String(uid.to_string()));
        }
        c
    }

    /// The earliest time a visit starting at `progress` or later can have.
    fn earliest_visit(&self, progress: f64) -> i64 {
        self.day_start + super::curve::time_at(progress, LAST_VISIT_MS)
    }

    /// One visit of one device, starting at `progress` (0..1) of the day.
    fn visit(&mut self, progress: f64, out: &mut Vec<(i64, String, Vec<u8>)>) {
        let di = self.rng.gen_range(0..self.devices.len());
        let base = self.earliest_visit(progress);
        let mut ts = (base + self.rng.gen_range(0..60_000)).min(self.day_start + LAST_VISIT_MS);
        if self.devices[di].bot {
            self.bot_visit(di, ts, out);
            return;
        }
        let uid = self
            .rng
            .gen_bool(0.7)
            .then(|| self.rng.gen_range(1..=self.users));
        let common = self.common(&self.devices[di], uid);
        let mid = self.devices[di].mid.clone();
        if self.rng.gen_bool(0.6) {
            let entry = ["icon", "notice", "install"][self.rng.gen_range(0..3)];
            let mut log = json!({
                "common": common.clone(),
                "start": {
                    "entry": entry,
                    "loading_time": self.rng.gen_range(1000..20000),
                    "open_ad_id": self.rng.gen_range(1..20),
                    "open_ad_ms": self.rng.gen_range(1000..10000),
                    "open_ad_skip_ms": if self.rng.gen_bool(0.5) { 0 } else { self.rng.gen_range(1000..5000) },
                },
                "ts": ts,
            });
            self.maybe_err(&mut log);
            out.push((
                ts,
                mid.clone(),
                serde_json::to_vec(&log).unwrap_or_default(),
            ));
            ts += self.rng.gen_range(500..3000);
        }
        let path = self.page_path();
        let mut last: Option<&str> = None;
        for page_id in path {
            let during = self.rng.gen_range(1000..20000);
            let mut page = Map::new();
            page.insert("page_id".into(), page_id.into());
            if let Some(l) = last {
                page.insert("last_page_id".into(), l.into());
            }
            page.insert("during_time".into(), during.into());
            match page_id {
                "good_detail" => {
                    page.insert(
                        "item".into(),
                        self.rng.gen_range(1..=SKUS).to_string().into(),
                    );
                    page.insert("item_type".into(), "sku_id".into());
                    page.insert(
                        "source_type".into(),
                        SOURCE_TYPES[self.rng.gen_range(0..4)].into(),
                    );
                }
                "good_list" => {
                    page.insert(
                        "item".into(),
                        KEYWORDS[self.rng.gen_range(0..KEYWORDS.len())].into(),
                    );
                    page.insert("item_type".into(), "keyword".into());
                }
                "trade" | "payment" => {
                    page.insert(
                        "item".into(),
                        self.rng.gen_range(1..=SKUS).to_string().into(),
                    );
                    page.insert("item_type".into(), "sku_ids".into());
                }
                _ => {}
            }
            let mut log = json!({"common": common.clone(), "page": Value::Object(page), "ts": ts});
            // Exposure lists on list-like pages; sized so that an average
            // line is about 350 bytes, like the gmall mock's.
            if matches!(page_id, "home" | "good_list") && self.rng.gen_bool(0.6) {
                let n = self.rng.gen_range(1..5);
                let displays: Vec<Value> = (1..=n)
                    .map(|order| {
                        json!({"display_type": DISPLAY_TYPES[self.rng.gen_range(0..4)],
                               "item": self.rng.gen_range(1..=SKUS).to_string(), "item_type": "sku_id",
                               "order": order, "pos_id": self.rng.gen_range(1..6)})
                    })
                    .collect();
                log["displays"] = Value::Array(displays);
            }
            let actions = self.actions(page_id, ts, during);
            if !actions.is_empty() {
                log["actions"] = Value::Array(actions);
            }
            self.maybe_err(&mut log);
            out.push((
                ts,
                mid.clone(),
                serde_json::to_vec(&log).unwrap_or_default(),
            ));
            ts += during;
            last = Some(page_id);
        }
    }

    /// A coupon bot: several accounts take coupons on product pages within minutes.
    fn bot_visit(&mut self, di: usize, mut ts: i64, out: &mut Vec<(i64, String, Vec<u8>)>) {
        let mid = self.devices[di].mid.clone();
        for _ in 0..self.rng.gen_range(3..6) {
            let uid = self.rng.gen_range(1..=self.users);
            let common = self.common(&self.devices[di], Some(uid));
            let log = json!({
                "common": common,
                "page": {"page_id": "good_detail", "item": self.rng.gen_range(1..=SKUS).to_string(),
                         "item_type": "sku_id", "during_time": self.rng.gen_range(300..2000), "source_type": "promotion"},
                "actions": [{"action_id": "get_coupon", "item": self.rng.gen_range(1..=COUPONS).to_string(),
                             "item_type": "coupon_id", "ts": ts + 200}],
                "ts": ts,
            });
            out.push((
                ts,
                mid.clone(),
                serde_json::to_vec(&log).unwrap_or_default(),
            ));
            ts += self.rng.gen_range(10_000..40_000);
        }
    }

    fn page_path(&mut self) -> Vec<&'static str> {
        let mut path = vec!["home"];
        match self.rng.gen_range(0..10) {
            0..=3 => path.extend(["search", "good_list", "good_detail"]),
            4..=6 => path.extend(["good_list", "good_detail"]),
            7 => path.push("activity1111"),
            _ => path.push("mine"),
        }
        if path.last() == Some(&"good_detail") && self.rng.gen_bool(0.35) {
            path.push("cart");
            if self.rng.gen_bool(0.6) {
                path.extend(["trade", "payment"]);
            }
        }
        path
    }

    fn actions(&mut self, page_id: &str, ts: i64, during: i64) -> Vec<Value> {
        let choices: &[(&str, f64, &str)] = match page_id {
            "good_detail" => &[
                ("favor_add", 0.3, "sku_id"),
                ("cart_add", 0.25, "sku_id"),
                ("get_coupon", 0.1, "coupon_id"),
            ],
            "cart" => &[
                ("cart_add_num", 0.2, "sku_id"),
                ("cart_minus_num", 0.1, "sku_id"),
                ("cart_remove", 0.1, "sku_id"),
            ],
            _ => &[],
        };
        let mut out = Vec::new();
        for (id, p, item_type) in choices {
            if self.rng.gen_bool(*p) {
                let item = if *item_type == "coupon_id" {
                    self.rng.gen_range(1..=COUPONS)
                } else {
                    self.rng.gen_range(1..=SKUS)
                };
                out.push(
                    json!({"action_id": id, "item": item.to_string(), "item_type": item_type,
                                "ts": ts + self.rng.gen_range(0..during.max(1))}),
                );
            }
        }
        out
    }

    fn maybe_err(&mut self, log: &mut Value) {
        if self.rng.gen_bool(0.02) {
            log["err"] = json!({"error_code": self.rng.gen_range(1001..4000),
                "msg": " Exception in thread \\  java.net.SocketTimeoutException\\n \\tat com.atgugu.gmall2020.mock.bean.log.AppError.main(AppError.java:xxxxxx)"});
        }
    }

    /// With probability `--dirty-ratio`, replaces a line with a malformed one.
    fn maybe_dirty(&mut self, line: &[u8]) -> Vec<u8> {
        if self.dirty_ratio <= 0.0 || !self.rng.gen_bool(self.dirty_ratio) {
            return line.to_vec();
        }
        match self.rng.gen_range(0..5) {
            0 => line[..line.len() / 2].to_vec(),
            1 => b"ERROR 2026-11-22 10:00:00 upstream timeout".to_vec(),
            2 => br#"{"page":{"page_id":"home"},"ts":1}"#.to_vec(),
            3 => br#"[{"common":{"mid":"mid_1"}}]"#.to_vec(),
            _ => {
                br#"{"common":{"mid":"mid_1"},"ts":"yesterday","page":{"page_id":"home"}}"#.to_vec()
            }
        }
    }
}
