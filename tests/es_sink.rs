//! The Elasticsearch bulk sink against the fake ES: bounded requests, 409 on
//! `create` counted as done, 429/5xx/dropped connections retried, refused
//! documents reported and offsets held, the template put before any write.

mod support;

use std::time::{Duration, Instant};

use rtdw::es::bulk::{BulkLimits, BulkOp, EsSink, IndexTemplate};
use rtdw::es::client::EsClient;
use rtdw::record::OutBuf;
use rtdw::retry::RetryPolicy;
use rtdw::shutdown::Shutdown;
use rtdw::sink::{Sink, Stored, StreamDef, StreamKind};
use rtdw::source::lines::LinesSource;
use serde_json::json;
use support::fake_es::FakeEs;

fn sink(es: &FakeEs, op: BulkOp, give_up: Option<Duration>) -> EsSink {
    sink_to(&es.url(), op, give_up)
}

fn sink_to(url: &str, op: BulkOp, give_up: Option<Duration>) -> EsSink {
    let settings = rtdw::settings::Settings::resolve(&rtdw::settings::GlobalArgs {
        es: Some(url.to_string()),
        ..Default::default()
    })
    .unwrap();
    let client = EsClient::connect(&settings).unwrap();
    let streams = vec![StreamDef {
        name: "docs_2026-11-22".into(),
        kind: StreamKind::Document,
    }];
    let template = IndexTemplate {
        name: "docs".into(),
        body: json!({"index_patterns": ["docs_*"], "priority": 100,
            "template": {"mappings": {"properties": {"n": {"type": "long"}, "mid": {"type": "keyword"}}}}}),
    };
    let mut policy = RetryPolicy::new(give_up);
    policy.max_delay = Duration::from_millis(200);
    EsSink::new(
        client,
        streams,
        op,
        Some(template),
        policy,
        Shutdown::default(),
    )
    .with_limits(BulkLimits {
        max_bytes: 1 << 20,
        max_docs: 500,
    })
}

fn docs(range: std::ops::Range<u32>) -> OutBuf {
    let mut out = OutBuf::default();
    for i in range {
        out.push(0, Some(format!("m{i}").as_bytes()), |o| {
            o.extend_from_slice(
                json!({"mid": format!("m{i}"), "n": i})
                    .to_string()
                    .as_bytes(),
            )
        });
    }
    out
}

/// Writes the documents of `range` and one whose `n` is not a number as a
/// batch; the documents refused (the batch must hold its offsets).
fn refused_with(
    s: &mut EsSink,
    src: &LinesSource,
    range: std::ops::Range<u32>,
) -> Vec<rtdw::es::FailedDoc> {
    let mut out = docs(range);
    out.push(0, Some(b"bad"), |o| {
        o.extend_from_slice(br#"{"mid":"bad","n":"not a number"}"#)
    });
    s.write(&out).unwrap();
    let Stored::Held(failed) = s.finish_batch(&[], src).unwrap() else {
        panic!("a refused document holds the offsets")
    };
    failed
}

fn source() -> (tempfile::TempDir, LinesSource) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty");
    std::fs::write(&p, "").unwrap();
    let s = LinesSource::open(vec![p], vec![], 1024).unwrap();
    (dir, s)
}

#[test]
fn documents_land_in_bounded_requests_and_replays_are_409s() {
    let es = FakeEs::start();
    let (_d, src) = source();
    let mut s = sink(&es, BulkOp::Create, Some(Duration::from_secs(30)));
    s.start(&src).unwrap();
    assert!(
        es.with(|st| st.templates.contains_key("docs")),
        "template first"
    );
    s.write(&docs(0..1200)).unwrap();
    assert_eq!(s.finish_batch(&[], &src).unwrap(), Stored::ByPipeline);
    assert_eq!(es.ids("docs_2026-11-22").len(), 1200);
    assert_eq!(
        es.count_requests("_bulk"),
        3,
        "500 documents per request at most"
    );
    assert_eq!(
        es.with(|st| st.indices["docs_2026-11-22"].template.clone())
            .as_deref(),
        Some("docs")
    );
    // The same documents again: every item a 409, all counted as done.
    s.write(&docs(0..1200)).unwrap();
    assert_eq!(s.finish_batch(&[], &src).unwrap(), Stored::ByPipeline);
    assert_eq!((s.counts.written, s.counts.existed), (1200, 1200));
    assert_eq!(
        es.doc("docs_2026-11-22", "m7").unwrap().version,
        1,
        "never overwritten"
    );
}

#[test]
fn rejected_items_failed_requests_and_dropped_connections_are_retried() {
    let es = FakeEs::start();
    let (_d, src) = source();
    let mut s = sink(&es, BulkOp::Create, Some(Duration::from_secs(60)));
    s.start(&src).unwrap();
    es.with(|st| {
        st.faults.items_429_ratio = 0.3;
        st.faults.items_429_until = Some(Instant::now() + Duration::from_secs(2));
        st.faults.fail_requests = 2;
        st.faults.drop_requests = 1;
    });
    s.write(&docs(0..2000)).unwrap();
    assert_eq!(s.finish_batch(&[], &src).unwrap(), Stored::ByPipeline);
    assert_eq!(
        es.ids("docs_2026-11-22").len(),
        2000,
        "every document lands"
    );
    assert!(s.counts.retried > 0 && es.with(|st| st.rejected_items) > 0);
}

#[test]
fn refused_documents_are_reported_and_hold_the_offsets() {
    let es = FakeEs::start();
    let (_d, src) = source();
    let mut s = sink(&es, BulkOp::Index, Some(Duration::from_secs(30)));
    s.start(&src).unwrap();
    let failed = refused_with(&mut s, &src, 0..3);
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (
            failed[0].index.as_str(),
            failed[0].id.as_str(),
            failed[0].status
        ),
        ("docs_2026-11-22", "bad", 400)
    );
    assert!(
        failed[0]
            .reason
            .starts_with("document_parsing_exception: failed to parse field [n] of type [long]"),
        "{}",
        failed[0].reason
    );
    assert_eq!(es.ids("docs_2026-11-22").len(), 3, "the others landed");
}

#[test]
fn an_outage_longer_than_the_retry_time_exits_69() {
    let es = FakeEs::start();
    let (_d, src) = source();
    let mut s = sink(&es, BulkOp::Create, Some(Duration::from_secs(1)));
    s.start(&src).unwrap();
    es.with(|st| st.faults.fail_requests = 1000);
    s.write(&docs(0..10)).unwrap();
    let err = s.finish_batch(&[], &src).unwrap_err();
    assert_eq!(rtdw::exit::status_of(&err).code(), 69, "{err:#}");
    assert!(
        format!("{err:#}").contains("elasticsearch unreachable"),
        "{err:#}"
    );
}

/// The sink on a real search engine (OpenSearch 2, tests/support/opensearch.rs):
/// the template maps the new index, bounded requests land, a replay of
/// `create`s is all 409s counted as done, and a document the mapping
/// refuses (OpenSearch says `mapper_parsing_exception` where Elasticsearch 8
/// says `document_parsing_exception`) holds the offsets while the others land.
#[test]
fn the_sink_on_opensearch_creates_replays_and_refuses_as_on_the_fake() {
    let url = support::opensearch::shared().url();
    let (_d, src) = source();
    let mut s = sink_to(&url, BulkOp::Create, Some(Duration::from_secs(30)));
    s.start(&src).unwrap();
    s.write(&docs(0..1200)).unwrap();
    assert_eq!(s.finish_batch(&[], &src).unwrap(), Stored::ByPipeline);
    s.write(&docs(0..1200)).unwrap();
    assert_eq!(s.finish_batch(&[], &src).unwrap(), Stored::ByPipeline);
    assert_eq!((s.counts.written, s.counts.existed), (1200, 1200));

    let failed = refused_with(&mut s, &src, 1200..1203);
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].id.as_str(), failed[0].status), ("bad", 400));
    assert!(
        failed[0]
            .reason
            .starts_with("mapper_parsing_exception: failed to parse field [n] of type [long]"),
        "{}",
        failed[0].reason
    );

    let settings = rtdw::settings::Settings::resolve(&rtdw::settings::GlobalArgs {
        es: Some(url.clone()),
        ..Default::default()
    })
    .unwrap();
    let client = EsClient::connect(&settings).unwrap();
    let get = |method, path: &str| -> serde_json::Value {
        let (_, text) = client.request(method, path, None).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    use elasticsearch::http::Method;
    get(Method::Post, "/docs_2026-11-22/_refresh");
    assert_eq!(
        get(Method::Get, "/docs_2026-11-22/_count")["count"],
        1203,
        "the others landed"
    );
    assert_eq!(
        get(Method::Get, "/docs_2026-11-22/_mapping")["docs_2026-11-22"]["mappings"]["properties"]
            ["n"]["type"],
        "long",
        "mapped by the template put first"
    );
}
