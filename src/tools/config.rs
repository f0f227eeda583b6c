//! `rtdw config show`: the settings a tool would start with, secrets masked.

use anyhow::Result;
use clap::Subcommand;

use crate::exit::ExitStatus;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the resolved settings (flags > env > rtdw.toml > defaults), secrets masked
    Show {
        /// One JSON object instead of `key = value` lines
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: ConfigCommand, settings: &Settings) -> Result<ExitStatus> {
    match cmd {
        ConfigCommand::Show { json } => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let pairs = settings.show();
            if json {
                let map: serde_json::Map<String, serde_json::Value> = pairs
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            v.map_or(serde_json::Value::Null, serde_json::Value::String),
                        )
                    })
                    .collect();
                writeln!(out, "{}", serde_json::Value::Object(map))?;
            } else {
                for (k, v) in pairs {
                    writeln!(out, "{k} = {}", v.as_deref().unwrap_or("(unset)"))?;
                }
            }
        }
    }
    Ok(ExitStatus::Success)
}
