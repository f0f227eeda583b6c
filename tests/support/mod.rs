//! Test harness: the `rtdw` binary as a subprocess, a real `redis-server` on a
//! free port, a Kafka broker (librdkafka's mock cluster in this process, or a
//! `tansu` process), and random names so tests never see each other's data.
#![allow(dead_code)]

pub mod dau;
pub mod fake_es;
pub mod http;
pub mod kafka;
pub mod mariadb;
pub mod oracle;
pub mod orders;
pub mod redis;
pub mod split_log;

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
    let path = dir.join(name);
    run_ok(rtdw(dir).args([
        "mock",
        "logs",
        "--devices",
        "300",
        "--users",
        "200",
        "--date",
        "2026-11-22",
        "--seed",
        "7",
        "--lines",
        &lines.to_string(),
        "--dirty-ratio",
        &dirty_ratio.to_string(),
        "--to",
        path.to_str().expect("utf-8 path"),
    ]));
    path
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
