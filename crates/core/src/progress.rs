//! Progress reports (进度填报): what a lead department says it has achieved, as of a date.
//!
//! The history is append-only. A correction is a new report that names the one it corrects in
//! `corrects`; nothing is ever edited in place. [`effective`] and [`latest_effective`] read the
//! history as it stood on a date, with corrections applied. [`validate`] turns a department's
//! draft into a [`Progress`] or says, naming the field, why it cannot be taken.

use crate::date::Date;
use crate::ids::{DepartmentId, ProgressId, UserId};
use crate::plan::{Commitment, CommitmentId};
use crate::quantity::{Quantity, QuantityError};
use crate::task::Assignment;
use duban_report::model::CommitmentKind;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The stage a named project (a milestone, 节点) has reached, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 前期: planning, approvals, land.
    Preparation,
    /// 开工: construction started.
    Started,
    /// 建设中: under construction.
    Building,
    /// 完工: construction finished.
    Completed,
    /// 投用: in use.
    InUse,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Preparation,
        Stage::Started,
        Stage::Building,
        Stage::Completed,
        Stage::InUse,
    ];

    /// The zh-CN label (前期, 开工, 建设中, 完工, 投用).
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Preparation => "前期",
            Stage::Started => "开工",
            Stage::Building => "建设中",
            Stage::Completed => "完工",
            Stage::InUse => "投用",
        }
    }

    /// The code name (`preparation`, `started`, …) for the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Preparation => "preparation",
            Stage::Started => "started",
            Stage::Building => "building",
            Stage::Completed => "completed",
            Stage::InUse => "in_use",
        }
    }

    /// Reads a code name or a zh-CN label.
    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.trim();
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == s || st.label_zh() == s)
    }
}

/// Why a task lags, counted by department in the supervisor's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// 资金: funding.
    Funding,
    /// 用地: land.
    Land,
    /// 审批: approvals.
    Approval,
    /// 政策调整: a change of policy.
    PolicyChange,
    /// 客观条件: weather, epidemic and other conditions.
    Conditions,
    /// 其他: anything else.
    Other,
}

impl ReasonCode {
    /// Every code, in display order.
    pub const ALL: [ReasonCode; 6] = [
        ReasonCode::Funding,
        ReasonCode::Land,
        ReasonCode::Approval,
        ReasonCode::PolicyChange,
        ReasonCode::Conditions,
        ReasonCode::Other,
    ];

    /// The zh-CN label (资金, 用地, 审批, 政策调整, 客观条件, 其他).
    pub fn label_zh(self) -> &'static str {
        match self {
            ReasonCode::Funding => "资金",
            ReasonCode::Land => "用地",
            ReasonCode::Approval => "审批",
            ReasonCode::PolicyChange => "政策调整",
            ReasonCode::Conditions => "客观条件",
            ReasonCode::Other => "其他",
        }
    }

    /// The code name (`funding`, `land`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::Funding => "funding",
            ReasonCode::Land => "land",
            ReasonCode::Approval => "approval",
            ReasonCode::PolicyChange => "policy_change",
            ReasonCode::Conditions => "conditions",
            ReasonCode::Other => "other",
        }
    }

    /// Reads a code name or a zh-CN label.
    pub fn parse(s: &str) -> Option<ReasonCode> {
        let s = s.trim();
        ReasonCode::ALL
            .into_iter()
            .find(|c| c.as_str() == s || c.label_zh() == s)
    }
}

/// The reason a department gives for lagging: a code to count and words to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LagReason {
    /// The code.
    pub code: ReasonCode,
    /// Free text.
    pub text: String,
}

/// A file offered as evidence, by reference: the store keeps the bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// The file name as uploaded.
    pub name: String,
    /// SHA-256 hex of its bytes.
    pub sha256: String,
}

/// An achieved value for one target of the commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achieved {
    /// Index into the commitment's `targets`.
    pub target: usize,
    /// The value achieved so far, cumulative over the plan period, in the target's unit.
    pub value: Quantity,
}

/// What one progress report says, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The commitment reported on.
    pub commitment: CommitmentId,
    /// The reporting (lead) department.
    pub department: DepartmentId,
    /// Who wrote it.
    pub author: UserId,
    /// The date the figures describe.
    pub as_of: Date,
    /// Values per target (quantified commitments).
    pub achieved: Vec<Achieved>,
    /// The stage reached (milestones).
    pub stage: Option<Stage>,
    /// Self-assessed share done, 0 to 100 (qualitative commitments; optional elsewhere).
    pub percent: Option<u8>,
    /// What was done.
    pub narrative: String,
    /// Files offered as evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Why it lags, where it does.
    pub lag_reason: Option<LagReason>,
    /// The earlier report this one corrects.
    pub corrects: Option<ProgressId>,
}

/// A stored progress report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// Its row id; later reports have larger ids.
    pub id: ProgressId,
    /// What it says.
    #[serde(flatten)]
    pub progress: Progress,
}

/// One value as a department typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftValue {
    /// Index into the commitment's `targets`.
    pub target: usize,
    /// The text typed ("42", "4.5", "1.3万").
    pub input: String,
    /// The unit the form or spreadsheet names, when it names one.
    pub unit: Option<String>,
}

/// A progress report as submitted, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgressDraft {
    /// The date the figures describe.
    pub as_of: Option<Date>,
    /// Values per target.
    pub values: Vec<DraftValue>,
    /// The stage reached.
    pub stage: Option<Stage>,
    /// Self-assessed share done.
    pub percent: Option<u32>,
    /// What was done.
    pub narrative: String,
    /// Files offered as evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Why it lags.
    pub lag_reason: Option<LagReason>,
    /// The report it corrects.
    pub corrects: Option<ProgressId>,
}

/// Why a progress report was refused. Each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProgressError {
    /// The writer's department does not lead this task.
    #[error("单位{department}不是该任务的牵头单位（{lead}），不能填报")]
    NotOwnTask {
        /// The writer's department.
        department: DepartmentId,
        /// The task's lead.
        lead: DepartmentId,
    },
    /// No as-of date.
    #[error("{}：请填写进度截至日期", crate::labels::field(.field))]
    MissingDate {
        /// The field (`as_of`).
        field: String,
    },
    /// The as-of date is after the day of submission.
    #[error("{}：截至日期{as_of}晚于今天{today}", crate::labels::field(.field))]
    DateInFuture {
        /// The field (`as_of`).
        field: String,
        /// What was given.
        as_of: Date,
        /// The day of submission.
        today: Date,
    },
    /// The as-of date is before the plan year began (the plan did not exist then).
    #[error("{}：截至日期{as_of}早于计划年度 {year} 年", crate::labels::field(.field))]
    DateBeforePlan {
        /// The field (`as_of`).
        field: String,
        /// What was given.
        as_of: Date,
        /// The plan year.
        year: i32,
    },
    /// A value names a target the commitment does not have.
    #[error("{}：任务没有第{index}项指标", crate::labels::field(.field))]
    UnknownTarget {
        /// The field (`values[N]`).
        field: String,
        /// The index given.
        index: usize,
    },
    /// Two values for the same target.
    #[error("{}：同一指标填报了两次", crate::labels::field(.field))]
    DuplicateValue {
        /// The field of the second one.
        field: String,
    },
    /// A value is not a number.
    #[error(transparent)]
    Value(#[from] QuantityError),
    /// A value in another unit than its target's.
    #[error("{}：单位应为「{expected}」，填报的是「{got}」", crate::labels::field(.field))]
    UnitMismatch {
        /// The field (`values[N]`).
        field: String,
        /// The target's unit.
        expected: String,
        /// The unit given.
        got: String,
    },
    /// A stage for a commitment that is measured by values, not stages.
    #[error("{}：该任务按指标数值填报，不填形象进度节点", crate::labels::field(.field))]
    StageForQuantifiedTarget {
        /// The field (`stage`).
        field: String,
    },
    /// A percent outside 0..=100.
    #[error("{}：完成比例{value}应在0到100之间", crate::labels::field(.field))]
    PercentOutOfRange {
        /// The field (`percent`).
        field: String,
        /// What was given.
        value: u32,
    },
    /// Nothing reported: no value, stage, percent or narrative.
    #[error("{}：请至少填写一项进展", crate::labels::field(.field))]
    Empty {
        /// The field (`narrative`).
        field: String,
    },
    /// The report leaves the task lagging, seriously lagging or overdue and gives no reason code
    /// (the design: a task that lags carries its reason).
    #[error("{}：保存后状态为「{status}」，请选择滞后原因并说明", crate::labels::field(.field))]
    ReasonRequired {
        /// The field (`reason_code`).
        field: String,
        /// The status the report would produce, in words (欠进度).
        status: String,
    },
    /// `corrects` names a report that is not in this task's history.
    #[error("{}：要更正的填报{id}不属于该任务", crate::labels::field(.field))]
    CorrectsUnknown {
        /// The field (`corrects`).
        field: String,
        /// The id given.
        id: ProgressId,
    },
    /// `corrects` names a report that was already corrected: correct the correction instead.
    #[error("{}：填报{id}已被{by}更正，请更正最新的一条", crate::labels::field(.field))]
    AlreadyCorrected {
        /// The field (`corrects`).
        field: String,
        /// The id given.
        id: ProgressId,
        /// The report that corrected it.
        by: ProgressId,
    },
}

/// Checks a draft against its task and history, and returns what will be stored.
///
/// `department` is the writer's department (the server has checked the role with
/// [`crate::auth::authorize`]); `today` is the day of submission, given by the caller.
///
/// # Errors
/// The first [`ProgressError`] found, naming its field.
pub fn validate(
    draft: &ProgressDraft,
    commitment: &Commitment,
    assignment: &Assignment,
    history: &[ProgressReport],
    department: DepartmentId,
    author: UserId,
    today: Date,
) -> Result<Progress, ProgressError> {
    if department != assignment.lead {
        return Err(ProgressError::NotOwnTask {
            department,
            lead: assignment.lead,
        });
    }
    let as_of = draft.as_of.ok_or_else(|| ProgressError::MissingDate {
        field: "as_of".into(),
    })?;
    if as_of > today {
        return Err(ProgressError::DateInFuture {
            field: "as_of".into(),
            as_of,
            today,
        });
    }
    if as_of.year() < commitment.key.year {
        return Err(ProgressError::DateBeforePlan {
            field: "as_of".into(),
            as_of,
            year: commitment.key.year,
        });
    }
    let mut achieved: Vec<Achieved> = Vec::with_capacity(draft.values.len());
    for (i, v) in draft.values.iter().enumerate() {
        let field = format!("values[{i}]");
        let Some(target) = commitment.targets.get(v.target) else {
            return Err(ProgressError::UnknownTarget {
                field,
                index: v.target,
            });
        };
        if achieved.iter().any(|a| a.target == v.target) {
            return Err(ProgressError::DuplicateValue { field });
        }
        if let Some(unit) = &v.unit
            && !same_unit(unit, &target.unit)
        {
            return Err(ProgressError::UnitMismatch {
                field,
                expected: target.unit.clone(),
                got: unit.clone(),
            });
        }
        let value = Quantity::parse(&field, &v.input)?;
        achieved.push(Achieved {
            target: v.target,
            value,
        });
    }
    if draft.stage.is_some()
        && (!commitment.targets.is_empty() || commitment.kind == CommitmentKind::Quantified)
    {
        return Err(ProgressError::StageForQuantifiedTarget {
            field: "stage".into(),
        });
    }
    let percent = match draft.percent {
        None => None,
        Some(p) => Some(u8::try_from(p).ok().filter(|p| *p <= 100).ok_or(
            ProgressError::PercentOutOfRange {
                field: "percent".into(),
                value: p,
            },
        )?),
    };
    if achieved.is_empty()
        && draft.stage.is_none()
        && percent.is_none()
        && draft.narrative.trim().is_empty()
    {
        return Err(ProgressError::Empty {
            field: "narrative".into(),
        });
    }
    if let Some(id) = draft.corrects {
        let field = || "corrects".to_owned();
        let mine = |r: &&ProgressReport| r.progress.commitment == commitment.id;
        if !history.iter().filter(mine).any(|r| r.id == id) {
            return Err(ProgressError::CorrectsUnknown { field: field(), id });
        }
        if let Some(by) = history
            .iter()
            .filter(mine)
            .find(|r| r.progress.corrects == Some(id))
        {
            return Err(ProgressError::AlreadyCorrected {
                field: field(),
                id,
                by: by.id,
            });
        }
    }
    Ok(Progress {
        commitment: commitment.id.clone(),
        department,
        author,
        as_of,
        achieved,
        stage: draft.stage,
        percent,
        narrative: draft.narrative.trim().to_owned(),
        evidence: draft.evidence.clone(),
        lag_reason: draft.lag_reason.clone(),
        corrects: draft.corrects,
    })
}

/// Units compare equal ignoring surrounding space and the width of `%`.
fn same_unit(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().replace('％', "%");
    norm(a) == norm(b)
}

/// The history as it stood on `as_of`: reports dated after it are left out, and every report
/// corrected by a remaining one is replaced by its correction. Ordered by as-of date, then id.
pub fn effective(history: &[ProgressReport], as_of: Date) -> Vec<&ProgressReport> {
    let visible: Vec<&ProgressReport> = history
        .iter()
        .filter(|r| r.progress.as_of <= as_of)
        .collect();
    let mut out: Vec<&ProgressReport> = visible
        .iter()
        .copied()
        .filter(|r| !visible.iter().any(|c| c.progress.corrects == Some(r.id)))
        .collect();
    out.sort_by_key(|r| (r.progress.as_of, r.id));
    out
}

/// The last effective report on `as_of`, if any.
pub fn latest_effective(history: &[ProgressReport], as_of: Date) -> Option<&ProgressReport> {
    effective(history, as_of).pop()
}
