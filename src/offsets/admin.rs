//! The offset stores as `rtdw offsets` sees them: list groups, read, write
//! and delete a group's offsets, and tell whether the group is live.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Result};
use rdkafka::admin::{AdminClient, AdminOptions};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::{Offset, TopicPartitionList};

use super::instances::{self, InstanceInfo};
use super::{hash_key, OffsetsSpec};
use crate::exit::Failure;
use crate::kafka::{client_config, ClientKind};
use crate::settings::Settings;
use crate::state::{self, Op, StateExt, StateStore};

const TIMEOUT: Duration = Duration::from_secs(10);

/// Who is using a group right now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Liveness {
    /// Kafka's group state (`Stable`, `Empty`, …) when the store is Kafka.
    pub group_state: Option<String>,
    /// Kafka members (client id @ host) when the store is Kafka.
    pub members: Vec<String>,
    /// rtdw instances registered in the state store.
    pub instances: Vec<InstanceInfo>,
    /// Why liveness could not be checked (the broker lacks the API, …).
    pub unknown: Option<String>,
}

impl Liveness {
    pub fn is_live(&self) -> bool {
        !self.members.is_empty() || !self.instances.is_empty()
    }

    /// "who is live" in one line, for refusals.
    pub fn describe(&self) -> String {
        let mut who: Vec<String> = self.members.iter().map(|m| format!("member {m}")).collect();
        who.extend(
            self.instances
                .iter()
                .map(|i| format!("rtdw {} {}:{} ({})", i.tool, i.host, i.pid, i.instance)),
        );
        who.join(", ")
    }
}

pub enum GroupStore {
    Hash {
        state: Arc<dyn StateStore>,
    },
    Kafka {
        settings: Box<Settings>,
        brokers: String,
    },
}

impl GroupStore {
    /// Opens the store `spec`, or the default one ([`OffsetsSpec::default_for`]).
    pub fn open(spec: Option<&OffsetsSpec>, settings: &Settings) -> Result<GroupStore> {
        let spec = spec
            .cloned()
            .unwrap_or_else(|| OffsetsSpec::default_for(settings));
        match spec.state_spec(settings) {
            Some(state_spec) => Ok(GroupStore::Hash {
                state: state::open(&state_spec, settings.redis.as_deref())?,
            }),
            None => Ok(GroupStore::Kafka {
                brokers: settings.require_brokers()?.to_string(),
                settings: Box::new(settings.clone()),
            }),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            GroupStore::Hash { state } => state.describe(),
            GroupStore::Kafka { brokers, .. } => format!("kafka {brokers}"),
        }
    }

    fn consumer(
        settings: &Settings,
        group: &str,
    ) -> Result<BaseConsumer<crate::kafka::FoldingContext>> {
        let mut cfg = client_config(settings, ClientKind::Consumer, "rtdw-offsets")?;
        cfg.set("group.id", group);
        cfg.create_with_context(crate::kafka::FoldingContext)
            .map_err(|e| Failure::usage(format!("Kafka settings: {e}")))
    }

    /// Every group the store knows, with its topics.
    pub fn groups(&self) -> Result<BTreeMap<String, Vec<String>>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        match self {
            GroupStore::Hash { state } => {
                for key in state.keys("offset:*")? {
                    // Topic names cannot hold ':', group ids can.
                    if let Some((group, topic)) =
                        key.strip_prefix("offset:").and_then(|k| k.rsplit_once(':'))
                    {
                        out.entry(group.to_string())
                            .or_default()
                            .push(topic.to_string());
                    }
                }
            }
            GroupStore::Kafka { settings, brokers } => {
                let c = Self::consumer(settings, "rtdw-offsets-inspector")?;
                let list = c.fetch_group_list(None, TIMEOUT).map_err(|e| {
                    anyhow!("listing the groups of {brokers} (ListGroups/DescribeGroups): {e}")
                })?;
                let groups: Vec<String> =
                    list.groups().iter().map(|g| g.name().to_string()).collect();
                for g in groups {
                    let topics = self.topics(&g)?;
                    out.insert(g, topics);
                }
            }
        }
        for topics in out.values_mut() {
            topics.sort();
            topics.dedup();
        }
        Ok(out)
    }

    /// The topics `group` has offsets for.
    pub fn topics(&self, group: &str) -> Result<Vec<String>> {
        match self {
            GroupStore::Hash { .. } => Ok(self.groups()?.remove(group).unwrap_or_default()),
            GroupStore::Kafka { settings, brokers } => {
                // OffsetFetch for every partition of every topic: librdkafka
                // has no "all topics of a group" call.
                let c = Self::consumer(settings, group)?;
                let md = c.fetch_metadata(None, TIMEOUT).map_err(|e| {
                    Failure::unavailable(crate::service::Service::Kafka, brokers.clone(), e)
                })?;
                let mut tpl = TopicPartitionList::new();
                for t in md.topics().iter().filter(|t| !t.name().starts_with("__")) {
                    for p in t.partitions() {
                        tpl.add_partition(t.name(), p.id());
                    }
                }
                let committed = crate::kafka::committed_offsets(&c, &tpl, TIMEOUT)?;
                let mut topics: Vec<String> = committed
                    .elements()
                    .iter()
                    .filter(|e| matches!(e.offset(), Offset::Offset(o) if o >= 0))
                    .map(|e| e.topic().to_string())
                    .collect();
                topics.sort();
                topics.dedup();
                Ok(topics)
            }
        }
    }

    /// partition → stored next offset.
    pub fn load(&self, group: &str, topic: &str, partitions: &[i32]) -> Result<BTreeMap<i32, i64>> {
        match self {
            GroupStore::Hash { state } => {
                let key = hash_key(group, topic);
                let raw = state.hgetall(&key)?;
                super::parse_hash(&key, raw)
            }
            GroupStore::Kafka { settings, .. } => {
                let c = Self::consumer(settings, group)?;
                let mut tpl = TopicPartitionList::new();
                for p in partitions {
                    tpl.add_partition(topic, *p);
                }
                Ok(crate::kafka::committed_offsets(&c, &tpl, TIMEOUT)?
                    .elements()
                    .iter()
                    .filter_map(|e| match e.offset() {
                        Offset::Offset(o) if o >= 0 => Some((e.partition(), o)),
                        _ => None,
                    })
                    .collect())
            }
        }
    }

    /// Stores `offsets` (partition → next offset) for `group` and `topic`.
    pub fn write(&self, group: &str, topic: &str, offsets: &BTreeMap<i32, i64>) -> Result<()> {
        if offsets.is_empty() {
            return Ok(());
        }
        match self {
            GroupStore::Hash { state } => {
                state.exec(vec![Op::HSet {
                    key: hash_key(group, topic),
                    fields: offsets
                        .iter()
                        .map(|(p, o)| (p.to_string(), o.to_string()))
                        .collect(),
                }])?;
                Ok(())
            }
            GroupStore::Kafka { settings, brokers } => {
                let c = Self::consumer(settings, group)?;
                let mut tpl = TopicPartitionList::new();
                for (p, o) in offsets {
                    tpl.add_partition_offset(topic, *p, Offset::Offset(*o))?;
                }
                c.commit(&tpl, CommitMode::Sync).map_err(|e| {
                    anyhow!("committing offsets of group {group} on {brokers}: {e} (a broker refuses commits from outside a group that has members)")
                })
            }
        }
    }

    /// Removes every stored offset of `group` for `topics`. In Kafka that
    /// is deleting the group (DeleteGroups) when these are all its topics,
    /// else OffsetDelete on their partitions (the group keeps the others).
    pub fn delete(&self, group: &str, topics: &[String]) -> Result<()> {
        match self {
            GroupStore::Hash { state } => {
                let keys = topics.iter().map(|t| hash_key(group, t)).collect();
                state.exec(vec![Op::Del(keys)])?;
                Ok(())
            }
            GroupStore::Kafka { settings, brokers } => {
                let others: Vec<String> = self
                    .topics(group)?
                    .into_iter()
                    .filter(|t| !topics.contains(t))
                    .collect();
                let cfg = client_config(settings, ClientKind::Producer, "rtdw-offsets")?;
                let admin: AdminClient<crate::kafka::FoldingContext> = cfg
                    .create_with_context(crate::kafka::FoldingContext)
                    .map_err(|e| Failure::usage(format!("Kafka settings: {e}")))?;
                if !others.is_empty() {
                    // Some of the group's topics: OffsetDelete on their
                    // partitions, the rest of the group stays.
                    let log = crate::offsets::log_bounds::LogBounds::open(settings)?;
                    let mut tpl = TopicPartitionList::new();
                    for t in topics {
                        for p in log.partitions(t)? {
                            tpl.add_partition(t, p);
                        }
                    }
                    return super::offset_delete::delete_offsets(&admin, group, &tpl, TIMEOUT)
                        .map_err(|e| {
                            anyhow!("deleting offsets of {} from group {group} on {brokers} (OffsetDelete): {e}", topics.join(","))
                        });
                }
                let opts = AdminOptions::new().request_timeout(Some(TIMEOUT));
                let results = futures_executor::block_on(admin.delete_groups(&[group], &opts))
                    .map_err(|e| {
                        Failure::unavailable(crate::service::Service::Kafka, brokers.clone(), e)
                    })?;
                for r in results {
                    r.map_err(|(g, code)| {
                        anyhow!("deleting group {g} on {brokers} (DeleteGroups): {code}")
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Who uses `group` now: registered rtdw instances (Redis and file
    /// stores), or the Kafka group's members (Kafka store; rtdw instances
    /// with Kafka offsets are members).
    pub fn liveness(&self, group: &str) -> Liveness {
        let mut l = Liveness {
            group_state: None,
            members: Vec::new(),
            instances: Vec::new(),
            unknown: None,
        };
        if let GroupStore::Hash { state } = self {
            match instances::live(state.as_ref(), group) {
                Ok(i) => l.instances = i,
                Err(e) => l.unknown = Some(format!("instance registry: {e:#}")),
            }
        }
        if let GroupStore::Kafka { settings, brokers } = self {
            let listed = Self::consumer(settings, group)
                .and_then(|c| c.fetch_group_list(Some(group), TIMEOUT).map_err(Into::into));
            match listed {
                Ok(list) => {
                    if let Some(g) = list.groups().iter().find(|g| g.name() == group) {
                        l.group_state = Some(g.state().to_string());
                        l.members = g
                            .members()
                            .iter()
                            .map(|m| format!("{}@{}", m.client_id(), m.client_host()))
                            .collect();
                    }
                }
                Err(e) => {
                    l.unknown = Some(format!("group state on {brokers} (DescribeGroups): {e:#}"))
                }
            }
        }
        l
    }
}
