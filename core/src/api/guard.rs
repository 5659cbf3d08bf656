//! The panic guard every foreign call runs in, shared by the UniFFI and the PyO3 bindings: a
//! panic in Rust must not cross the boundary (undefined behaviour over C, pyo3's
//! `PanicException` in Python), so it arrives as [`Error::Internal`] like any other error.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{Error, Result};

/// Runs `work`, turning a panic into [`Error::Internal`] whose detail holds the panic's
/// message. The core runs every operation in one transaction, which a panic aborts, so the
/// platform stays usable afterwards.
pub fn guard<T>(work: impl FnOnce() -> Result<T>) -> Result<T> {
    // Unwind safety: the only state shared across calls is the core platform, whose
    // transactions roll back when they are dropped during unwinding.
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| Err(Error::Internal { detail: describe(&*payload) }))
}

/// The panic message, when the payload is a string (it is for `panic!` and `unwrap`).
fn describe(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    format!("panic: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_pass_through_and_panics_become_internal_errors() {
        assert_eq!(guard(|| Ok(7)), Ok(7));
        assert_eq!(guard::<()>(|| Err(Error::conflict("taken"))), Err(Error::conflict("taken")));
        let formatted = guard::<()>(|| panic!("broke at {}", 42));
        assert_eq!(formatted, Err(Error::Internal { detail: "panic: broke at 42".into() }));
        let plain = guard::<()>(|| std::panic::panic_any(17_u8));
        assert_eq!(plain, Err(Error::Internal { detail: "panic: a panic without a message".into() }));
    }
}
