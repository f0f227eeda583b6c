//! Benchmark: `bootstrap-dims` MySQL → Redis rows/s with page sizes 1 000 and
//! 10 000, and the CPU each side used: rtdw, mariadbd, redis-server (a
//! private MariaDB and Redis, as the tests start them). Baseline, measured in
//! the same run: the same keyset pages read by this process with the `mysql`
//! crate and discarded — what MariaDB can serve with no writing at all.
//! `RTDW_BENCH_ROWS` sets the user_info rows (default 200 000).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::Instant;

use mysql::prelude::Queryable;
use support::mariadb::MariaDb;
use support::redis::Redis;

/// CPU seconds (user + system) a process has used so far.
fn cpu_secs(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at ") ".
    let after = stat.rsplit(") ").next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields
        .get(11..13)
        .map(|f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum())
        .unwrap_or(0.0);
    ticks / unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64
}

/// CPU seconds used by waited-for children of this process.
fn children_cpu_secs() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Reads every row by keyset pages and drops them; rows/s.
fn baseline(db: &MariaDb, page: usize) -> f64 {
    let mut conn = db.conn("gmall");
    let start = Instant::now();
    let (mut after, mut n) = (0u64, 0u64);
    loop {
        let rows: Vec<mysql::Row> = conn
            .query(format!(
                "SELECT * FROM user_info WHERE id > {after} ORDER BY id LIMIT {page}"
            ))
            .unwrap();
        n += rows.len() as u64;
        match rows.last().and_then(|r| r.get::<u64, _>(0)) {
            Some(last) if rows.len() == page => after = last,
            _ => break,
        }
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("bootstrap_dims: run with `cargo bench --bench bootstrap_dims`");
        return;
    }
    let rows: u64 = std::env::var("RTDW_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let db = MariaDb::with_users(dir.path(), rows);
    println!(
        "bootstrap-dims MySQL → Redis, {rows} user_info rows (MariaDB and Redis on this machine, {} cores)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  {:<30} {:>10} {:>10} {:>12} {:>10}",
        "", "rows/s", "rtdw CPU", "mariadbd CPU", "redis CPU"
    );
    for page in [1_000usize, 10_000] {
        let base = baseline(&db, page);
        println!(
            "  {:<30} {base:>10.0} {:>10} {:>12} {:>10}",
            format!("baseline read, page {page}"),
            "-",
            "-",
            "-"
        );
        // A fresh Redis per run: every row is a new write.
        let redis = Redis::start();
        let redis_pid = redis.pid().unwrap_or(0);
        let (db0, r0, c0) = (cpu_secs(db.pid()), cpu_secs(redis_pid), children_cpu_secs());
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_rtdw"))
            .current_dir(dir.path())
            .args([
                "--redis",
                &redis.url(),
                "bootstrap-dims",
                "--from",
                &db.url("gmall"),
            ])
            .args(["--table", "user_info", "--page-size", &page.to_string()])
            .output()
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (db1, r1, c1) = (cpu_secs(db.pid()), cpu_secs(redis_pid), children_cpu_secs());
        let rate = rows as f64 / secs;
        println!(
            "  {:<30} {rate:>10.0} {:>9.2}s {:>11.2}s {:>9.2}s   ({secs:.2}s wall, {:.0}% of the baseline)",
            format!("bootstrap-dims, page {page}"),
            c1 - c0,
            db1 - db0,
            r1 - r0,
            100.0 * rate / base
        );
    }
}
