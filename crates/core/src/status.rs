//! Status (红黄绿灯), computed from the progress history by the 序时 rules, never typed by hand.
//!
//! The rules, as DESIGN.md gives them and as this module decides where it is silent:
//! - Only reports dated on or before the as-of date count, with corrections applied
//!   ([`crate::progress::effective`]). No such report: `not_started`, or `overdue` once the
//!   deadline has passed.
//! - Expected progress `e` is the share of the period elapsed, counting days inclusively
//!   (1 January to 31 July of 2020 is 213 of 366 days: 58%), or the task's plan curve
//!   interpolated linearly between its points. `p` and `e` are rounded to whole percents before
//!   they are compared, so the words always agree with the colour.
//! - Amounts (新增13万人): `p = a / v`. Met: `done`. Else after the deadline: `overdue`. Else
//!   `ahead` when `p ≥ e + ahead`, `seriously_lagging` when `e − p > serious`, `lagging` when
//!   `e − p ≥ lagging`, otherwise `on_track`.
//! - Rates (`%`, `个百分点`) are levels, not sums: 序时 does not apply, the reference is the target
//!   itself (`e = 100`). Met: `on_track` until a report dated on or after the deadline shows it
//!   met, then `done`. An `approx` target (左右) is met down to the tolerance below the value
//!   (0.5 points for rates, 5% of the value otherwise); overshooting is fine. A `range` is met
//!   at its lower bound.
//! - Caps (`le`, 控制在…以内) hold while `a ≤ v`: `on_track`, `done` once a report dated on or after
//!   the deadline is within the cap. A breach is `lagging`, or `seriously_lagging` when it
//!   exceeds the cap by more than `serious` percent of it; `overdue` after the deadline.
//! - Milestones compare the reported stage with the stages planned by the as-of date: beyond
//!   plan `ahead`, at plan `on_track`, one stage behind `lagging`, two or more
//!   `seriously_lagging`; the last planned stage reached is `done`.
//! - Qualitative tasks use the department's self-assessed percent against `e`; 100 is `done`.
//! - A target met only by a report dated after the deadline is `done` with `late` set and the
//!   reason saying 逾期完成: the public sees it done, the record keeps that it was late.
//! - A task with several targets takes the worst target's status and reason.
//! - A lagging, seriously lagging or overdue task carries the latest report's reason code.
//! - Values are cumulative over the period and in the target's own sense: a 下降3% target is
//!   reported as the decrease achieved.

use crate::date::{Date, days_between, format_date};
use crate::ids::ProgressId;
use crate::plan::Target;
use crate::progress::{LagReason, ProgressReport, Stage, effective};
use crate::quantity::Quantity;
use crate::task::Assignment;
use duban_report::model::Cmp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The computed state of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 未启动: no progress reported yet.
    NotStarted,
    /// 超进度: ahead of schedule.
    Ahead,
    /// 达进度: on schedule.
    OnTrack,
    /// 欠进度: behind by the lagging threshold or more.
    Lagging,
    /// 严重滞后: behind by more than the serious threshold.
    SeriouslyLagging,
    /// 逾期: deadline passed, not met.
    Overdue,
    /// 已完成: met.
    Done,
}

/// A traffic-light colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    /// 绿灯.
    Green,
    /// 黄灯.
    Yellow,
    /// 红灯.
    Red,
    /// 灰: nothing to judge yet.
    Grey,
}

impl Status {
    /// Every status, best first.
    pub const ALL: [Status; 7] = [
        Status::Done,
        Status::Ahead,
        Status::OnTrack,
        Status::NotStarted,
        Status::Lagging,
        Status::SeriouslyLagging,
        Status::Overdue,
    ];

    /// Its colour.
    pub fn colour(self) -> Colour {
        match self {
            Status::Done | Status::Ahead | Status::OnTrack => Colour::Green,
            Status::Lagging => Colour::Yellow,
            Status::SeriouslyLagging | Status::Overdue => Colour::Red,
            Status::NotStarted => Colour::Grey,
        }
    }

    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::NotStarted => "未启动",
            Status::Ahead => "超进度",
            Status::OnTrack => "达进度",
            Status::Lagging => "欠进度",
            Status::SeriouslyLagging => "严重滞后",
            Status::Overdue => "逾期",
            Status::Done => "已完成",
        }
    }

    /// The code name (`not_started`, `on_track`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::Ahead => "ahead",
            Status::OnTrack => "on_track",
            Status::Lagging => "lagging",
            Status::SeriouslyLagging => "seriously_lagging",
            Status::Overdue => "overdue",
            Status::Done => "done",
        }
    }

    /// Reads a code name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// How bad it is, for picking the worst of several targets (higher is worse).
    pub fn severity(self) -> u8 {
        match self {
            Status::Done => 0,
            Status::Ahead => 1,
            Status::OnTrack => 2,
            Status::NotStarted => 3,
            Status::Lagging => 4,
            Status::SeriouslyLagging => 5,
            Status::Overdue => 6,
        }
    }
}

impl Colour {
    /// The zh-CN label (绿, 黄, 红, 灰).
    pub fn label_zh(self) -> &'static str {
        match self {
            Colour::Green => "绿",
            Colour::Yellow => "黄",
            Colour::Red => "红",
            Colour::Grey => "灰",
        }
    }
}

/// The settings the rules read; [`Default`] gives the values some cities publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Points ahead of 序时 that count as 超进度 (default 10).
    pub ahead: u32,
    /// Points behind that count as 欠进度 (default 10).
    pub lagging: u32,
    /// Points behind beyond which a task is 严重滞后 (default 30).
    pub serious: u32,
    /// How far below a rate target with 左右 still counts as met (default 0.5 points).
    pub approx_rate_points: Quantity,
    /// How far below another target with 左右 still counts as met, in percent of the value
    /// (default 5).
    pub approx_percent: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            ahead: 10,
            lagging: 10,
            serious: 30,
            approx_rate_points: Quantity::from_scaled(5_000),
            approx_percent: 5,
        }
    }
}

impl Thresholds {
    /// What a status means under these thresholds, for a legend: the margins of 序时 progress
    /// the rules of this module apply to an amount or a qualitative task (`欠进度`: 落后序时进度10至30个百分点).
    pub fn meaning_zh(&self, status: Status) -> String {
        let (ahead, lagging, serious) = (self.ahead, self.lagging, self.serious);
        match status {
            Status::Done => "目标已实现".to_owned(),
            Status::Ahead => format!("超前序时进度{ahead}个百分点及以上"),
            Status::OnTrack => {
                format!("超前不足{ahead}个百分点或落后序时进度不足{lagging}个百分点")
            }
            Status::Lagging => format!("落后序时进度{lagging}至{serious}个百分点"),
            Status::SeriouslyLagging => format!("落后序时进度超过{serious}个百分点"),
            Status::Overdue => "已过完成时限，目标未实现".to_owned(),
            Status::NotStarted => "尚未填报进度".to_owned(),
        }
    }
}

/// Why a plan period or curve was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    /// The end is before the start.
    #[error("完成时限{end}早于开始日期{start}")]
    EndBeforeStart {
        /// The start.
        start: Date,
        /// The end.
        end: Date,
    },
    /// Curve points are not in date order, or their percents fall, or exceed 100.
    #[error("计划进度第{index}个节点：日期须递增，比例须不减且不超过100")]
    CurveNotMonotone {
        /// The 0-based index of the offending point.
        index: usize,
    },
}

/// The plan period of a task, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The first day.
    pub start: Date,
    /// The last day: the deadline.
    pub end: Date,
}

impl Period {
    /// A period from `start` to `end`.
    ///
    /// # Errors
    /// [`PeriodError::EndBeforeStart`].
    pub fn new(start: Date, end: Date) -> Result<Period, PeriodError> {
        if end < start {
            return Err(PeriodError::EndBeforeStart { start, end });
        }
        Ok(Period { start, end })
    }

    /// The period of an assigned task: its plan year from 1 January to the deadline. The
    /// sign-off (签收) does not move it: a department that signs late is late, not given a
    /// fresh clock (see [`crate::task::Assignment::signed_late`]).
    ///
    /// # Errors
    /// [`PeriodError::EndBeforeStart`] when the deadline is before the start.
    pub fn for_assignment(year: i32, assignment: &Assignment) -> Result<Period, PeriodError> {
        let jan1 = Date::from_ordinal_date(year, 1).unwrap_or(assignment.deadline);
        Period::new(jan1.min(assignment.deadline), assignment.deadline)
    }

    /// 序时进度: the whole percent of the period elapsed on `as_of`, days counted inclusively;
    /// 0 before the start, 100 from the last day on.
    pub fn elapsed_percent(&self, as_of: Date) -> i64 {
        if as_of < self.start {
            return 0;
        }
        if as_of >= self.end {
            return 100;
        }
        let elapsed = days_between(self.start, as_of) + 1;
        let total = days_between(self.start, self.end) + 1;
        (elapsed * 200 + total) / (total * 2)
    }
}

/// One point of a plan curve: by `on`, `percent` of the work should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The date.
    pub on: Date,
    /// Cumulative percent planned by then.
    pub percent: u32,
}

/// A per-task plan curve (形象进度计划), e.g. quarterly 20/50/75/100.
///
/// Invariant (kept by [`PlanCurve::new`]): dates strictly increase, percents never fall and stay
/// within 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCurve(Vec<CurvePoint>);

impl PlanCurve {
    /// Checks and wraps the points.
    ///
    /// # Errors
    /// [`PeriodError::CurveNotMonotone`] naming the first bad point.
    pub fn new(points: Vec<CurvePoint>) -> Result<PlanCurve, PeriodError> {
        for (i, pt) in points.iter().enumerate() {
            let bad = pt.percent > 100
                || (i > 0 && (pt.on <= points[i - 1].on || pt.percent < points[i - 1].percent));
            if bad {
                return Err(PeriodError::CurveNotMonotone { index: i });
            }
        }
        Ok(PlanCurve(points))
    }

    /// The points.
    pub fn points(&self) -> &[CurvePoint] {
        &self.0
    }

    /// Expected percent on `as_of`: linear from 0 at the period start through the points, flat
    /// after the last one.
    pub fn expected(&self, period: &Period, as_of: Date) -> i64 {
        let mut prev = (period.start, 0i64);
        for pt in &self.0 {
            let here = (pt.on, i64::from(pt.percent));
            if as_of < here.0 {
                if as_of <= prev.0 {
                    return prev.1;
                }
                let span = days_between(prev.0, here.0);
                let done = days_between(prev.0, as_of);
                let rise = here.1 - prev.1;
                return prev.1 + (rise * done * 2 + span) / (span * 2);
            }
            prev = here;
        }
        prev.1
    }
}

/// A planned date for a milestone stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StagePlan {
    /// The stage.
    pub stage: Stage,
    /// When it should be reached.
    pub on: Date,
}

/// What a task's status is judged against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPlan {
    /// The commitment's targets (empty for milestones and qualitative tasks).
    pub targets: Vec<Target>,
    /// Planned stage dates (milestones); empty otherwise.
    pub stages: Vec<StagePlan>,
    /// The plan period; its end is the deadline.
    pub period: Period,
    /// A per-task curve replacing the elapsed share, where set.
    pub curve: Option<PlanCurve>,
}

/// A task's status with the numbers and words it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The status.
    pub status: Status,
    /// Progress in whole percent, where it applies.
    pub p: Option<i64>,
    /// Expected progress (序时) in whole percent, where it applies.
    pub e: Option<i64>,
    /// The reason in words (进度42%，序时58%，落后16个百分点).
    pub reason: String,
    /// Met, but only after the deadline.
    pub late: bool,
    /// The department's reason code, when the task lags or is overdue.
    pub lag_reason: Option<LagReason>,
    /// The latest effective report it rests on.
    pub basis: Option<ProgressId>,
}

impl Assessment {
    /// Its colour.
    pub fn colour(&self) -> Colour {
        self.status.colour()
    }
}

/// Computes a task's status on `as_of` from its history. Pure: the date is a parameter.
pub fn assess(
    plan: &TaskPlan,
    history: &[ProgressReport],
    as_of: Date,
    thresholds: &Thresholds,
) -> Assessment {
    let reports = effective(history, as_of);
    let deadline = plan.period.end;
    let Some(latest) = reports.last() else {
        let (status, reason) = if as_of > deadline {
            (
                Status::Overdue,
                format!("截止{}未填报进度", format_date(deadline)),
            )
        } else {
            (Status::NotStarted, "未填报进度".to_owned())
        };
        return Assessment {
            status,
            p: None,
            e: None,
            reason,
            late: false,
            lag_reason: None,
            basis: None,
        };
    };
    let ctx = Ctx {
        plan,
        reports: &reports,
        as_of,
        thresholds,
    };
    let verdicts: Vec<Verdict> = if !plan.targets.is_empty() {
        plan.targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut v = ctx.target(i, t);
                if plan.targets.len() > 1 {
                    v.reason = format!("{}：{}", t.indicator, v.reason);
                }
                v
            })
            .collect()
    } else if !plan.stages.is_empty() {
        vec![ctx.milestone()]
    } else {
        vec![ctx.qualitative()]
    };
    let mut verdicts = verdicts.into_iter();
    let first = verdicts.next().unwrap_or_else(|| ctx.qualitative());
    let worst = verdicts.fold(first, |a, b| {
        if b.status.severity() > a.status.severity() {
            b
        } else {
            a
        }
    });
    let lags = matches!(
        worst.status,
        Status::Lagging | Status::SeriouslyLagging | Status::Overdue
    );
    Assessment {
        status: worst.status,
        p: worst.p,
        e: worst.e,
        reason: worst.reason,
        late: worst.late,
        lag_reason: if lags {
            latest.progress.lag_reason.clone()
        } else {
            None
        },
        basis: Some(latest.id),
    }
}

/// What a validated report makes of its task on `today`: the assessment of the history with the
/// report added. The one rule both the form and the API apply: a report that leaves the task
/// lagging, seriously lagging or overdue must carry a reason code.
///
/// # Errors
/// [`ProgressError::ReasonRequired`] (field `reason_code`).
pub fn assess_with(
    plan: &TaskPlan,
    history: &[ProgressReport],
    progress: &crate::progress::Progress,
    today: Date,
    thresholds: &Thresholds,
) -> Result<Assessment, crate::progress::ProgressError> {
    let next = history.iter().map(|r| r.id.0).max().unwrap_or(0) + 1;
    let mut all = history.to_vec();
    all.push(ProgressReport {
        id: ProgressId(next),
        progress: progress.clone(),
    });
    let assessment = assess(plan, &all, today, thresholds);
    let lags = matches!(
        assessment.status,
        Status::Lagging | Status::SeriouslyLagging | Status::Overdue
    );
    if lags && progress.lag_reason.is_none() {
        return Err(crate::progress::ProgressError::ReasonRequired {
            field: "reason_code".into(),
            status: assessment.status.label_zh().to_owned(),
        });
    }
    Ok(assessment)
}

/// One judgement before the worst is picked.
struct Verdict {
    status: Status,
    p: Option<i64>,
    e: Option<i64>,
    reason: String,
    late: bool,
}

struct Ctx<'a> {
    plan: &'a TaskPlan,
    reports: &'a [&'a ProgressReport],
    as_of: Date,
    thresholds: &'a Thresholds,
}

impl Ctx<'_> {
    fn deadline(&self) -> Date {
        self.plan.period.end
    }

    fn expected(&self) -> i64 {
        match &self.plan.curve {
            Some(c) => c.expected(&self.plan.period, self.as_of),
            None => self.plan.period.elapsed_percent(self.as_of),
        }
    }

    /// The 序时 comparison shared by amounts and qualitative tasks.
    fn against_schedule(&self, p: i64) -> Verdict {
        let e = self.expected();
        let t = self.thresholds;
        let gap = e - p;
        let status = if p >= e + i64::from(t.ahead) {
            Status::Ahead
        } else if gap > i64::from(t.serious) {
            Status::SeriouslyLagging
        } else if gap >= i64::from(t.lagging) {
            Status::Lagging
        } else {
            Status::OnTrack
        };
        let words = match gap {
            g if g > 0 => format!("进度{p}%，序时{e}%，落后{g}个百分点"),
            g if g < 0 => format!("进度{p}%，序时{e}%，超前{}个百分点", -g),
            _ => format!("进度{p}%，序时{e}%"),
        };
        Verdict {
            status,
            p: Some(p),
            e: Some(e),
            reason: words,
            late: false,
        }
    }

    fn overdue(&self, p: Option<i64>, e: Option<i64>, what: String) -> Verdict {
        Verdict {
            status: Status::Overdue,
            p,
            e,
            reason: format!("已逾期（截止{}），{what}", format_date(self.deadline())),
            late: false,
        }
    }

    fn done(&self, met_on: Date, p: Option<i64>, what: String) -> Verdict {
        let late = met_on > self.deadline();
        let reason = if late {
            format!(
                "逾期完成（{}，截止{}），{what}",
                format_date(met_on),
                format_date(self.deadline())
            )
        } else {
            format!("已完成，{what}")
        };
        Verdict {
            status: Status::Done,
            p,
            e: None,
            reason,
            late,
        }
    }

    /// Values reported for target `i`, oldest first, with their dates.
    fn values(&self, i: usize) -> impl Iterator<Item = (Date, Quantity)> + '_ {
        self.reports.iter().filter_map(move |r| {
            r.progress
                .achieved
                .iter()
                .find(|a| a.target == i)
                .map(|a| (r.progress.as_of, a.value))
        })
    }

    fn target(&self, i: usize, t: &Target) -> Verdict {
        let latest = self.values(i).last();
        let met_first = self
            .values(i)
            .find(|(_, a)| meets(t, *a, self.thresholds))
            .map(|(d, _)| d);
        if t.cmp == Cmp::Le {
            return self.cap(t, latest);
        }
        let a = latest.map_or(Quantity::ZERO, |(_, a)| a);
        let p = a.percent_of(t.value).unwrap_or(100).max(0);
        let unit = &t.unit;
        if t.is_rate() {
            let what = format!("实际{}{unit}，目标{}", achieved(a, unit), goal_words(t));
            return match latest {
                Some((d, a)) if meets(t, a, self.thresholds) => {
                    if d >= self.deadline() {
                        self.done(d, Some(p), what)
                    } else {
                        Verdict {
                            status: Status::OnTrack,
                            p: Some(p),
                            e: Some(100),
                            reason: format!("{what}，已达到"),
                            late: false,
                        }
                    }
                }
                _ if self.as_of > self.deadline() => self.overdue(Some(p), Some(100), what),
                _ => {
                    let gap = 100 - p;
                    let th = self.thresholds;
                    let status = if gap > i64::from(th.serious) {
                        Status::SeriouslyLagging
                    } else if gap >= i64::from(th.lagging) {
                        Status::Lagging
                    } else {
                        Status::OnTrack
                    };
                    Verdict {
                        status,
                        p: Some(p),
                        e: Some(100),
                        reason: format!("{what}，完成目标的{p}%"),
                        late: false,
                    }
                }
            };
        }
        if let Some(d) = met_first {
            return self.done(
                d,
                Some(p),
                format!("完成{}{unit}，目标{}", achieved(a, unit), goal_words(t)),
            );
        }
        if self.as_of > self.deadline() {
            return self.overdue(Some(p), Some(100), format!("进度{p}%"));
        }
        self.against_schedule(p)
    }

    fn cap(&self, t: &Target, latest: Option<(Date, Quantity)>) -> Verdict {
        let unit = &t.unit;
        let v = t.value;
        let Some((d, a)) = latest else {
            let what = "未报数值".to_owned();
            if self.as_of > self.deadline() {
                return self.overdue(None, None, what);
            }
            return Verdict {
                status: Status::OnTrack,
                p: None,
                e: None,
                reason: what,
                late: false,
            };
        };
        let p = a.percent_of(v);
        if a <= v {
            let what = format!(
                "实际{}{unit}，控制在{}{unit}以内",
                achieved(a, unit),
                crate::amount::written(v, unit, &t.source)
            );
            if d >= self.deadline() {
                return self.done(d, p, what);
            }
            return Verdict {
                status: Status::OnTrack,
                p,
                e: None,
                reason: what,
                late: false,
            };
        }
        let over = a.checked_sub(v).unwrap_or(a);
        let what = format!(
            "实际{}{unit}，超出上限{}{unit}达{}{unit}",
            achieved(a, unit),
            crate::amount::written(v, unit, &t.source),
            achieved(over, unit)
        );
        if self.as_of > self.deadline() {
            return self.overdue(p, None, what);
        }
        let over_percent = over.percent_of(v).unwrap_or(i64::MAX);
        let status = if over_percent > i64::from(self.thresholds.serious) {
            Status::SeriouslyLagging
        } else {
            Status::Lagging
        };
        Verdict {
            status,
            p,
            e: None,
            reason: what,
            late: false,
        }
    }

    fn milestone(&self) -> Verdict {
        let mut stages = self.plan.stages.clone();
        stages.sort_by_key(|s| s.stage);
        let last = stages.last().map_or(Stage::Completed, |s| s.stage);
        let reached = self
            .reports
            .iter()
            .filter_map(|r| r.progress.stage.map(|s| (r.progress.as_of, s)));
        let latest = reached.clone().next_back();
        let first_final = reached.clone().find(|(_, s)| *s >= last).map(|(d, _)| d);
        let expected = stages.iter().filter(|s| s.on <= self.as_of).count() as i64;
        let expected_stage = stages
            .iter()
            .filter(|s| s.on <= self.as_of)
            .map(|s| s.stage)
            .max();
        let now = latest.map(|(_, s)| s);
        let rank = now.map_or(0, |s| stages.iter().filter(|p| p.stage <= s).count() as i64);
        let now_words = now.map_or("未报节点", Stage::label_zh);
        if let (Some(d), Some(s)) = (first_final, now)
            && s >= last
        {
            return self.done(d, None, format!("形象进度：{}", s.label_zh()));
        }
        let plan_words = expected_stage.map_or("尚无到期节点", Stage::label_zh);
        let what = format!("形象进度：{now_words}，计划：{plan_words}");
        if self.as_of > self.deadline() {
            return self.overdue(None, None, what);
        }
        let behind = expected - rank;
        let (status, reason) = match behind {
            b if b < 0 => (Status::Ahead, format!("{what}，超前{}个节点", -b)),
            0 => (Status::OnTrack, what),
            1 => (Status::Lagging, format!("{what}，落后1个节点")),
            b => (Status::SeriouslyLagging, format!("{what}，落后{b}个节点")),
        };
        Verdict {
            status,
            p: None,
            e: None,
            reason,
            late: false,
        }
    }

    fn qualitative(&self) -> Verdict {
        let percents = self
            .reports
            .iter()
            .filter_map(|r| r.progress.percent.map(|p| (r.progress.as_of, i64::from(p))));
        let latest = percents.clone().next_back();
        if let Some(d) = percents.clone().find(|(_, p)| *p >= 100).map(|(d, _)| d)
            && latest.is_some_and(|(_, p)| p >= 100)
        {
            return self.done(d, Some(100), "自评完成100%".to_owned());
        }
        match latest {
            _ if self.as_of > self.deadline() => self.overdue(
                latest.map(|(_, p)| p),
                Some(100),
                latest.map_or("未报完成比例".to_owned(), |(_, p)| {
                    format!("进度{p}%")
                }),
            ),
            Some((_, p)) => self.against_schedule(p),
            None => Verdict {
                status: Status::OnTrack,
                p: None,
                e: Some(self.expected()),
                reason: "已填报进展，未报完成比例".to_owned(),
                late: false,
            },
        }
    }
}

/// Whether achieved value `a` meets target `t` (see the module doc for `approx` and `range`).
pub fn meets(t: &Target, a: Quantity, thresholds: &Thresholds) -> bool {
    match t.cmp {
        Cmp::Ge | Cmp::Eq | Cmp::Range => a >= t.value,
        Cmp::Le => a <= t.value,
        Cmp::Approx => {
            let tolerance = if t.is_rate() {
                thresholds.approx_rate_points
            } else {
                t.value.abs().percent(i64::from(thresholds.approx_percent))
            };
            let floor = t.value.checked_sub(tolerance).unwrap_or(t.value);
            a >= floor
        }
    }
}

/// The goal in words, the amount as the clause writes it ([`crate::amount::written`]):
/// `20万亩`, `6%左右`, `6-6.5%`, `3%以内`, `70%以上`.
pub fn goal_words(t: &Target) -> String {
    let u = &t.unit;
    let v = crate::amount::written(t.value, u, &t.source);
    match t.cmp {
        Cmp::Eq => format!("{v}{u}"),
        Cmp::Ge => format!("{v}{u}以上"),
        Cmp::Le => format!("{v}{u}以内"),
        Cmp::Approx => format!("{v}{u}左右"),
        Cmp::Range => match t.value_max {
            Some(m) => format!("{v}-{}{u}", crate::amount::written(m, u, &t.source)),
            None => format!("{v}{u}以上"),
        },
    }
}

/// An achieved value in words, by magnitude (`15万`): no clause writes it.
fn achieved(a: Quantity, unit: &str) -> String {
    crate::amount::by_magnitude(a, unit)
}
