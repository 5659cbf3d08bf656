//! The forums' Python side: boards named by id or slug, and the module function `post_html`.
//!
//! Every forum operation is a method of `Platform` (in `platform.rs`); what they share lives
//! here. Enum values (audience, moderation, action, period) are strings parsed by the core, so
//! a bad one raises `InvalidInputError` naming the field, as in the CLI.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyString};
use trialog_core::forums::markup;
use trialog_core::{Actor, BoardId, Platform};

/// A board as the caller named it: `3` or `"ausbildung-ex-in"`.
#[derive(Debug, Clone)]
pub(crate) enum BoardRef {
    Id(BoardId),
    Slug(String),
}

impl BoardRef {
    /// Reads an `int` id or a `str` slug.
    pub(crate) fn from_py(value: &Bound<'_, PyAny>, argument: &str) -> PyResult<Self> {
        if value.is_instance_of::<PyInt>() {
            return Ok(BoardRef::Id(value.extract()?));
        }
        if let Ok(slug) = value.cast::<PyString>() {
            return Ok(BoardRef::Slug(slug.to_cow()?.into_owned()));
        }
        Err(PyTypeError::new_err(format!("{argument} must be a board id (int) or slug (str)")))
    }

    /// The board's id, looking a slug up as `actor` (who must be in its audience).
    pub(crate) fn id(&self, core: &Platform, actor: &Actor) -> trialog_core::Result<BoardId> {
        match self {
            BoardRef::Id(id) => Ok(*id),
            BoardRef::Slug(slug) => Ok(core.forums().board_by_slug(actor, slug)?.id),
        }
    }
}

/// A post body's light markup as safe HTML (`p`, `br`, `blockquote` and `a` only; everything
/// else escaped).
#[pyfunction]
fn post_html(body: &str) -> String {
    markup::to_html(body)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(post_html, m)?)
}
