//! The README's "A day from files, end to end": exactly the commands between
//! its `<!-- walkthrough -->` markers, run in a fresh directory, each
//! printing the counts its `# →` comment gives.

mod support;

use support::rtdw;

#[test]
fn the_readme_walkthrough_runs_and_prints_its_counts() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("<!-- walkthrough -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /walkthrough -->").next())
        .expect("the README has a walkthrough block");
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for line in block.lines().filter(|l| l.starts_with("rtdw ")) {
        let (command, expected) = match line.split_once("# →") {
            Some((c, e)) => (c, e.trim()),
            None => (line, ""),
        };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let out = rtdw(dir.path()).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{command}\n{err}");
        // `k=v` must appear as a counter; a bare `N word` in the message.
        let tokens: Vec<&str> = expected.split_whitespace().collect();
        if tokens.iter().all(|t| t.contains('=')) {
            for t in tokens {
                assert!(
                    err.split_whitespace().any(|w| w == t),
                    "{command}: {t}\n{err}"
                );
            }
        } else {
            assert!(err.contains(expected), "{command}: {expected}\n{err}");
        }
        ran += 1;
    }
    assert_eq!(ran, 10, "every command of the walkthrough ran");
    for png in ["day/dau.png", "day/gmv.png"] {
        let bytes = std::fs::read(dir.path().join(png)).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{png}");
    }
}

/// The README is self-contained: every relative link points at a file of
/// the repository (it linked to ../shared/SPEC.md, which users do not have).
#[test]
fn readme_links_stay_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut checked = 0;
    for part in readme.split("](").skip(1) {
        let target = part.split(')').next().unwrap_or_default();
        if target.starts_with("http") || target.starts_with('#') {
            continue;
        }
        let path = target.split('#').next().unwrap_or_default();
        assert!(!path.starts_with(".."), "{target} leaves the repository");
        assert!(root.join(path).exists(), "{target} does not exist");
        checked += 1;
    }
    assert!(checked >= 1, "the contract is linked");
}

/// `scripts/demo` (with a prebuilt binary) runs the main job and ends with
/// the next commands to try, which work on what it wrote.
#[test]
fn the_demo_runs_and_its_next_commands_work() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_rtdw");
    let out = std::process::Command::new(root.join("scripts/demo"))
        .env("RTDW_BIN", bin)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Next, try:"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    for entry in std::fs::read_dir(root.join("out")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path().join("out").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let next: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("target/release/rtdw "))
        .collect();
    assert_eq!(next.len(), 2, "{err}");
    for command in next {
        let args: Vec<&str> = command
            .split('#')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        support::run_ok(support::rtdw(dir.path()).args(&args));
    }
    assert!(dir.path().join("dau.png").is_file());
}
