//! split-log in pipe mode: files, stdin/stdout, dirty input, exit codes.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;

use support::oracle::{expected_counts, STREAMS};
use support::{mock_day, parse_json_lines, read_lines, rtdw, run_ok};

const COMMON: [&str; 9] = [
    "mid",
    "user_id",
    "province_id",
    "channel",
    "is_new",
    "model",
    "operate_system",
    "version_code",
    "brand",
];
const PAGE: [&str; 6] = [
    "page_id",
    "last_page_id",
    "page_item",
    "page_item_type",
    "during_time",
    "source_type",
];

fn keys(v: &serde_json::Value) -> Vec<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn sorted(mut v: Vec<&str>) -> Vec<String> {
    v.sort();
    v.into_iter().map(String::from).collect()
}

fn expected_fields(stream: &str) -> Vec<String> {
    let mut f: Vec<&str> = COMMON.to_vec();
    match stream {
        "DWD_START_LOG" => f.extend([
            "entry",
            "open_ad_id",
            "loading_time_ms",
            "open_ad_ms",
            "open_ad_skip_ms",
            "ts",
        ]),
        "DWD_PAGE_LOG" => f.extend(PAGE.iter().copied().chain(["ts"])),
        "DWD_PAGE_DISPLAY" => f.extend(PAGE.iter().copied().chain([
            "display_type",
            "display_item",
            "display_item_type",
            "display_order",
            "display_pos_id",
            "ts",
        ])),
        "DWD_PAGE_ACTION" => f.extend(PAGE.iter().copied().chain([
            "action_id",
            "action_item",
            "action_item_type",
            "action_ts",
            "ts",
        ])),
        _ => unreachable!(),
    }
    sorted(f)
}

/// A generated day plus the nasty lines every reader meets sooner or later.
fn day_with_bad_lines(dir: &std::path::Path) -> (std::path::PathBuf, Vec<String>) {
    let path = mock_day(dir, "day.jsonl", 5000, 0.02);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"\n   \n");
    bytes.extend_from_slice(
        b"{\"common\":{\"mid\":\"bad\xff\xfeutf8\"},\"page\":{\"page_id\":\"home\"},\"ts\":1}\n",
    );
    bytes.extend_from_slice(b"{\"common\":{\"mid\":\"mid_9\"},\"page\":{\"page_id\":\"ho\n");
    let mut huge = b"{\"common\":{\"mid\":\"mid_huge\"},\"page\":{\"page_id\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    huge.extend_from_slice(b"\"},\"ts\":1}\n");
    bytes.extend_from_slice(&huge);
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(&path, &bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    (path, text.lines().map(String::from).collect())
}

#[test]
fn pipe_mode_counts_fields_and_dirty_records_match_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let (day, lines) = day_with_bad_lines(dir.path());
    let out = run_ok(rtdw(dir.path()).args([
        "split-log",
        "--from",
        day.to_str().unwrap(),
        "--to",
        "out/",
    ]));
    assert!(out.stdout.is_empty(), "no data on stdout with --to DIR/");

    let mut want = expected_counts(&lines);
    // The oracle reads the lines as (lossy) text, so it sees two valid page
    // logs that are dirty in bytes: the invalid UTF-8 one, and the 10 MB one
    // (over --max-line-bytes).
    *want.get_mut("DWD_PAGE_LOG").unwrap() -= 2;
    *want.get_mut("DWD_DIRTY_LOG").unwrap() += 2;
    let mut got = BTreeMap::new();
    for s in STREAMS {
        got.insert(
            s,
            read_lines(&dir.path().join("out").join(format!("{s}.jsonl"))).len(),
        );
    }
    assert_eq!(got, want);
    assert!(
        want["DWD_DIRTY_LOG"] >= 50 && want["DWD_ERROR_LOG"] > 0 && want["DWD_PAGE_ACTION"] > 0
    );

    for s in &STREAMS[..4] {
        for v in parse_json_lines(&dir.path().join("out").join(format!("{s}.jsonl"))) {
            assert_eq!(keys(&v), expected_fields(s), "fields of {s}");
        }
    }
    let dirty = parse_json_lines(&dir.path().join("out/DWD_DIRTY_LOG.jsonl"));
    for d in &dirty {
        assert_eq!(keys(d), sorted(vec!["raw", "error", "source"]));
        assert!(
            d["source"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{}:", day.display())),
            "{d}"
        );
        assert!(!d["error"].as_str().unwrap().is_empty());
    }
    let why = |needle: &str| {
        dirty
            .iter()
            .find(|d| d["raw"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no dirty record for {needle}"))
    };
    assert!(why("bad")
        .get("error")
        .unwrap()
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert!(why("\"mid_9\"},\"page\":{\"page_id\":\"ho")
        .get("error")
        .unwrap()
        .as_str()
        .unwrap()
        .contains("invalid log JSON"));
    let huge = why("mid_huge");
    assert!(huge["error"]
        .as_str()
        .unwrap()
        .contains("longer than --max-line-bytes"));
    assert!(huge["raw"].as_str().unwrap().len() <= 64 * 1024);
    // Source positions count every line, blank ones included.
    let total_lines = lines.len();
    assert!(
        huge["source"]
            .as_str()
            .unwrap()
            .ends_with(&format!(":{}", total_lines - 1)),
        "{}",
        huge["source"]
    );

    // Error logs are the original objects, unchanged.
    let originals: std::collections::HashSet<&str> = lines.iter().map(String::as_str).collect();
    for e in read_lines(&dir.path().join("out/DWD_ERROR_LOG.jsonl")) {
        assert!(originals.contains(e.as_str()), "error log changed: {e}");
    }
}

#[test]
fn stdin_to_stdout_gives_the_same_records_as_file_mode() {
    let dir = tempfile::tempdir().unwrap();
    let day = mock_day(dir.path(), "day.jsonl", 3000, 0.01);
    run_ok(rtdw(dir.path()).args(["split-log", "--from", "day.jsonl", "--to", "files/"]));

    let mut child = rtdw(dir.path())
        .args(["split-log", "--from", "-", "--to", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(&day).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut by_topic: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let env: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(keys(&env), sorted(vec!["topic", "key", "value"]));
        let topic = env["topic"].as_str().unwrap().to_string();
        match topic.as_str() {
            "DWD_DIRTY_LOG" => assert!(env["key"].is_null()),
            "DWD_ERROR_LOG" => assert_eq!(env["key"], env["value"]["common"]["mid"], "key is mid"),
            _ => assert_eq!(env["key"], env["value"]["mid"], "key is mid"),
        }
        by_topic
            .entry(topic)
            .or_default()
            .push(env["value"].to_string());
    }
    for s in STREAMS {
        let file: Vec<String> =
            parse_json_lines(&dir.path().join("files").join(format!("{s}.jsonl")))
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    // stdin positions read `stdin:N`, files `day.jsonl:N`.
                    if let Some(src) = v.get_mut("source") {
                        *src = src.as_str().unwrap().replace("day.jsonl:", "stdin:").into();
                    }
                    v.to_string()
                })
                .collect();
        assert_eq!(by_topic.remove(s).unwrap_or_default(), file, "stream {s}");
    }
    assert!(
        by_topic.is_empty(),
        "unexpected topics {:?}",
        by_topic.keys()
    );
}

#[test]
fn envelopes_of_other_topics_are_skipped_and_gz_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let day = mock_day(dir.path(), "day.jsonl", 500, 0.0);
    let lines = read_lines(&day);
    // Wrap every line in an ODS envelope, add foreign envelopes, gzip it.
    let mut text = String::new();
    for l in &lines {
        text.push_str(&format!(
            "{{\"topic\":\"ODS_BASE_LOG\",\"key\":null,\"value\":{l}}}\n"
        ));
        text.push_str("{\"topic\":\"DWD_PAGE_LOG\",\"key\":\"m\",\"value\":{\"mid\":\"m\"}}\n");
    }
    let gz = dir.path().join("day.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();

    run_ok(rtdw(dir.path()).args(["split-log", "--from", "day.jsonl.gz", "--to", "out/"]));
    let want = expected_counts(&lines);
    for s in STREAMS {
        let p = dir.path().join("out").join(format!("{s}.jsonl"));
        let got = if p.exists() { read_lines(&p).len() } else { 0 };
        assert_eq!(got, want[s], "stream {s}");
    }
}

#[test]
fn broken_pipe_on_stdout_ends_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    mock_day(dir.path(), "day.jsonl", 20_000, 0.0);
    let mut child = rtdw(dir.path())
        .args(["split-log", "--from", "day.jsonl", "--to", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn strict_mode_stops_at_the_first_bad_line_with_exit_65_and_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.jsonl"),
        "{\"common\":{\"mid\":\"m\"},\"start\":{},\"ts\":1795312800000}\nnot json\n",
    )
    .unwrap();
    let out = rtdw(dir.path())
        .args([
            "split-log",
            "--from",
            "in.jsonl",
            "--to",
            "out/",
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in.jsonl:2"), "{stderr}");
    assert!(
        !dir.path().join("out/DWD_START_LOG.jsonl").exists(),
        "nothing of the failed batch is written"
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let out = rtdw(dir.path())
        .args(["split-log", "--from", "missing.jsonl", "--to", "out/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl"));

    let out = rtdw(dir.path())
        .args(["split-log", "--from", "-", "--to", "single.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("trailing slash"));

    let out = rtdw(dir.path())
        .args(["split-log", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = rtdw(dir.path())
        .args(["split-log", "--from", "-", "--to", "-", "--tz", "Mars/Base"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mars/Base"));
}

#[test]
fn mock_logs_are_deterministic_per_seed() {
    let dir = tempfile::tempdir().unwrap();
    let a = std::fs::read(mock_day(dir.path(), "a.jsonl", 2000, 0.05)).unwrap();
    let b = std::fs::read(mock_day(dir.path(), "b.jsonl", 2000, 0.05)).unwrap();
    assert_eq!(a, b);
    let out = run_ok(rtdw(dir.path()).args([
        "mock",
        "logs",
        "--lines",
        "2000",
        "--seed",
        "8",
        "--date",
        "2026-11-22",
        "--dirty-ratio",
        "0.05",
        "--devices",
        "300",
        "--users",
        "200",
    ]));
    assert_ne!(out.stdout, a, "another seed gives other data");
    // Realistic content: coupons, errors, and visit starts all occur.
    let text = String::from_utf8_lossy(&a);
    for needle in [
        "\"get_coupon\"",
        "\"err\"",
        "\"start\"",
        "\"displays\"",
        "\"last_page_id\"",
    ] {
        assert!(text.contains(needle), "mock output lacks {needle}");
    }
    // In time order, as a log server receives the logs (the malformed
    // `"ts":1` line aside).
    let times: Vec<i64> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?["ts"].as_i64())
        .filter(|&t| t > 1)
        .collect();
    assert!(times.len() > 1800, "{} logs with a time", times.len());
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "logs out of time order"
    );
}

#[test]
fn config_show_masks_secrets_from_flags_env_and_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rtdw.toml"),
        "brokers = \"file-broker:9092\"\n[kafka]\n\"sasl.password\" = \"filesecret\"\n[topics]\nDWD_PAGE_LOG = \"pages\"\n",
    )
    .unwrap();
    let out = run_ok(
        rtdw(dir.path())
            .args(["config", "show", "--redis", "redis://:flagsecret@h:6379"])
            .env("RTDW_KAFKA_BROKERS", "env-broker:9092")
            .env("RTDW_KAFKA_SASL_USERNAME", "svc"),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("brokers = env-broker:9092"),
        "env beats the file:\n{text}"
    );
    assert!(text.contains("redis = redis://:***@h:6379"), "{text}");
    assert!(text.contains("kafka.sasl.password = ***"), "{text}");
    assert!(text.contains("kafka.sasl.username = svc"), "{text}");
    assert!(text.contains("topics.DWD_PAGE_LOG = pages"), "{text}");
    assert!(!text.contains("secret"), "{text}");
    assert!(
        text.contains("state = redis"),
        "redis configured → redis state by default:\n{text}"
    );

    std::fs::write(dir.path().join("rtdw.toml"), "brokres = \"typo\"\n").unwrap();
    let out = rtdw(dir.path()).args(["config", "show"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("brokres"));
}

#[test]
fn stdin_stream_is_written_within_batch_ms_before_input_ends() {
    let dir = tempfile::tempdir().unwrap();
    let day = mock_day(dir.path(), "day.jsonl", 50, 0.0);
    let mut child = rtdw(dir.path())
        .args([
            "split-log",
            "--from",
            "-",
            "--to",
            "out/",
            "--batch-ms",
            "100",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&std::fs::read(&day).unwrap()).unwrap();
    stdin.flush().unwrap();
    // Like `tail -f log | rtdw …`: the input stays open, the output must appear.
    let page_log = dir.path().join("out/DWD_PAGE_LOG.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !page_log.exists() || read_lines(&page_log).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing written while stdin stays open"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--batch-max N` makes batches of exactly N records from files too (the
/// reader's 1 024-line chunks are split): 2 500 lines in 1 000s are 3
/// batches, in 100s 25, and every line is read once.
#[test]
fn batch_max_is_exact_for_file_input() {
    let dir = tempfile::tempdir().unwrap();
    let line = |i: usize| {
        format!("{{\"common\":{{\"mid\":\"m{i}\"}},\"page\":{{\"page_id\":\"home\"}},\"ts\":1795312800000}}\n")
    };
    std::fs::write(
        dir.path().join("in.jsonl"),
        (0..2500).map(line).collect::<String>(),
    )
    .unwrap();
    for (max, batches) in [("1000", 3), ("100", 25), ("3000", 1)] {
        let out = rtdw(dir.path())
            .args([
                "split-log",
                "--from",
                "in.jsonl",
                "--to",
                "-",
                "--batch-max",
                max,
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains(&format!("batches={batches} ")),
            "--batch-max {max}: {stderr}"
        );
        assert!(stderr.contains("read=2500 "), "{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2500);
    }
}

/// `--from` as ripgrep users expect: several paths after one flag (a shell
/// glob), a folder for its *.jsonl and *.jsonl.gz files in name order, and
/// the flag repeated; an empty folder is a usage error naming it.
#[test]
fn from_takes_several_paths_and_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let line = |mid: &str| {
        format!("{{\"common\":{{\"mid\":\"{mid}\"}},\"page\":{{\"page_id\":\"home\"}},\"ts\":1795312800000}}\n")
    };
    std::fs::create_dir_all(d.join("logs")).unwrap();
    std::fs::write(d.join("logs/b.jsonl"), line("b")).unwrap();
    std::fs::write(d.join("logs/a.jsonl"), line("a")).unwrap();
    std::fs::write(d.join("logs/notes.txt"), "not a log").unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, line("c").as_bytes()).unwrap();
    std::fs::write(d.join("logs/c.jsonl.gz"), gz.finish().unwrap()).unwrap();
    std::fs::create_dir_all(d.join("empty")).unwrap();
    let mids = |args: &[&str]| -> Vec<String> {
        let out = run_ok(rtdw(d).arg("split-log").args(args).args(["--to", "-"]));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["value"]["mid"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(mids(&["--from", "logs/"]), ["a", "b", "c"]);
    assert_eq!(
        mids(&["--from", "logs/b.jsonl", "logs/a.jsonl"]),
        ["b", "a"]
    );
    assert_eq!(
        mids(&["--from", "logs/b.jsonl", "--from", "logs/a.jsonl"]),
        ["b", "a"]
    );
    let out = rtdw(d)
        .args(["split-log", "--from", "empty", "--to", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no *.jsonl"),
        "{out:?}"
    );
}
