//! A dau test rig: a Kafka broker (Apache Kafka by default) with a page-log topic, Redis, the
//! fake Elasticsearch, a day of split page logs, and `dau` runs in one group.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::fake_es::FakeEs;
use super::kafka::Broker;
use super::redis::Redis;
use super::{rtdw, run_ok, unique};

pub const DAY: &str = "2026-11-22";
pub const INDEX: &str = "gmall_dau_info_2026-11-22";
pub const SET: &str = "DAU:2026-11-22";

pub struct DauRig {
    pub dir: tempfile::TempDir,
    pub broker: Broker,
    pub redis: Redis,
    pub es: FakeEs,
    pub input: String,
    pub group: String,
}

/// The page logs of a mock day as split-log writes them, and the mids with a visit start.
pub fn page_logs(dir: &Path, devices: u32, lines: u32) -> (Vec<String>, BTreeSet<String>) {
    let day = dir.join("day.jsonl");
    let (devices, lines) = (devices.to_string(), lines.to_string());
    run_ok(
        rtdw(dir)
            .args([
                "mock",
                "logs",
                "--devices",
                &devices,
                "--users",
                "100",
                "--date",
                DAY,
            ])
            .args(["--lines", &lines, "--to", day.to_str().unwrap_or_default()]),
    );
    let split = dir.join("split/");
    // No rtdw.toml here: the split files have their default names.
    let split_dir = tempfile::tempdir().expect("tempdir");
    run_ok(
        rtdw(split_dir.path())
            .args(["--state", "file:s.db", "split-log", "--from"])
            .arg(&day)
            .arg("--to")
            .arg(&split),
    );
    let pages: Vec<String> = std::fs::read_to_string(split.join("DWD_PAGE_LOG.jsonl"))
        .expect("split page logs")
        .lines()
        .map(String::from)
        .collect();
    let mids = pages
        .iter()
        .filter_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            v["last_page_id"]
                .is_null()
                .then(|| v["mid"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    (pages, mids)
}

impl DauRig {
    pub fn new() -> DauRig {
        DauRig::on(Broker::apache())
    }

    /// The rig on `broker` (e.g. Apache Kafka).
    pub fn on(broker: Broker) -> DauRig {
        let dir = tempfile::tempdir().expect("tempdir");
        let input = unique("dwd_page_log");
        broker.create_topic(&input, 4);
        std::fs::write(
            dir.path().join("rtdw.toml"),
            format!(
                "brokers = \"{}\"\n{}[topics]\nDWD_PAGE_LOG = \"{input}\"\n",
                broker.bootstrap(),
                broker.client_tuning()
            ),
        )
        .expect("rtdw.toml");
        DauRig {
            dir,
            broker,
            redis: Redis::start(),
            es: FakeEs::start(),
            input,
            group: unique("dau"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rtdw` with the rig's Redis and Elasticsearch.
    pub fn rtdw(&self) -> Command {
        let mut c = rtdw(self.path());
        c.args(["--redis", &self.redis.url(), "--es", &self.es.url()]);
        c
    }

    /// `dau --once` Kafka → ES in `group`, offsets in `offsets`.
    pub fn dau_cmd(&self, group: &str, offsets: &str, batch_max: usize) -> Command {
        let mut c = self.rtdw();
        c.args([
            "dau",
            "--from",
            "kafka",
            "--to",
            "es",
            "--once",
            "--offsets",
            offsets,
        ])
        .args(["--group", group, "--batch-max", &batch_max.to_string()]);
        c
    }

    /// [`DauRig::dau_cmd`] in the rig's group, 300 records a batch, run to its end.
    pub fn dau(&self, offsets: &str, failpoint: Option<&str>) -> Output {
        let mut c = self.dau_cmd(&self.group, offsets, 300);
        if let Some(f) = failpoint {
            c.env("RTDW_FAILPOINT", f);
        }
        c.output().expect("rtdw runs")
    }

    pub fn set(&self) -> BTreeSet<String> {
        redis::cmd("SMEMBERS")
            .arg(SET)
            .query::<Vec<String>>(&mut self.redis.conn())
            .unwrap_or_default()
            .into_iter()
            .collect()
    }

    pub fn in_es(&self) -> BTreeSet<String> {
        self.es.ids(INDEX).into_iter().collect()
    }
}
