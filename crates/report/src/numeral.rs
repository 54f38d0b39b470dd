//! Numerals. (stub)
