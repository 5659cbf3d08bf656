//! Fault injection for the binding's own tests (feature `fault-injection`): a clock that panics
//! when armed, so a test can make a real core operation panic and check that the panic comes out
//! as `InternalError` and the platform stays usable. Without the feature this is the system clock.

use std::sync::Arc;

use pyo3::prelude::*;
use trialog_core::{Clock, SystemClock};

/// Shared by every handle on one core platform.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fault {
    #[cfg(feature = "fault-injection")]
    armed: Arc<std::sync::atomic::AtomicBool>,
}

impl Fault {
    /// The clock a new core platform reads the time from.
    #[cfg(not(feature = "fault-injection"))]
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }

    /// The clock a new core platform reads the time from: it panics once after [`Fault::arm`].
    #[cfg(feature = "fault-injection")]
    pub(crate) fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(FaultClock { armed: self.armed.clone() })
    }

    #[cfg(feature = "fault-injection")]
    fn arm(&self) {
        self.armed.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(feature = "fault-injection")]
#[derive(Debug)]
struct FaultClock {
    armed: Arc<std::sync::atomic::AtomicBool>,
}

#[cfg(feature = "fault-injection")]
impl Clock for FaultClock {
    fn now(&self) -> trialog_core::Timestamp {
        if self.armed.swap(false, std::sync::atomic::Ordering::SeqCst) {
            panic!("fault injected for tests");
        }
        SystemClock.now()
    }
}

/// Without a platform: panics at once inside the guard every core call runs in, so this raises
/// `InternalError`. With a platform: arms it, so that its next core operation panics inside the
/// core (when it reads the clock) and raises `InternalError`; later operations work again.
#[cfg(feature = "fault-injection")]
#[pyfunction]
#[pyo3(signature = (platform = None))]
fn _trigger_panic_for_tests(py: Python<'_>, platform: Option<&Bound<'_, crate::platform::Platform>>) -> PyResult<()> {
    match platform {
        Some(platform) => {
            platform.get().fault().arm();
            Ok(())
        }
        None => crate::errors::call(py, || -> trialog_core::Result<()> { panic!("panic triggered for tests") }),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    #[cfg(feature = "fault-injection")]
    m.add_function(wrap_pyfunction!(_trigger_panic_for_tests, m)?)?;
    let _ = m;
    Ok(())
}
