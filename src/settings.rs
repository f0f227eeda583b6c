//! Settings: flags > environment > `rtdw.toml` > defaults, resolved and
//! validated before any connection opens. Secrets are masked whenever shown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use clap::{ArgAction, Args};

use crate::exit::Failure;
use crate::logging::LogFormat;
use crate::state::StateSpec;

/// Environment variables, in one place. Flags with an `env` in `cli.rs` use the
/// same names; the secrets below exist only as environment or config values.
pub mod env {
    pub const CONFIG: &str = "RTDW_CONFIG";
    pub const BROKERS: &str = "RTDW_KAFKA_BROKERS";
    pub const REDIS_URL: &str = "RTDW_REDIS_URL";
    pub const ES_URL: &str = "RTDW_ES_URL";
    pub const STATE: &str = "RTDW_STATE";
    pub const TZ: &str = "RTDW_TZ";
    /// Redis password, used when the URL carries none.
    pub const REDIS_PASSWORD: &str = "RTDW_REDIS_PASSWORD";
    pub const ES_API_KEY: &str = "RTDW_ES_API_KEY";
    pub const ES_USERNAME: &str = "RTDW_ES_USERNAME";
    pub const ES_PASSWORD: &str = "RTDW_ES_PASSWORD";
    /// Kafka security: map to librdkafka's `security.protocol`, `sasl.mechanism`,
    /// `sasl.username`, `sasl.password`.
    pub const KAFKA_SECURITY_PROTOCOL: &str = "RTDW_KAFKA_SECURITY_PROTOCOL";
    pub const KAFKA_SASL_MECHANISM: &str = "RTDW_KAFKA_SASL_MECHANISM";
    pub const KAFKA_SASL_USERNAME: &str = "RTDW_KAFKA_SASL_USERNAME";
    pub const KAFKA_SASL_PASSWORD: &str = "RTDW_KAFKA_SASL_PASSWORD";
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

pub const DEFAULT_CONFIG: &str = "rtdw.toml";
pub const DEFAULT_STATE_FILE: &str = ".rtdw/state";
pub const DEFAULT_TZ: &str = "Asia/Shanghai";

/// The config file, `rtdw.toml`. Unknown keys are an error, so typos show.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub brokers: Option<String>,
    pub redis: Option<String>,
    pub es: Option<String>,
    pub state: Option<String>,
    pub tz: Option<String>,
    /// Extra librdkafka properties for every client, e.g. `"compression.type" = "zstd"`.
    #[serde(default)]
    pub kafka: BTreeMap<String, String>,
    /// Renames of default topic names: `DWD_PAGE_LOG = "dwd_page_log"`.
    #[serde(default)]
    pub topics: BTreeMap<String, String>,
    /// Renames of default state-store keys and key prefixes: `"DIM:TABLES" = "dim_tables"`.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Elasticsearch credentials; the environment overrides them.
    #[serde(default)]
    pub es_auth: EsAuth,
}

/// Elasticsearch credentials: an API key (`id:secret` or base64), or basic auth.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct EsAuth {
    pub api_key: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// The resolved settings every tool starts from.
#[derive(Debug, Clone)]
pub struct Settings {
    pub config_file: Option<PathBuf>,
    pub brokers: Option<String>,
    pub redis: Option<String>,
    pub es: Option<String>,
    pub state: StateSpec,
    pub tz_name: String,
    pub tz: jiff::tz::TimeZone,
    pub kafka: BTreeMap<String, String>,
    pub topics: BTreeMap<String, String>,
    pub keys: BTreeMap<String, String>,
    pub es_auth: EsAuth,
}

impl Settings {
    /// Resolves flags (which clap already merged with the environment) over
    /// the config file over defaults, and validates the result.
    pub fn resolve(args: &GlobalArgs) -> Result<Settings> {
        let (config_file, file) = load_config(args.config.as_deref())?;
        let pick =
            |flag: &Option<String>, file: &Option<String>| flag.clone().or_else(|| file.clone());

        let mut redis = pick(&args.redis, &file.redis).filter(|s| !s.is_empty());
        if let (Some(url), Ok(pw)) = (redis.as_mut(), std::env::var(env::REDIS_PASSWORD)) {
            *url = with_password(url, &pw);
        }
        let state = match args.state.clone() {
            Some(s) => s,
            None => match &file.state {
                Some(s) => s.parse().map_err(|e: String| {
                    Failure::usage(format!("{}: state: {e}", config_name(&config_file)))
                })?,
                None if redis.is_some() => StateSpec::Redis,
                None => StateSpec::File(DEFAULT_STATE_FILE.into()),
            },
        };
        if state == StateSpec::Redis && redis.is_none() {
            return Err(Failure::usage(
                "--state redis needs --redis URL (or RTDW_REDIS_URL)",
            ));
        }
        let tz_name = pick(&args.tz, &file.tz).unwrap_or_else(|| DEFAULT_TZ.to_string());
        let tz = jiff::tz::TimeZone::get(&tz_name).map_err(|e| {
            let from = if args.tz.is_some() {
                "--tz / RTDW_TZ".to_string()
            } else {
                format!("`tz` in {}", config_name(&config_file))
            };
            Failure::usage(format!("unknown time zone `{tz_name}` ({from}): {e}"))
        })?;

        let mut kafka = file.kafka;
        for (var, prop) in [
            (env::KAFKA_SECURITY_PROTOCOL, "security.protocol"),
            (env::KAFKA_SASL_MECHANISM, "sasl.mechanism"),
            (env::KAFKA_SASL_USERNAME, "sasl.username"),
            (env::KAFKA_SASL_PASSWORD, "sasl.password"),
        ] {
            if let Ok(v) = std::env::var(var) {
                kafka.insert(prop.to_string(), v);
            }
        }

        Ok(Settings {
            config_file,
            brokers: pick(&args.brokers, &file.brokers).filter(|s| !s.is_empty()),
            redis,
            es: pick(&args.es, &file.es).filter(|s| !s.is_empty()),
            state,
            tz_name,
            tz,
            kafka,
            topics: file.topics,
            keys: file.keys,
            es_auth: EsAuth {
                api_key: std::env::var(env::ES_API_KEY).ok().or(file.es_auth.api_key),
                username: std::env::var(env::ES_USERNAME)
                    .ok()
                    .or(file.es_auth.username),
                password: std::env::var(env::ES_PASSWORD)
                    .ok()
                    .or(file.es_auth.password),
            },
        })
    }

    /// Checks the renames of `[topics]` and `[keys]` against the names rtdw
    /// uses, so a typo (`ODS_BASE_LOGG = "x"`) is an error as a top-level
    /// typo is, with the nearest known name as the fix. The callers pass the
    /// names (the tools own them): `is_topic` accepts a default topic name,
    /// `topics` are listed in the error, `keys` are the renamable key names.
    pub fn check_renames(
        &self,
        is_topic: impl Fn(&str) -> bool,
        topics: &[&str],
        keys: &[&str],
    ) -> Result<()> {
        let file = config_name(&self.config_file);
        if let Some(name) = self.topics.keys().find(|t| !is_topic(t)) {
            return Err(unknown_rename(&file, "topics", name, topics));
        }
        if let Some(name) = self.keys.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(unknown_rename(&file, "keys", name, keys));
        }
        Ok(())
    }

    /// The topic a default name maps to after `[topics]` renames.
    pub fn topic(&self, default: &str) -> String {
        self.topics
            .get(default)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    /// The state-store key (or key prefix) a default name maps to after `[keys]` renames.
    pub fn key(&self, default: &str) -> String {
        self.keys
            .get(default)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    }

    /// The brokers, or a usage error that says how to give them.
    pub fn require_brokers(&self) -> Result<&str> {
        self.brokers.as_deref().ok_or_else(|| {
            Failure::usage("Kafka needs --brokers HOST:PORT (or RTDW_KAFKA_BROKERS, or `brokers` in rtdw.toml)")
        })
    }

    /// The effective settings for `rtdw config show`, secrets masked: each
    /// key with its value, `None` when unset (`(unset)` in the text form,
    /// `null` in `--json`). Every table of the file is listed, `[keys]`
    /// renames included.
    pub fn show(&self) -> Vec<(String, Option<String>)> {
        let mut out = vec![
            (
                "config".to_string(),
                self.config_file.as_ref().map(|p| p.display().to_string()),
            ),
            ("brokers".into(), self.brokers.clone()),
            ("redis".into(), self.redis.as_deref().map(mask_url)),
            ("es".into(), self.es.as_deref().map(mask_url)),
            (
                "es_auth".into(),
                match &self.es_auth {
                    EsAuth {
                        api_key: Some(_), ..
                    } => Some("api key ****".into()),
                    EsAuth {
                        username: Some(u), ..
                    } => Some(format!("basic {u}:****")),
                    _ => None,
                },
            ),
            ("state".into(), Some(self.state.to_string())),
            ("tz".into(), Some(self.tz_name.clone())),
        ];
        for (k, v) in &self.kafka {
            out.push((format!("kafka.{k}"), Some(mask_property(k, v))));
        }
        for (k, v) in &self.topics {
            out.push((format!("topics.{k}"), Some(v.clone())));
        }
        for (k, v) in &self.keys {
            out.push((format!("keys.{k}"), Some(v.clone())));
        }
        out
    }
}

/// `rtdw.toml: [topics] ODS_BASE_LOGG is not a name rtdw uses (did you mean ODS_BASE_LOG?) …`
fn unknown_rename(file: &str, table: &str, name: &str, known: &[&str]) -> anyhow::Error {
    let nearest = known
        .iter()
        .map(|k| (strsim::levenshtein(k, name), *k))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, k)| format!(" (did you mean {k}?)"))
        .unwrap_or_default();
    Failure::usage(format!(
        "{file}: [{table}] {name} is not a name rtdw uses{nearest}; the names are: {}",
        known.join(", ")
    ))
}

fn config_name(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| DEFAULT_CONFIG.into())
}

/// Reads the explicit config file (which must exist) or `./rtdw.toml` if present.
fn load_config(explicit: Option<&Path>) -> Result<(Option<PathBuf>, ConfigFile)> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(DEFAULT_CONFIG);
            if !p.exists() {
                return Ok((None, ConfigFile::default()));
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::usage(format!("cannot read config file {}: {e}", path.display())))?;
    let file: ConfigFile = toml::from_str(&text)
        .map_err(|e| Failure::usage(format!("config file {}: {e}", path.display())))
        .with_context(|| format!("loading {}", path.display()))?;
    Ok((Some(path), file))
}

/// Hides the password of `scheme://user:password@host` (every URL of a list).
pub fn mask_url(url: &str) -> String {
    url.split(',').map(mask_one).collect::<Vec<_>>().join(",")
}

fn mask_one(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &rest[..at];
    let masked = match userinfo.find(':') {
        Some(colon) => format!("{}:***", &userinfo[..colon]),
        None => "***".to_string(),
    };
    format!("{}{}@{}", &url[..scheme_end + 3], masked, &rest[at + 1..])
}

/// Puts `password` into a Redis URL that has none.
fn with_password(url: &str, password: &str) -> String {
    if url.contains(',') || url.contains('@') {
        return url.to_string();
    }
    match url.find("://") {
        Some(i) => format!("{}:{}@{}", &url[..i + 3], password, &url[i + 3..]),
        None => url.to_string(),
    }
}

/// Masks the values of librdkafka properties that hold secrets.
pub fn mask_property(key: &str, value: &str) -> String {
    let k = key.to_ascii_lowercase();
    if ["password", "secret", "key", "token", "jaas"]
        .iter()
        .any(|w| k.contains(w))
        && !k.ends_with(".location")
    {
        "***".to_string()
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords() {
        assert_eq!(
            mask_url("redis://:s3cret@host:6379/0"),
            "redis://:***@host:6379/0"
        );
        assert_eq!(
            mask_url("redis://u:p@a:1,redis://u:p@b:2"),
            "redis://u:***@a:1,redis://u:***@b:2"
        );
        assert_eq!(mask_url("redis://host:6379"), "redis://host:6379");
        assert_eq!(mask_url("https://token@es:9200"), "https://***@es:9200");
        assert_eq!(mask_property("sasl.password", "x"), "***");
        assert_eq!(mask_property("compression.type", "lz4"), "lz4");
        assert_eq!(with_password("redis://h:1", "pw"), "redis://:pw@h:1");
    }
}
