//! One module per subcommand; each exposes its clap `Args` and a `run`.

pub mod bootstrap_dims;
pub mod common;
pub mod config;
pub mod dau;
pub mod generated;
pub mod mock;
pub mod offsets;
pub mod order_wide;
pub mod report;
pub mod restore_state;
pub mod risk_alert;
pub mod route_db;
pub mod split_log;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::exit::ExitStatus;
use crate::settings::Settings;
use crate::shutdown::Shutdown;

/// Runs the parsed command line.
pub fn dispatch(cli: Cli, shutdown: &Shutdown) -> Result<ExitStatus> {
    // Generated files must not depend on the local config or environment.
    match &cli.command {
        Command::Completions(a) => return generated::completions(a),
        Command::Man(a) => return generated::man(a),
        _ => {}
    }
    let settings = Settings::resolve(&cli.global)?;
    match cli.command {
        Command::SplitLog(a) => split_log::run(a, &settings, shutdown),
        Command::RouteDb(a) => route_db::run(a, &settings, shutdown),
        Command::BootstrapDims(a) => bootstrap_dims::run(a, &settings, shutdown),
        Command::Dau(a) => dau::run(a, &settings, shutdown),
        Command::OrderWide(a) => order_wide::run(a, &settings, shutdown),
        Command::RiskAlert(a) => risk_alert::run(a, &settings, shutdown),
        Command::Report(c) => report::run(c, &settings, shutdown),
        Command::RestoreState(a) => restore_state::run(a, &settings, shutdown),
        Command::Mock(m) => mock::run(m, &settings, shutdown),
        Command::Offsets(c) => offsets::run(c, &settings),
        Command::Config(c) => config::run(c, &settings),
        Command::Completions(_) | Command::Man(_) => Ok(ExitStatus::Success),
    }
}
