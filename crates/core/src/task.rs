//! Departments and the assignment of a commitment to them (任务分解): one lead department
//! (牵头), any number of supporting departments (配合), a deadline, and the lead's sign-off (签收),
//! due within [`SIGN_OFF_DAYS`] of the assignment. The sign-off acknowledges the task; it does not
//! start a new clock: 序时 runs over the plan year whenever the department signs.

use crate::date::Date;
use crate::ids::{DepartmentId, GovernmentId, UserId};
use crate::plan::CommitmentId;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A department (单位) of a government: 市发改委, 市农业农村局, ….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// Its row id.
    pub id: DepartmentId,
    /// The government it belongs to.
    pub government: GovernmentId,
    /// Its name.
    pub name: String,
}

/// Days after the assignment within which the lead department is to sign off (签收).
pub const SIGN_OFF_DAYS: i64 = 3;

/// The lead department's acknowledgement of a newly assigned task (签收).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// Who signed, for the lead department.
    pub by: UserId,
    /// When it signed.
    pub on: Date,
}

/// A commitment assigned to departments: it becomes a task.
///
/// Invariants (kept by [`Assignment::new`]): the lead is not among the supporters, supporters are
/// distinct, and a deadline is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The commitment assigned.
    pub commitment: CommitmentId,
    /// The lead department (牵头单位), the one that reports and answers.
    pub lead: DepartmentId,
    /// Supporting departments (配合单位), in the order given.
    pub support: Vec<DepartmentId>,
    /// When the task is due.
    pub deadline: Date,
    /// The lead's sign-off, once given.
    pub signed_off: Option<SignOff>,
}

/// Why an assignment or a sign-off was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssignmentError {
    /// The lead department is also listed as supporting.
    #[error("牵头单位{lead}不能同时是配合单位")]
    LeadAlsoSupports {
        /// The department.
        lead: DepartmentId,
    },
    /// A supporting department is listed twice.
    #[error("配合单位{department}重复")]
    DuplicateSupport {
        /// The department.
        department: DepartmentId,
    },
    /// Neither the assignment nor the commitment gives a deadline.
    #[error("任务没有完成时限，请填写")]
    NoDeadline,
    /// Someone other than the lead department tried to sign off.
    #[error("只有牵头单位{lead}可以签收，{department}不能")]
    NotLead {
        /// The lead department.
        lead: DepartmentId,
        /// Who tried.
        department: DepartmentId,
    },
    /// The task was already signed off.
    #[error("任务已于{on}签收")]
    AlreadySignedOff {
        /// When it was.
        on: Date,
    },
}

impl Assignment {
    /// Assigns `commitment` to `lead` with `support`. The deadline is `deadline` when given,
    /// else the commitment's own deadline.
    ///
    /// # Errors
    /// [`AssignmentError::LeadAlsoSupports`], [`AssignmentError::DuplicateSupport`],
    /// [`AssignmentError::NoDeadline`].
    pub fn new(
        commitment: CommitmentId,
        lead: DepartmentId,
        support: Vec<DepartmentId>,
        deadline: Option<Date>,
        commitment_deadline: Option<Date>,
    ) -> Result<Assignment, AssignmentError> {
        for (i, d) in support.iter().enumerate() {
            if *d == lead {
                return Err(AssignmentError::LeadAlsoSupports { lead });
            }
            if support[..i].contains(d) {
                return Err(AssignmentError::DuplicateSupport { department: *d });
            }
        }
        let deadline = deadline
            .or(commitment_deadline)
            .ok_or(AssignmentError::NoDeadline)?;
        Ok(Assignment {
            commitment,
            lead,
            support,
            deadline,
            signed_off: None,
        })
    }

    /// The lead department signs the task off on `on`.
    ///
    /// # Errors
    /// [`AssignmentError::NotLead`] when `department` is not the lead,
    /// [`AssignmentError::AlreadySignedOff`] when signed before.
    pub fn sign_off(
        &self,
        department: DepartmentId,
        by: UserId,
        on: Date,
    ) -> Result<Assignment, AssignmentError> {
        if department != self.lead {
            return Err(AssignmentError::NotLead {
                lead: self.lead,
                department,
            });
        }
        if let Some(s) = self.signed_off {
            return Err(AssignmentError::AlreadySignedOff { on: s.on });
        }
        Ok(Assignment {
            signed_off: Some(SignOff { by, on }),
            ..self.clone()
        })
    }

    /// Whether `department` takes part, as lead or support (and so may read the task).
    pub fn involves(&self, department: DepartmentId) -> bool {
        self.lead == department || self.support.contains(&department)
    }

    /// The last day to sign off a task assigned on `assigned_on` ([`SIGN_OFF_DAYS`] later).
    pub fn sign_off_due(assigned_on: Date) -> Date {
        assigned_on
            .checked_add(time::Duration::days(SIGN_OFF_DAYS))
            .unwrap_or(assigned_on)
    }

    /// Whether the sign-off came after [`Assignment::sign_off_due`] of `assigned_on`; `false`
    /// while unsigned (see [`Assignment::sign_off_overdue`]).
    pub fn signed_late(&self, assigned_on: Date) -> bool {
        self.signed_off
            .is_some_and(|s| s.on > Assignment::sign_off_due(assigned_on))
    }

    /// Whether the task is still unsigned on `today` past its sign-off due date (超期未签收).
    pub fn sign_off_overdue(&self, assigned_on: Date, today: Date) -> bool {
        self.signed_off.is_none() && today > Assignment::sign_off_due(assigned_on)
    }
}
