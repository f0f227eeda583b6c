//! Daily indices (`{prefix}{dt}`, SPEC §4.4, §4.6, §4.7): the plumbing every
//! tool that writes one shares: the index of a business date, its stream
//! in the batch's output, and the composable template all the days share.

use serde_json::{json, Map, Value};

use super::bulk::IndexTemplate;
use crate::record::{OutBuf, StreamDef, StreamKind};
use crate::sink::DiscoveredStreams;

/// A tool's daily indices, declared to the sink as their days show up.
pub struct DailyIndex {
    /// `gmall_dau_info_` and the like: the index is `{prefix}{dt}`.
    prefix: &'static str,
    streams: DiscoveredStreams<jiff::civil::Date>,
}

impl DailyIndex {
    /// `fixed` = the tool's streams known at start (days are numbered after them).
    pub fn new(prefix: &'static str, fixed: usize) -> DailyIndex {
        DailyIndex {
            prefix,
            streams: DiscoveredStreams::new(fixed),
        }
    }

    /// The index of business date `dt`.
    pub fn name(&self, dt: jiff::civil::Date) -> String {
        format!("{}{dt}", self.prefix)
    }

    /// The stream of `dt`'s index, declared in `out` on first use.
    pub fn stream(&mut self, dt: jiff::civil::Date, out: &mut OutBuf) -> usize {
        let name = self.name(dt);
        self.streams.get(dt, out, || StreamDef {
            name,
            kind: StreamKind::Document,
        })
    }
}

/// The template every day's index of `prefix` takes: one shard, these
/// field `properties`, priority 100 (above Elasticsearch's built-in
/// templates), named `name`, and `_meta.created_by` = `rtdw {tool}`.
/// `dynamic` says whether fields not listed are mapped when first seen.
pub fn template(
    name: &str,
    prefix: &str,
    tool: &str,
    dynamic: bool,
    properties: Map<String, Value>,
) -> IndexTemplate {
    let mut mappings = json!({"properties": properties});
    if dynamic {
        mappings["dynamic"] = json!(true);
    }
    IndexTemplate {
        name: name.into(),
        body: json!({"index_patterns": [format!("{prefix}*")], "priority": 100,
            "template": {"settings": {"number_of_shards": 1}, "mappings": mappings},
            "_meta": {"created_by": format!("rtdw {tool}")}}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_day_is_one_stream_declared_once() {
        let mut daily = DailyIndex::new("gmall_dau_info_", 1);
        let mut out = OutBuf::default();
        let day = jiff::civil::date(2026, 11, 22);
        assert_eq!(daily.stream(day, &mut out), 1);
        assert_eq!(daily.stream(day, &mut out), 1);
        assert_eq!(daily.stream(day.tomorrow().unwrap(), &mut out), 2);
        let names: Vec<&str> = out.new_streams.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["gmall_dau_info_2026-11-22", "gmall_dau_info_2026-11-23"]
        );
    }
}
