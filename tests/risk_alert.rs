//! risk-alert through the binary: hand-made patterns and a generated day
//! with coupon bots, whose alerts do not depend on the order of the lines.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::{rtdw, run_ok};

/// 2026-11-22 10:00:00 +08:00 in epoch milliseconds.
const T0: i64 = 1_795_312_800_000;
const MIN: i64 = 60_000;

fn coupon(mid: &str, uid: &str, ts: i64) -> String {
    json!({"mid": mid, "user_id": uid, "page_id": "good_detail", "action_id": "get_coupon",
        "action_item": format!("c{uid}"), "action_ts": ts, "ts": ts - 2000})
    .to_string()
}

fn view(mid: &str, page: &str, ts: i64) -> String {
    json!({"mid": mid, "user_id": null, "page_id": page, "during_time": 1000, "ts": ts}).to_string()
}

/// `risk-alert --from FILE… --to -` on files in `dir`; the documents.
fn risk_alert(dir: &Path, files: &[&Path]) -> Vec<Value> {
    let mut c = rtdw(dir);
    c.args(["--state", "file:s.db", "risk-alert"]);
    for f in files {
        c.arg("--from").arg(f);
    }
    let out = run_ok(c.args(["--to", "-"]));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A generated day with 5 % coupon bots in `dir/day.jsonl`, split into
/// `dir/split/`: (day, actions file, page logs file).
fn bot_day(dir: &Path, lines: u64) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let day = support::mock_day_with(dir, "day.jsonl", lines, &["--bot-ratio", "0.05"]);
    let split = dir.join("split/");
    run_ok(
        rtdw(dir)
            .args(["--state", "file:split.db", "split-log", "--from"])
            .arg(&day)
            .arg("--to")
            .arg(&split),
    );
    (
        day,
        split.join("DWD_PAGE_ACTION.jsonl"),
        split.join("DWD_PAGE_LOG.jsonl"),
    )
}

/// The alerts among `docs`, by `_id`: their `_source`.
fn by_id(docs: &[Value]) -> std::collections::BTreeMap<String, Value> {
    alerts(docs)
        .into_iter()
        .map(|d| (d["_id"].as_str().unwrap().to_string(), d["_source"].clone()))
        .collect()
}

fn alerts(docs: &[Value]) -> Vec<&Value> {
    docs.iter()
        .filter(|d| {
            d["_index"]
                .as_str()
                .unwrap_or_default()
                .starts_with("gmall_coupon_alert_")
        })
        .collect()
}

#[test]
fn a_bot_pattern_alerts_once_per_minute_and_browsing_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        // bot: 4 users in 2 minutes → one alert, at the 3rd coupon's minute
        coupon("bot", "1", T0),
        coupon("bot", "2", T0 + MIN),
        coupon("bot", "3", T0 + 2 * MIN + 5_000),
        coupon("bot", "4", T0 + 2 * MIN + 30_000),
        // shopper: the same, but browsing a product in between → none
        coupon("shopper", "1", T0),
        view("shopper", "good_detail", T0 + 30_000),
        coupon("shopper", "2", T0 + MIN),
        coupon("shopper", "3", T0 + 2 * MIN),
        // viewing the home page is not browsing
        view("bot", "home", T0 + 90_000),
    ];
    let file = dir.path().join("events.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let docs = risk_alert(dir.path(), &[&file]);
    let found = alerts(&docs);
    assert_eq!(found.len(), 1, "{docs:?}");
    assert_eq!(found[0]["_index"], "gmall_coupon_alert_2026-11-22");
    assert_eq!(found[0]["_id"], "bot_2026-11-22_10:02");
    let a = &found[0]["_source"];
    assert_eq!(a["uids"], json!(["1", "2", "3"]));
    assert_eq!(a["item_ids"], json!(["c1", "c2", "c3"]));
    assert_eq!(
        a["events"],
        json!(["get_coupon", "get_coupon", "get_coupon"])
    );
    assert_eq!(
        (a["ts"].as_i64(), a["dt"].as_str()),
        (Some(T0 + 2 * MIN + 5_000), Some("2026-11-22"))
    );
}

/// A generated day with 5 % coupon bots, split; then the same lines
/// shuffled: the same alerts.
#[test]
fn shuffled_input_gives_the_same_alerts_as_sorted_input() {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;

    let dir = tempfile::tempdir().unwrap();
    let (day, actions, pages) = bot_day(dir.path(), 20_000);
    let want = by_id(&risk_alert(dir.path(), &[&actions, &pages]));
    assert!(want.len() >= 5, "{} alerts", want.len());
    for a in want.values() {
        assert!(a["uids"].as_array().unwrap().len() >= 3, "{a}");
    }

    let mut lines: Vec<String> = [&actions, &pages]
        .iter()
        .flat_map(|f| support::read_lines(f))
        .collect();
    lines.shuffle(&mut rand::rngs::StdRng::seed_from_u64(7));
    let shuffled = dir.path().join("shuffled.jsonl");
    std::fs::write(&shuffled, lines.join("\n") + "\n").unwrap();
    assert_eq!(by_id(&risk_alert(dir.path(), &[&shuffled])), want);

    // Streamed in the day's order (split-log's envelopes, as from Kafka),
    // nothing is late and the alerts are the same.
    let out = run_ok(
        rtdw(dir.path())
            .args(["--state", "file:split.db", "split-log", "--from"])
            .arg(&day)
            .args(["--to", "-"]),
    );
    let envelopes = dir.path().join("envelopes.jsonl");
    std::fs::write(&envelopes, &out.stdout).unwrap();
    let out = run_ok(
        rtdw(dir.path())
            .args([
                "--state",
                "file:s.db",
                "risk-alert",
                "--streaming",
                "--from",
            ])
            .arg(&envelopes)
            .args(["--to", "-"]),
    );
    let streamed: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(by_id(&streamed), want);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(support::summary_field(&stderr, "late"), 0, "{stderr}");
}

/// A risk-alert rig: a broker with one-partition action and page topics
/// (so events arrive in the order produced), Redis, the fake ES.
struct Rig {
    dir: tempfile::TempDir,
    broker: support::kafka::Broker,
    redis: support::redis::Redis,
    es: support::fake_es::FakeEs,
    actions: String,
    pages: String,
    group: String,
}

const INDEX: &str = "gmall_coupon_alert_2026-11-22";

impl Rig {
    fn new(broker: support::kafka::Broker) -> Rig {
        Rig::with_partitions(broker, 1)
    }

    fn with_partitions(broker: support::kafka::Broker, partitions: i32) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let (actions, pages) = (support::unique("actions"), support::unique("pages"));
        broker.create_topic(&actions, partitions);
        broker.create_topic(&pages, partitions);
        std::fs::write(
            dir.path().join("rtdw.toml"),
            format!(
                "brokers = \"{}\"\n{}[topics]\nDWD_PAGE_ACTION = \"{actions}\"\nDWD_PAGE_LOG = \"{pages}\"\n",
                broker.bootstrap(),
                broker.client_tuning()
            ),
        )
        .unwrap();
        Rig {
            dir,
            broker,
            redis: support::redis::Redis::start(),
            es: support::fake_es::FakeEs::start(),
            actions,
            pages,
            group: support::unique("risk"),
        }
    }

    /// `risk-alert` Kafka → ES, state and offsets in Redis.
    fn cmd(&self, once: bool) -> std::process::Command {
        let mut c = rtdw(self.dir.path());
        c.args([
            "--redis",
            &self.redis.url(),
            "--es",
            &self.es.url(),
            "--state",
            "redis",
        ])
        .args([
            "risk-alert",
            "--from",
            "kafka",
            "--to",
            "es",
            "--group",
            &self.group,
        ])
        .args(["--batch-ms", "200"]);
        if once {
            c.arg("--once");
        }
        c
    }

    fn produce(&self, lines: &[String]) {
        self.broker.produce_lines(&self.actions, lines);
    }

    fn checkpoint_key(&self) -> String {
        format!("EVENTTIME:{}:{}:0", self.group, self.actions)
    }
}

/// Kafka (mock cluster): two users' coupons, then `kill -9` of a streaming
/// run; the third user's coupon arrives for the next run, which rewinds
/// to its event-time checkpoint, re-reads the first two and alerts, once.
#[test]
fn a_pattern_spanning_a_kill_still_alerts_once() {
    let rig = Rig::new(support::kafka::Broker::apache());
    rig.produce(&[
        coupon("bot", "1", T0),
        coupon("bot", "2", T0 + 30_000),
        coupon("other", "9", T0 + 40_000),
    ]);
    let mut child = support::KillOnDrop(
        rig.cmd(false)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let fields: i64 = redis::cmd("HLEN")
            .arg(rig.checkpoint_key())
            .query(&mut rig.redis.conn())
            .unwrap();
        if fields >= 2 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no checkpoint written"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.0.kill().unwrap(); // SIGKILL
    child.0.wait().unwrap();

    rig.produce(&[
        coupon("bot", "3", T0 + 60_000),
        // It moves the watermark (1 min behind) past the third coupon.
        coupon("other", "9", T0 + 3 * MIN),
    ]);
    let out = run_ok(&mut rig.cmd(true));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rewinding to rebuild state"), "{stderr}");
    assert_eq!(rig.es.ids(INDEX), ["bot_2026-11-22_10:01"], "{stderr}");
    let doc = rig.es.doc(INDEX, "bot_2026-11-22_10:01").unwrap();
    assert_eq!(doc.source["uids"], json!(["1", "2", "3"]));

    // Again: the rewind re-reads the whole pattern and fires it again;
    // still one document, written once (create, 409).
    let out = run_ok(&mut rig.cmd(true));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(" alerts=1 "), "{stderr}");
    assert_eq!(rig.es.ids(INDEX).len(), 1);
    assert_eq!(
        rig.es.doc(INDEX, "bot_2026-11-22_10:01").unwrap().version,
        1
    );
}

/// A generated bot day keyed by mid (as split-log writes both topics, so
/// they are co-partitioned), and the alerts of one bounded run over it.
struct KeyedDay {
    _dir: tempfile::TempDir,
    actions: Vec<(String, String)>,
    pages: Vec<(String, String)>,
    newest: i64,
    want: std::collections::BTreeMap<String, Value>,
}

impl KeyedDay {
    fn new(lines: u64) -> KeyedDay {
        // The day and its single run, outside any rig's topic names.
        let dir = tempfile::tempdir().unwrap();
        let (_, actions, pages) = bot_day(dir.path(), lines);
        let want = by_id(&risk_alert(dir.path(), &[&actions, &pages]));
        assert!(want.len() >= 5, "{} alerts", want.len());
        let keyed = |file: &Path| -> Vec<(String, String)> {
            support::read_lines(file)
                .into_iter()
                .map(|l| {
                    let v: Value = serde_json::from_str(&l).unwrap();
                    (v["mid"].as_str().unwrap().to_string(), l)
                })
                .collect()
        };
        let (actions, pages) = (keyed(&actions), keyed(&pages));
        let newest = actions
            .iter()
            .chain(&pages)
            .filter_map(|(_, l)| ts_of(l))
            .max()
            .unwrap();
        KeyedDay {
            _dir: dir,
            actions,
            pages,
            newest,
            want,
        }
    }

    /// An action on every partition past the window and the lateness:
    /// each partition's watermark passes the day's last coupon.
    fn flush(&self, rig: &Rig, partitions: i32) {
        for p in 0..partitions {
            let flush = json!({"mid": format!("flush{p}"), "page_id": "home", "action_id": "cart_add",
                "ts": self.newest + 10 * MIN});
            rig.broker
                .produce_to(&rig.actions, p, &[(None, flush.to_string())]);
        }
    }
}

fn ts_of(line: &str) -> Option<i64> {
    serde_json::from_str::<Value>(line).ok()?["ts"].as_i64()
}

impl Rig {
    /// Records of both inputs, summed over partitions: at their log end,
    /// and as stored for the rig's group.
    fn ends_and_stored(&self, partitions: i32) -> (i64, impl Fn() -> i64 + '_) {
        let ends = [&self.actions, &self.pages]
            .iter()
            .flat_map(|t| self.broker.watermarks(t, partitions).into_values())
            .map(|(_, hi)| hi)
            .sum();
        let stored = move || -> i64 {
            [&self.actions, &self.pages]
                .iter()
                .flat_map(|t| {
                    self.redis
                        .hgetall(&format!("offset:{}:{t}", self.group))
                        .into_values()
                })
                .map(|o| o.parse::<i64>().unwrap_or(0))
                .sum()
        };
        (ends, stored)
    }

    /// The alerts in Elasticsearch, by id, each checked written once.
    fn alerts_written_once(
        &self,
        want: &std::collections::BTreeMap<String, Value>,
    ) -> std::collections::BTreeMap<String, Value> {
        let indices: std::collections::BTreeSet<String> = want
            .values()
            .map(|a| format!("gmall_coupon_alert_{}", a["dt"].as_str().unwrap()))
            .collect();
        let mut got = std::collections::BTreeMap::new();
        for index in &indices {
            for id in self.es.ids(index) {
                let doc = self.es.doc(index, &id).unwrap();
                assert_eq!(doc.version, 1, "{id} written more than once");
                got.insert(id, doc.source);
            }
        }
        got
    }
}

/// Two instances share the group on four co-partitioned partitions; one
/// is killed mid-day and restarted. Each partition keeps its own windows
/// and watermark, and a partition moved to the other instance is rebuilt
/// from its checkpoint: the alerts are those of a single bounded run over
/// the same day, each written once (version 1).
#[test]
fn two_instances_one_killed_alert_as_one_run() {
    use std::process::Stdio;
    let rig = Rig::with_partitions(support::kafka::Broker::apache(), 4);
    let day = KeyedDay::new(12_000);
    rig.broker.produce_keyed(&rig.actions, &day.actions);
    rig.broker.produce_keyed(&rig.pages, &day.pages);
    day.flush(&rig, 4);
    let start = |name: &str| {
        support::KillOnDrop(
            rig.cmd(false)
                .args(["--batch-max", "200", "--instance-id", name])
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let (ends, stored) = rig.ends_and_stored(4);
    support::two_instances_one_killed(start, stored, ends, std::time::Duration::from_secs(120));
    assert_eq!(
        rig.alerts_written_once(&day.want),
        day.want,
        "alerts of two instances, one killed, vs one bounded run"
    );
}

/// A live pipeline: one instance, caught up, while the day arrives in six
/// chunks of event time, each written to both topics at once (page views
/// first) as split-log writes them. Records still on their way to an
/// input must not go late because the other input moved on: a new user's
/// run of split-log → risk-alert dropped 693 events and 15 of 114 alerts.
#[test]
fn a_live_pipeline_drops_nothing_as_late() {
    let rig = Rig::with_partitions(support::kafka::Broker::apache(), 4);
    let day = KeyedDay::new(12_000);
    let log = rig.dir.path().join("risk.log");
    let mut child = support::KillOnDrop(
        rig.cmd(false)
            .args(["--batch-max", "200"])
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let oldest = day
        .actions
        .iter()
        .chain(&day.pages)
        .filter_map(|(_, l)| ts_of(l))
        .min()
        .unwrap();
    let chunk_of =
        |line: &str| ((ts_of(line).unwrap() - oldest) * 6 / (day.newest - oldest + 1)) as usize;
    for chunk in 0..6 {
        let of = |lines: &[(String, String)]| -> Vec<(String, String)> {
            lines
                .iter()
                .filter(|(_, l)| chunk_of(l) == chunk)
                .cloned()
                .collect()
        };
        rig.broker.produce_keyed(&rig.pages, &of(&day.pages));
        rig.broker.produce_keyed(&rig.actions, &of(&day.actions));
        std::thread::sleep(std::time::Duration::from_millis(1500));
    }
    day.flush(&rig, 4);
    let (ends, stored) = rig.ends_and_stored(4);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while stored() < ends {
        assert!(
            std::time::Instant::now() < deadline,
            "stored {} of {ends}",
            stored()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: SIGTERM to our own child: it ends with its summary line.
    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    let _ = child.0.wait();
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert_eq!(support::summary_field(&stderr, "late"), 0, "{stderr}");
    assert_eq!(rig.alerts_written_once(&day.want), day.want);
}

/// An assignment strategy that spreads partition p of the two inputs over
/// instances is refused before anything is read (exit 2).
#[test]
fn an_assignor_that_splits_co_partitioned_inputs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rtdw.toml"),
        "brokers = \"127.0.0.1:9\"\n[kafka]\n\"consumer.partition.assignment.strategy\" = \"cooperative-sticky\"\n",
    )
    .unwrap();
    let out = rtdw(dir.path())
        .args([
            "--state",
            "file:s.db",
            "risk-alert",
            "--from",
            "kafka",
            "--to",
            "-",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("partition.assignment.strategy = \"cooperative-sticky\""),
        "{stderr}"
    );
}

/// The checkpoints are lost (state store flushed) between two runs: tansu
/// answers offsets-for-times, so the second run rewinds by record time and
/// the pattern still fires; the mock cluster cannot, so the run says so and
/// starts with empty windows at the stored offsets.
fn lost_checkpoints(broker: support::kafka::Broker, rewinds_by_time: bool) {
    let rig = Rig::new(broker);
    rig.produce(&[coupon("bot", "1", T0), coupon("bot", "2", T0 + 30_000)]);
    run_ok(&mut rig.cmd(true));
    let _: () = redis::cmd("DEL")
        .arg(rig.checkpoint_key())
        .query(&mut rig.redis.conn())
        .unwrap();
    rig.produce(&[
        coupon("bot", "3", T0 + 60_000),
        coupon("other", "9", T0 + 3 * MIN),
    ]);
    let out = run_ok(&mut rig.cmd(true));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if rewinds_by_time {
        assert!(stderr.contains("rewinding to rebuild state"), "{stderr}");
        assert_eq!(rig.es.ids(INDEX), ["bot_2026-11-22_10:01"], "{stderr}");
    } else {
        assert!(stderr.contains("no lookup by time"), "{stderr}");
        assert_eq!(rig.es.ids(INDEX), Vec::<String>::new());
    }
}

#[test]
fn lost_checkpoints_rewind_by_record_time_on_apache_kafka() {
    lost_checkpoints(support::kafka::Broker::apache(), true);
}

#[test]
fn lost_checkpoints_on_the_mock_cluster_are_reported() {
    lost_checkpoints(support::kafka::Broker::mock(), false);
}

/// `--streaming` on a file: arrival order with the watermark, so a coupon
/// behind it is counted late and completes nothing; bounded reading of the
/// same file alerts.
#[test]
fn streaming_file_input_counts_late_events() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        coupon("bot", "1", T0),
        coupon("bot", "2", T0 + 20_000),
        coupon("other", "9", T0 + 10 * MIN),
        coupon("bot", "3", T0 + 40_000),
    ];
    let file = dir.path().join("events.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let run = |extra: &[&str]| {
        let out = run_ok(
            rtdw(dir.path())
                .args(["--state", "file:s.db", "risk-alert", "--from"])
                .arg(&file)
                .args(["--to", "-"])
                .args(extra),
        );
        let alerts = String::from_utf8_lossy(&out.stdout).lines().count();
        (
            alerts,
            support::summary_field(&String::from_utf8_lossy(&out.stderr), "late"),
        )
    };
    assert_eq!(run(&["--streaming"]), (0, 1));
    assert_eq!(run(&[]), (1, 0));
}
