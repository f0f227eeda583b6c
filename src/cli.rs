//! The command line (clap derive): global options and the subcommand table.
//! Completions and man pages are generated from these definitions.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::state::StateSpec;
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

/// Options every subcommand takes; each also an environment variable and a config key.
/// They are listed under their own heading in every `--help` and man page.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// TOML config file [default: ./rtdw.toml if it exists]
    #[arg(
        long,
        global = true,
        env = "RTDW_CONFIG",
        value_name = "FILE",
        hide_env_values = true
    )]
    pub config: Option<PathBuf>,
    /// Kafka bootstrap servers, e.g. host1:9092,host2:9092
    #[arg(
        long,
        global = true,
        env = "RTDW_KAFKA_BROKERS",
        value_name = "LIST",
        hide_env_values = true
    )]
    pub brokers: Option<String>,
    /// Redis URL: redis://, rediss://, or a comma-separated cluster list
    #[arg(
        long,
        global = true,
        env = "RTDW_REDIS_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub redis: Option<String>,
    /// Elasticsearch node URL(s)
    #[arg(
        long,
        global = true,
        env = "RTDW_ES_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub es: Option<String>,
    /// State store: `redis` or `file:PATH` [default: redis when --redis is set, else file:.rtdw/state]
    #[arg(
        long,
        global = true,
        env = "RTDW_STATE",
        value_name = "SPEC",
        hide_env_values = true
    )]
    pub state: Option<StateSpec>,
    /// Time zone of business dates (dt, hr) [default: Asia/Shanghai]
    #[arg(
        long,
        global = true,
        env = "RTDW_TZ",
        value_name = "ZONE",
        hide_env_values = true
    )]
    pub tz: Option<String>,
    /// More log output on stderr (-v debug, -vv trace); RUST_LOG overrides
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// Less log output on stderr (-q warnings only, -qq errors only)
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// Log line format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
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
    Completions(tools::generated::CompletionsArgs),
    /// Write man pages (rtdw.1 and one per subcommand) into a directory
    Man(tools::generated::ManArgs),
}
