//! Helpers shared by the command-line tests: the real binary, run as a user runs it.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A path under the repository's root.
#[allow(dead_code)]
pub fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// Runs `duban ARGS…` and waits for it.
pub fn duban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(args)
        .output()
        .expect("the binary runs")
}
