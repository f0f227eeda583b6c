//! `gmall_coupon_alert_{dt}`'s index template (SPEC §4.7).

use super::*;
use crate::es::bulk::IndexTemplate;
use crate::es::daily::{self};
use serde_json::json;

/// The alert indices' template.
pub fn template() -> IndexTemplate {
    let keyword = json!({"type": "keyword"});
    let properties = json!({"mid": keyword, "uids": keyword, "item_ids": keyword,
        "events": keyword, "dt": keyword, "ts": {"type": "date", "format": "epoch_millis"}});
    let properties = properties.as_object().cloned().unwrap_or_default();
    daily::template("gmall_coupon_alert", INDEX_PREFIX, TOOL, false, properties)
}
