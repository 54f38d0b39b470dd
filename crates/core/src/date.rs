//! Calendar dates. The domain uses [`time::Date`]: a plain value with day arithmetic and ISO
//! formatting, and no clock unless asked (the domain never asks: "today" is always a parameter).

use thiserror::Error;
use time::macros::format_description;

pub use time::Date;

/// Why text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    /// Not an ISO date `YYYY-MM-DD`, or not a day of the calendar.
    #[error("{}：「{input}」不是日期（应为YYYY-MM-DD）", crate::labels::field(.field))]
    NotADate {
        /// The field that held it.
        field: String,
        /// What was given.
        input: String,
    },
}

/// Reads an ISO date (`2020-12-31`).
///
/// # Errors
/// [`DateError::NotADate`] naming `field`.
pub fn parse_date(field: &str, input: &str) -> Result<Date, DateError> {
    Date::parse(input.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| {
        DateError::NotADate {
            field: field.to_owned(),
            input: input.to_owned(),
        }
    })
}

/// The ISO form `2020-12-31`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from(b.to_julian_day()) - i64::from(a.to_julian_day())
}
