//! Graceful shutdown: the first SIGINT/SIGTERM asks the running batch to finish,
//! commit and exit 0; a second one exits at once (130), as users expect of Ctrl-C.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Result;

#[derive(Clone, Default)]
pub struct Shutdown {
    requested: Arc<AtomicBool>,
}

impl Shutdown {
    /// Installs the signal handlers.
    pub fn install() -> Result<Shutdown> {
        let s = Shutdown::default();
        for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            // Order matters: the conditional exit sees the flag set by an earlier signal.
            signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&s.requested))?;
            signal_hook::flag::register(sig, Arc::clone(&s.requested))?;
        }
        Ok(s)
    }

    pub fn requested(&self) -> bool {
        self.requested.load(Ordering::Relaxed)
    }

    /// Asks for a stop from inside the process (tests, fatal errors elsewhere).
    pub fn request(&self) {
        self.requested.store(true, Ordering::Relaxed);
    }
}
