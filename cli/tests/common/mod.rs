//! Runs the `trialog` binary against a database file in a fresh temporary directory.

#![allow(dead_code)] // each test file uses a different part of this helper

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// A temporary directory with a database path in it (the file itself is not created).
pub struct Trialog {
    _dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Trialog {
    /// A directory with no database file yet.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("test.redb");
        Trialog { _dir: dir, db }
    }

    /// A directory with a freshly initialised database file.
    pub fn initialised() -> Self {
        let trialog = Trialog::new();
        trialog.ok(&["init"]);
        trialog
    }

    /// Runs `trialog --db DB ARGS...` with no input.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_input(args, "")
    }

    /// Runs `trialog --db DB ARGS...` with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trialog"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("TRIALOG_DB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the trialog binary starts");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("input written");
        let output = child.wait_with_output().expect("trialog finishes");
        Run {
            code: output.status.code().expect("trialog exited normally"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "trialog {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    /// Runs a command with `--json` that must succeed; returns its parsed stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(&[args, &["--json"]].concat());
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("trialog {args:?} printed no JSON ({e}):\n{out}"))
    }

    /// Runs a command with `--json` that must fail with exit code `code`; returns the error object.
    pub fn fails(&self, args: &[&str], code: i32) -> Value {
        let run = self.run(&[args, &["--json"]].concat());
        assert_eq!(run.code, code, "trialog {args:?} should exit with {code}:\n{run:?}");
        serde_json::from_str(run.stderr.trim())
            .unwrap_or_else(|e| panic!("trialog {args:?} printed no JSON error ({e}):\n{}", run.stderr))
    }
}

impl Trialog {
    /// Runs `trialog --db DB ARGS...` with its stdout a pipe whose reading end is already
    /// closed, as in `trialog ... | true` once `true` has exited: every write gets a broken pipe.
    pub fn run_with_closed_stdout(&self, args: &[&str]) -> Run {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("trialog finishes");
        Run {
            code: output.status.code().expect("trialog exited normally, not by a signal"),
            stdout: String::new(),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Starts `trialog --db DB ARGS...` with stdin left open and empty, as when a person has not
    /// typed yet; the caller writes to the child's stdin and waits for it.
    pub fn spawn_waiting_for_input(&self, args: &[&str]) -> std::process::Child {
        self.command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the trialog binary starts")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trialog"));
        command.arg("--db").arg(&self.db).args(args).env_remove("TRIALOG_DB");
        command
    }
}
