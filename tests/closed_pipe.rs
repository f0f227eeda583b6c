//! A closed stdout (`rtdw … | head -1` after `head` exits) is a quiet exit 0
//! for every subcommand that writes to stdout: no panic, no error line.

mod support;

use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use support::{rtdw, run_ok};

/// The write end of a pipe whose read end is already closed: every write
/// to it fails with EPIPE, deterministically.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe() fills two new descriptors; each is owned exactly once below.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    drop(unsafe { OwnedFd::from_raw_fd(fds[0]) });
    Stdio::from(unsafe { OwnedFd::from_raw_fd(fds[1]) })
}

#[test]
fn every_subcommand_exits_quietly_on_a_closed_stdout() {
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
    run_ok(rtdw(d).args(["split-log", "--from", "day.jsonl", "--to", "split/"]));
    run_ok(rtdw(d).args(["dau", "--from", "split/DWD_PAGE_LOG.jsonl", "--to", "docs/"]));
    run_ok(rtdw(d).args(["route-db", "tables", "add", "--dim", "user_info"]));
    run_ok(rtdw(d).args([
        "offsets",
        "reset",
        "--store",
        "file",
        "--group",
        "g",
        "--topic",
        "t:0",
        "--to-offset",
        "5",
        "--execute",
    ]));
    let cases: &[&[&str]] = &[
        &["completions", "bash"],
        &["mock", "logs", "--lines", "3000", "--date", "2026-11-22"],
        &["mock", "db", "--orders", "50", "--date", "2026-11-22"],
        &["config", "show"],
        &["config", "show", "--json"],
        &["route-db", "tables", "list"],
        &["offsets", "list", "--store", "file"],
        &[
            "offsets", "show", "--store", "file", "--group", "g", "--json",
        ],
        &[
            "offsets", "history", "--store", "file", "--group", "g", "--json",
        ],
        &["offsets", "history", "--store", "file", "--group", "g"],
        &["split-log", "--from", "day.jsonl", "--to", "-"],
        &[
            "dau",
            "--from",
            "split/DWD_PAGE_LOG.jsonl",
            "--to",
            "-",
            "--state",
            "file:other.db",
        ],
        &[
            "report",
            "dau",
            "--date",
            "2026-11-22",
            "--from",
            "docs/gmall_dau_info_2026-11-22.jsonl",
        ],
    ];
    for args in cases {
        let out = rtdw(d).args(*args).stdout(closed_pipe()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "rtdw {}: {stderr}",
            args.join(" ")
        );
        for bad in ["panicked", "Broken pipe", "error:"] {
            assert!(!stderr.contains(bad), "rtdw {}: {stderr}", args.join(" "));
        }
    }
}

/// `config show --json`: one compact object, unset values `null` (never the
/// string "(unset)"), and the `[keys]` renames listed.
#[test]
fn config_show_json_has_nulls_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rtdw.toml"),
        "[keys]\n\"DIM:TABLES\" = \"dim_tables\"\n",
    )
    .unwrap();
    let out = run_ok(rtdw(dir.path()).args(["config", "show", "--json"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["brokers"], serde_json::Value::Null, "{v}");
    assert_eq!(v["keys.DIM:TABLES"], "dim_tables", "{v}");
    let text = run_ok(rtdw(dir.path()).args(["config", "show"])).stdout;
    assert!(String::from_utf8_lossy(&text).contains("brokers = (unset)"));
}

/// `report` and `restore-state` name only flags they have: a missing input
/// file is a usage error (exit 2, as in every tool), and no Elasticsearch
/// says `--es`, not `--to es`.
#[test]
fn report_and_restore_state_errors_name_their_own_flags() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = rtdw(d)
        .args([
            "report",
            "dau",
            "--date",
            "2026-11-22",
            "--from",
            "missing.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from missing.jsonl"));
    for args in [
        &["report", "dau", "--date", "2026-11-22"][..],
        &["restore-state", "--date", "2026-11-22", "--dry-run"][..],
    ] {
        let out = rtdw(d).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("--es URL") && !err.contains("--to es"),
            "{err}"
        );
    }
}
