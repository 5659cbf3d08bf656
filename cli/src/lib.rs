//! The parts of the `trialog` command that other programs build on: the job-import row
//! parsers, which the fuzz targets (`fuzz/`) feed arbitrary bytes.

pub mod job_rows;
