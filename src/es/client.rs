//! The Elasticsearch client: node URLs from `--es`, credentials from the
//! environment or `[es_auth]` in rtdw.toml (never from arguments, never printed), and a current-thread
//! runtime so the rest of rtdw stays synchronous.

use std::time::Duration;

use anyhow::{Context, Result};
use elasticsearch::auth::Credentials;
use elasticsearch::http::headers::HeaderMap;
use elasticsearch::http::request::JsonBody;
use elasticsearch::http::transport::{MultiNodeConnectionPool, TransportBuilder};
use elasticsearch::http::Method;
use elasticsearch::http::Url;
use elasticsearch::Elasticsearch;
use serde_json::Value;

use crate::exit::Failure;
use crate::retry::{Attempt, RetryPolicy};
use crate::settings::{mask_url, EsAuth, Settings};
use crate::shutdown::Shutdown;

/// One request's longest wait; a timeout is retried like a 5xx.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub struct EsClient {
    pub es: Elasticsearch,
    runtime: tokio::runtime::Runtime,
    /// The node URLs, credentials masked.
    pub masked: String,
}

/// Credentials from the settings (environment over `[es_auth]` in rtdw.toml).
fn credentials(auth: &EsAuth) -> Option<Credentials> {
    if let Some(key) = &auth.api_key {
        // `id:secret`, or the base64 form Kibana shows.
        return Some(match key.split_once(':') {
            Some((id, secret)) => Credentials::ApiKey(id.into(), secret.into()),
            None => Credentials::EncodedApiKey(key.clone()),
        });
    }
    let user = auth.username.clone()?;
    Some(Credentials::Basic(
        user,
        auth.password.clone().unwrap_or_default(),
    ))
}

impl EsClient {
    pub fn connect(settings: &Settings) -> Result<EsClient> {
        let nodes = settings.es.as_deref().ok_or_else(|| {
            Failure::usage(
                "Elasticsearch is needed here: give --es URL (or RTDW_ES_URL, or `es` in rtdw.toml); report and restore-state also read files with --from FILE|DIR/",
            )
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
        if let Some(c) = credentials(&settings.es_auth).or(url_credentials) {
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

    /// One request: (status, body). 429, 5xx and transport errors (refused,
    /// dropped, timed out) are `Err`: worth another try.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, String), String> {
        let answer = self.block_on(async {
            let r = self
                .es
                .send(
                    method,
                    path,
                    HeaderMap::new(),
                    Option::<&()>::None,
                    body.map(JsonBody::new),
                    None,
                )
                .await?;
            let status = r.status_code().as_u16();
            let text = r.text().await?;
            Ok::<_, elasticsearch::Error>((status, text))
        });
        match answer {
            Ok((s, text)) if s == 429 || s >= 500 => Err(format!(
                "status {s}: {}",
                text.chars().take(300).collect::<String>()
            )),
            Ok(ok) => Ok(ok),
            Err(e) => Err(with_causes(&e)),
        }
    }

    /// Runs `attempt` until it succeeds, backing off with jitter between
    /// transient failures; exit 69 after the policy's longest outage. The
    /// one retry path of [`crate::retry::retry`], for Elasticsearch at this
    /// client's nodes; `what` names the call in its log lines and error.
    pub fn retrying<T>(
        &self,
        policy: &RetryPolicy,
        shutdown: &Shutdown,
        what: &str,
        mut attempt: impl FnMut() -> Result<T, String>,
    ) -> Result<T> {
        crate::retry::retry(
            policy,
            crate::service::Service::Elasticsearch,
            &self.masked,
            shutdown,
            || attempt().map_err(|e| Attempt::Transient(anyhow::anyhow!("{what}: {e}"))),
        )
    }
}

/// An error with its causes, outermost first: the HTTP client's top error
/// ("error sending request for url …") says nothing of why ("Connection
/// refused"), which its sources do.
pub fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}
