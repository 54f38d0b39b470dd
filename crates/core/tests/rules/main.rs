//! Table-driven tests of the domain rules, through the public API the store and server use.

mod amount;
mod auth;
mod fulfilment;
mod notice;
mod plan;
mod progress;
mod quantity;
mod status;
mod task;
mod verdict;
mod yoy;

use duban_core::{Cmp, Date, Quantity, Target, parse_date};

/// A date from ISO text.
pub fn d(s: &str) -> Date {
    parse_date("test", s).expect("test date")
}

/// A quantity from text.
pub fn q(s: &str) -> Quantity {
    Quantity::parse("test", s).expect("test quantity")
}

/// A target with the fields the rules read.
pub fn target(indicator: &str, cmp: Cmp, value: &str, unit: &str) -> Target {
    Target {
        indicator: indicator.to_owned(),
        verb: String::new(),
        value: q(value),
        unit: unit.to_owned(),
        cmp,
        value_max: None,
        modality: None,
        source: format!("{indicator}{value}{unit}"),
        span: [0, 0],
    }
}

/// The id of the commitment the tests' tasks are about.
pub fn cid() -> duban_core::CommitmentId {
    duban_core::CommitmentKey {
        government: "苏州市".into(),
        year: 2020,
        path: vec!["1".into()],
        ordinal: 1,
    }
    .id()
}
