//! Reporting rounds (填报周期): opened by the office for a report's plan; per round, who has
//! reported, who has not, who has not signed off, and the status each task carries. The rules
//! are the domain's ([`duban_core::round`]); this module stores rounds and reads the lines.

use duban_core::auth::{Action, User, authorize};
use duban_core::date::{Date, format_date, parse_date};
use duban_core::ids::{DepartmentId, ReportId};
use duban_core::labels::Entity;
use duban_core::plan::CommitmentId;
use duban_core::round::{ReportState, Round, RoundError, RoundPeriod, SignOffState};
use duban_core::status::Status;
use serde::Serialize;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, Tx, args};
use crate::error::{Result, StoreError};
use crate::plan::{row_status, stored};

/// A stored round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundRow {
    /// Its id.
    pub id: i64,
    /// The report whose plan it collects.
    pub report_id: ReportId,
    /// The checked round (period, as-of, due, label).
    pub round: Round,
    /// Who opened it (login).
    pub opened_by: String,
    /// When (RFC 3339).
    pub opened_at: String,
}

/// One task in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundLine {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Its text.
    pub text: String,
    /// The lead department.
    pub department: DepartmentId,
    /// Its name.
    pub department_name: String,
    /// Reported, late, missing or overdue.
    pub report: ReportState,
    /// The day the first report answering the round was filed.
    pub filed_on: Option<Date>,
    /// Where the sign-off stands.
    pub sign_off: SignOffState,
    /// The task's status now, with its reason.
    pub status: Status,
    /// Its reason in words.
    pub status_reason: String,
}

/// A department's line of a round: how many of its tasks stand where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundDepartment {
    /// The department.
    pub department: DepartmentId,
    /// Its name.
    pub name: String,
    /// Tasks reported (on time or late).
    pub reported: i64,
    /// Tasks not reported (due date not passed or passed).
    pub missing: i64,
    /// Of those, past the due date.
    pub overdue: i64,
    /// Tasks not signed off.
    pub unsigned: i64,
}

/// Counts a round's lines by department, in name order.
pub fn by_department(lines: &[RoundLine]) -> Vec<RoundDepartment> {
    let mut out: Vec<RoundDepartment> = Vec::new();
    for line in lines {
        let i = match out.iter().position(|d| d.department == line.department) {
            Some(i) => i,
            None => {
                out.push(RoundDepartment {
                    department: line.department,
                    name: line.department_name.clone(),
                    reported: 0,
                    missing: 0,
                    overdue: 0,
                    unsigned: 0,
                });
                out.len() - 1
            }
        };
        let d = &mut out[i];
        if line.report.missing() {
            d.missing += 1;
            if line.report == ReportState::MissingOverdue {
                d.overdue += 1;
            }
        } else {
            d.reported += 1;
        }
        if matches!(
            line.sign_off,
            SignOffState::Unsigned | SignOffState::UnsignedOverdue
        ) {
            d.unsigned += 1;
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn round_error(error: RoundError) -> StoreError {
    let field = match &error {
        RoundError::DueBeforeAsOf { field, .. } | RoundError::OutsidePlanYear { field, .. } => {
            field.clone()
        }
    };
    StoreError::invalid(field, error.to_string())
}

const ROUND_SELECT: &str =
    "SELECT id, report_id, period, label, as_of, due, opened_by, opened_at FROM reporting_rounds";

fn round_row(row: &Row) -> Result<RoundRow> {
    let period = row.text(2)?;
    let date = |i: usize, field: &str| -> Result<Date> {
        let text = row.text(i)?;
        parse_date(field, &text).map_err(|_| stored(field, &text))
    };
    Ok(RoundRow {
        id: row.int(0)?,
        report_id: ReportId(row.int(1)?),
        round: Round {
            period: RoundPeriod::parse(&period).ok_or_else(|| stored("period", &period))?,
            label: row.text(3)?,
            as_of: date(4, "as_of")?,
            due: date(5, "due")?,
        },
        opened_by: row.text(6)?,
        opened_at: row.text(7)?,
    })
}

fn day_of(field: &str, stamp: &str) -> Result<Date> {
    parse_date(field, &stamp[..stamp.len().min(10)]).map_err(|_| stored(field, stamp))
}

/// The lines of a round on `today`, optionally of one department only.
pub(crate) async fn lines_of(
    tx: &mut Tx,
    round: &RoundRow,
    department: Option<DepartmentId>,
    today: Date,
) -> Result<Vec<RoundLine>> {
    let start = format_date(round.round.period.start(round.round.as_of));
    let sql = format!(
        "SELECT c.uid, c.text, a.lead_department_id, d.name, a.assigned_at, s.signed_at, \
             (SELECT MIN(p.as_of) FROM progress_reports p WHERE p.commitment_id = c.id \
              AND {} AND p.as_of >= $2), \
             c.status, c.status_reason \
             FROM assignments a JOIN commitments c ON c.id = a.commitment_id \
             JOIN departments d ON d.id = a.lead_department_id \
             LEFT JOIN sign_offs s ON s.assignment_id = a.id AND s.department_id = a.lead_department_id \
             WHERE c.report_id = $1 AND ($3 = 0 OR a.lead_department_id = $3) \
             ORDER BY d.name, c.ordinal",
        crate::admin::lead_or_merged("a.lead_department_id")
    );
    let rows = tx
        .fetch(
            &sql,
            args![round.report_id.0, &start, department.map_or(0, |d| d.0)],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let uid = row.text(0)?;
        let assigned_on = day_of("assigned_at", &row.text(4)?)?;
        let signed_on = row
            .opt_text(5)?
            .map(|s| day_of("signed_at", &s))
            .transpose()?;
        let filed_on = row
            .opt_text(6)?
            .map(|s| day_of("reported_at", &s))
            .transpose()?;
        // The demo and imports may date an assignment after the office's as-of day; a task is
        // never judged late against a date still to come.
        let assigned_on = assigned_on.min(signed_on.unwrap_or(today)).min(today);
        out.push(RoundLine {
            commitment: CommitmentId::parse(&uid).map_err(|_| stored("uid", &uid))?,
            text: row.text(1)?,
            department: DepartmentId(row.int(2)?),
            department_name: row.text(3)?,
            report: round.round.report_state(filed_on, today),
            filed_on,
            sign_off: SignOffState::of(assigned_on, signed_on, today),
            status: row_status(row, 7)?,
            status_reason: row.text(8)?,
        });
    }
    Ok(out)
}

impl Store {
    /// Opens a round for a report's plan: figures as of `as_of`, due by `due`.
    ///
    /// # Errors
    /// [`StoreError::Forbidden`] unless the user may issue notices (the office);
    /// [`StoreError::Invalid`] naming `as_of` or `due`; [`StoreError::Conflict`] when the report
    /// has a round with that as-of date; [`StoreError::NotFound`]; [`StoreError::Database`].
    pub async fn open_round(
        &self,
        user: &User,
        report: ReportId,
        period: RoundPeriod,
        as_of: Date,
        due: Date,
    ) -> Result<RoundRow> {
        authorize(Some(user), &Action::IssueNotice)
            .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        let mut tx = self.pool.write().await?;
        let year = tx
            .fetch_optional("SELECT year FROM reports WHERE id = $1", args![report.0])
            .await?
            .ok_or_else(|| StoreError::not_found(Entity::Report.named(report.0)))?
            .int(0)?;
        let round = Round::new(
            period,
            as_of,
            due,
            i32::try_from(year).map_err(|_| stored("year", &year.to_string()))?,
        )
        .map_err(round_error)?;
        let taken = tx
            .fetch_optional(
                "SELECT label FROM reporting_rounds WHERE report_id = $1 AND as_of = $2",
                args![report.0, format_date(as_of)],
            )
            .await?;
        if let Some(row) = taken {
            return Err(StoreError::Conflict(format!(
                "该报告已有截至{}的填报周期「{}」",
                format_date(as_of),
                row.text(0)?
            )));
        }
        let opened_at = crate::clock::now();
        let id = tx
            .insert(
                "INSERT INTO reporting_rounds (report_id, period, label, as_of, due, opened_by, opened_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                args![
                    report.0,
                    period.as_str(),
                    &round.label,
                    format_date(as_of),
                    format_date(due),
                    &user.login,
                    &opened_at
                ],
            )
            .await?;
        let row = RoundRow {
            id,
            report_id: report,
            round,
            opened_by: user.login.clone(),
            opened_at,
        };
        audit::record(
            &mut tx,
            Change {
                actor: &user.login,
                action: "round.open",
                entity: "round",
                entity_id: id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::to_value(&row).unwrap_or_default(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The rounds of a report (or of all reports), newest as-of date first.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn rounds(&self, report: Option<ReportId>) -> Result<Vec<RoundRow>> {
        let mut tx = self.pool.read().await?;
        let sql =
            format!("{ROUND_SELECT} WHERE ($1 = 0 OR report_id = $1) ORDER BY as_of DESC, id DESC");
        tx.fetch(&sql, args![report.map_or(0, |r| r.0)])
            .await?
            .iter()
            .map(round_row)
            .collect()
    }

    /// One round.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn round(&self, id: i64) -> Result<RoundRow> {
        let mut tx = self.pool.read().await?;
        let sql = format!("{ROUND_SELECT} WHERE id = $1");
        round_row(
            &tx.fetch_one(&sql, args![id], &Entity::Round.named(id))
                .await?,
        )
    }

    /// Every task of a round with where it stands on `today`, by department then document
    /// order.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn round_lines(&self, id: i64, today: Date) -> Result<Vec<RoundLine>> {
        let round = self.round(id).await?;
        let mut tx = self.pool.read().await?;
        lines_of(&mut tx, &round, None, today).await
    }

    /// What a department still has to report (本期待填报): for each round not yet past its due
    /// date by more than `grace_days`, its tasks led by the department that have no report
    /// answering the round.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn pending_for(
        &self,
        department: DepartmentId,
        today: Date,
        grace_days: i64,
    ) -> Result<Vec<(RoundRow, Vec<RoundLine>)>> {
        let since = i32::try_from(i64::from(today.to_julian_day()) - grace_days)
            .ok()
            .and_then(|day| Date::from_julian_day(day).ok())
            .unwrap_or(today);
        let mut tx = self.pool.read().await?;
        let sql = format!("{ROUND_SELECT} WHERE due >= $1 ORDER BY due, id");
        let rounds: Vec<RoundRow> = tx
            .fetch(&sql, args![format_date(since)])
            .await?
            .iter()
            .map(round_row)
            .collect::<Result<_>>()?;
        let mut out = Vec::new();
        for round in rounds {
            let missing: Vec<RoundLine> = lines_of(&mut tx, &round, Some(department), today)
                .await?
                .into_iter()
                .filter(|l| l.report.missing())
                .collect();
            if !missing.is_empty() {
                out.push((round, missing));
            }
        }
        Ok(out)
    }
}
