//! The Elasticsearch client: node URLs from `--es`, credentials from the
//! environment (never from arguments, never printed), and a current-thread
//! runtime so the rest of rtdw stays synchronous.

use std::time::Duration;

use anyhow::{Context, Result};
use elasticsearch::auth::Credentials;
use elasticsearch::http::transport::{MultiNodeConnectionPool, TransportBuilder};
use elasticsearch::http::Url;
use elasticsearch::Elasticsearch;

use crate::exit::Failure;
use crate::settings::{mask_url, Settings};

/// Environment variables with Elasticsearch credentials.
pub const API_KEY_ENV: &str = "RTDW_ES_API_KEY";
pub const USERNAME_ENV: &str = "RTDW_ES_USERNAME";
pub const PASSWORD_ENV: &str = "RTDW_ES_PASSWORD";

/// One request's longest wait; a timeout is retried like a 5xx.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub struct EsClient {
    pub es: Elasticsearch,
    runtime: tokio::runtime::Runtime,
    /// The node URLs, credentials masked.
    pub masked: String,
}

fn credentials() -> Option<Credentials> {
    if let Ok(key) = std::env::var(API_KEY_ENV) {
        // `id:secret`, or the base64 form Kibana shows.
        return Some(match key.split_once(':') {
            Some((id, secret)) => Credentials::ApiKey(id.into(), secret.into()),
            None => Credentials::EncodedApiKey(key),
        });
    }
    let user = std::env::var(USERNAME_ENV).ok()?;
    let password = std::env::var(PASSWORD_ENV).unwrap_or_default();
    Some(Credentials::Basic(user, password))
}

impl EsClient {
    pub fn connect(settings: &Settings) -> Result<EsClient> {
        let nodes = settings.es.as_deref().ok_or_else(|| {
            Failure::usage("--to es needs --es URL (or RTDW_ES_URL, or `es` in rtdw.toml)")
        })?;
        let masked = mask_url(nodes);
        let mut urls = Vec::new();
        for node in nodes.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let mut url = Url::parse(node).map_err(|e| {
                Failure::usage(format!("bad Elasticsearch URL {}: {e}", mask_url(node)))
            })?;
            // Credentials in the URL would be printed by errors: move them.
            if !url.username().is_empty() || url.password().is_some() {
                let _ = url.set_username("");
                let _ = url.set_password(None);
            }
            urls.push(url);
        }
        if urls.is_empty() {
            return Err(Failure::usage("--es: no node URL given"));
        }
        let url_credentials = nodes.split(',').find_map(|n| {
            let u = Url::parse(n.trim()).ok()?;
            (!u.username().is_empty())
                .then(|| Credentials::Basic(u.username().into(), u.password().unwrap_or("").into()))
        });
        let pool = MultiNodeConnectionPool::round_robin(urls, None);
        let mut builder = TransportBuilder::new(pool).timeout(REQUEST_TIMEOUT);
        if let Some(c) = credentials().or(url_credentials) {
            builder = builder.auth(c);
        }
        let transport = builder
            .build()
            .map_err(|e| Failure::usage(format!("Elasticsearch client for {masked}: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the Elasticsearch client's runtime")?;
        Ok(EsClient {
            es: Elasticsearch::new(transport),
            runtime,
            masked,
        })
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}
