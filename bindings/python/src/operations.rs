//! Every operation of the core's manifest (`trialog_core::operations!`) as a method of the
//! Python [`Platform`], and an `iter_*` twin for every paged listing. Nothing here names an
//! operation: add one to the manifest, run `cargo run -p trialog-stubgen`, and it appears in
//! Python with its stub.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use trialog_core::api::prelude::*;

use crate::bind::Args;
use crate::iter::PageIterator;
use crate::platform::Platform;
use crate::types::OPERATIONS;

/// Turns the manifest into one `#[pymethods]` block per operation.
macro_rules! expand_python {
    ($(
        $(#[doc = $doc:literal])*
        [$access:ident, paged: $paged:ident, $($meta:tt)*]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$core:ident, $actor:ident| $call:expr;
    )*) => {
        $(
            python_method! {
                Platform OPERATIONS $(#[doc = $doc])* $name ($($arg : $ty $(= $default)?),*) -> $ret { |$core, $actor| $call }
            }
            python_iter!($paged $name ($($arg : $ty $(= $default)?),*));
        )*
    };
}

/// One method of `$class` (the `Platform`, or the `Replica` with its list), run by the class's
/// `run`: without arguments a plain method (so its signature says so), otherwise
/// `(*args, **kwargs)` read by [`Args`] against the class's table.
macro_rules! python_method {
    ($class:ident $table:ident $(#[doc = $doc:literal])* $name:ident () -> $ret:ty { |$($bind:ident),+| $call:expr }) => {
        #[pymethods]
        impl $class {
            $(#[doc = $doc])*
            fn $name(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                self.run(py, stringify!($name), move |$($bind),+| -> trialog_core::Result<$ret> { $call })
            }
        }
    };
    ($class:ident $table:ident $(#[doc = $doc:literal])* $name:ident ($($arg:ident : $ty:ty $(= $default:tt)?),+) -> $ret:ty { |$($bind:ident),+| $call:expr }) => {
        #[pymethods]
        impl $class {
            $(#[doc = $doc])*
            #[pyo3(signature = (*args, **kwargs))]
            fn $name(&self, py: Python<'_>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
                let mut bound = Args::bind($table, stringify!($name), args, kwargs)?;
                $(let $arg: $ty = bound.take(py, stringify!($arg), python_default!($($default)?))?;)*
                self.run(py, stringify!($name), move |$($bind),+| -> trialog_core::Result<$ret> { $call })
            }
        }
    };
}

/// The default of an argument in serde form (`None` when it has none).
macro_rules! python_default {
    () => {
        None
    };
    (None) => {
        Some(serde_json::Value::Null)
    };
    (default) => {
        Some(serde_json::json!({}))
    };
    ($value:tt) => {
        Some(serde_json::json!($value))
    };
}

/// The `iter_*` twin of a paged listing.
macro_rules! python_iter {
    (no $name:ident $args:tt) => {};
    ($iter:ident $name:ident (page : $ty:ty = default)) => {
        #[pymethods]
        impl Platform {
            #[doc = concat!("Every item of `", stringify!($name), "`, walking all pages (`page_size` items at a time).")]
            #[pyo3(signature = (*, page_size = None))]
            fn $iter(slf: &Bound<'_, Self>, page_size: Option<u32>) -> PyResult<PageIterator> {
                PageIterator::new(slf.getattr(stringify!($name))?, PyTuple::empty(slf.py()), None, page_size)
            }
        }
    };
    ($iter:ident $name:ident ($($arg:ident : $ty:ty $(= $default:tt)?),*)) => {
        #[pymethods]
        impl Platform {
            #[doc = concat!("Every item of `", stringify!($name), "`, walking all pages (`page_size` items at a time).")]
            #[pyo3(signature = (*args, page_size = None, **kwargs))]
            fn $iter(
                slf: &Bound<'_, Self>,
                args: &Bound<'_, PyTuple>,
                page_size: Option<u32>,
                kwargs: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<PageIterator> {
                // Bad arguments raise here, when the iterator is made, not at the first item.
                let py = slf.py();
                let mut bound = Args::new(stringify!($name), args, kwargs)?;
                $(let _: $ty = bound.take(py, stringify!($arg), python_default!($($default)?))?;)*
                PageIterator::new(slf.getattr(stringify!($name))?, args.clone(), kwargs, page_size)
            }
        }
    };
}

trialog_core::operations!(expand_python);
