//! OffsetDelete (KIP-496, Kafka ≥ 2.4): removes a consumer group's committed
//! offsets of some partitions, keeping the rest of the group, as
//! `kafka-consumer-groups --delete-offsets` does. The `rdkafka` crate does
//! not wrap librdkafka's `rd_kafka_DeleteConsumerGroupOffsets`, so this
//! calls it through `rdkafka::bindings`, on the admin client's own handle,
//! and waits for its result on a private queue.
//!
//! Errors: the request's own (e.g. the broker is unreachable, or the group
//! has live members subscribed to a topic: `GROUP_SUBSCRIBED_TO_TOPIC`), and
//! the first partition the broker refused, by name.
//!
//! Known limit (measured): a coordinator that resets the connection on
//! OffsetDelete instead of answering (tansu 0.6.0, which advertises the API)
//! makes librdkafka 2.12 abort the process in its queue code
//! (`rd_kafka_q_destroy0: assert: rkq->rkq_refcnt > 0`), whatever the caller
//! does with its queue. Apache Kafka answers it (tests/apache_kafka.rs).

use std::ffi::{CStr, CString};
use std::time::Duration;

use rdkafka::admin::AdminClient;
use rdkafka::bindings as rd;
use rdkafka::TopicPartitionList;

/// Deletes `group`'s committed offsets of `partitions`; waits at most `timeout`.
pub fn delete_offsets<C: rdkafka::client::ClientContext>(
    admin: &AdminClient<C>,
    group: &str,
    partitions: &TopicPartitionList,
    timeout: Duration,
) -> Result<(), String> {
    let group_c =
        CString::new(group).map_err(|_| format!("group name {group:?} has a NUL byte"))?;
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let rk = admin.inner().native_ptr();
    // SAFETY: every pointer below comes from librdkafka for this client
    // (`rk` lives as long as `admin`), is used only while valid, and is
    // destroyed exactly once on every path (the Guard's Drop).
    unsafe {
        let request =
            rd::rd_kafka_DeleteConsumerGroupOffsets_new(group_c.as_ptr(), partitions.ptr());
        let options = rd::rd_kafka_AdminOptions_new(
            rk,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
        );
        let queue = rd::rd_kafka_queue_new(rk);
        let guard = Guard {
            request,
            options,
            queue,
            event: std::ptr::null_mut(),
        };
        let mut errstr = [0 as std::os::raw::c_char; 256];
        rd::rd_kafka_AdminOptions_set_request_timeout(
            guard.options,
            timeout_ms,
            errstr.as_mut_ptr(),
            errstr.len(),
        );
        let mut requests = [guard.request];
        rd::rd_kafka_DeleteConsumerGroupOffsets(
            rk,
            requests.as_mut_ptr(),
            1,
            guard.options,
            guard.queue,
        );
        let mut guard = guard;
        // librdkafka answers by the request timeout; the margin covers a
        // busy client.
        guard.event = rd::rd_kafka_queue_poll(guard.queue, timeout_ms.saturating_mul(3));
        if guard.event.is_null() {
            return Err(format!(
                "no answer to OffsetDelete within {}s",
                3 * timeout.as_secs()
            ));
        }
        if rd::rd_kafka_event_error(guard.event)
            != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
        {
            return Err(text(rd::rd_kafka_event_error_string(guard.event)));
        }
        let result = rd::rd_kafka_event_DeleteConsumerGroupOffsets_result(guard.event);
        let mut count = 0usize;
        let groups = rd::rd_kafka_DeleteConsumerGroupOffsets_result_groups(result, &mut count);
        for i in 0..count {
            let g = *groups.add(i);
            let error = rd::rd_kafka_group_result_error(g);
            if !error.is_null() {
                return Err(text(rd::rd_kafka_error_string(error)));
            }
            let list = rd::rd_kafka_group_result_partitions(g);
            if list.is_null() {
                continue;
            }
            for j in 0..(*list).cnt.max(0) as usize {
                let p = &*(*list).elems.add(j);
                if p.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                    return Err(format!(
                        "{}/{}: {}",
                        text(p.topic),
                        p.partition,
                        text(rd::rd_kafka_err2str(p.err))
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A C string from librdkafka, or "" for null.
unsafe fn text(s: *const std::os::raw::c_char) -> String {
    if s.is_null() {
        return String::new();
    }
    // SAFETY: librdkafka returns NUL-terminated strings that outlive this call.
    unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned()
}

/// Destroys what one request allocated, on every path.
struct Guard {
    request: *mut rd::rd_kafka_DeleteConsumerGroupOffsets_t,
    options: *mut rd::rd_kafka_AdminOptions_t,
    queue: *mut rd::rd_kafka_queue_t,
    event: *mut rd::rd_kafka_event_t,
}

impl Drop for Guard {
    fn drop(&mut self) {
        // SAFETY: each pointer was created by librdkafka for this request
        // and is destroyed once here (null ones are skipped).
        unsafe {
            if !self.event.is_null() {
                rd::rd_kafka_event_destroy(self.event);
            }
            if !self.queue.is_null() {
                rd::rd_kafka_queue_destroy(self.queue);
            }
            if !self.options.is_null() {
                rd::rd_kafka_AdminOptions_destroy(self.options);
            }
            if !self.request.is_null() {
                rd::rd_kafka_DeleteConsumerGroupOffsets_destroy(self.request);
            }
        }
    }
}
