//! The JSON API. Versioned by path: `/api/v1` is [`v1`].

pub mod v1;
