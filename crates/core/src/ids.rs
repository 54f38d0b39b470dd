//! Typed row ids, so a department id can never be passed where a user id is meant.
//!
//! The store assigns the numbers; the domain only carries them. Commitments are different: their
//! id is derived from where they stand in a report (see [`crate::plan::CommitmentKey`]), so it
//! survives re-imports.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// A government (国务院, 江苏省, 苏州市, …).
    GovernmentId
);
row_id!(
    /// One government work report (政府工作报告) of one year.
    ReportId
);
row_id!(
    /// A department (单位) of a government.
    DepartmentId
);
row_id!(
    /// A user account.
    UserId
);
row_id!(
    /// One progress report (进度填报); also what a correction names in `corrects`.
    ProgressId
);
row_id!(
    /// One supervision notice (督办单).
    NoticeId
);
