//! `rtdw report dau|gmv`: the same numbers from the fake Elasticsearch as
//! from the documents' files on generated days; the table and JSON as
//! snapshots.

mod support;

use std::path::Path;

use serde_json::{json, Value};
use support::fake_es::FakeEs;
use support::{rtdw, run_ok};

/// `rtdw [--es URL] report ARGS… --json`, parsed, without its notes (which
/// say "no index" from ES and "no documents" from files).
fn report_json(dir: &Path, es: Option<&str>, args: &[&str]) -> Value {
    let mut c = rtdw(dir);
    if let Some(es) = es {
        c.args(["--es", es]);
    }
    let out = run_ok(c.arg("report").args(args).arg("--json"));
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_object_mut().unwrap().remove("notes");
    v
}

/// The report `args` from Elasticsearch at `es` and from the documents file
/// `docs`: asserts they are the same and returns it.
fn same_from_es_and_files(dir: &Path, es: &str, docs: &Path, args: &[&str]) -> Value {
    let from_es = report_json(dir, Some(es), args);
    let from_file = report_json(
        dir,
        None,
        &[args, &["--from", docs.to_str().unwrap()]].concat(),
    );
    assert_eq!(from_es, from_file, "{args:?}");
    from_es
}

#[test]
fn gmv_and_orders_from_elasticsearch_equal_those_from_files() {
    let es = FakeEs::start();
    gmv_and_orders_from_es_equal_those_from_files(&es.url());
}

/// The same on a real search engine (OpenSearch 2, tests/support/opensearch.rs).
#[test]
fn gmv_and_orders_from_opensearch_equal_those_from_files() {
    gmv_and_orders_from_es_equal_those_from_files(&support::opensearch::shared().url());
}

fn gmv_and_orders_from_es_equal_those_from_files(es: &str) {
    let dir = tempfile::tempdir().unwrap();
    let state = format!("file:{}", dir.path().join("day.db").display());
    let routed = support::orders::routed_day(dir.path(), 300, 5, &state, None);
    let input = dir.path().join("routed.jsonl");
    std::fs::write(&input, &routed).unwrap();
    // The same join twice: into a file, and into Elasticsearch.
    std::fs::copy(dir.path().join("day.db"), dir.path().join("day2.db")).unwrap();
    let out = run_ok(
        rtdw(dir.path())
            .args(["--state", &state, "order-wide", "--from"])
            .arg(&input)
            .args(["--to", "-"]),
    );
    let docs = dir.path().join("wide.jsonl");
    std::fs::write(&docs, &out.stdout).unwrap();
    let state2 = format!("file:{}", dir.path().join("day2.db").display());
    run_ok(
        rtdw(dir.path())
            .args(["--state", &state2, "--es", es, "order-wide", "--from"])
            .arg(&input)
            .args(["--to", "es"]),
    );
    // Searches see writes after the refresh interval (1 s).
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let from_es = same_from_es_and_files(dir.path(), es, &docs, &["gmv", "--date", "2026-11-22"]);
    assert_eq!(from_es["compare_total"], "0.00");
    // The total is the sum of every wide record's split amount, to the cent.
    let exact: rust_decimal::Decimal = support::read_lines(&docs)
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["_index"] == "gmall_order_wide_2026-11-22")
        .map(|d| support::orders::dec(d["_source"]["split_total_amount"].as_str().unwrap()))
        .sum();
    assert_eq!(from_es["total"], json!(format!("{exact:.2}")));

    // Order lines with "小米" (a word of two ideographs), by gender with the
    // second page of lines, and by age band.
    for args in [
        &[
            "orders",
            "--date",
            "2026-11-22",
            "--item",
            "小米",
            "--by",
            "gender",
            "--details",
            "--page",
            "2",
            "--size",
            "5",
        ][..],
        &[
            "orders",
            "--date",
            "2026-11-22",
            "--item",
            "iphone 黑色",
            "--by",
            "age",
        ][..],
    ] {
        let from_es = same_from_es_and_files(dir.path(), es, &docs, args);
        assert!(from_es["lines"].as_u64().unwrap() > 5, "{from_es}");
        let groups: rust_decimal::Decimal = from_es["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| support::orders::dec(g["amount"].as_str().unwrap()))
            .sum();
        assert_eq!(
            json!(format!("{groups:.2}")),
            from_es["amount"],
            "the groups add up"
        );
    }
}

#[test]
fn dau_from_elasticsearch_equals_dau_from_files() {
    let es = FakeEs::start();
    dau_from_es_equals_dau_from_files(&es.url());
}

/// The same on a real search engine, and `restore-state` rebuilds the
/// day's set from it.
#[test]
fn dau_from_opensearch_equals_dau_from_files() {
    dau_from_es_equals_dau_from_files(&support::opensearch::shared().url());
}

fn dau_from_es_equals_dau_from_files(es: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (pages, mids) = support::dau::page_logs(dir.path(), 400, 6000);
    let input = dir.path().join("pages.jsonl");
    std::fs::write(&input, pages.join("\n") + "\n").unwrap();
    let out = run_ok(
        rtdw(dir.path())
            .args(["--state", "file:a.db", "dau", "--from"])
            .arg(&input)
            .args(["--to", "-"]),
    );
    let docs = dir.path().join("dau.jsonl");
    std::fs::write(&docs, &out.stdout).unwrap();
    run_ok(
        rtdw(dir.path())
            .args(["--state", "file:b.db", "--es", es, "dau", "--from"])
            .arg(&input)
            .args(["--to", "es"]),
    );
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let from_es = same_from_es_and_files(dir.path(), es, &docs, &["dau", "--date", "2026-11-22"]);
    assert_eq!(from_es["total"], json!(mids.len()), "one visit per device");
    // restore-state reads the day's mids back (point-in-time pages of 100)
    // into a fresh store: the set dau built.
    let out = run_ok(rtdw(dir.path()).args([
        "--state",
        "file:c.db",
        "--es",
        es,
        "restore-state",
        "--date",
        "2026-11-22",
        "--page-size",
        "100",
        "--json",
    ]));
    let restored = support::json_lines(&out.stdout);
    assert_eq!(restored[0]["documents"], json!(mids.len()), "{restored:?}");
    let set = |db: &str| {
        let store = rtdw::state::embedded::EmbeddedStore::open(&dir.path().join(db)).unwrap();
        use rtdw::state::StateStore;
        let mut m = store
            .exec(vec![rtdw::state::Op::SMembers("DAU:2026-11-22".into())])
            .unwrap()
            .pop()
            .unwrap()
            .into_strs()
            .unwrap();
        m.sort();
        m
    };
    assert_eq!(set("c.db"), set("b.db"));
}

/// Hand-made documents of two days: the table and the JSON, as snapshots.
#[test]
fn the_table_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (dt, hr, n) in [
        ("2026-11-22", "08", 4),
        ("2026-11-22", "09", 10),
        ("2026-11-22", "20", 7),
        ("2026-11-21", "09", 6),
        ("2026-11-21", "20", 9),
    ] {
        for i in 0..n {
            lines.push(
                json!({"_index": format!("gmall_dau_info_{dt}"), "_id": format!("m{hr}{i}"),
                "_source": {"mid": format!("m{hr}{i}"), "dt": dt, "hr": hr}})
                .to_string(),
            );
        }
    }
    let file = dir.path().join("dau.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let f = file.to_str().unwrap();
    let table =
        run_ok(rtdw(dir.path()).args(["report", "dau", "--date", "2026-11-22", "--from", f]));
    insta::assert_snapshot!("dau_table", String::from_utf8_lossy(&table.stdout));
    let json = run_ok(rtdw(dir.path()).args([
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--from",
        f,
        "--json",
    ]));
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    insta::assert_snapshot!("dau_json", serde_json::to_string_pretty(&v).unwrap());
    let csv = run_ok(rtdw(dir.path()).args([
        "report",
        "dau",
        "--date",
        "2026-11-22",
        "--from",
        f,
        "--csv",
    ]));
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(
        csv.starts_with("hr,2026-11-22,2026-11-21\n00,0,0\n"),
        "{csv}"
    );
    assert!(csv.ends_with("total,21,15\n"), "{csv}");
}

/// `--png`: a line chart that decodes, of the documented size, with both
/// days' lines drawn (their colours present) on a white ground.
#[test]
fn the_png_chart_decodes_and_shows_both_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for h in 0..24 {
        for (dt, n) in [("2026-11-22", 3 + h % 5), ("2026-11-21", 1 + (h * 7) % 6)] {
            for i in 0..n {
                lines.push(
                    json!({"_index": format!("gmall_dau_info_{dt}"), "_id": format!("m{h}-{i}"),
                    "_source": {"mid": format!("m{h}-{i}"), "dt": dt, "hr": format!("{h:02}")}})
                    .to_string(),
                );
            }
        }
    }
    let file = dir.path().join("dau.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let png = dir.path().join("dau.png");
    run_ok(
        rtdw(dir.path())
            .args(["report", "dau", "--date", "2026-11-22", "--from"])
            .arg(&file)
            .arg("--png")
            .arg(&png),
    );
    let img = image::open(&png).expect("a PNG").to_rgb8();
    assert_eq!(img.dimensions(), (1000, 560));
    let count = |pred: &dyn Fn(&image::Rgb<u8>) -> bool| img.pixels().filter(|p| pred(p)).count();
    let white = count(&|p| p.0 == [255, 255, 255]);
    let blue = count(&|p| p.0 == [31, 94, 180]);
    let orange = count(&|p| p.0 == [230, 126, 34]);
    let total = (img.width() * img.height()) as usize;
    assert!(white > total / 2, "a white ground: {white} of {total}");
    assert!(white < total * 98 / 100, "something is drawn");
    assert!(blue > 500, "the day's line: {blue} pixels");
    assert!(orange > 300, "the comparison's line: {orange} pixels");
}

/// `report orders` on hand-made order lines: the table (groups with bars,
/// a page of lines) and the JSON, as snapshots.
#[test]
fn the_orders_table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        // Ids sort as numbers (9 before 10); a name with a comma and
        // quotes stays one CSV field.
        ("10", "小米10 至尊纪念版", "F", Some(18), "100.10"),
        ("9", "小米 电视, 55英寸 \"黑色\"", "M", Some(25), "200.20"),
        ("11", "小米10 至尊纪念版", "M", Some(41), "300.30"),
        ("4", "Apple iPhone 12", "F", Some(30), "999.00"),
        ("5", "小米10 青春版", "F", None, "50.05"),
    ];
    let lines: Vec<String> = rows
        .iter()
        .map(|(id, name, gender, age, amount)| {
            json!({"_index": "gmall_order_wide_2026-11-22", "_id": id, "_source": {
                "detail_id": id, "order_id": format!("o{id}"), "create_time": "2026-11-22 10:00:00",
                "sku_name": name, "sku_num": 1, "user_gender": gender, "user_age": age,
                "split_total_amount": amount, "dt": "2026-11-22", "hr": "10"}})
            .to_string()
        })
        .collect();
    let file = dir.path().join("wide.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let f = file.to_str().unwrap();
    let args = [
        "report",
        "orders",
        "--date",
        "2026-11-22",
        "--item",
        "小米",
        "--from",
        f,
    ];
    let table =
        run_ok(
            rtdw(dir.path())
                .args(args)
                .args(["--by", "age", "--details", "--size", "2"]),
        );
    insta::assert_snapshot!("orders_table", String::from_utf8_lossy(&table.stdout));
    let csv = run_ok(rtdw(dir.path()).args(args).args([
        "--by",
        "gender",
        "--details",
        "--size",
        "10",
        "--csv",
    ]));
    insta::assert_snapshot!("orders_csv", String::from_utf8_lossy(&csv.stdout));
    let out = run_ok(
        rtdw(dir.path())
            .args(args)
            .args(["--by", "gender", "--json"]),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_snapshot!("orders_json", serde_json::to_string_pretty(&v).unwrap());
}
