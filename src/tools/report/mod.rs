//! `rtdw report`: what the dashboards of seed 002 showed (SPEC §4.10), in
//! the terminal and for scripts. `dau` and `gmv` compare a day's 24 hours
//! with another day's (the day before by default), from Elasticsearch or
//! from the documents `dau` and `order-wide` wrote to files.

pub mod chart;
pub mod docs;
pub mod hourly;
pub mod orders;
pub mod render;
pub mod words;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::es::client::EsClient;
use crate::es::search::Reader;
use crate::exit::{ExitStatus, Failure};
use crate::retry::RetryPolicy;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use hourly::{Day, Measure};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Visits (daily active devices) per hour of a day against another day, from gmall_dau_info_{dt}
    Dau(HourlyArgs),
    /// GMV (Σ split_total_amount, exact to the cent) per hour of a day against another day, from gmall_order_wide_{dt}
    Gmv(HourlyArgs),
    /// Order lines whose sku_name has all the words, summed per user gender or age band, with a page of the lines
    Orders(OrdersArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
rtdw report orders --date 2026-11-22 --item 小米 --by gender \\\n      \
--es http://es:9200\n  \
rtdw report orders --date 2026-11-22 --item 'iphone 黑色' --by age \\\n      \
--details --page 2 --size 20 --json")]
pub struct OrdersArgs {
    /// The day (YYYY-MM-DD, business date in --tz)
    #[arg(long, value_name = "DATE")]
    pub date: jiff::civil::Date,
    /// Words that sku_name must all contain (as an Elasticsearch match with operator and)
    #[arg(long, value_name = "WORDS")]
    pub item: String,
    /// Sum per user gender, or per age band (<20, 20-29, >=30)
    #[arg(long, value_enum)]
    pub by: orders::By,
    /// Also list the matching lines, a page at a time (ordered by detail id)
    #[arg(long)]
    pub details: bool,
    /// Which page of lines, from 1
    #[arg(long, default_value_t = 1, value_name = "N", requires = "details")]
    pub page: u64,
    /// Lines per page
    #[arg(long, default_value_t = 20, value_name = "N", requires = "details")]
    pub size: u64,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
rtdw report dau --date 2026-11-22 --es http://es:9200\n  \
rtdw report gmv --date 2026-11-22 --compare 2026-11-15 --json\n  \
rtdw report dau --date 2026-11-22 \\\n      \
--from out/gmall_dau_info_2026-11-22.jsonl \\\n      \
out/gmall_dau_info_2026-11-21.jsonl")]
pub struct HourlyArgs {
    /// The day (YYYY-MM-DD, business date in --tz)
    #[arg(long, value_name = "DATE")]
    pub date: jiff::civil::Date,
    /// The day to compare with [default: the day before --date]
    #[arg(long, value_name = "DATE")]
    pub compare: Option<jiff::civil::Date>,
    /// Also draw the two days as a line chart into this PNG file
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    #[command(flatten)]
    pub out: Output,
}

/// Where a report reads from and how it prints.
#[derive(Debug, Args)]
pub struct Output {
    /// Read NDJSON documents (as the tools' `--to -` or `DIR/` wrote them) instead of Elasticsearch; several after one --from, or repeated
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub from: Vec<PathBuf>,
    /// Print JSON (stable field names) instead of the table
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (a header, a row per hour or group, a total row)
    #[arg(long)]
    pub csv: bool,
    /// Give up (exit 69) when Elasticsearch stays unreachable this long, e.g. 10s, 2m
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub max_retry_time: jiff::SignedDuration,
}

/// What an hourly report reads.
struct Hourly {
    name: &'static str,
    title: &'static str,
    /// The y axis of the chart.
    unit: &'static str,
    prefix: &'static str,
    measure: Measure,
}

const DAU: Hourly = Hourly {
    name: "dau",
    title: "Visits per hour",
    unit: "devices",
    prefix: crate::tools::dau::INDEX_PREFIX,
    measure: Measure::Documents,
};

const GMV: Hourly = Hourly {
    name: "gmv",
    title: "GMV per hour",
    unit: "yuan",
    prefix: crate::tools::order_wide::INDEX_PREFIX,
    measure: Measure::Sum("split_total_amount"),
};

pub fn run(cmd: ReportCommand, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    match cmd {
        ReportCommand::Dau(a) => hourly_report(&DAU, a, settings, shutdown),
        ReportCommand::Gmv(a) => hourly_report(&GMV, a, settings, shutdown),
        ReportCommand::Orders(a) => orders_report(a, settings, shutdown),
    }
}

fn reader<'a>(client: &'a EsClient, out: &Output, shutdown: &Shutdown) -> Reader<'a> {
    Reader {
        client,
        policy: RetryPolicy::new(Some(out.max_retry_time.unsigned_abs())),
        shutdown: shutdown.clone(),
    }
}

fn orders_report(a: OrdersArgs, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    if a.details && (a.page == 0 || a.size == 0 || a.size > 10_000) {
        return Err(Failure::usage("--page counts from 1; --size is 1 to 10000"));
    }
    let q = orders::Query {
        item: &a.item,
        by: a.by,
        page: a.details.then_some((a.page, a.size)),
    };
    let o = if a.out.from.is_empty() {
        let client = EsClient::connect(settings)?;
        let index = format!("{}{}", crate::tools::order_wide::INDEX_PREFIX, a.date);
        orders::from_es(&reader(&client, &a.out, shutdown), &index, &q)?
    } else {
        let paths: Vec<&std::path::Path> = a.out.from.iter().map(PathBuf::as_path).collect();
        orders::from_files(&paths, a.date, &q)?
    };
    let by = match a.by {
        orders::By::Gender => "gender",
        orders::By::Age => "age",
    };
    let text = if a.out.json {
        format!(
            "{}\n",
            render::orders_json(&a.date.to_string(), &a.item, by, &o)
        )
    } else if a.out.csv {
        render::orders_csv(&o)
    } else {
        let title = format!(
            "Order lines of {} with `{}`, split_total_amount by {by}",
            a.date, a.item
        );
        render::orders_table(&title, &o)
    };
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(ExitStatus::Success)
}

fn hourly_report(
    r: &Hourly,
    a: HourlyArgs,
    settings: &Settings,
    shutdown: &Shutdown,
) -> Result<ExitStatus> {
    let compare = match a.compare {
        Some(d) => d,
        None => a
            .date
            .yesterday()
            .map_err(|e| Failure::usage(format!("the day before {}: {e}", a.date)))?,
    };
    if compare == a.date {
        return Err(Failure::usage(format!(
            "--compare {compare} is --date itself: give another day (default: the day before)"
        )));
    }
    let (day, other) = read_days(r, &a, compare, settings, shutdown)?;
    let money = matches!(r.measure, Measure::Sum(_));
    if let Some(png) = &a.png {
        let title = format!("{}: {} against {}", r.title, day.date, other.date);
        chart::hourly_png(png, &title, r.unit, &day, &other)?;
    }
    let text = if a.out.json {
        format!("{}\n", render::json(r.name, &day, &other, money))
    } else if a.out.csv {
        render::csv(&day, &other, money)
    } else {
        render::table(r.title, &day, &other, money)
    };
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes())?;
    Ok(ExitStatus::Success)
}

fn read_days(
    r: &Hourly,
    a: &HourlyArgs,
    compare: jiff::civil::Date,
    settings: &Settings,
    shutdown: &Shutdown,
) -> Result<(Day, Day)> {
    if !a.out.from.is_empty() {
        let paths: Vec<&std::path::Path> = a.out.from.iter().map(PathBuf::as_path).collect();
        let mut days =
            hourly::from_files(&paths, r.prefix, &[a.date, compare], r.measure)?.into_iter();
        return match (days.next(), days.next()) {
            (Some(d), Some(c)) => Ok((d, c)),
            _ => Err(anyhow::anyhow!("no days read")),
        };
    }
    let client = EsClient::connect(settings)?;
    let reader = reader(&client, &a.out, shutdown);
    let read = |date: jiff::civil::Date| {
        hourly::from_es(&reader, &format!("{}{date}", r.prefix), date, r.measure)
    };
    Ok((read(a.date)?, read(compare)?))
}
