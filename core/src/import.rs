//! What bulk imports (gazetteers, job postings) report about the rows they could not take.
//!
//! Imports keep going past a bad row so that one typo does not cost a whole file; every
//! skipped row is reported with its line and the field at fault, so the operator can fix the
//! file and import again.

use serde::{Deserialize, Serialize};

/// One row an import could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowProblem {
    /// 1-based line number in the source file (for CSV, the header is line 1).
    pub line: u64,
    /// The column or field at fault, as named in the file.
    pub field: String,
    /// What was wrong, for a person to read.
    pub reason: String,
}

impl RowProblem {
    /// A problem on `line` with `field`.
    pub fn new(line: u64, field: impl Into<String>, reason: impl Into<String>) -> Self {
        RowProblem { line, field: field.into(), reason: reason.into() }
    }

    /// The problem an [`crate::Error`] describes, placed on `line`.
    pub fn from_error(line: u64, error: &crate::Error) -> Self {
        match error {
            crate::Error::InvalidInput { field, reason } => RowProblem::new(line, field.clone(), reason.clone()),
            other => RowProblem::new(line, "", other.to_string()),
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
        }
    }
}
