//! The checked-in completions and man pages match the clap definitions.
//! Regenerate with: `RTDW_BLESS=1 cargo test --test generated_files`.

use std::path::Path;

use rtdw::cli::generated::{man_pages, write_completion, COMPLETION_FILES};

fn check(path: &Path, want: &[u8], stale: &mut Vec<String>) {
    if std::env::var_os("RTDW_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
        return;
    }
    match std::fs::read(path) {
        Ok(have) if have == want => {}
        _ => stale.push(path.display().to_string()),
    }
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (shell, name) in COMPLETION_FILES {
        let mut buf = Vec::new();
        write_completion(shell, &mut buf);
        assert!(buf.len() > 1000, "{name} looks empty");
        check(&root.join("completions").join(name), &buf, &mut stale);
    }
    let pages = man_pages().unwrap();
    assert!(pages.iter().any(|(n, _)| n == "rtdw-split-log.1"));
    for (name, text) in &pages {
        check(&root.join("man").join(name), text, &mut stale);
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run RTDW_BLESS=1 cargo test --test generated_files): {stale:?}"
    );
}
