//! The `rtdw` binary: parse → dispatch → render error → exit code.

use clap::Parser;

use rtdw::cli::Cli;
use rtdw::exit::{hint_for, is_broken_pipe, status_of};
use rtdw::shutdown::Shutdown;

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    rtdw::logging::init(&cli.global);
    let code = match Shutdown::install().and_then(|s| rtdw::tools::dispatch(cli, &s)) {
        Ok(status) => status.code(),
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            let code = status_of(&e).code();
            if rtdw::logging::json() {
                rtdw::logging::error_json(&e, hint_for(&e), code);
            } else {
                render(&e);
            }
            code
        }
    };
    rtdw::kafka::flush_repeated_errors();
    std::process::exit(code);
}

/// `error: …`, each cause on its own line, and a hint when we know the fix.
fn render(e: &anyhow::Error) {
    eprintln!("error: {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    if let Some(h) = hint_for(e) {
        eprintln!("hint: {h}");
    }
}
