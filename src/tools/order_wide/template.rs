//! `gmall_order_wide_{dt}`'s index template (SPEC §4.6).

use serde_json::{json, Map};

use super::{INDEX_PREFIX, TOOL};
use crate::es::bulk::IndexTemplate;
use crate::es::daily;

/// The daily indices' template: keywords for ids and dimensions, exact
/// cents (`scaled_float`) for amounts, `sku_name` searchable by words.
pub fn template() -> IndexTemplate {
    let mut props = Map::new();
    for f in [
        "detail_id",
        "id",
        "order_id",
        "sku_id",
        "user_id",
        "province_id",
        "order_status",
        "source_type",
        "user_gender",
        "province_name",
        "province_iso_code",
        "province_3166_2",
        "province_area_code",
        "spu_id",
        "tm_id",
        "category3_id",
        "dt",
        "hr",
    ] {
        props.insert(f.into(), json!({"type": "keyword"}));
    }
    // Ids sort as numbers through a long sub-field (`report orders
    // --details` pages by `detail_id.num`); a non-numeric id is missing there.
    props.insert(
        "detail_id".into(),
        json!({"type": "keyword", "fields": {"num": {"type": "long", "ignore_malformed": true}}}),
    );
    for f in [
        "order_price",
        "sku_price",
        "total_amount",
        "activity_reduce_amount",
        "coupon_reduce_amount",
        "original_total_amount",
        "feight_fee",
        "split_total_amount",
        "split_activity_amount",
        "split_coupon_amount",
    ] {
        props.insert(
            f.into(),
            json!({"type": "scaled_float", "scaling_factor": 100}),
        );
    }
    props.insert("sku_num".into(), json!({"type": "long"}));
    props.insert("user_age".into(), json!({"type": "short"}));
    props.insert(
        "sku_name".into(),
        json!({"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}),
    );
    props.insert(
        "create_time".into(),
        json!({"type": "date", "format": "yyyy-MM-dd HH:mm:ss||strict_date_optional_time||epoch_millis"}),
    );
    daily::template("gmall_order_wide", INDEX_PREFIX, TOOL, true, props)
}
