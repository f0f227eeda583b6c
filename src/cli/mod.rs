//! The command line (clap derive): the subcommand table on top of the tools.
//! Nothing below imports it: the global options are the settings'
//! ([`GlobalArgs`]), each tool owns its `Args`, and completions and man pages
//! ([`generated`]) are made from these definitions.

pub mod generated;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::exit::ExitStatus;
pub use crate::settings::GlobalArgs;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::tools;

#[derive(Debug, Parser)]
#[command(
    name = "rtdw",
    version,
    about = "Real-time data warehouse tools: Kafka/NDJSON in, Kafka/Redis/Elasticsearch/NDJSON out",
    long_about = "Real-time data warehouse tools: Kafka/NDJSON in, Kafka/Redis/Elasticsearch/NDJSON out.\n\n\
Every tool runs as a streaming job (--from kafka:TOPIC), once from cron (--once), or in a \
shell pipe over NDJSON files (--from FILE|-). Data goes to stdout, diagnostics to stderr.\n\n\
Exit codes: 0 success, 1 other error, 2 usage error, 65 bad input (--strict), 69 service unreachable.",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Split ODS user-behaviour logs into the DWD streams (start, page, display, action, error, dirty)
    SplitLog(tools::split_log::Args),
    /// Route CDC records (Maxwell, Canal, Debezium): fact rows to DWD_{TABLE}_{I|U|D}, dimension rows to DIM:{TABLE}:{id}
    RouteDb(tools::route_db::Args),
    /// Backfill dimension rows (DIM:{TABLE}:{id}) from MySQL by keyset pages, or from a file of CDC records or plain rows
    BootstrapDims(tools::bootstrap_dims::Args),
    /// Daily active users: the first visit of each device per day, enriched, to gmall_dau_info_{dt} (create, _id = mid)
    Dau(tools::dau::Args),
    /// Join orders with their details across batches, enrich and apportion them, to gmall_order_wide_{dt} (index, _id = detail id)
    OrderWide(tools::order_wide::Args),
    /// Coupon-fraud alerts: several users taking coupons on one device within a window, without browsing, in event time
    RiskAlert(tools::risk_alert::Args),
    /// What the dashboards showed: visits and GMV per hour against another day, order lines by gender or age
    #[command(subcommand)]
    Report(tools::report::ReportCommand),
    /// Rebuild a day's DAU:{date} set from the mids in Elasticsearch (or a file), atomically
    RestoreState(tools::restore_state::Args),
    /// Inspect and reset stored offsets (Redis, file or Kafka group), like kafka-consumer-groups.sh
    #[command(subcommand)]
    Offsets(tools::offsets::OffsetsCommand),
    /// Generate realistic, deterministic test data
    #[command(subcommand)]
    Mock(tools::mock::MockCommand),
    /// Show the resolved settings (secrets masked)
    #[command(subcommand)]
    Config(tools::config::ConfigCommand),
    /// Print a shell completion script
    Completions(generated::CompletionsArgs),
    /// Write man pages (rtdw.1 and one per subcommand) into a directory
    Man(generated::ManArgs),
}

/// Runs the parsed command line: settings resolved and checked, then the tool.
pub fn dispatch(cli: Cli, shutdown: &Shutdown) -> Result<ExitStatus> {
    // Generated files must not depend on the local config or environment.
    match &cli.command {
        Command::Completions(a) => return generated::completions(a),
        Command::Man(a) => return generated::man(a),
        _ => {}
    }
    let settings = Settings::resolve(&cli.global)?;
    tools::check_renames(&settings)?;
    match cli.command {
        Command::SplitLog(a) => tools::split_log::run(a, &settings, shutdown),
        Command::RouteDb(a) => tools::route_db::run(a, &settings, shutdown),
        Command::BootstrapDims(a) => tools::bootstrap_dims::run(a, &settings, shutdown),
        Command::Dau(a) => tools::dau::run(a, &settings, shutdown),
        Command::OrderWide(a) => tools::order_wide::run(a, &settings, shutdown),
        Command::RiskAlert(a) => tools::risk_alert::run(a, &settings, shutdown),
        Command::Report(c) => tools::report::run(c, &settings, shutdown),
        Command::RestoreState(a) => tools::restore_state::run(a, &settings, shutdown),
        Command::Mock(m) => tools::mock::run(m, &settings, shutdown),
        Command::Offsets(c) => tools::offsets::run(c, &settings),
        Command::Config(c) => tools::config::run(c, &settings),
        Command::Completions(_) | Command::Man(_) => Ok(ExitStatus::Success),
    }
}
