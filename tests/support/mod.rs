//! Test harness: the `rtdw` binary as a subprocess, a real `redis-server` on a
//! free port, a Kafka broker (librdkafka's mock cluster in this process, or a
//! `tansu` process), and random names so tests never see each other's data.
#![allow(dead_code)]

pub mod apache_kafka;
pub mod dau;
pub mod fake_es;
pub mod http;
pub mod kafka;
pub mod mariadb;
pub mod opensearch;
pub mod oracle;
pub mod orders;
pub mod redis;
pub mod split_log;
pub mod state_contract;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A unique name for topics, groups and keys: `prefix_<random>`.
pub fn unique(prefix: &str) -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("{prefix}_{n:016x}")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `rtdw` with a clean environment (no RTDW_* from the developer's shell),
/// running in `dir` so that no `rtdw.toml` or `.rtdw/` leaks in.
pub fn rtdw(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rtdw"));
    for (k, _) in std::env::vars() {
        if k.starts_with("RTDW_") || k == "RUST_LOG" {
            c.env_remove(k);
        }
    }
    c.current_dir(dir).stdin(Stdio::null());
    c
}

pub fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("rtdw runs");
    assert!(
        out.status.success(),
        "rtdw failed with {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Generates a day of mock logs into `path` and returns its lines.
pub fn mock_day(dir: &Path, name: &str, lines: u64, dirty_ratio: f64) -> PathBuf {
    mock_day_with(
        dir,
        name,
        lines,
        &["--dirty-ratio", &dirty_ratio.to_string()],
    )
}

/// [`mock_day`] with other `mock logs` options (`--bot-ratio 0.05`, …).
pub fn mock_day_with(dir: &Path, name: &str, lines: u64, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    run_ok(
        rtdw(dir)
            .args(["mock", "logs", "--devices", "300", "--users", "200"])
            .args(["--date", "2026-11-22", "--seed", "7"])
            .args(["--lines", &lines.to_string()])
            .args(extra)
            .args(["--to", path.to_str().expect("utf-8 path")]),
    );
    path
}

/// Runs `cmd` to its end; returns its status, seconds and peak RSS in MiB
/// (the process's own `VmHWM`, sampled until it exits: the last sample is
/// the peak).
pub fn run_measured(cmd: &mut Command) -> (std::process::ExitStatus, f64, f64) {
    let start = std::time::Instant::now();
    let mut child = cmd.spawn().expect("spawning");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    (
        status,
        start.elapsed().as_secs_f64(),
        peak_kib as f64 / 1024.0,
    )
}

/// The benchmarks' baseline: read every line of `paths` and parse it into
/// a `serde_json::Value` on one core. Returns (lines, seconds).
pub fn parse_baseline(paths: &[&Path]) -> (u64, f64) {
    use std::io::BufRead;
    let start = std::time::Instant::now();
    let mut n = 0u64;
    for path in paths {
        let f = std::io::BufReader::with_capacity(
            256 * 1024,
            std::fs::File::open(path).expect("input"),
        );
        for line in f.split(b'\n') {
            let line = line.expect("reading");
            let v: Result<serde_json::Value, _> = serde_json::from_slice(&line);
            std::hint::black_box(&v);
            n += 1;
        }
    }
    (n, start.elapsed().as_secs_f64())
}

/// `name=N` from the last summary line of a run's stderr (0 when absent).
pub fn summary_field(stderr: &str, name: &str) -> u64 {
    stderr
        .rsplit(&format!(" {name}="))
        .next()
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .map(String::from)
        .collect()
}

pub fn parse_json_lines(path: &Path) -> Vec<serde_json::Value> {
    read_lines(path)
        .iter()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}: {l}", path.display()))
        })
        .collect()
}

/// Kills a spawned rtdw if the test fails before stopping it: an orphan
/// would keep the test runner's output pipes open.
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `route-db tables add` of the gmall tables `mock db` writes: the two fact
/// tables (with `facts`) and the three dimension tables, in the embedded
/// store at `state`.
pub fn add_gmall_tables(dir: &Path, state: &Path, facts: bool) {
    let mut c = rtdw(dir);
    c.arg("--state")
        .arg(format!("file:{}", state.display()))
        .args(["route-db", "tables", "add"]);
    if facts {
        c.args(["--fact", "order_info", "--fact", "order_detail"]);
    }
    run_ok(c.args([
        "--dim",
        "user_info",
        "--dim",
        "sku_info",
        "--dim",
        "base_province",
    ]));
}

/// Every live key of the embedded store at `path` with its contents as
/// text (a string's value, a set's sorted members, a hash's fields), so
/// that two dumps compare equal exactly when the stores hold the same data.
pub fn dump_state(path: &Path) -> std::collections::BTreeMap<String, String> {
    use rtdw::state::{Op, Reply, StateError, StateExt};
    let store = rtdw::state::embedded::EmbeddedStore::open(path).expect("state opens");
    let mut out = std::collections::BTreeMap::new();
    for key in store.keys("*").expect("keys") {
        let text = match store.one(Op::Get(key.clone())) {
            Ok(Reply::Str(v)) => v,
            Err(StateError::WrongType { .. }) => match store.one(Op::SMembers(key.clone())) {
                Ok(Reply::Strs(mut m)) => {
                    m.sort();
                    format!("set {m:?}")
                }
                _ => format!("hash {:?}", store.hgetall(&key).expect("hash")),
            },
            other => format!("{other:?}"),
        };
        out.insert(key, text);
    }
    out
}

/// Runs a shell pipeline in `dir` with this build's `rtdw` first on PATH
/// and the same clean environment as [`rtdw`]. Returns the output (stdout
/// of the last stage) and every stage's exit status, in order.
pub fn pipe(dir: &Path, pipeline: &str) -> (Output, Vec<i32>) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_rtdw"))
        .parent()
        .expect("the binary's folder");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status_file = dir.join(".pipestatus");
    let script = format!(
        "{pipeline}\necho \"${{PIPESTATUS[*]}}\" > {}",
        status_file.display()
    );
    let mut c = Command::new("bash");
    for (k, _) in std::env::vars() {
        if k.starts_with("RTDW_") || k == "RUST_LOG" {
            c.env_remove(k);
        }
    }
    let out = c
        .args(["-c", &script])
        .env("PATH", path)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    let statuses = std::fs::read_to_string(&status_file)
        .unwrap_or_default()
        .split_whitespace()
        .map(|s| s.parse().unwrap_or(-1))
        .collect();
    (out, statuses)
}

/// Parses NDJSON output, one value a line.
pub fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Two instances of one job in one group, started by `start(name)`:
/// instance `a` is killed with -9 once `stored()` (the offsets the group
/// has stored, summed) reaches a quarter of `total`, and started again;
/// returns once `stored()` reaches `total`, both instances stopped. Fails
/// when either wait outlasts `patience`.
pub fn two_instances_one_killed(
    start: impl Fn(&str) -> KillOnDrop,
    stored: impl Fn() -> i64,
    total: i64,
    patience: std::time::Duration,
) {
    let wait_for = |target: i64| {
        let deadline = std::time::Instant::now() + patience;
        while stored() < target {
            assert!(
                std::time::Instant::now() < deadline,
                "stored {} of {target}",
                stored()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    let mut a = start("a");
    let b = start("b");
    wait_for(total / 4);
    // SAFETY: kill -9 of our own child.
    unsafe { libc::kill(a.0.id() as i32, libc::SIGKILL) };
    let _ = a.0.wait();
    let a = start("a");
    wait_for(total);
    drop((a, b));
}

/// Removes the folders `PREFIX{pid}-…` under `root` of earlier test
/// processes that are gone (killed before they could clean up).
pub fn clean_leftovers(root: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        // SAFETY: kill with signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Spawns `cmd` from a thread that lives as long as the test process, with
/// `PR_SET_PDEATHSIG`, so the child (a broker, a search node) dies with the
/// process however it ends: the signal follows the thread that spawned the
/// child, and test threads end. Returns the child's pid.
pub fn spawn_for_life(name: &str, mut cmd: Command) -> std::io::Result<u32> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl in the child before exec, async-signal-safe.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
            let _ = tx.send(cmd.spawn().map(|c| c.id()));
            loop {
                std::thread::park();
            }
        })?;
    rx.recv()
        .map_err(|_| std::io::Error::other("the keeper thread ended"))?
}
