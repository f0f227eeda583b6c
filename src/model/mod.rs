//! Typed records of the warehouse's data formats.

pub mod json;
pub mod log;
