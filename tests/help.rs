//! What `--help` and the man pages promise (issue 16): only the flags and
//! `--to` targets a tool supports, global options under their own heading,
//! examples that a terminal never wraps mid-argument.

mod support;

use support::{rtdw, run_ok};

const TOOLS: [&str; 5] = ["split-log", "route-db", "dau", "order-wide", "risk-alert"];

fn help(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(rtdw(dir.path()).args(args).arg("--help"));
    String::from_utf8(out.stdout).unwrap()
}

/// The help line(s) of one option: its line and the indented ones after it.
fn option_help(text: &str, flag: &str) -> String {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with(flag));
    let mut out = lines.next().unwrap_or_default().to_string();
    for l in lines.take_while(|l| l.starts_with("        ")) {
        out.push(' ');
        out.push_str(l.trim());
    }
    out
}

#[test]
fn each_tool_lists_only_the_targets_and_flags_it_supports() {
    let expected = [
        (
            "split-log",
            &["kafka", "-", "DIR/"][..],
            &["es ("][..],
            true,
        ),
        ("route-db", &["kafka", "-", "DIR/"], &["es ("], true),
        ("dau", &["es (", "-", "DIR/"], &["kafka"], false),
        ("order-wide", &["es (", "kafka", "-", "DIR/"], &[], true),
        ("risk-alert", &["es (", "-", "DIR/"], &["kafka"], false),
    ];
    for (tool, has, lacks, exactly_once) in expected {
        let text = help(&[tool]);
        let to = option_help(&text, "--to <SINK>");
        for t in has {
            assert!(to.contains(t), "{tool}: --to lists {t}: {to}");
        }
        for t in lacks {
            assert!(!to.contains(t), "{tool}: --to does not list {t}: {to}");
        }
        assert_eq!(
            text.contains("--exactly-once"),
            exactly_once,
            "{tool}:\n{text}"
        );
    }
}

#[test]
fn global_options_have_their_own_heading() {
    for tool in TOOLS
        .iter()
        .chain(&["offsets show", "report dau", "mock logs"])
    {
        let args: Vec<&str> = tool.split(' ').collect();
        let text = help(&args);
        let (own, global) = text
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{tool}:\n{text}"));
        for flag in [
            "--brokers",
            "--redis",
            "--es",
            "--state",
            "--tz",
            "--log-format",
            "--config",
        ] {
            assert!(
                global.contains(flag) && !own.contains(&format!("{flag} <")),
                "{tool}: {flag}\n{text}"
            );
        }
    }
}

/// Every line of every example fits an 80-column terminal, so nothing is
/// wrapped mid-argument; long commands continue with ` \`.
#[test]
fn examples_fit_80_columns() {
    for tool in TOOLS.iter().chain(&[
        "bootstrap-dims",
        "restore-state",
        "report dau",
        "report orders",
    ]) {
        let args: Vec<&str> = tool.split(' ').collect();
        let text = help(&args);
        let examples = text
            .split_once("Examples:")
            .unwrap_or_else(|| panic!("{tool}"))
            .1;
        for line in examples.lines() {
            assert!(line.chars().count() <= 80, "{tool}: {line:?}");
        }
    }
}

#[test]
fn subcommand_man_pages_include_the_global_options() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(rtdw(dir.path()).args(["man", "--out", "m"]));
    let help_pages: Vec<String> = std::fs::read_dir(dir.path().join("m"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-help"))
        .collect();
    assert!(
        help_pages.is_empty(),
        "no pages for clap's help subcommands: {help_pages:?}"
    );
    for page in ["rtdw-dau.1", "rtdw-offsets-show.1", "rtdw-report-gmv.1"] {
        let text = std::fs::read_to_string(dir.path().join("m").join(page)).unwrap();
        for flag in ["\\-\\-brokers", "\\-\\-redis", "\\-\\-log\\-format"] {
            assert!(text.contains(flag), "{page} has {flag}");
        }
    }
}
