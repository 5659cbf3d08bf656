pub use trialog_core::*;
