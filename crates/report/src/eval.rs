//! Evaluation against gold. (stub)
