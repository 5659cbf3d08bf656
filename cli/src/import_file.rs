//! Files from elsewhere (job postings, GeoNames gazetteers, match input): every command that
//! reads one takes `--max-size` and reads it through [`open`], so that its memory and time are
//! bounded whatever the file holds — a file over the limit is refused before it is read, and
//! one that grows while it is read (or a pipe or device that has no size) stops at the limit.

use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::path::Path;

use clap::Args;
use indicatif::{ProgressBar, ProgressBarIter, ProgressStyle};
use trialog_core::Error;

use crate::failure::Failure;
use crate::output::Output;

/// The default limit, in megabytes.
pub const DEFAULT_MAX_MB: u64 = 100;

/// `--max-size MB` of a command that reads a file from elsewhere.
#[derive(Debug, Clone, Copy, Args)]
pub struct SizeLimit {
    /// Refuse files larger than this many megabytes (1 MB = 1,000,000 bytes), before reading
    /// them: a bound on memory and time for a file from elsewhere.
    #[arg(
        long = "max-size", value_name = "MB", default_value_t = DEFAULT_MAX_MB,
        value_parser = clap::value_parser!(u64).range(1..=100_000)
    )]
    pub megabytes: u64,
}

impl SizeLimit {
    fn bytes(self) -> u64 {
        self.megabytes * 1_000_000
    }
}

/// A file being read, at most up to its limit, buffered.
pub type Source = BufReader<Bounded<ProgressBarIter<File>>>;

/// Opens `path` for reading at most `limit`; `bar` (see [`progress_bar`]) follows the bytes.
pub fn open(path: &Path, limit: SizeLimit, bar: &ProgressBar) -> Result<Source, Failure> {
    let file = File::open(path).map_err(|e| Failure::io(&format!("cannot open {}", path.display()), e))?;
    let size = file.metadata().map_err(|e| Failure::io(&format!("cannot read {}", path.display()), e))?.len();
    if size > limit.bytes() {
        let reason = format!("{} is {size} bytes, over the limit of {} MB", path.display(), limit.megabytes);
        return Err(too_large(Error::invalid("file", reason)));
    }
    bar.set_length(size);
    Ok(BufReader::new(Bounded { inner: bar.wrap_read(file), left: limit.bytes(), megabytes: limit.megabytes }))
}

/// The failure of a file over the limit, with the way around it.
pub fn too_large(error: Error) -> Failure {
    let mut failure = Failure::from(error);
    failure.hint = Some("split the file, or raise the limit with --max-size MB".into());
    failure
}

/// A bar over a file's bytes on stderr when it is a terminal and the output is for a person.
pub fn progress_bar(out: Output) -> ProgressBar {
    if out.json || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// A reader that fails once more than its limit was read.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    megabytes: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.left = self.left.checked_sub(read as u64).ok_or_else(|| {
            io::Error::new(io::ErrorKind::FileTooLarge, format!("the file is over the limit of {} MB", self.megabytes))
        })?;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_without_a_size_stops_at_the_limit() {
        let mut bounded = Bounded { inner: io::repeat(b'x'), left: 3_000_000, megabytes: 3 };
        let error = io::copy(&mut bounded, &mut io::sink()).unwrap_err();
        assert_eq!(error.to_string(), "the file is over the limit of 3 MB");
        let mut exact = Bounded { inner: io::repeat(b'x').take(3_000_000), left: 3_000_000, megabytes: 3 };
        assert_eq!(io::copy(&mut exact, &mut io::sink()).unwrap(), 3_000_000);
    }
}
