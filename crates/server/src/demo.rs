//! The demo: the seed report (苏州市 2020) with departments, users, assignments and a year of
//! progress reports, so that a newcomer sees a live, tracked plan with every status colour on
//! the demo date. Everything goes through the store's public API, as the pages would.
//!
//! The history is made by rule, not at random, so the same run gives the same plan: each task
//! follows one of a few profiles (done, ahead, on track, lagging, seriously lagging, overdue, not
//! started) chosen by its position, reports quarterly at values along that profile, and a few
//! reports are corrected afterwards.

use duban_core::auth::{Role, User};
use duban_core::date::{Date, days_between};
use duban_core::ids::{DepartmentId, ProgressId};
use duban_core::plan::Level;
use duban_core::progress::{DraftValue, LagReason, ProgressDraft, ReasonCode, Stage};
use duban_core::quantity::Quantity;
use duban_report::model::{Cmp, CommitmentKind};
use duban_store::model::{CommitmentRow, DepartmentRow};
use duban_store::{ImportRequest, Store, StoreError};

use crate::error::AppError;

/// The seed report, built into the binary so that `--demo` works from any directory.
pub const SEED: &[u8] = include_bytes!("../../../testdata/seed/suzhou-2020-report-page2.txt");

/// The government the seed report belongs to.
pub const GOVERNMENT: &str = "苏州市";

/// The plan year of the seed report.
pub const YEAR: i32 = 2020;

/// The demo's default as-of date: late enough in the year for every colour to show.
pub fn default_as_of() -> Date {
    Date::from_calendar_date(2020, time::Month::September, 30).unwrap_or(Date::MIN)
}

/// Demo departments: (login, name). Who leads a task is proposed by
/// [`duban_core::suggest::suggest_lead`] from its wording, as the draft page proposes it.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("fgw", "市发展改革委"),
    ("jyj", "市教育局"),
    ("nyncj", "市农业农村局"),
    ("sthjj", "市生态环境局"),
    ("wjw", "市卫生健康委"),
    ("rsj", "市人力资源社会保障局"),
    ("mzj", "市民政局"),
    ("zjj", "市住房城乡建设局"),
    ("jtj", "市交通运输局"),
    ("swj", "市水务局"),
];

/// The made-up next-year report (苏州市 2021, see `testdata/demo/README.md`) the demo ships as
/// an unpublished draft.
pub const DRAFT: &[u8] = include_bytes!("../../../testdata/demo/suzhou-2021-draft.txt");

/// A demo account and its password (shown once, when the account is created).
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// The login name.
    pub login: String,
    /// Its role in zh-CN with the department, if any.
    pub role: String,
    /// The generated password.
    pub password: String,
}

/// What loading the demo did.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    /// The demo report's id.
    pub report_id: i64,
    /// Whether it was loaded before (then nothing was changed and no passwords are known).
    pub already_loaded: bool,
    /// The accounts created, with their passwords.
    pub accounts: Vec<DemoAccount>,
    /// Commitments assigned.
    pub assigned: usize,
    /// Progress reports filed.
    pub reports: usize,
    /// Notices issued.
    pub notices: usize,
    /// The unpublished draft (the made-up 2021 report), when loaded.
    pub draft_id: Option<i64>,
}

/// Loads the made-up 2021 report as an unpublished draft (kept as it is when there).
async fn load_draft(store: &Store) -> Result<Option<i64>, AppError> {
    let source = duban_report::Source {
        name: "suzhou-2021-draft.txt",
        bytes: DRAFT,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (extraction, diagnostics) = duban_report::extract_sources(std::slice::from_ref(&source))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let request = ImportRequest {
        government: GOVERNMENT,
        level: Level::City,
        year: YEAR + 1,
        text: &ingested.text,
        source: source.name,
        extraction: &extraction,
    };
    match store
        .import_draft("demo", request, &diagnostics, false)
        .await
    {
        Ok(summary) => Ok(Some(summary.report_id)),
        Err(StoreError::AlreadyImported { report_id, .. }) => Ok(Some(report_id)),
        Err(other) => Err(other.into()),
    }
}

/// A day of 2020.
fn day(month: u8, d: u8) -> Date {
    time::Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(YEAR, m, d).ok())
        .unwrap_or(Date::MIN)
}

/// How a task's year goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    Done,
    Ahead,
    OnTrack,
    Lagging,
    Serious,
    Overdue,
    Silent,
}

impl Profile {
    fn of(ordinal: usize) -> Profile {
        match ordinal % 9 {
            0 => Profile::Done,
            1 | 5 => Profile::OnTrack,
            2 => Profile::Ahead,
            3 | 7 => Profile::Lagging,
            4 => Profile::Serious,
            6 => Profile::Overdue,
            _ => Profile::Silent,
        }
    }

    /// The share of the goal reached on a date, in percent of the goal.
    fn share(self, on: Date) -> i64 {
        let elapsed = (days_between(day(1, 1), on) * 100 / 366).clamp(0, 100);
        match self {
            Profile::Done => (elapsed * 2).min(110),
            Profile::Ahead => (elapsed + 20).min(99),
            Profile::OnTrack => elapsed,
            Profile::Lagging => (elapsed - 20).max(0),
            Profile::Serious | Profile::Overdue => elapsed / 3,
            Profile::Silent => 0,
        }
    }
}

fn department_for(text: &str, ordinal: usize) -> usize {
    let names: Vec<&str> = DEPARTMENTS.iter().map(|(_, name)| *name).collect();
    duban_core::suggest::suggest_lead(text, &[], &names)
        .filter(|s| s.existing)
        .and_then(|s| names.iter().position(|n| *n == s.department))
        .unwrap_or(ordinal % DEPARTMENTS.len())
}

/// The value of a target at `share` percent along the way.
fn value_at(target: &duban_store::model::TargetRow, share: i64) -> Quantity {
    match target.cmp {
        // A cap is met while the value stays under it: report it a little under.
        Cmp::Le => Quantity::from_scaled(target.value.scaled() * 95 / 100),
        _ => Quantity::from_scaled(target.value.scaled() / 100 * share),
    }
}

fn stage_at(share: i64) -> Stage {
    match share {
        s if s >= 100 => Stage::Completed,
        s if s >= 60 => Stage::Building,
        s if s >= 25 => Stage::Started,
        _ => Stage::Preparation,
    }
}

fn draft(c: &CommitmentRow, profile: Profile, on: Date, quarter: usize) -> ProgressDraft {
    let share = profile.share(on);
    let quantified = c.kind == CommitmentKind::Quantified && !c.targets.is_empty();
    let lagging = matches!(
        profile,
        Profile::Lagging | Profile::Serious | Profile::Overdue
    );
    let codes = ReasonCode::ALL;
    ProgressDraft {
        as_of: Some(on),
        values: if quantified {
            c.targets
                .iter()
                .map(|t| DraftValue {
                    target: usize::try_from(t.index).unwrap_or(0),
                    input: value_at(t, share).to_string(),
                    unit: None,
                })
                .collect()
        } else {
            Vec::new()
        },
        stage: (c.kind == CommitmentKind::Milestone && c.targets.is_empty())
            .then(|| stage_at(share)),
        percent: (!quantified).then(|| u32::try_from(share.clamp(0, 100)).unwrap_or(0)),
        narrative: format!(
            "第{}季度：按计划推进，完成{}%。",
            quarter + 1,
            share.clamp(0, 100)
        ),
        evidence: Vec::new(),
        lag_reason: lagging.then(|| LagReason {
            code: codes[(c.ordinal as usize) % codes.len()],
            text: "受疫情影响，部分工作推迟，正在加快追赶进度。".into(),
        }),
        corrects: None,
    }
}

/// Loads the demo unless the seed report is there already.
///
/// # Errors
/// [`AppError::Internal`] when the seed cannot be read or the store fails.
pub async fn load(store: &Store, as_of: Date) -> Result<DemoSummary, AppError> {
    let source = duban_report::Source {
        name: "suzhou-2020-report-page2.txt",
        bytes: SEED,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (extraction, _) = duban_report::extract_sources(std::slice::from_ref(&source))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let request = ImportRequest {
        government: GOVERNMENT,
        level: Level::City,
        year: YEAR,
        text: &ingested.text,
        source: source.name,
        extraction: &extraction,
    };
    let imported = match store.import_report("demo", request).await {
        Ok(summary) => summary,
        Err(StoreError::AlreadyImported { report_id, .. }) => {
            return Ok(DemoSummary {
                report_id,
                already_loaded: true,
                ..DemoSummary::default()
            });
        }
        Err(other) => return Err(other.into()),
    };
    let mut summary = DemoSummary {
        report_id: imported.report_id,
        ..DemoSummary::default()
    };
    summary.draft_id = load_draft(store).await?;

    let mut departments: Vec<DepartmentRow> = Vec::new();
    for (_, name) in DEPARTMENTS {
        departments.push(match store.add_department("demo", GOVERNMENT, name).await {
            Ok(d) => d,
            Err(StoreError::Conflict(_)) => store.department_by_name(GOVERNMENT, name).await?,
            Err(other) => return Err(other.into()),
        });
    }

    let mut people: Vec<(String, String, Role)> = vec![
        ("admin".into(), "系统管理员".into(), Role::Admin),
        ("duchashi".into(), "市政府督查室".into(), Role::Supervisor),
        ("viewer".into(), "市领导（只读）".into(), Role::Viewer),
    ];
    for ((login, name), d) in DEPARTMENTS.iter().zip(&departments) {
        people.push((
            (*login).into(),
            format!("{name}联络员"),
            Role::Department(d.id),
        ));
    }
    let mut users: Vec<User> = Vec::new();
    for (login, name, role) in people {
        if let Some(existing) = store.user_by_login(&login).await? {
            users.push(existing.user);
            continue;
        }
        let password = duban_store::password::generate_password()?;
        let hash = {
            let password = password.clone();
            tokio::task::spawn_blocking(move || duban_store::password::hash_password(&password))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))??
        };
        let user = store.add_user("demo", &login, &name, role, &hash).await?;
        let label = match role {
            Role::Department(d) => departments
                .iter()
                .find(|x| x.id == d)
                .map_or_else(String::new, |x| {
                    format!("{}（{}）", role.label_zh(), x.name)
                }),
            _ => role.label_zh().to_string(),
        };
        summary.accounts.push(DemoAccount {
            login,
            role: label,
            password,
        });
        users.push(user);
    }
    let supervisor = users
        .iter()
        .find(|u| u.role == Role::Supervisor)
        .cloned()
        .ok_or_else(|| AppError::Internal("demo supervisor missing".into()))?;
    let liaison = |d: DepartmentId| users.iter().find(|u| u.role == Role::Department(d));

    let report = store
        .report(duban_core::ids::ReportId(imported.report_id))
        .await?;
    let mut lagging_tasks = Vec::new();
    for c in &report.commitments {
        let ordinal = usize::try_from(c.ordinal).unwrap_or(0);
        let profile = Profile::of(ordinal);
        let lead = department_for(&c.text, ordinal);
        let support = if ordinal % 3 == 0 {
            vec![departments[(lead + 1) % departments.len()].id]
        } else {
            Vec::new()
        };
        let deadline = match profile {
            Profile::Overdue => Some(day(6, 30)),
            _ if ordinal % 5 == 0 => Some(day(11, 30)),
            _ => Some(c.deadline.unwrap_or(day(12, 31))),
        };
        let lead_id = departments[lead].id;
        if let Err(e) = store
            .assign("duchashi", &c.uid, lead_id, support, deadline, day(1, 10))
            .await
        {
            tracing::warn!(commitment = %c.uid, error = %e, "demo: not assigned");
            continue;
        }
        summary.assigned += 1;
        let Some(user) = liaison(lead_id) else {
            continue;
        };
        if profile == Profile::Silent {
            continue;
        }
        if ordinal % 4 != 1 {
            store.sign_off(user, &c.uid, day(1, 15)).await?;
        }
        let quarters = [day(3, 31), day(6, 30), day(9, 30), day(12, 31)];
        let mut filed: Vec<ProgressId> = Vec::new();
        for (q, on) in quarters.iter().enumerate().filter(|(_, on)| **on <= as_of) {
            match store
                .append_progress(user, &c.uid, &draft(c, profile, *on, q), *on)
                .await
            {
                Ok(r) => {
                    filed.push(r.id);
                    summary.reports += 1;
                }
                Err(e) => tracing::warn!(commitment = %c.uid, error = %e, "demo: report refused"),
            }
        }
        // A few corrections: the second quarter's figure restated a week later.
        if ordinal % 7 == 2 && filed.len() >= 2 && day(7, 7) <= as_of {
            let mut fix = draft(c, profile, day(6, 30), 1);
            fix.corrects = Some(filed[1]);
            fix.narrative = format!("更正：{}", fix.narrative);
            if store
                .append_progress(user, &c.uid, &fix, day(7, 7))
                .await
                .is_ok()
            {
                summary.reports += 1;
            }
        }
        if matches!(profile, Profile::Serious | Profile::Overdue) {
            lagging_tasks.push((c.uid.clone(), user.clone()));
        }
    }

    // Notices on the worst tasks: some answered, one closed.
    let issued_on = day(8, 10).min(as_of);
    for (i, (uid, user)) in lagging_tasks.iter().take(5).enumerate() {
        let notice = match store
            .issue_notice(
                &supervisor,
                uid,
                day(8, 31),
                "该任务进度严重滞后，请说明原因并报送整改措施。",
                issued_on,
            )
            .await
        {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(commitment = %uid, error = %e, "demo: notice refused");
                continue;
            }
        };
        summary.notices += 1;
        if i % 2 == 0 && day(8, 20) <= as_of {
            store
                .answer_notice(
                    user,
                    notice.id,
                    "已召开专题会议研究，明确整改措施，确保四季度完成。",
                    &[],
                    day(8, 20),
                )
                .await?;
            if i == 0 && day(9, 1) <= as_of {
                store
                    .close_notice(&supervisor, notice.id, day(9, 1))
                    .await?;
            }
        }
    }
    store.refresh_statuses(as_of).await?;
    Ok(summary)
}
