//! Exit codes (SPEC §2) and the error kinds that map to them.
//!
//! The core raises [`Failure`] where the caller must pick an exit code; every
//! other error is plain `anyhow` and exits 1.

use std::fmt;

use crate::service::Service;

/// The documented exit codes of every `rtdw` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    Other = 1,
    Usage = 2,
    BadInput = 65,
    Unavailable = 69,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// An error whose kind decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Wrong flags or settings: exit 2.
    #[error("{0}")]
    Usage(String),
    /// Bad input that stopped a `--strict` run: exit 65.
    #[error("bad input at {source_pos}: {reason}")]
    BadInput { source_pos: String, reason: String },
    /// A required service could not be reached: exit 69.
    #[error("{service} unreachable at {target}: {reason}")]
    Unavailable {
        service: Service,
        target: String,
        reason: String,
    },
}

impl Failure {
    pub fn usage(msg: impl fmt::Display) -> anyhow::Error {
        Failure::Usage(msg.to_string()).into()
    }

    pub fn unavailable(
        service: Service,
        target: impl Into<String>,
        reason: impl fmt::Display,
    ) -> anyhow::Error {
        Failure::Unavailable {
            service,
            target: target.into(),
            reason: reason.to_string(),
        }
        .into()
    }
}

/// Finds the exit code for an error: the first [`Failure`] in its chain decides.
pub fn status_of(err: &anyhow::Error) -> ExitStatus {
    // A reader that went away (`rtdw … | head`) is a normal end.
    if is_broken_pipe(err) {
        return ExitStatus::Success;
    }
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            return match f {
                Failure::Usage(_) => ExitStatus::Usage,
                Failure::BadInput { .. } => ExitStatus::BadInput,
                Failure::Unavailable { .. } => ExitStatus::Unavailable,
            };
        }
    }
    ExitStatus::Other
}

/// A hint for errors we know how to fix, printed after the message.
pub fn hint_for(err: &anyhow::Error) -> Option<&'static str> {
    for cause in err.chain() {
        if let Some(Failure::Unavailable { service, .. }) = cause.downcast_ref::<Failure>() {
            return Some(service.hint());
        }
        if let Some(Failure::BadInput { .. }) = cause.downcast_ref::<Failure>() {
            return Some(
                "fix or remove the line, or run without --strict to send it to the dirty stream",
            );
        }
    }
    None
}

/// True when the error only means stdout's reader went away (`rtdw … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            // serde_json wraps the write error of `to_writer`.
            || c.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
    })
}
