//! Exact quantities: a decimal with four places, held as a scaled integer.
//!
//! Stored values are never floating point: a target of 13万人 must come back as exactly 130000,
//! and a progress value of 4.5 must compare equal to the 4.5 a department typed. Four decimal
//! places cover every figure in the reports (percentages are written with at most two); the
//! engine's `f64` is rounded once, at the edge, by [`Quantity::from_f64`].

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Ten to the number of decimal places.
const SCALE: i64 = 10_000;

/// An exact decimal with four places, e.g. `4.5`, `130000`, `-0.25`.
///
/// Invariant: the value is `scaled / 10_000`. Displays without trailing zeros and serializes as
/// decimal text (`"4.5"`), so JSON and databases carry it exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

/// Why text or a float could not become a [`Quantity`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    /// The input is not a decimal number.
    #[error("{}：「{input}」不是数字", crate::labels::field(.field))]
    NotANumber {
        /// The field that held it (`value`, a spreadsheet column, a form field).
        field: String,
        /// What was given.
        input: String,
    },
    /// The number is too large to hold exactly.
    #[error("{}：「{input}」超出可表示的范围", crate::labels::field(.field))]
    OutOfRange {
        /// The field that held it.
        field: String,
        /// What was given.
        input: String,
    },
}

impl Quantity {
    /// Zero.
    pub const ZERO: Quantity = Quantity(0);

    /// The quantity whose value is `scaled / 10_000`: the form the store keeps.
    pub const fn from_scaled(scaled: i64) -> Self {
        Quantity(scaled)
    }

    /// The value times 10 000, as the store keeps it.
    pub const fn scaled(self) -> i64 {
        self.0
    }

    /// A whole number; `None` when it is too large to hold.
    pub fn from_int(n: i64) -> Option<Self> {
        n.checked_mul(SCALE).map(Quantity)
    }

    /// Rounds a float to four places, half away from zero; `None` for NaN, infinities and values
    /// too large to hold. This is the one place where the engine's `f64` enters the domain.
    pub fn from_f64(x: f64) -> Option<Self> {
        if !x.is_finite() {
            return None;
        }
        let scaled = (x * SCALE as f64).round();
        // `as` saturates, so check the range before converting.
        if scaled.abs() >= i64::MAX as f64 {
            return None;
        }
        Some(Quantity(scaled as i64))
    }

    /// An approximation for charts and logs; never store it.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// Reads user text: an optional sign, digits (ASCII or full-width), an optional decimal
    /// point, an optional multiplier 万 / 亿 / 万亿, and an optional trailing `%` that is ignored
    /// (the unit is the target's). Thousands separators (`1,234`) and surrounding spaces are
    /// allowed. More than four decimal places are rounded half away from zero.
    ///
    /// # Errors
    /// [`QuantityError::NotANumber`] for anything else, [`QuantityError::OutOfRange`] for values
    /// beyond about ±9.2 × 10¹⁴; both name `field`.
    pub fn parse(field: &str, input: &str) -> Result<Self, QuantityError> {
        let not_a_number = || QuantityError::NotANumber {
            field: field.to_owned(),
            input: input.to_owned(),
        };
        let out_of_range = || QuantityError::OutOfRange {
            field: field.to_owned(),
            input: input.to_owned(),
        };
        let mut chars: Vec<char> = input
            .trim()
            .chars()
            .map(fold_width)
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        if matches!(chars.last(), Some('%')) {
            chars.pop();
        }
        let mut multiplier: i128 = 1;
        while let Some(&last) = chars.last() {
            let m = match last {
                '万' => 10_000,
                '亿' => 100_000_000,
                _ => break,
            };
            multiplier = multiplier.checked_mul(m).ok_or_else(out_of_range)?;
            chars.pop();
            if multiplier > 1_000_000_000_000 {
                return Err(not_a_number());
            }
        }
        let mut rest = chars.as_slice();
        let negative = match rest.first() {
            Some('-') => {
                rest = &rest[1..];
                true
            }
            Some('+') => {
                rest = &rest[1..];
                false
            }
            _ => false,
        };
        let mut mantissa: i128 = 0;
        let mut frac_len: u32 = 0;
        let mut digits = 0usize;
        let mut seen_point = false;
        for &c in rest {
            match c {
                '0'..='9' => {
                    digits += 1;
                    if digits > 30 {
                        return Err(out_of_range());
                    }
                    mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
                    if seen_point {
                        frac_len += 1;
                    }
                }
                '.' if !seen_point => seen_point = true,
                _ => return Err(not_a_number()),
            }
        }
        if digits == 0 {
            return Err(not_a_number());
        }
        let numerator = mantissa * i128::from(SCALE) * multiplier;
        let scaled = div_round(numerator, 10i128.pow(frac_len));
        let scaled = if negative { -scaled } else { scaled };
        i64::try_from(scaled)
            .map(Quantity)
            .map_err(|_| out_of_range())
    }

    /// `self` as a whole percentage of `whole`, rounded half away from zero; `None` when `whole`
    /// is zero.
    pub fn percent_of(self, whole: Quantity) -> Option<i64> {
        if whole.0 == 0 {
            return None;
        }
        let r = div_round(i128::from(self.0) * 100, i128::from(whole.0));
        Some(i64::try_from(r).unwrap_or(if r > 0 { i64::MAX } else { i64::MIN }))
    }

    /// The sum, or `None` on overflow.
    pub fn checked_add(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_add(other.0).map(Quantity)
    }

    /// The difference, or `None` on overflow.
    pub fn checked_sub(self, other: Quantity) -> Option<Quantity> {
        self.0.checked_sub(other.0).map(Quantity)
    }

    /// The absolute value (saturating at the largest quantity).
    pub fn abs(self) -> Quantity {
        Quantity(self.0.saturating_abs())
    }

    /// `self × percent / 100`, rounded to four places.
    pub fn percent(self, percent: i64) -> Quantity {
        let r = div_round(i128::from(self.0) * i128::from(percent), 100);
        Quantity(i64::try_from(r).unwrap_or(if r > 0 { i64::MAX } else { i64::MIN }))
    }
}

/// Integer division rounding half away from zero; `d` must not be zero.
fn div_round(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    if n >= 0 {
        (n + d / 2) / d
    } else {
        -((-n + d / 2) / d)
    }
}

/// Full-width digits, point, sign and percent to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        '－' | '−' => '-',
        '＋' => '+',
        '％' => '%',
        _ => c,
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u64;
        let frac = abs % SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;

    /// [`Quantity::parse`] with the field named `value`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse("value", s)
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number as text or a number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Quantity::parse("value", v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Quantity::from_int(v).ok_or_else(|| E::custom("number out of range"))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(Quantity::from_int)
                    .ok_or_else(|| E::custom("number out of range"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                Quantity::from_f64(v).ok_or_else(|| E::custom("number out of range"))
            }
        }
        d.deserialize_any(Visitor)
    }
}
