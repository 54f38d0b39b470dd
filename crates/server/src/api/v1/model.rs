//! The API's own response and request types, converted from the store's rows and the domain's
//! values: the published API does not move when internals do. Dates are ISO text
//! (`2020-12-31`), exact quantities decimal text (`200000`, `4.5`), ids numbers or, for
//! commitments, their stable 12-hex-digit id.

use duban_core::date::{Date, format_date};
use duban_core::notice::Notice;
use duban_core::status::Status;
use duban_store::model::{
    AssignmentRow, CommitmentRow, DepartmentRow, GovernmentRow, ReportSummary, SectionRow,
    StatusCounts, TargetRow, UserRecord, WorkItem,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The serde code name of a value (`quantified`, `ge`, `green`).
pub(crate) fn code_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A government (苏州市).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Government {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its tier code (`national`, `province`, `city`, …).
    pub level: String,
    /// The tier in zh-CN.
    pub level_label: String,
    /// Its administrative division code, when known.
    pub code: Option<String>,
}

impl From<GovernmentRow> for Government {
    fn from(g: GovernmentRow) -> Self {
        Government {
            id: g.id.0,
            name: g.name,
            level: g.level.as_str().to_string(),
            level_label: g.level.label_zh().to_string(),
            code: g.code,
        }
    }
}

/// A report without its text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Report {
    /// Its id.
    pub id: i64,
    /// Its government's id.
    pub government_id: i64,
    /// Its government's name.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// Its title.
    pub title: String,
    /// SHA-256 of its clean text.
    pub checksum: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// How many commitments it holds.
    pub commitments: i64,
}

impl From<ReportSummary> for Report {
    fn from(r: ReportSummary) -> Self {
        Report {
            id: r.id.0,
            government_id: r.government_id.0,
            government: r.government,
            year: r.year,
            title: r.title,
            checksum: r.checksum,
            imported_at: r.imported_at,
            commitments: r.commitments,
        }
    }
}

/// One heading of a report; `parent` links the tree.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Section {
    /// Its id.
    pub id: i64,
    /// Its parent heading, none for a part.
    pub parent: Option<i64>,
    /// `part`, `section` or `item`.
    pub kind: String,
    /// Its ordinal within its parent.
    pub number: i64,
    /// The marker as written (`5.`).
    pub label: String,
    /// The heading text.
    pub heading: String,
    /// `plan`, `review` or `other`.
    pub role: String,
    /// Labels from the root joined by `.` (`5.二是`).
    pub path: String,
    /// Character span in the report's text.
    pub span: [i64; 2],
}

impl From<SectionRow> for Section {
    fn from(s: SectionRow) -> Self {
        Section {
            id: s.id,
            parent: s.parent,
            kind: s.kind,
            number: s.number,
            label: s.label,
            heading: s.heading,
            role: s.role,
            path: s.path,
            span: s.span,
        }
    }
}

/// A status with its colour and its reason in words.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatusInfo {
    /// `done`, `ahead`, `on_track`, `lagging`, `seriously_lagging`, `overdue`, `not_started`.
    pub code: String,
    /// The zh-CN label (已完成 …).
    pub label: String,
    /// `green`, `yellow`, `red` or `grey`.
    pub colour: String,
    /// Why, in words (进度42%，序时58%…); empty in counts.
    pub reason: String,
    /// The date it was computed for.
    pub as_of: Option<String>,
}

impl StatusInfo {
    /// A status with its reason.
    pub fn new(status: Status, reason: String, as_of: Option<String>) -> Self {
        StatusInfo {
            code: status.as_str().to_string(),
            label: status.label_zh().to_string(),
            colour: code_of(&status.colour()),
            reason,
            as_of,
        }
    }
}

/// A target of a commitment with its latest reported value.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Target {
    /// Its index among the commitment's targets (progress values name it).
    pub index: i64,
    /// What is counted (高标准农田).
    pub indicator: String,
    /// The action (新增).
    pub verb: String,
    /// The goal, exact decimal text.
    pub value: String,
    /// The upper bound of a range.
    pub value_max: Option<String>,
    /// The unit (亩).
    pub unit: String,
    /// `eq`, `ge`, `le`, `approx` or `range`.
    pub cmp: String,
    /// 确保 / 力争.
    pub modality: Option<String>,
    /// The clause it was read from.
    pub source: String,
    /// Character span of `source`.
    pub span: [i64; 2],
    /// The latest reported value.
    pub latest: Option<String>,
}

impl From<TargetRow> for Target {
    fn from(t: TargetRow) -> Self {
        Target {
            index: t.index,
            indicator: t.indicator,
            verb: t.verb,
            value: t.value.to_string(),
            value_max: t.value_max.map(|v| v.to_string()),
            unit: t.unit,
            cmp: code_of(&t.cmp),
            modality: t.modality,
            source: t.source,
            span: t.span,
            latest: t.latest.map(|v| v.to_string()),
        }
    }
}

/// A commitment with its targets and status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Commitment {
    /// Its stable id (12 hex digits).
    pub id: String,
    /// Its report.
    pub report_id: i64,
    /// Its position in the report, from 0.
    pub ordinal: i64,
    /// The deepest heading it stands under.
    pub section_id: Option<i64>,
    /// Heading labels, outermost first.
    pub path: Vec<String>,
    /// The sentence or clause.
    pub text: String,
    /// Character span in the report's text.
    pub span: [i64; 2],
    /// `quantified`, `milestone` or `qualitative`.
    pub kind: String,
    /// 确保 / 力争.
    pub modality: Option<String>,
    /// The report's deadline for it.
    pub deadline: Option<String>,
    /// Its status.
    pub status: StatusInfo,
    /// Its targets.
    pub targets: Vec<Target>,
}

impl From<CommitmentRow> for Commitment {
    fn from(c: CommitmentRow) -> Self {
        Commitment {
            id: c.uid.as_str().to_string(),
            report_id: c.report_id.0,
            ordinal: c.ordinal,
            section_id: c.section_id,
            path: c.path,
            text: c.text,
            span: c.span,
            kind: code_of(&c.kind),
            modality: c.modality,
            deadline: c.deadline.map(format_date),
            status: StatusInfo::new(c.status, c.status_reason, c.status_as_of.map(format_date)),
            targets: c.targets.into_iter().map(Target::from).collect(),
        }
    }
}

/// A department named.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Department {
    /// Its id.
    pub id: i64,
    /// Its government.
    pub government_id: i64,
    /// Its name (市发展改革委).
    pub name: String,
}

impl From<DepartmentRow> for Department {
    fn from(d: DepartmentRow) -> Self {
        Department {
            id: d.id.0,
            government_id: d.government_id.0,
            name: d.name,
        }
    }
}

/// Who does a task, by when, and whether the lead signed it off.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    /// The lead department (牵头单位).
    pub lead: Department,
    /// Supporting departments (配合单位).
    pub support: Vec<Department>,
    /// The deadline.
    pub deadline: String,
    /// Who assigned it.
    pub assigned_by: String,
    /// When (RFC 3339).
    pub assigned_at: String,
    /// The lead's sign-off (签收) date, when done.
    pub signed_off_on: Option<String>,
}

impl Assignment {
    /// The assignment with department names from `departments` (the government's).
    pub fn new(a: AssignmentRow, departments: &[DepartmentRow]) -> Self {
        let named = |id: duban_core::ids::DepartmentId| {
            departments.iter().find(|d| d.id == id).cloned().map_or(
                Department {
                    id: id.0,
                    government_id: 0,
                    name: format!("单位{id}"),
                },
                Department::from,
            )
        };
        Assignment {
            lead: named(a.lead),
            support: a.support.iter().map(|d| named(*d)).collect(),
            deadline: format_date(a.deadline),
            assigned_by: a.assigned_by,
            assigned_at: a.assigned_at,
            signed_off_on: a.signed_off.map(|(_, on)| format_date(on)),
        }
    }
}

/// A reported value for one target.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportedValue {
    /// The target's index.
    pub target: usize,
    /// The value, exact decimal text.
    pub value: String,
}

/// A file behind a progress report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    /// Its file name.
    pub name: String,
    /// SHA-256 of its content, hex.
    pub sha256: String,
}

/// Why a task lags: a code that can be counted, and free text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LagReason {
    /// `funding`, `land`, … (see `code` values of the domain).
    pub code: String,
    /// The zh-CN label (资金, 用地, 审批, 政策调整, 客观条件, 其他).
    pub label: String,
    /// Free text.
    pub text: String,
}

/// One progress report (进度填报), as filed; a correction names what it corrects.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressEntry {
    /// Its id.
    pub id: i64,
    /// The reporting department.
    pub department_id: i64,
    /// Its author.
    pub author_id: i64,
    /// The date it reports on.
    pub as_of: String,
    /// When it was filed (RFC 3339).
    pub reported_at: String,
    /// Values per target.
    pub values: Vec<ReportedValue>,
    /// The milestone stage code (前期 … as `preparation` …), when reported.
    pub stage: Option<String>,
    /// The stage in zh-CN.
    pub stage_label: Option<String>,
    /// Percent complete, when reported.
    pub percent: Option<u8>,
    /// What was done.
    pub narrative: String,
    /// Files behind it.
    pub evidence: Vec<Evidence>,
    /// Why it lags, when it does.
    pub lag_reason: Option<LagReason>,
    /// The report this one corrects.
    pub corrects: Option<i64>,
}

impl From<duban_store::model::ProgressRow> for ProgressEntry {
    fn from(row: duban_store::model::ProgressRow) -> Self {
        let p = row.report.progress;
        ProgressEntry {
            id: row.report.id.0,
            department_id: p.department.0,
            author_id: p.author.0,
            as_of: format_date(p.as_of),
            reported_at: row.reported_at,
            values: p
                .achieved
                .iter()
                .map(|a| ReportedValue {
                    target: a.target,
                    value: a.value.to_string(),
                })
                .collect(),
            stage: p.stage.map(|s| s.as_str().to_string()),
            stage_label: p.stage.map(|s| s.label_zh().to_string()),
            percent: p.percent,
            narrative: p.narrative,
            evidence: p
                .evidence
                .into_iter()
                .map(|e| Evidence {
                    name: e.name,
                    sha256: e.sha256,
                })
                .collect(),
            lag_reason: p.lag_reason.map(|r| LagReason {
                code: r.code.as_str().to_string(),
                label: r.code.label_zh().to_string(),
                text: r.text,
            }),
            corrects: p.corrects.map(|c| c.0),
        }
    }
}

/// The public verdict (兑现, 部分兑现, 未兑现, 未见报告) with its evidence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Verdict {
    /// `kept`, `partly`, `not_kept` or `not_reported`.
    pub code: String,
    /// The zh-CN label.
    pub label: String,
    /// What it rests on, one line a finding.
    pub evidence: Vec<String>,
}

/// A commitment with everything known about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommitmentDetail {
    /// The commitment.
    pub commitment: Commitment,
    /// Its report.
    pub report: Report,
    /// Who does it, when assigned.
    pub assignment: Option<Assignment>,
    /// Its progress reports, oldest first.
    pub progress: Vec<ProgressEntry>,
    /// Its public verdict once its deadline has passed; none while the work is under way.
    pub verdict: Option<Verdict>,
}

/// A page of commitments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommitmentPage {
    /// How many match in all.
    pub total: i64,
    /// How many were skipped.
    pub offset: i64,
    /// This page.
    pub items: Vec<Commitment>,
}

/// A report with its text, heading tree and commitments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportDetail {
    /// The report.
    pub report: Report,
    /// Its clean text; spans index it by character.
    pub text: String,
    /// Its headings in document order.
    pub sections: Vec<Section>,
    /// Its commitments in document order.
    pub commitments: Vec<Commitment>,
}

/// How many commitments have one status.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StatusCount {
    /// The status.
    pub status: StatusInfo,
    /// How many.
    pub count: i64,
}

/// Counts per status, most severe first, zeros left out.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Counts {
    /// How many in all.
    pub total: i64,
    /// Per status.
    pub by_status: Vec<StatusCount>,
}

impl From<StatusCounts> for Counts {
    fn from(c: StatusCounts) -> Self {
        Counts {
            total: c.total(),
            by_status: c
                .counts
                .into_iter()
                .map(|(status, count)| StatusCount {
                    status: StatusInfo::new(status, String::new(), None),
                    count,
                })
                .collect(),
        }
    }
}

/// Counts for one heading (rolled up from the headings below it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SectionCounts {
    /// The heading.
    pub section: Section,
    /// Its counts.
    pub counts: Counts,
}

/// Counts of the tasks one department leads.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DepartmentCounts {
    /// The department.
    pub department: Department,
    /// Its counts.
    pub counts: Counts,
}

/// A report's dashboard: counts in all, by heading and by lead department.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Dashboard {
    /// The report.
    pub report: Report,
    /// All its commitments.
    pub total: Counts,
    /// Per heading.
    pub by_section: Vec<SectionCounts>,
    /// Per lead department (of the report's government).
    pub by_department: Vec<DepartmentCounts>,
}

/// One line of a department's work list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Task {
    /// The commitment's id.
    pub commitment: String,
    /// Its text.
    pub text: String,
    /// Its deadline.
    pub deadline: String,
    /// Its status.
    pub status: StatusInfo,
    /// `overdue`, `lagging` or `due_soon`.
    pub reason: String,
    /// Whether the department leads it (else it supports).
    pub lead: bool,
}

impl From<WorkItem> for Task {
    fn from(w: WorkItem) -> Self {
        Task {
            commitment: w.commitment.as_str().to_string(),
            text: w.text,
            deadline: format_date(w.deadline),
            status: StatusInfo::new(w.status, w.status_reason, None),
            reason: code_of(&w.reason),
            lead: w.lead,
        }
    }
}

/// A supervision notice (督办单).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoticeInfo {
    /// Its id.
    pub id: i64,
    /// The commitment it is about.
    pub commitment: String,
    /// The department addressed.
    pub department_id: i64,
    /// Who issued it (user id).
    pub issued_by: i64,
    /// Issued on.
    pub issued_on: String,
    /// The answer is due by.
    pub due: String,
    /// What it asks.
    pub message: String,
    /// `open`, `answered`, `returned` or `closed`.
    pub state: String,
    /// The state in zh-CN.
    pub state_label: String,
    /// 超期: waiting for an answer past the due date, or answered after it (the mark stays once
    /// answered or closed).
    pub overdue: bool,
    /// The latest answer, once given.
    pub answer: Option<String>,
    /// When it was last answered.
    pub answered_on: Option<String>,
    /// Every answer, oldest first.
    pub answers: Vec<NoticeAnswerInfo>,
    /// Every return for rework, oldest first.
    pub returns: Vec<NoticeReturnInfo>,
    /// When it was closed.
    pub closed_on: Option<String>,
}

/// One answer to a notice.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoticeAnswerInfo {
    /// Who answered (user id).
    pub by: i64,
    /// When.
    pub on: String,
    /// What they said.
    pub text: String,
    /// Given after the due date.
    pub late: bool,
    /// Files attached.
    pub evidence: Vec<Evidence>,
}

/// The office returning an answer for rework (退回).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoticeReturnInfo {
    /// Who returned it (user id).
    pub by: i64,
    /// When.
    pub on: String,
    /// Why.
    pub reason: String,
}

impl NoticeInfo {
    /// The notice as the API shows it, 超期 judged on `today`.
    pub fn new(n: Notice, today: Date) -> Self {
        let answers = n
            .answers
            .iter()
            .map(|a| NoticeAnswerInfo {
                by: a.by.0,
                on: format_date(a.on),
                text: a.text.clone(),
                late: n.answer_late(a),
                evidence: a
                    .evidence
                    .iter()
                    .map(|e| Evidence {
                        name: e.name.clone(),
                        sha256: e.sha256.clone(),
                    })
                    .collect(),
            })
            .collect();
        NoticeInfo {
            id: n.id.0,
            commitment: n.commitment.as_str().to_string(),
            department_id: n.department.0,
            issued_by: n.issued_by.0,
            issued_on: format_date(n.issued_on),
            due: format_date(n.due),
            message: n.message.clone(),
            state: n.state.as_str().to_string(),
            state_label: n.state.label_zh().to_string(),
            overdue: n.is_overdue(today),
            answered_on: n.latest_answer().map(|a| format_date(a.on)),
            answer: n.latest_answer().map(|a| a.text.clone()),
            answers,
            returns: n
                .returns
                .iter()
                .map(|r| NoticeReturnInfo {
                    by: r.by.0,
                    on: format_date(r.on),
                    reason: r.reason.clone(),
                })
                .collect(),
            closed_on: n.closed_on.map(format_date),
        }
    }
}

/// A user account (never its password).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UserInfo {
    /// Its id.
    pub id: i64,
    /// The login name.
    pub login: String,
    /// The name shown.
    pub name: String,
    /// `admin`, `supervisor`, `department` or `viewer`.
    pub role: String,
    /// The role in zh-CN.
    pub role_label: String,
    /// The bound department, for a department user.
    pub department_id: Option<i64>,
    /// Whether the account is disabled.
    pub disabled: bool,
}

impl UserInfo {
    /// From the domain's user.
    pub fn of(user: &duban_core::auth::User, disabled: bool) -> Self {
        UserInfo {
            id: user.id.0,
            login: user.login.clone(),
            name: user.name.clone(),
            role: user.role.as_str().to_string(),
            role_label: user.role.label_zh().to_string(),
            department_id: user.role.department().map(|d| d.0),
            disabled,
        }
    }
}

impl From<UserRecord> for UserInfo {
    fn from(r: UserRecord) -> Self {
        UserInfo::of(&r.user, r.disabled)
    }
}

/// A personal API token (without the token itself).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApiToken {
    /// Its id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// When it was made.
    pub created_at: String,
    /// When it was revoked.
    pub revoked_at: Option<String>,
}
