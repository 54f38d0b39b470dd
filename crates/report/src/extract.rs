//! Extract: commitments and targets. (stub)

use crate::model::{Commitment, Target};
use crate::outline::Outline;

/// What extraction found.
#[derive(Debug, Default)]
pub struct Found {
    /// Commitments of plan parts.
    pub commitments: Vec<Commitment>,
    /// Achieved figures of review parts.
    pub outcomes: Vec<Target>,
}

/// Extracts commitments and outcomes.
pub fn extract(_text: &str, _outline: &Outline) -> Found {
    Found::default()
}
