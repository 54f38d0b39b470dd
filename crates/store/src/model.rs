//! What the store hands back: rows as the domain names them, with [`duban_core`] types for ids,
//! quantities, dates and statuses. The server converts these into its own response types.

use duban_core::auth::User;
use duban_core::date::Date;
use duban_core::ids::{DepartmentId, GovernmentId, ReportId, UserId};
use duban_core::plan::{CommitmentId, Level};
use duban_core::progress::ProgressReport;
use duban_core::quantity::Quantity;
use duban_core::status::Status;
use duban_report::model::{Cmp, CommitmentKind};
use serde::Serialize;

/// A government as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GovernmentRow {
    /// Its id.
    pub id: GovernmentId,
    /// Its name (苏州市).
    pub name: String,
    /// Its tier.
    pub level: Level,
    /// Its administrative division code, when known.
    pub code: Option<String>,
}

/// A report without its text: what lists show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    /// Its id.
    pub id: ReportId,
    /// Its government.
    pub government_id: GovernmentId,
    /// The government's name.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// Its title.
    pub title: String,
    /// SHA-256 of the clean text.
    pub checksum: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// How many commitments it holds.
    pub commitments: i64,
}

/// One heading of a stored report, flat: `parent` links the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionRow {
    /// Its row id.
    pub id: i64,
    /// Its parent heading, `None` for a part.
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
    /// The labels from the root without punctuation, joined by `.` (`5.二是`).
    pub path: String,
    /// Character span in the clean text.
    pub span: [i64; 2],
}

/// A stored target with its latest reported value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetRow {
    /// Its row id.
    pub id: i64,
    /// Its index among the commitment's targets (what progress values name).
    pub index: i64,
    /// What is counted.
    pub indicator: String,
    /// The action.
    pub verb: String,
    /// The goal, exact.
    pub value: Quantity,
    /// The upper bound of a range.
    pub value_max: Option<Quantity>,
    /// The unit.
    pub unit: String,
    /// How the value bounds the goal.
    pub cmp: Cmp,
    /// 确保 / 力争.
    pub modality: Option<String>,
    /// The clause it was read from.
    pub source: String,
    /// Character span of `source`.
    pub span: [i64; 2],
    /// The latest reported value (the newest report naming it, corrections applied by order).
    pub latest: Option<Quantity>,
}

impl TargetRow {
    /// The domain's target (without the latest value): what the rules and the datasets read.
    pub fn target(&self) -> duban_core::plan::Target {
        duban_core::plan::Target {
            indicator: self.indicator.clone(),
            verb: self.verb.clone(),
            value: self.value,
            unit: self.unit.clone(),
            cmp: self.cmp,
            value_max: self.value_max,
            modality: self.modality.clone(),
            source: self.source.clone(),
            span: [to_offset(self.span[0]), to_offset(self.span[1])],
        }
    }
}

/// A stored character offset (never negative) as an index.
fn to_offset(at: i64) -> usize {
    usize::try_from(at).unwrap_or(0)
}

/// A stored commitment with its targets, assignment and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitmentRow {
    /// Its stable id.
    pub uid: CommitmentId,
    /// The report it belongs to.
    pub report_id: ReportId,
    /// Its position in the report, from 0.
    pub ordinal: i64,
    /// The deepest heading it stands under.
    pub section_id: Option<i64>,
    /// Heading labels, outermost first.
    pub path: Vec<String>,
    /// The sentence or clause.
    pub text: String,
    /// Character span of `text`.
    pub span: [i64; 2],
    /// Quantified, milestone or qualitative.
    pub kind: CommitmentKind,
    /// 确保 / 力争.
    pub modality: Option<String>,
    /// The report's deadline for it.
    pub deadline: Option<Date>,
    /// The status last computed.
    pub status: Status,
    /// Its reason in words.
    pub status_reason: String,
    /// The date the status was computed for.
    pub status_as_of: Option<Date>,
    /// Its ordinal among the commitments under the same heading path, from 1: the last part of
    /// its key (`苏州市/2020/5.二是/3`).
    pub path_ordinal: i64,
    /// Its targets.
    pub targets: Vec<TargetRow>,
}

/// A report with its text, heading tree and commitments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDetail {
    /// The report.
    pub summary: ReportSummary,
    /// Its clean text (spans index into it by character).
    pub text: String,
    /// Its headings in document order.
    pub sections: Vec<SectionRow>,
    /// Its commitments in document order.
    pub commitments: Vec<CommitmentRow>,
}

/// A department as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentRow {
    /// Its id.
    pub id: DepartmentId,
    /// Its government.
    pub government_id: GovernmentId,
    /// Its name.
    pub name: String,
}

/// An assignment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    /// The commitment assigned.
    pub commitment: CommitmentId,
    /// The lead department.
    pub lead: DepartmentId,
    /// Supporting departments.
    pub support: Vec<DepartmentId>,
    /// The deadline.
    pub deadline: Date,
    /// Who assigned it.
    pub assigned_by: String,
    /// When.
    pub assigned_at: String,
    /// The lead's sign-off: who and on which day.
    pub signed_off: Option<(UserId, Date)>,
}

/// A stored progress report with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressRow {
    /// What it says, as the domain reads it.
    pub report: ProgressReport,
    /// When it was stored (RFC 3339).
    pub reported_at: String,
}

/// A user account as stored: the domain's user with what only the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    /// The user as the domain and the permission rule see it.
    pub user: User,
    /// The argon2 PHC string; never serialized.
    #[serde(skip)]
    pub password_hash: String,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// Commitments per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// (status, how many), in the order of [`Status`]'s severity, zeros left out.
    pub counts: Vec<(Status, i64)>,
}

impl StatusCounts {
    /// Adds `n` commitments of `status`.
    pub fn add(&mut self, status: Status, n: i64) {
        match self.counts.iter_mut().find(|(s, _)| *s == status) {
            Some((_, count)) => *count += n,
            None => {
                self.counts.push((status, n));
                self.counts
                    .sort_by_key(|(s, _)| std::cmp::Reverse(s.severity()));
            }
        }
    }

    /// How many of `status`.
    pub fn get(&self, status: Status) -> i64 {
        self.counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }

    /// How many in all.
    pub fn total(&self) -> i64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// Status counts for one heading (its own commitments and those of the headings below it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCounts {
    /// The heading.
    pub section: SectionRow,
    /// Its counts.
    pub counts: StatusCounts,
}

/// Status counts for one lead department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentCounts {
    /// The department.
    pub department: DepartmentRow,
    /// Counts of the tasks it leads.
    pub counts: StatusCounts,
}

/// Why a task is on a department's work list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkReason {
    /// Past its deadline and not done.
    Overdue,
    /// Lagging or seriously lagging.
    Lagging,
    /// Due within the window asked for.
    DueSoon,
}

/// One line of a department's work list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// The task.
    pub commitment: CommitmentId,
    /// Its text.
    pub text: String,
    /// Its deadline.
    pub deadline: Date,
    /// Its status.
    pub status: Status,
    /// The status's reason in words.
    pub status_reason: String,
    /// Why it is listed.
    pub reason: WorkReason,
    /// Whether the department leads it (else it supports).
    pub lead: bool,
}
