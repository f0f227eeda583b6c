//! Records Kafka refuses for good, and their dead letters (issue 18).
//!
//! A record larger than the producer's `message.max.bytes` (librdkafka
//! refuses it at send), or than the topic's `max.message.bytes` (the broker
//! answers `MESSAGE_TOO_LARGE` in its delivery report), will be refused on
//! every retry. As Kafka Connect's `errors.tolerance=all` with a dead-letter
//! topic does, such a record goes to the topic `rtdw_dead_{tool}` (the name
//! of the Elasticsearch dead-letter index, [`super::dead_letter_name`])
//! and the offsets move on; `--on-refused fail` holds them instead.
//!
//! A dead letter is one JSON object: `{"tool", "topic", "key", "status"
//! (Kafka's error code), "reason", "size" (bytes of the value), "value" (the
//! first [`VALUE_HEAD`] bytes, lossy UTF-8, fewer when the producer's
//! `message.max.bytes` is smaller), "truncated", "at" (RFC 3339 UTC)}`.
//! The value is cut: a record refused for its size would be refused again
//! whole. Its source record is still in the input.
//!
//! The broker refuses a whole produce request when its batch is too large,
//! neighbours included. As the Java producer splits such a batch, each
//! record refused in a delivery report is sent again alone; only one refused
//! alone is a dead letter, so valid records never become one.

use rdkafka::error::{KafkaError, RDKafkaErrorCode};

use crate::record::FailedDoc;

/// Bytes of a refused value a dead letter keeps.
pub const VALUE_HEAD: usize = 64 * 1024;

/// A record Kafka refused for good.
#[derive(Debug, Clone)]
pub struct Refused {
    pub topic: String,
    pub key: Option<String>,
    pub code: RDKafkaErrorCode,
    pub reason: String,
    /// The whole value (sent again alone, and cut in its dead letter).
    pub value: Vec<u8>,
    /// Refused at send, or alone in its produce request: not a neighbour's
    /// refusal (the broker refuses a whole batch of records at once).
    pub alone: bool,
}

/// Whether Kafka will refuse this record again, whatever the retry: too
/// large, or invalid for the topic (e.g. no key on a compacted topic).
pub fn is_refusal(e: &KafkaError) -> Option<RDKafkaErrorCode> {
    match e.rdkafka_error_code()? {
        code @ (RDKafkaErrorCode::MessageSizeTooLarge
        | RDKafkaErrorCode::InvalidRecord
        | RDKafkaErrorCode::InvalidMessageSize) => Some(code),
        _ => None,
    }
}

impl Refused {
    pub fn new(topic: &str, key: Option<&[u8]>, value: &[u8], e: &KafkaError) -> Option<Refused> {
        let code = is_refusal(e)?;
        Some(Refused {
            topic: topic.to_string(),
            key: key.map(|k| String::from_utf8_lossy(k).into_owned()),
            code,
            reason: e.to_string(),
            value: value.to_vec(),
            alone: false,
        })
    }

    /// The dead letter's value (see the module docs), keeping the first
    /// `head` bytes of the refused value (at most [`VALUE_HEAD`]).
    pub fn dead_letter(&self, tool: &str, head: usize) -> Vec<u8> {
        let head = &self.value[..self.value.len().min(head).min(VALUE_HEAD)];
        serde_json::json!({
            "tool": tool,
            "topic": self.topic,
            "key": self.key,
            "status": self.code as i32,
            "reason": self.reason,
            "size": self.value.len(),
            "value": String::from_utf8_lossy(head),
            "truncated": head.len() < self.value.len(),
            "at": jiff::Timestamp::now().to_string(),
        })
        .to_string()
        .into_bytes()
    }

    /// As the pipeline counts refusals: `index` = topic, `id` = key.
    pub fn as_failed(&self) -> FailedDoc {
        FailedDoc {
            index: self.topic.clone(),
            id: self.key.clone().unwrap_or_default(),
            status: self.code as u16,
            reason: format!("{} ({} bytes)", self.reason, self.value.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_is_a_refusal_and_a_broker_outage_is_not() {
        let too_large = KafkaError::MessageProduction(RDKafkaErrorCode::MessageSizeTooLarge);
        let down = KafkaError::MessageProduction(RDKafkaErrorCode::AllBrokersDown);
        assert_eq!(
            is_refusal(&too_large),
            Some(RDKafkaErrorCode::MessageSizeTooLarge)
        );
        assert_eq!(is_refusal(&down), None);
        let value = vec![b'x'; VALUE_HEAD + 10];
        let r = Refused::new("DWD_X", Some(b"k1"), &value, &too_large).unwrap();
        let letter: serde_json::Value =
            serde_json::from_slice(&r.dead_letter("route-db", VALUE_HEAD)).unwrap();
        assert_eq!(letter["topic"], "DWD_X");
        assert_eq!(letter["key"], "k1");
        assert_eq!(letter["status"], 10);
        assert_eq!(letter["size"], VALUE_HEAD + 10);
        assert_eq!(letter["truncated"], true);
        assert_eq!(letter["value"].as_str().unwrap().len(), VALUE_HEAD);
    }
}
