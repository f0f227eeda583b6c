//! Typed records of the warehouse's data formats.

pub mod apportion;
pub mod cdc;
pub mod coupon_fraud;
pub mod json;
pub mod log;
pub mod order;
