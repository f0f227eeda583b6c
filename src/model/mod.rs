//! Typed records of the warehouse's data formats.

pub mod apportion;
pub mod cdc;
pub mod coupon_fraud;
pub mod debezium_types;
pub mod event_time;
pub mod json;
pub mod lenient;
pub mod log;
pub mod order;
