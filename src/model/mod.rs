//! Typed records of the warehouse's data formats.

pub mod apportion;
pub mod cdc;
pub mod json;
pub mod log;
pub mod order;
