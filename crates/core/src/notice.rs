//! Supervision notices (督办单): the supervision office asks the lead department about a task;
//! the department answers once; the office closes the notice. States move forward only:
//! open → answered → closed (or open → closed, when the office withdraws it). Each transition is
//! a pure function that returns the new notice or says why it cannot happen.

use crate::date::Date;
use crate::ids::{DepartmentId, NoticeId, UserId};
use crate::plan::CommitmentId;
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
    /// 已办结: closed.
    Closed,
}

impl NoticeState {
    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeState::Open => "待答复",
            NoticeState::Answered => "已答复",
            NoticeState::Closed => "已办结",
        }
    }

    /// The code name (`open`, `answered`, `closed`).
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeState::Open => "open",
            NoticeState::Answered => "answered",
            NoticeState::Closed => "closed",
        }
    }
}

/// The department's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeAnswer {
    /// Who answered.
    pub by: UserId,
    /// When.
    pub on: Date,
    /// What they said.
    pub text: String,
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
    /// The answer, once given.
    pub answer: Option<NoticeAnswer>,
    /// When it was closed.
    pub closed_on: Option<Date>,
}

/// Why a notice could not be issued or moved on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    /// Empty message or answer.
    #[error("{}：内容不能为空", crate::labels::field(.field))]
    Empty {
        /// The field (`message`, `answer`).
        field: String,
    },
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
            answer: None,
            closed_on: None,
        })
    }

    /// The addressed department answers: open → answered.
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
    ) -> Result<Notice, NoticeError> {
        match self.state {
            NoticeState::Open => {}
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
        if on < self.issued_on {
            return Err(NoticeError::DateBackwards {
                on,
                previous: self.issued_on,
            });
        }
        Ok(Notice {
            state: NoticeState::Answered,
            answer: Some(NoticeAnswer {
                by,
                on,
                text: text.to_owned(),
            }),
            ..self.clone()
        })
    }

    /// The office closes the notice: open or answered → closed.
    ///
    /// # Errors
    /// [`NoticeError::Closed`] when already closed, [`NoticeError::DateBackwards`].
    pub fn close(&self, on: Date) -> Result<Notice, NoticeError> {
        if self.state == NoticeState::Closed {
            return Err(NoticeError::Closed);
        }
        let previous = self.answer.as_ref().map_or(self.issued_on, |a| a.on);
        if on < previous {
            return Err(NoticeError::DateBackwards { on, previous });
        }
        Ok(Notice {
            state: NoticeState::Closed,
            closed_on: Some(on),
            ..self.clone()
        })
    }

    /// Open and past its due date on `as_of` (for reminders, 催办).
    pub fn is_overdue(&self, as_of: Date) -> bool {
        self.state == NoticeState::Open && as_of > self.due
    }
}
