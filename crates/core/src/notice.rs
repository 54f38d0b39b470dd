//! Supervision notices (督办单): the supervision office asks the lead department about a task;
//! the department answers; the office closes the notice (办结) or returns it for rework (退回,
//! with a reason), after which the department answers again. Answers and returns are history:
//! each is kept, none is changed. States: open → answered → closed, answered → returned →
//! answered, and open or returned → closed when the office withdraws it. Each transition is a
//! pure function that returns the new notice or says why it cannot happen.

use crate::date::Date;
use crate::ids::{DepartmentId, NoticeId, UserId};
use crate::plan::CommitmentId;
use crate::progress::EvidenceRef;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a notice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// 待答复: issued, waiting for the department.
    Open,
    /// 已答复: answered, waiting for the office.
    Answered,
    /// 已退回: returned for rework, waiting for the department again.
    Returned,
    /// 已办结: closed.
    Closed,
}

impl NoticeState {
    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeState::Open => "待答复",
            NoticeState::Answered => "已答复",
            NoticeState::Returned => "已退回",
            NoticeState::Closed => "已办结",
        }
    }

    /// Every state, in the order a notice moves through them.
    pub const ALL: [NoticeState; 4] = [
        NoticeState::Open,
        NoticeState::Answered,
        NoticeState::Returned,
        NoticeState::Closed,
    ];

    /// The state with this code name.
    pub fn parse(code: &str) -> Option<NoticeState> {
        NoticeState::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// Waiting for the department: open, or returned for rework.
    pub fn awaits_answer(self) -> bool {
        matches!(self, NoticeState::Open | NoticeState::Returned)
    }

    /// The code name (`open`, `answered`, `returned`, `closed`).
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Open => "open",
            NoticeState::Answered => "answered",
            NoticeState::Returned => "returned",
            NoticeState::Closed => "closed",
        }
    }
}

/// One answer of the department (a notice returned for rework gets another).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeAnswer {
    /// Who answered.
    pub by: UserId,
    /// When.
    pub on: Date,
    /// What they said.
    pub text: String,
    /// The evidence files attached.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

/// The office returning an answer for rework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeReturn {
    /// Who returned it.
    pub by: UserId,
    /// When.
    pub on: Date,
    /// Why: what the department must do again.
    pub reason: String,
}

/// A supervision notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Its row id.
    pub id: NoticeId,
    /// The task it is about.
    pub commitment: CommitmentId,
    /// The department addressed: the task's lead.
    pub department: DepartmentId,
    /// Who issued it.
    pub issued_by: UserId,
    /// When.
    pub issued_on: Date,
    /// When the answer is due.
    pub due: Date,
    /// What the office asks.
    pub message: String,
    /// Where it stands.
    pub state: NoticeState,
    /// Every answer, oldest first.
    pub answers: Vec<NoticeAnswer>,
    /// Every return for rework, oldest first.
    pub returns: Vec<NoticeReturn>,
    /// When it was closed.
    pub closed_on: Option<Date>,
}

/// Why a notice could not be issued or moved on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    /// Empty message, answer or reason.
    #[error("{}：内容不能为空", crate::labels::field(.field))]
    Empty {
        /// The field (`message`, `answer`, `reason`).
        field: String,
    },
    /// Only an answered notice can be returned for rework.
    #[error("督办单尚未答复，不能退回")]
    NotAnswered,
    /// The due date is before the issue date.
    #[error("答复期限{due}早于下发日期{issued_on}")]
    DueBeforeIssue {
        /// The issue date.
        issued_on: Date,
        /// The due date.
        due: Date,
    },
    /// The notice has been answered already.
    #[error("督办单已答复，不能重复答复")]
    AlreadyAnswered,
    /// The notice is closed.
    #[error("督办单已办结")]
    Closed,
    /// The department answering is not the one addressed.
    #[error("督办单下发给单位{addressee}，单位{department}不能答复")]
    NotAddressee {
        /// The department addressed.
        addressee: DepartmentId,
        /// Who tried.
        department: DepartmentId,
    },
    /// A date earlier than the notice's last step.
    #[error("日期{on}早于督办单的上一步（{previous}）")]
    DateBackwards {
        /// The date given.
        on: Date,
        /// The last step's date.
        previous: Date,
    },
}

impl Notice {
    /// Issues a notice to the task's lead department.
    ///
    /// # Errors
    /// [`NoticeError::Empty`] for an empty message, [`NoticeError::DueBeforeIssue`].
    pub fn issue(
        id: NoticeId,
        commitment: CommitmentId,
        department: DepartmentId,
        issued_by: UserId,
        issued_on: Date,
        due: Date,
        message: &str,
    ) -> Result<Notice, NoticeError> {
        let message = message.trim();
        if message.is_empty() {
            return Err(NoticeError::Empty {
                field: "message".into(),
            });
        }
        if due < issued_on {
            return Err(NoticeError::DueBeforeIssue { issued_on, due });
        }
        Ok(Notice {
            id,
            commitment,
            department,
            issued_by,
            issued_on,
            due,
            message: message.to_owned(),
            state: NoticeState::Open,
            answers: Vec::new(),
            returns: Vec::new(),
            closed_on: None,
        })
    }

    /// The latest answer, if any.
    pub fn latest_answer(&self) -> Option<&NoticeAnswer> {
        self.answers.last()
    }

    /// The latest return for rework, if any.
    pub fn latest_return(&self) -> Option<&NoticeReturn> {
        self.returns.last()
    }

    /// The date of the notice's last step (issue, answer or return).
    pub fn last_step_on(&self) -> Date {
        let answered = self.answers.last().map(|a| a.on);
        let returned = self.returns.last().map(|r| r.on);
        [Some(self.issued_on), answered, returned]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.issued_on)
    }

    /// The addressed department answers: open or returned → answered. A new answer after a
    /// return is added to the history; the earlier ones stay as they were.
    ///
    /// # Errors
    /// [`NoticeError::AlreadyAnswered`], [`NoticeError::Closed`], [`NoticeError::NotAddressee`],
    /// [`NoticeError::Empty`], [`NoticeError::DateBackwards`].
    pub fn answer(
        &self,
        department: DepartmentId,
        by: UserId,
        on: Date,
        text: &str,
        evidence: Vec<EvidenceRef>,
    ) -> Result<Notice, NoticeError> {
        match self.state {
            NoticeState::Open | NoticeState::Returned => {}
            NoticeState::Answered => return Err(NoticeError::AlreadyAnswered),
            NoticeState::Closed => return Err(NoticeError::Closed),
        }
        if department != self.department {
            return Err(NoticeError::NotAddressee {
                addressee: self.department,
                department,
            });
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(NoticeError::Empty {
                field: "answer".into(),
            });
        }
        let previous = self.last_step_on();
        if on < previous {
            return Err(NoticeError::DateBackwards { on, previous });
        }
        let mut answers = self.answers.clone();
        answers.push(NoticeAnswer {
            by,
            on,
            text: text.to_owned(),
            evidence,
        });
        Ok(Notice {
            state: NoticeState::Answered,
            answers,
            ..self.clone()
        })
    }

    /// The office returns the answer for rework (退回): answered → returned, with a reason.
    ///
    /// # Errors
    /// [`NoticeError::NotAnswered`] unless answered, [`NoticeError::Closed`],
    /// [`NoticeError::Empty`] for an empty reason, [`NoticeError::DateBackwards`].
    pub fn return_for_rework(
        &self,
        by: UserId,
        on: Date,
        reason: &str,
    ) -> Result<Notice, NoticeError> {
        match self.state {
            NoticeState::Answered => {}
            NoticeState::Closed => return Err(NoticeError::Closed),
            NoticeState::Open | NoticeState::Returned => return Err(NoticeError::NotAnswered),
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(NoticeError::Empty {
                field: "reason".into(),
            });
        }
        let previous = self.last_step_on();
        if on < previous {
            return Err(NoticeError::DateBackwards { on, previous });
        }
        let mut returns = self.returns.clone();
        returns.push(NoticeReturn {
            by,
            on,
            reason: reason.to_owned(),
        });
        Ok(Notice {
            state: NoticeState::Returned,
            returns,
            ..self.clone()
        })
    }

    /// The office closes the notice (办结): answered → closed, or open/returned → closed when
    /// it withdraws the notice.
    ///
    /// # Errors
    /// [`NoticeError::Closed`] when already closed, [`NoticeError::DateBackwards`].
    pub fn close(&self, on: Date) -> Result<Notice, NoticeError> {
        if self.state == NoticeState::Closed {
            return Err(NoticeError::Closed);
        }
        let previous = self.last_step_on();
        if on < previous {
            return Err(NoticeError::DateBackwards { on, previous });
        }
        Ok(Notice {
            state: NoticeState::Closed,
            closed_on: Some(on),
            ..self.clone()
        })
    }

    /// Whether this answer came after the notice's due date.
    pub fn answer_late(&self, answer: &NoticeAnswer) -> bool {
        answer.on > self.due
    }

    /// 超期 on `as_of`: waiting for an answer past its due date, or answered after it. The mark
    /// stays once answered or closed: an answer given late is late for good. A notice withdrawn
    /// without an answer is late when it was withdrawn after its due date.
    pub fn is_overdue(&self, as_of: Date) -> bool {
        if self.answers.iter().any(|a| self.answer_late(a)) {
            return true;
        }
        match self.state {
            NoticeState::Open | NoticeState::Returned => as_of > self.due,
            NoticeState::Answered => false,
            NoticeState::Closed => {
                self.answers.is_empty() && self.closed_on.is_some_and(|d| d > self.due)
            }
        }
    }

    /// Not closed (未办结): open, answered or returned.
    pub fn is_unfinished(&self) -> bool {
        self.state != NoticeState::Closed
    }
}
