//! A newcomer's first hour (issue 16): errors that come fast and name a
//! flag the command has, and the waits that come before them.

mod support;

use support::{rtdw, run_ok};

/// A port nothing listens on (discard, never served on loopback here).
const DEAD: &str = "http://127.0.0.1:9";

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A file run against a dead Elasticsearch gives up after `--max-retry-time`
/// (bounded input has a finite default) and says it is still waiting at
/// growing intervals instead of going silent.
#[test]
fn a_file_run_against_a_dead_es_says_it_waits_and_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "200",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    run_ok(rtdw(d).args(["split-log", "--from", "day.jsonl", "--to", "split/"]));
    let out = rtdw(d)
        .args([
            "dau",
            "--from",
            "split/DWD_PAGE_LOG.jsonl",
            "--to",
            "es",
            "--es",
            DEAD,
        ])
        .args(["--max-retry-time", "9s"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(69), "{err}");
    let waits: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("still waiting for elasticsearch"))
        .collect();
    assert!(waits.len() >= 2, "a line at 2 s and one at 4 s:\n{err}");
    assert!(
        waits[0].contains("giving up after 9s (--max-retry-time)"),
        "{err}"
    );
    assert!(err.contains("--max-retry-time"), "{err}");
}

/// `report` and `restore-state` have no `--to`; their errors name `--es`,
/// and `report` names only flags it has.
#[test]
fn report_errors_name_flags_the_command_has() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for args in [
        &["report", "dau", "--date", "2026-11-22"][..],
        &["restore-state", "--date", "2026-11-22", "--dry-run"][..],
    ] {
        let out = rtdw(d).args(args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("--es URL") && !err.contains("--to"),
            "{args:?}: {err}"
        );
    }
    let out = rtdw(d)
        .args([
            "report",
            "dau",
            "--date",
            "2026-11-22",
            "--es",
            DEAD,
            "--max-retry-time",
            "2s",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(69), "{err}");
    assert!(err.contains("--max-retry-time"), "{err}");
    assert!(!err.contains("unexpected argument"), "{err}");
}

/// `offsets show` with stored offsets in a file and a dead broker shows the
/// stored offsets with `-` in the log columns and says why (it exited 69),
/// and librdkafka's ~200 repeated connection errors fold into a line each.
#[test]
fn offsets_show_with_a_dead_broker_shows_what_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(
        rtdw(d)
            .args(["offsets", "reset", "--group", "dau", "--topic", "T:0,1"])
            .args(["--to-offset", "5", "--store", "file", "--execute"]),
    );
    let out = rtdw(d)
        .args([
            "offsets",
            "show",
            "--group",
            "dau",
            "--store",
            "file",
            "--brokers",
            "127.0.0.1:9",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("T "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["T", "0", "5", "-", "-", "-"],
            ["T", "1", "5", "-", "-", "-"]
        ],
        "{text}"
    );
    assert!(text.contains("kafka unreachable at 127.0.0.1:9"), "{text}");
    let all_down = err.lines().filter(|l| l.contains("AllBrokersDown")).count();
    assert!(
        all_down <= 2,
        "repeats folded into a line with a count:\n{err}"
    );
    let connect = err
        .lines()
        .filter(|l| l.contains("Connect to ipv4#127.0.0.1:9 failed"))
        .count();
    assert!(connect <= 4, "{err}");
}

/// `--log-format json`: every stderr line is a JSON object, the summary's
/// counters are numbers in `fields`, and the final error is JSON too.
#[test]
fn json_logs_carry_counters_as_fields_and_the_error_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "300",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    let out = run_ok(rtdw(d).args([
        "--log-format",
        "json",
        "split-log",
        "--from",
        "day.jsonl",
        "--to",
        "split/",
    ]));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let done = lines
        .iter()
        .find(|l| l["fields"]["message"] == "done")
        .expect("a done line");
    assert_eq!(done["fields"]["read"], 300, "{done}");
    assert_eq!(done["fields"]["tool"], "split-log");
    assert!(
        done["fields"]["DWD_PAGE_LOG"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{done}"
    );

    let out = rtdw(d)
        .args([
            "--log-format",
            "json",
            "split-log",
            "--from",
            "missing.jsonl",
            "--to",
            "split/",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let last = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    let error: serde_json::Value =
        serde_json::from_str(&last).unwrap_or_else(|e| panic!("{e}: {last}"));
    assert_eq!(error["level"], "ERROR");
    assert_eq!(error["fields"]["exit_code"], 2);
    assert!(
        error["fields"]["message"]
            .as_str()
            .unwrap()
            .contains("missing.jsonl"),
        "{error}"
    );
}

/// `NO_COLOR` turns colours off even on a terminal (run under `script`,
/// which gives the command a pseudo-terminal).
#[test]
fn no_color_is_honoured_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_rtdw");
    let run = |no_color: bool| {
        let mut c = std::process::Command::new("script");
        c.current_dir(dir.path()).args([
            "-qec",
            &format!("{bin} mock logs --lines 10 --date 2026-11-22 --to x.jsonl"),
            "/dev/null",
        ]);
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let out = c.output().expect("script(1) from util-linux runs");
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // A colour is an SGR sequence (ESC [ … m); the bar's line erasing is not.
    let coloured = |text: &str| {
        text.split('\u{1b}').skip(1).any(|seq| {
            seq.strip_prefix('[').is_some_and(|rest| {
                let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
                end.is_some_and(|i| rest[i..].starts_with('m'))
            })
        })
    };
    assert!(coloured(&run(false)), "colours on a terminal by default");
    assert!(!coloured(&run(true)), "{:?}", run(true));
}

/// A typo inside `[topics]` or `[keys]` is an error naming the nearest name,
/// as a top-level typo is; real renames (fact topics included) still load.
#[test]
fn config_typos_inside_topics_and_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (toml, nearest) in [
        (
            "[topics]\nODS_BASE_LOGG = \"x\"\n",
            "did you mean ODS_BASE_LOG?",
        ),
        (
            "[keys]\n\"DIM:TABLE\" = \"x\"\n",
            "did you mean DIM:TABLES?",
        ),
    ] {
        std::fs::write(d.join("rtdw.toml"), toml).unwrap();
        let out = rtdw(d).args(["config", "show"]).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{toml}: {err}");
        assert!(err.contains("rtdw.toml") && err.contains(nearest), "{err}");
    }
    std::fs::write(
        d.join("rtdw.toml"),
        "[topics]\nODS_BASE_LOG = \"ods\"\nDWD_ORDER_INFO_I = \"oi\"\nDWD_SKU_INFO_U = \"su\"\n[keys]\n\"DIM:TABLES\" = \"dims\"\n",
    )
    .unwrap();
    run_ok(rtdw(d).args(["config", "show"]));
}

/// Progress on long work: off a terminal, a log line every
/// `RTDW_PROGRESS_EVERY` (10 s by default) with bytes read of the total and
/// the ETA; on a terminal, an indicatif bar. A 2.1 M-line run showed nothing.
#[test]
fn streaming_tools_and_mock_show_progress() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = run_ok(rtdw(d).env("RTDW_PROGRESS_EVERY", "0s").args([
        "mock",
        "logs",
        "--lines",
        "40",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    assert!(
        stderr(&out).contains("mock logs: 40/40 rows"),
        "{}",
        stderr(&out)
    );
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "3000",
        "--date",
        "2026-11-22",
        "--to",
        "big.jsonl",
    ]));
    let size = std::fs::metadata(d.join("big.jsonl")).unwrap().len();
    for tool in [&["split-log"][..], &["dau"], &["risk-alert"]] {
        let input = if tool[0] == "split-log" {
            "big.jsonl"
        } else {
            "split/"
        };
        let out = run_ok(rtdw(d).env("RTDW_PROGRESS_EVERY", "0s").args(tool).args([
            "--from",
            input,
            "--to",
            &format!("{}/", tool[0]),
            "--batch-max",
            "500",
        ]));
        let err = stderr(&out);
        let line = err
            .lines()
            .find(|l| l.contains("progress:"))
            .unwrap_or_else(|| panic!("{tool:?}: a progress line\n{err}"));
        assert!(
            line.contains("bytes_read=") && line.contains("eta_s="),
            "{line}"
        );
        if tool[0] == "split-log" {
            assert!(line.contains(&format!("bytes_total={size}")), "{line}");
            std::fs::rename(d.join("split-log"), d.join("split")).unwrap();
        }
    }
    // On a terminal (script(1) gives one): the bar, with bytes and records/s.
    let bin = env!("CARGO_BIN_EXE_rtdw");
    let out = std::process::Command::new("script")
        .current_dir(d)
        .args([
            "-qec",
            &format!("{bin} split-log --from big.jsonl --to tty/ --batch-max 500"),
            "/dev/null",
        ])
        .output()
        .expect("script(1) runs");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("split-log [") && screen.contains("records/s") && screen.contains("ETA"),
        "{screen}"
    );
}

/// Missing data is a warning that names the fix, not an INFO counter:
/// dau on a fresh state (no provinces), order-wide given only the details,
/// risk-alert --streaming over two files (most views late).
#[test]
fn missing_data_warns_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let warnings = |args: &[&str]| {
        let out = run_ok(rtdw(d).args(args));
        stderr(&out)
            .lines()
            .filter(|l| l.contains("WARN"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "5000",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    run_ok(rtdw(d).args(["split-log", "--from", "day.jsonl", "--to", "split/"]));
    let w = warnings(&["dau", "--from", "split/DWD_PAGE_LOG.jsonl", "--to", "dau/"]);
    assert!(
        w.iter().any(|l| l.contains("a base_province row")
            && l.contains("rtdw bootstrap-dims --table base_province")),
        "{w:#?}"
    );
    let w = warnings(&[
        "risk-alert",
        "--streaming",
        "--from",
        "split/DWD_PAGE_ACTION.jsonl",
        "split/DWD_PAGE_LOG.jsonl",
        "--to",
        "ra/",
    ]);
    assert!(
        w.iter()
            .any(|l| l.contains("--allowed-lateness") && l.contains("drop --streaming")),
        "{w:#?}"
    );

    route_mock_orders(d, "100");
    let w = warnings(&[
        "order-wide",
        "--from",
        "routed/DWD_ORDER_DETAIL_I.jsonl",
        "--to",
        "ow/",
    ]);
    assert!(
        w.iter().any(
            |l| l.contains("details wait for their order") && l.contains("give the orders too")
        ),
        "{w:#?}"
    );
}

/// Σ split_total_amount per order, in cents, and each order's total_amount.
fn order_sums(dir: &std::path::Path) -> std::collections::BTreeMap<String, (i64, i64)> {
    let cents = |v: &serde_json::Value| {
        let text = v
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v.to_string());
        (text.parse::<f64>().unwrap() * 100.0).round() as i64
    };
    let mut sums = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("gmall_order_wide_")
        {
            continue;
        }
        for doc in support::parse_json_lines(&path) {
            let doc = doc.get("_source").cloned().unwrap_or(doc);
            let e = sums
                .entry(doc["order_id"].to_string())
                .or_insert((0, cents(&doc["total_amount"])));
            e.0 += cents(&doc["split_total_amount"]);
        }
    }
    sums
}

/// Two `mock db` days routed into one state chain as real days do (every
/// date has its own ids): every order's shares add up to its total. A
/// detail that claims a place in an order whose sum is already complete is
/// reported, never mis-apportioned.
#[test]
fn mock_db_days_chain_and_a_reused_detail_id_is_a_reported_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for date in ["2026-11-21", "2026-11-22"] {
        run_ok(
            rtdw(d)
                .args([
                    "mock", "db", "--orders", "300", "--format", "maxwell", "--date", date,
                ])
                .args(["--to", &format!("{date}.jsonl")]),
        );
    }
    list_order_facts(d);
    run_ok(rtdw(d).args([
        "route-db",
        "--from",
        "2026-11-21.jsonl",
        "2026-11-22.jsonl",
        "--to",
        "routed/",
    ]));
    let out = run_ok(rtdw(d).args(["order-wide", "--from", "routed/", "--to", "ow/"]));
    assert!(stderr(&out).contains("conflicts=0"), "{}", stderr(&out));
    let sums = order_sums(&d.join("ow"));
    assert_eq!(sums.len(), 600, "two days of 300 distinct orders");
    let wrong: Vec<_> = sums
        .iter()
        .filter(|(_, (split, total))| split != total)
        .collect();
    assert!(
        wrong.is_empty(),
        "{} orders mis-apportioned, e.g. {:?}",
        wrong.len(),
        wrong.first()
    );

    // The same day's details again under new detail ids: each order's sum
    // is complete before they come, so every one of them is a conflict.
    let fresh = tempfile::tempdir().unwrap();
    let f = fresh.path();
    let day = support::parse_json_lines(&d.join("2026-11-22.jsonl"));
    let mut copy = String::new();
    let mut reused = 0;
    for mut rec in day {
        if rec["table"] == "order_detail" && rec["type"] == "insert" {
            let id = rec["data"]["id"].as_i64().unwrap();
            rec["data"]["id"] = (id + 50_000_000).into();
            reused += 1;
        }
        copy.push_str(&rec.to_string());
        copy.push('\n');
    }
    std::fs::copy(d.join("2026-11-22.jsonl"), f.join("day.jsonl")).unwrap();
    std::fs::write(f.join("again.jsonl"), copy).unwrap();
    run_ok(rtdw(f).args([
        "route-db",
        "tables",
        "add",
        "--fact",
        "order_info",
        "--fact",
        "order_detail",
    ]));
    run_ok(rtdw(f).args([
        "route-db",
        "--from",
        "day.jsonl",
        "again.jsonl",
        "--to",
        "routed/",
    ]));
    let out = run_ok(rtdw(f).args(["order-wide", "--from", "routed/", "--to", "ow/"]));
    assert!(
        stderr(&out).contains(&format!("conflicts={reused}")),
        "{}",
        stderr(&out)
    );
    let sums = order_sums(&f.join("ow"));
    assert!(
        sums.values().all(|(split, total)| split == total),
        "no order over-apportioned"
    );
    let dirty = support::parse_json_lines(&f.join("ow/rtdw_dirty_order_wide.jsonl"));
    assert_eq!(dirty.len(), reused);
    assert!(
        dirty[0].to_string().contains("claims a place past order"),
        "{}",
        dirty[0]
    );
}

/// Mock traffic and orders follow a day's curve (quiet before dawn, busy
/// in the evening), and orders are created in hour 23 too.
#[test]
fn mock_traffic_and_orders_follow_a_daily_curve() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "db",
        "--orders",
        "3000",
        "--format",
        "maxwell",
        "--date",
        "2026-11-22",
        "--to",
        "db.jsonl",
    ]));
    let mut orders = [0u32; 24];
    for rec in support::parse_json_lines(&d.join("db.jsonl")) {
        if rec["table"] == "order_info" && rec["type"] == "insert" {
            let created = rec["data"]["create_time"].as_str().unwrap().to_string();
            assert!(created.starts_with("2026-11-22 "), "{created}");
            orders[created[11..13].parse::<usize>().unwrap()] += 1;
        }
    }
    assert!(orders[23] > 0, "orders at hour 23: {orders:?}");
    assert!(
        orders[21] > 3 * orders[4],
        "evening peak over the night: {orders:?}"
    );

    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "20000",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    let mut lines = [0u32; 24];
    let start = jiff::civil::date(2026, 11, 22)
        .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .unwrap()
        .timestamp()
        .as_millisecond();
    for rec in support::parse_json_lines(&d.join("day.jsonl")) {
        if let Some(ts) = rec["ts"].as_i64() {
            lines[((ts - start) / 3_600_000).clamp(0, 23) as usize] += 1;
        }
    }
    assert!(lines[21] > 3 * lines[4], "traffic is not flat: {lines:?}");
    assert!(lines[23] > 0, "{lines:?}");
}

/// `report` checks that its input holds the documents it reports on (order
/// lines are not visits), reads a tool's `DIR/` folder, and says plainly
/// what failed when the PNG's folder is missing or MySQL is down.
#[test]
fn report_checks_its_input_and_errors_are_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "2000",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    run_ok(rtdw(d).args(["split-log", "--from", "day.jsonl", "--to", "split/"]));
    run_ok(rtdw(d).args(["dau", "--from", "split/DWD_PAGE_LOG.jsonl", "--to", "out/"]));
    route_mock_orders(d, "50");
    run_ok(rtdw(d).args(["order-wide", "--from", "routed/", "--to", "out/"]));

    let out = rtdw(d)
        .args([
            "report",
            "dau",
            "--date",
            "2026-11-22",
            "--from",
            "out/gmall_order_wide_2026-11-22.jsonl",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("not a gmall_dau_info_{dt} document") && err.contains("`mid`"),
        "{err}"
    );
    // A folder: its gmall_dau_info_* files, not the dirty or other indices.
    let table = run_ok(rtdw(d).args([
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--from",
        "out/",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_slice(&table.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    let gmv = run_ok(rtdw(d).args([
        "report",
        "gmv",
        "--date",
        "2026-11-22",
        "--from",
        "out/",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_slice(&gmv.stdout).unwrap();
    assert_ne!(v["total"], "0.00", "{v}");

    let out = rtdw(d)
        .args([
            "report",
            "dau",
            "--date",
            "2026-11-22",
            "--from",
            "out/",
            "--png",
            "charts/dau.png",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the folder charts does not exist") && !err.contains("BackendError"),
        "{err}"
    );

    let out = rtdw(d)
        .args([
            "bootstrap-dims",
            "--from",
            "mysql://etl@127.0.0.1:9/gmall",
            "--table",
            "user_info",
        ])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(69), "{err}");
    assert!(
        err.contains("Could not connect to address") && !err.contains("DriverError"),
        "{err}"
    );
}

/// `offsets show --all-groups` (as kafka-consumer-groups.sh has), and one
/// name for the stored offset: `show` and the `reset` plan both say STORED.
#[test]
fn offsets_show_all_groups_and_one_name_for_the_stored_offset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (group, offset) in [("dau", "5"), ("split-log", "7")] {
        run_ok(
            rtdw(d)
                .args([
                    "offsets", "reset", "--store", "file", "--group", group, "--topic", "T:0",
                ])
                .args(["--to-offset", offset, "--execute"]),
        );
    }
    let out = run_ok(rtdw(d).args([
        "offsets",
        "show",
        "--store",
        "file",
        "--all-groups",
        "--json",
    ]));
    let shown = support::json_lines(&out.stdout);
    let groups: Vec<(&str, i64)> = shown
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["partitions"][0]["stored"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(groups, [("dau", 5), ("split-log", 7)]);
    let table = String::from_utf8(
        run_ok(rtdw(d).args(["offsets", "show", "--store", "file", "--all-groups"])).stdout,
    )
    .unwrap();
    assert!(
        table.contains("group dau in") && table.contains("group split-log in"),
        "{table}"
    );

    let plan = run_ok(rtdw(d).args([
        "offsets",
        "reset",
        "--store",
        "file",
        "--group",
        "dau",
        "--topic",
        "T:0",
        "--shift-by",
        "1",
    ]));
    let plan = String::from_utf8(plan.stdout).unwrap();
    assert!(
        plan.contains("STORED") && !plan.contains("CURRENT"),
        "{plan}"
    );
    let plan = run_ok(rtdw(d).args([
        "offsets",
        "reset",
        "--store",
        "file",
        "--group",
        "dau",
        "--topic",
        "T:0",
        "--shift-by",
        "1",
        "--json",
    ]));
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(plan["plan"][0]["stored"], 5, "{plan}");
}

/// The README's save-then-move example: `--to-current --export` saves where
/// the group is; `--from-file` puts it back after a move.
#[test]
fn readme_export_example_saves_the_current_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reset = |args: &[&str]| {
        run_ok(
            rtdw(d)
                .args([
                    "offsets",
                    "reset",
                    "--store",
                    "file",
                    "--group",
                    "split-log",
                ])
                .args(args),
        )
    };
    reset(&[
        "--topic",
        "ODS_BASE_LOG:0,2",
        "--to-offset",
        "5000",
        "--execute",
    ]);
    reset(&[
        "--topic",
        "ODS_BASE_LOG:0,2",
        "--to-current",
        "--export",
        "before.csv",
    ]);
    reset(&[
        "--topic",
        "ODS_BASE_LOG:0,2",
        "--shift-by",
        "-1000",
        "--execute",
    ]);
    let stored = |d: &std::path::Path| {
        let out = run_ok(rtdw(d).args([
            "offsets",
            "show",
            "--store",
            "file",
            "--group",
            "split-log",
            "--json",
        ]));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["stored"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(stored(d), [4000, 4000]);
    reset(&["--from-file", "before.csv", "--execute"]);
    assert_eq!(stored(d), [5000, 5000]);
}

/// The one output rule of the README, kept by every tool: stdout lines name
/// their destination (`topic` or `_index`), `DIR/` lines do not (the file
/// name does): bare values for records, `{_id,_source}` for documents.
#[test]
fn every_tool_keeps_the_output_rule() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--devices",
        "2000",
        "--date",
        "2026-11-22",
        "--to",
        "logs.jsonl",
    ]));
    run_ok(rtdw(d).args([
        "mock",
        "db",
        "--orders",
        "50",
        "--date",
        "2026-11-22",
        "--to",
        "db.jsonl",
    ]));
    list_order_facts(d);
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k.join(",")
    };
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["split-log", "--from", "logs.jsonl"],
            "key,topic,value",
            "records",
        ),
        (
            &["route-db", "--from", "db.jsonl"],
            "key,topic,value",
            "records",
        ),
        (
            &["order-wide", "--from", "dwd-route-db/"],
            "_id,_index,_source",
            "_id,_source",
        ),
        (
            &["dau", "--from", "dwd-split-log/"],
            "_id,_index,_source",
            "_id,_source",
        ),
        (
            &["risk-alert", "--from", "dwd-split-log/"],
            "_id,_index,_source",
            "_id,_source",
        ),
    ];
    for (args, stdout_keys, dir_keys) in cases {
        let tool = args[0];
        let out = run_ok(rtdw(d).args(args).args(["--to", "-"]));
        let lines = support::json_lines(&out.stdout);
        assert!(!lines.is_empty(), "{tool}");
        assert!(
            lines.iter().all(|l| keys(l) == stdout_keys),
            "{tool}: {}",
            lines[0]
        );
        let folder = format!("dwd-{tool}/");
        run_ok(rtdw(d).args(args).args(["--to", &folder]));
        for entry in std::fs::read_dir(d.join(&folder)).unwrap() {
            let path = entry.unwrap().path();
            for line in support::parse_json_lines(&path) {
                if dir_keys == "records" {
                    let k = keys(&line);
                    assert!(
                        k != "key,topic,value" && !k.starts_with("_id"),
                        "{}: {line}",
                        path.display()
                    );
                } else {
                    assert_eq!(keys(&line), dir_keys, "{}: {line}", path.display());
                }
            }
        }
    }
}

/// What a break-test of issue 16 found: inputs of the wrong kind are
/// refused before they change anything, flags are checked before any store
/// opens, and usage errors are plain (and JSON with --log-format json).
#[test]
fn wrong_inputs_and_flags_are_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--devices",
        "300",
        "--date",
        "2026-11-22",
        "--to",
        "logs.jsonl",
    ]));
    run_ok(rtdw(d).args(["split-log", "--from", "logs.jsonl", "--to", "dwd/"]));
    run_ok(rtdw(d).args(["dau", "--from", "dwd/", "--to", "dws/"]));
    let code = |args: &[&str]| {
        let out = rtdw(d).args(args).output().unwrap();
        (out.status.code(), stderr(&out))
    };
    // restore-state: a DWD file is no DAU document; the set stays as it is.
    let before = support::dump_state(&d.join(".rtdw/state"));
    let (c, err) = code(&[
        "restore-state",
        "--date",
        "2026-11-22",
        "--from",
        "dwd/DWD_PAGE_LOG.jsonl",
    ]);
    assert_eq!(c, Some(2), "{err}");
    assert!(err.contains("not a gmall_dau_info_{dt} document"), "{err}");
    assert_eq!(support::dump_state(&d.join(".rtdw/state")), before);
    // …and a folder of dau's output is read (its gmall_dau_info_* files).
    let out = run_ok(rtdw(d).args([
        "restore-state",
        "--date",
        "2026-11-22",
        "--from",
        "dws/",
        "--dry-run",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["documents"].as_u64().unwrap() > 0, "{v}");
    // report: DWD records are not DAU documents either.
    let (c, err) = code(&[
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--from",
        "dwd/DWD_PAGE_LOG.jsonl",
    ]);
    assert_eq!(c, Some(2), "{err}");
    let (c, err) = code(&[
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--compare",
        "2026-11-22",
        "--from",
        "dws/",
    ]);
    assert_eq!(c, Some(2), "{err}");
    let (c, err) = code(&[
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--from",
        "dws/",
        "--png",
        "chart.jpg",
    ]);
    assert!(c == Some(2) && err.contains("ending in .png"), "{err}");
    // dau refuses --exactly-once and --to kafka before opening any store.
    let fresh = tempfile::tempdir().unwrap();
    std::fs::copy(
        d.join("dwd/DWD_PAGE_LOG.jsonl"),
        fresh.path().join("p.jsonl"),
    )
    .unwrap();
    for extra in [&["--to", "-", "--exactly-once"][..], &["--to", "kafka"]] {
        let out = rtdw(fresh.path())
            .args(["dau", "--from", "p.jsonl"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("writes Elasticsearch documents"),
            "{}",
            stderr(&out)
        );
        assert!(!fresh.path().join(".rtdw").exists(), "no store opened");
    }
    let out = rtdw(fresh.path())
        .args(["dau", "--from", "missing.jsonl", "--to", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !fresh.path().join(".rtdw").exists(),
        "no store opened for a missing input"
    );
    // A state path two folders deep that does not exist is a typo, not a wish.
    let (c, err) = code(&[
        "--state",
        "file:no/such/state",
        "route-db",
        "tables",
        "list",
    ]);
    assert!(c == Some(2) && err.contains("does not exist"), "{err}");
    assert!(!d.join("no").exists());
    // Usage errors as JSON when JSON logs are asked for.
    let (c, err) = code(&["--log-format", "json", "dau", "--frm", "x"]);
    assert_eq!(c, Some(2));
    let v: serde_json::Value =
        serde_json::from_str(err.trim()).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(v["fields"]["exit_code"], 2);
}

/// Progress counts the bytes read from stdin too.
#[test]
fn progress_counts_stdin_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--lines",
        "3000",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    let out = rtdw(d)
        .env("RTDW_PROGRESS_EVERY", "0s")
        .args([
            "split-log",
            "--from",
            "-",
            "--to",
            "out/",
            "--batch-max",
            "500",
        ])
        .stdin(std::fs::File::open(d.join("day.jsonl")).unwrap())
        .output()
        .unwrap();
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("progress:"))
        .expect("a progress line");
    assert!(!line.contains("bytes_read=0 "), "{line}");
}

/// `route-db tables add --fact order_info --fact order_detail` in `d`.
fn list_order_facts(d: &std::path::Path) {
    run_ok(rtdw(d).args([
        "route-db",
        "tables",
        "add",
        "--fact",
        "order_info",
        "--fact",
        "order_detail",
    ]));
}

/// A `mock db` day of `orders` orders (db.jsonl) routed into `d/routed/`,
/// its order tables listed as facts.
fn route_mock_orders(d: &std::path::Path, orders: &str) {
    run_ok(rtdw(d).args([
        "mock",
        "db",
        "--orders",
        orders,
        "--date",
        "2026-11-22",
        "--to",
        "db.jsonl",
    ]));
    list_order_facts(d);
    run_ok(rtdw(d).args(["route-db", "--from", "db.jsonl", "--to", "routed/"]));
}

/// Redis, the state store, goes down in the middle of a run and stays down:
/// after `--max-retry-time` the run exits 69 naming Redis, with the Redis
/// hint (never the embedded file's "write lock" one).
#[test]
fn a_redis_outage_past_the_retry_time_exits_69_with_the_redis_hint() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut redis = support::redis::Redis::start();
    let (pages, _) = support::dau::page_logs(dir.path(), 50, 400);
    let mut child = rtdw(dir.path())
        .args(["--redis", &redis.url(), "dau", "--from", "-", "--to", "-"])
        .args(["--max-retry-time", "3s", "--batch-ms", "50"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (first, rest) = pages.split_at(pages.len() / 2);
    writeln!(stdin, "{}", first.join("\n")).unwrap();
    // The first half reaches the day's set in Redis.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let members: i64 = redis::cmd("SCARD")
            .arg("DAU:2026-11-22")
            .query(&mut redis.conn())
            .unwrap();
        if members > 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "nothing reached Redis"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    redis.stop();
    writeln!(stdin, "{}", rest.join("\n")).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(stderr.contains("redis unreachable"), "{stderr}");
    assert!(stderr.contains("check --redis"), "{stderr}");
    assert!(!stderr.contains("write lock"), "{stderr}");
}

/// Issue 18: every usage error comes before any connection. Each command
/// below names services that are not there (a closed port for Kafka and
/// Redis); a wrong flag must be exit 2 with its fix, not a connection
/// error or a wait for `--max-retry-time`.
#[test]
fn usage_errors_come_before_any_connection() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("in.jsonl"), "{}\n").unwrap();
    let dead = format!("127.0.0.1:{}", support::free_port());
    let redis = format!("redis://{dead}");
    let cases: [(&[&str], &str); 11] = [
        (
            &["route-db", "--from", "kafka", "--to", "es"],
            "writes Kafka topics",
        ),
        (
            &["split-log", "--from", "kafka", "--to", "kafka:ONE"],
            "writes several topics",
        ),
        (&["dau", "--from", "kafka", "--to", "kafka"], "documents"),
        (
            &[
                "order-wide",
                "--from",
                "in.jsonl",
                "--to",
                "kafka",
                "--also-topic",
            ],
            "--also-topic",
        ),
        (
            &[
                "order-wide",
                "--from",
                "in.jsonl",
                "--to",
                "-",
                "--orphan-after",
                "2d",
            ],
            "--orphan-after",
        ),
        (
            &["risk-alert", "--from", "kafka", "--to", "out.jsonl"],
            "trailing slash",
        ),
        // Found by a break test: these waited for a connection, or ran.
        (
            &[
                "dau",
                "--from",
                "kafka",
                "--to",
                "es",
                "--metrics-addr",
                "notanaddr",
            ],
            "--metrics-addr notanaddr",
        ),
        (
            &[
                "split-log",
                "--from",
                "in.jsonl",
                "--to",
                "-",
                "--max-line-bytes",
                "0",
            ],
            "--max-line-bytes",
        ),
        (
            &[
                "route-db",
                "--from",
                "kafka",
                "--to",
                "kafka",
                "--instance-id",
                " ",
            ],
            "--instance-id",
        ),
        (
            &[
                "order-wide",
                "--from",
                "in.jsonl",
                "--to",
                "-",
                "--join-ttl",
                "9999999999h",
            ],
            "at most 3650 days",
        ),
        (
            &[
                "route-db",
                "--from",
                "in.jsonl",
                "--to",
                "-",
                "--max-event-ahead",
                "99999999h",
            ],
            "--max-event-ahead",
        ),
    ];
    for (args, says) in cases {
        let out = rtdw(d)
            .args(["--brokers", &dead, "--redis", &redis])
            .args(args)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("unreachable"), "{args:?}: {err}");
    }
    // A missing --offsets folder is named by --offsets (it said --state).
    let out = rtdw(d)
        .args(["--brokers", &dead, "dau", "--from", "kafka", "--to", "dir/"])
        .args(["--offsets", "file:/nonexistent/a/b"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--offsets file:/nonexistent/a/b"), "{err}");
}
