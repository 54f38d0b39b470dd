//! The parts of supporting departments (配合单位): each reports its own share of a task it
//! supports, as a short note with an optional figure. Parts are history, appended and never
//! changed; the lead department reads them when it reports the task's progress.

use crate::date::Date;
use crate::ids::{DepartmentId, UserId};
use crate::quantity::{Quantity, QuantityError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The longest note, in characters.
pub const MAX_NOTE: usize = 1000;
/// The longest unit of a figure, in characters.
pub const MAX_UNIT: usize = 20;

/// One supporting department's part of a task, as reported once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPart {
    /// The supporting department.
    pub department: DepartmentId,
    /// Who reported it.
    pub by: UserId,
    /// When.
    pub on: Date,
    /// What the department did.
    pub note: String,
    /// A figure of its share, if any (`3.5`).
    pub figure: Option<Quantity>,
    /// The figure's unit (`万亩`), empty without one.
    pub unit: String,
}

/// Why a part was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SupportError {
    /// The department does not support this task.
    #[error("本单位不是该任务的配合单位，不能填报配合情况")]
    NotSupporter {
        /// Who tried.
        department: DepartmentId,
    },
    /// The note is blank.
    #[error("请填写「配合情况」")]
    EmptyNote,
    /// The note or unit is too long.
    #[error("「{label}」最多 {max} 个字")]
    TooLong {
        /// The field's label.
        label: &'static str,
        /// The limit.
        max: usize,
    },
    /// The figure is not a number.
    #[error(transparent)]
    Figure(#[from] QuantityError),
    /// A unit without a figure.
    #[error("填写了「单位」但没有填写「数值」")]
    UnitWithoutFigure,
}

impl SupportPart {
    /// Checks a part reported by `department` on a task supported by `supporters`.
    ///
    /// # Errors
    /// [`SupportError::NotSupporter`] unless `department` is among `supporters`; the others for
    /// a blank or long note, a figure that is not a number, a unit without a figure.
    pub fn new(
        supporters: &[DepartmentId],
        department: DepartmentId,
        by: UserId,
        on: Date,
        note: &str,
        figure: &str,
        unit: &str,
    ) -> Result<SupportPart, SupportError> {
        if !supporters.contains(&department) {
            return Err(SupportError::NotSupporter { department });
        }
        let note = note.trim();
        if note.is_empty() {
            return Err(SupportError::EmptyNote);
        }
        if note.chars().count() > MAX_NOTE {
            return Err(SupportError::TooLong {
                label: "配合情况",
                max: MAX_NOTE,
            });
        }
        let (figure, unit) = (figure.trim(), unit.trim());
        if unit.chars().count() > MAX_UNIT {
            return Err(SupportError::TooLong {
                label: "单位",
                max: MAX_UNIT,
            });
        }
        let figure = match figure {
            "" if !unit.is_empty() => return Err(SupportError::UnitWithoutFigure),
            "" => None,
            text => Some(Quantity::parse("figure", text)?),
        };
        Ok(SupportPart {
            department,
            by,
            on,
            note: note.to_owned(),
            figure,
            unit: unit.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        crate::date::parse_date("on", "2020-08-01").expect("date")
    }

    #[test]
    fn only_a_supporter_reports_a_checked_part() {
        let supporters = [DepartmentId(4), DepartmentId(5)];
        let ok = SupportPart::new(
            &supporters,
            DepartmentId(4),
            UserId(9),
            day(),
            " 已完成 ",
            "3.5",
            "万亩",
        )
        .expect("part");
        assert_eq!(
            (
                ok.note.as_str(),
                ok.figure.map(|q| q.to_string()),
                ok.unit.as_str()
            ),
            ("已完成", Some("3.5".to_string()), "万亩")
        );
        let cases = [
            (
                DepartmentId(3),
                "做了",
                "",
                "",
                SupportError::NotSupporter {
                    department: DepartmentId(3),
                },
            ),
            (DepartmentId(4), " ", "", "", SupportError::EmptyNote),
            (
                DepartmentId(4),
                "做了",
                "",
                "亩",
                SupportError::UnitWithoutFigure,
            ),
        ];
        for (department, note, figure, unit, expected) in cases {
            assert_eq!(
                SupportPart::new(
                    &supporters,
                    department,
                    UserId(9),
                    day(),
                    note,
                    figure,
                    unit
                ),
                Err(expected)
            );
        }
        assert!(matches!(
            SupportPart::new(
                &supporters,
                DepartmentId(4),
                UserId(9),
                day(),
                "做了",
                "很多",
                ""
            ),
            Err(SupportError::Figure(_))
        ));
        let long = "字".repeat(MAX_NOTE + 1);
        assert!(matches!(
            SupportPart::new(
                &supporters,
                DepartmentId(4),
                UserId(9),
                day(),
                &long,
                "",
                ""
            ),
            Err(SupportError::TooLong { .. })
        ));
    }
}
