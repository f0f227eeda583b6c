//! One module per subcommand; each exposes its clap `Args` and a `run`.

pub mod bootstrap_dims;
pub mod common;
pub mod config;
pub mod dau;
pub mod mock;
pub mod offsets;
pub mod order_wide;
pub mod report;
pub mod restore_state;
pub mod risk_alert;
pub mod route_db;
pub mod split_log;

use anyhow::Result;

use crate::settings::Settings;

/// Every default topic name `[topics]` may rename (SPEC §2), besides the
/// fact topics `DWD_{TABLE}_{I|U|D}` of `route-db`.
const TOPICS: [&str; 11] = [
    split_log::INPUT,
    split_log::STREAMS[0],
    split_log::STREAMS[1],
    split_log::STREAMS[2],
    split_log::STREAMS[3],
    split_log::STREAMS[4],
    split_log::STREAMS[5],
    route_db::INPUT,
    order_wide::ORDER_INPUT,
    order_wide::DETAIL_INPUT,
    order_wide::OUTPUT_TOPIC,
];

/// How the fact topics appear in the list of names a typo error shows.
const FACT_TOPICS: &str = "DWD_{TABLE}_{I|U|D}";

/// Every state-store key or key prefix `[keys]` may rename.
const KEYS: [&str; 9] = [
    crate::dims::FACT_TABLES,
    crate::dims::DIM_TABLES,
    crate::dims::DIM_PREFIX,
    crate::dims::BOOTSTRAP_PREFIX,
    crate::state::order_join::ORDER_KEY,
    crate::state::order_join::DETAIL_KEY,
    crate::state::order_join::SPLIT_KEY,
    crate::state::order_join::ORPHAN_KEY,
    crate::offsets::event_time::PREFIX,
];

/// Whether `name` is a default topic name: one of [`TOPICS`] or a fact topic.
fn is_topic(name: &str) -> bool {
    let fact = name.strip_prefix("DWD_").and_then(|rest| {
        ["_I", "_U", "_D"]
            .iter()
            .find_map(|op| rest.strip_suffix(op))
    });
    TOPICS.contains(&name)
        || fact.is_some_and(|table| {
            !table.is_empty()
                && table
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Checks `[topics]` and `[keys]` renames against the names the tools use
/// (a typo is an error naming the nearest known name).
pub fn check_renames(settings: &Settings) -> Result<()> {
    let listed: Vec<&str> = TOPICS.iter().copied().chain([FACT_TOPICS]).collect();
    settings.check_renames(is_topic, &listed, &KEYS)
}
