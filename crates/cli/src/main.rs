//! The `duban` binary.

fn main() {}
