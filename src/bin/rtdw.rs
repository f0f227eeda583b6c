//! The `rtdw` binary: parse → dispatch → render error → exit code.

use clap::Parser;

use rtdw::cli::Cli;
use rtdw::exit::{hint_for, is_broken_pipe, status_of};
use rtdw::shutdown::Shutdown;

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            if code == 2 && asks_for_json_logs() {
                let error = anyhow::anyhow!("{}", e.render().to_string().trim_end());
                rtdw::logging::error_json(&error, None, code);
            } else {
                let _ = e.print();
            }
            std::process::exit(code);
        }
    };
    let g = &cli.global;
    rtdw::logging::init(g.verbose, g.quiet, g.log_format);
    let result = Shutdown::install().and_then(|s| rtdw::cli::dispatch(cli, &s));
    // The folded client messages before the final error: it stays the last line.
    rtdw::kafka::flush_repeated_errors();
    let code = match result {
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
    std::process::exit(code);
}

/// Whether the command line asks for `--log-format json` (read by hand: the
/// arguments did not parse, so clap's value is not there).
fn asks_for_json_logs() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2)
        .any(|w| w[0] == "--log-format" && w[1] == "json")
        || args.iter().any(|a| a == "--log-format=json")
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
