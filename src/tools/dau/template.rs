//! `gmall_dau_info_{dt}`'s index template (SPEC §4.4).

use serde_json::{json, Map};

use super::{INDEX_PREFIX, TOOL};
use crate::es::bulk::IndexTemplate;
use crate::es::daily;

/// The daily indices' template: keywords for ids and dimensions, numbers for ages and times.
pub fn template() -> IndexTemplate {
    let keyword = json!({"type": "keyword"});
    let mut props = Map::new();
    for f in crate::model::log::fields::COMMON.iter().chain(
        [
            "page_id",
            "last_page_id",
            "page_item",
            "page_item_type",
            "source_type",
            "dt",
            "hr",
            "user_gender",
            "province_name",
            "province_iso_code",
            "province_3166_2",
            "province_area_code",
        ]
        .iter(),
    ) {
        props.insert((*f).into(), keyword.clone());
    }
    props.insert("user_age".into(), json!({"type": "short"}));
    props.insert("during_time".into(), json!({"type": "long"}));
    props.insert(
        "ts".into(),
        json!({"type": "date", "format": "epoch_millis"}),
    );
    daily::template("gmall_dau_info", INDEX_PREFIX, TOOL, true, props)
}
