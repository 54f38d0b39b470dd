//! duban's domain: what a government work report promises once it becomes a tracked plan, and
//! the rules that judge it.
//!
//! It holds governments and reports, commitments with stable ids, exact quantities, departments
//! and assignments, progress reports, the 序时 status rules, public verdicts, supervision notices,
//! and the one permission rule. Everything here is pure: values in, values out. No IO, no
//! database, no async, and no clock: "today" and the as-of date are always parameters. That is
//! what lets the store, the server, the CLI and corpus runs share the rules, and what lets the
//! tests state each rule as a table of cases.
//!
//! The modules, each with one job:
//! - [`quantity`]: [`Quantity`], an exact decimal (never floating point) read from user text;
//! - [`amount`]: amounts in words as the report writes them (`20万亩`, not `200000亩`);
//! - [`date`]: calendar dates ([`Date`]) and their ISO form;
//! - [`ids`]: typed row ids;
//! - [`plan`]: governments, reports, [`Commitment`]s with their [`CommitmentKey`] and
//!   [`CommitmentId`], [`Target`]s; [`Plan::from_extraction`] takes the engine's output in;
//! - [`task`]: departments, [`Assignment`] to a lead and supporters, sign-off;
//! - [`progress`]: [`ProgressReport`]s, their validation and the effective history;
//! - [`status`]: [`assess`], the traffic light with its reason in words;
//! - [`verdict`](mod@verdict): the public [`Verdict`] (兑现) with its evidence;
//! - [`indicator`]: the reviewed table of canonical headline indicators (synonyms, polarity);
//! - [`fulfilment`]: each target of year N against the review of year N+1 ([`fulfilment::verify`]);
//! - [`notice`]: supervision notices and their state transitions;
//! - [`round`]: reporting rounds (填报周期) and the rules of 催办 reminders;
//! - [`auth`]: users, roles, [`Action`] and [`authorize`];
//! - [`correction`]: the office's corrections of a draft and their replay over a plan;
//! - [`suggest`]: a lead department proposed from a commitment's wording and earlier years;
//! - [`labels`]: the zh-CN words for field, entity, role and action codes in messages.
//!
//! A status in one call:
//! ```
//! use duban_core::{assess, parse_date, Period, Status, TaskPlan, Thresholds};
//! let day = |s| parse_date("as_of", s).unwrap();
//! let plan = TaskPlan {
//!     targets: Vec::new(),
//!     stages: Vec::new(),
//!     period: Period::new(day("2020-01-01"), day("2020-12-31")).unwrap(),
//!     curve: None,
//! };
//! let a = assess(&plan, &[], day("2020-07-31"), &Thresholds::default());
//! assert_eq!((a.status, a.reason.as_str()), (Status::NotStarted, "未填报进度"));
//! ```
//!
//! The engine's output types (`Cmp`, `CommitmentKind`, `Section`) come from `duban-report` and
//! are re-exported here, so the store and the server need only this crate.

#![deny(missing_docs)]

pub mod amount;
pub mod auth;
pub mod correction;
pub mod date;
pub mod fulfilment;
pub mod ids;
pub mod indicator;
pub mod labels;
pub mod notice;
pub mod plan;
pub mod progress;
pub mod quantity;
pub mod round;
pub mod status;
pub mod suggest;
pub mod support;
pub mod task;
pub mod text;
pub mod verdict;
pub mod yoy;

pub use auth::{Action, Denied, Role, User, authorize};
pub use date::{Date, DateError, parse_date};
pub use duban_report::model::{Cmp, CommitmentKind, Role as PartRole, Section, SectionKind};
pub use ids::{DepartmentId, GovernmentId, NoticeId, ProgressId, ReportId, UserId};
pub use notice::{Notice, NoticeAnswer, NoticeError, NoticeReturn, NoticeState};
pub use plan::{
    AdminCode, Commitment, CommitmentId, CommitmentKey, Government, ImportError, Level, Outcome,
    Plan, Target, WorkReport, checksum,
};
pub use progress::{
    Achieved, DraftValue, EvidenceRef, LagReason, Progress, ProgressDraft, ProgressError,
    ProgressReport, ReasonCode, Stage, effective, latest_effective, validate,
};
pub use quantity::{Quantity, QuantityError};
pub use round::{Channel, ReportState, Round, RoundError, RoundPeriod, SignOffState, Trigger};
pub use status::{
    Assessment, Colour, CurvePoint, Period, PeriodError, PlanCurve, StagePlan, Status, TaskPlan,
    Thresholds, assess, assess_with,
};
pub use task::{Assignment, AssignmentError, Department, SIGN_OFF_DAYS, SignOff};
pub use verdict::{Finding, Verdict, VerdictKind, verdict};
