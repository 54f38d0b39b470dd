//! Reporting rounds (填报周期) and 催办 reminders, as pure rules.
//!
//! A round asks every lead department of a report's plan for figures as of a date (the end of a
//! month or a quarter) by a due date. A task counts as reported in a round when its lead filed a
//! progress report whose as-of date falls in the round's period (from the first day of the
//! month or quarter that holds the round's as-of date); filed after the due date it is reported
//! late. Unreported after the due date it is 超期未报送. Sign-off is judged by
//! [`crate::task::Assignment::sign_off_due`].
//!
//! Reminders go to the lead department for each task still missing, once per trigger: a click
//! of the office on a day, or the rule of N days before and N days after the due date. Each
//! reminder is sent at most once ([`reminder_key`] is its identity); failed deliveries are
//! retried after [`backoff_secs`], up to [`MAX_ATTEMPTS`].

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::{Date, format_date};

/// How often a round comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundPeriod {
    /// 月度: every month.
    Monthly,
    /// 季度: every quarter.
    Quarterly,
}

impl RoundPeriod {
    /// The code name (`monthly`, `quarterly`).
    pub fn as_str(self) -> &'static str {
        match self {
            RoundPeriod::Monthly => "monthly",
            RoundPeriod::Quarterly => "quarterly",
        }
    }

    /// The zh-CN label (月度, 季度).
    pub fn label_zh(self) -> &'static str {
        match self {
            RoundPeriod::Monthly => "月度",
            RoundPeriod::Quarterly => "季度",
        }
    }

    /// From the code name or the zh-CN label.
    pub fn parse(s: &str) -> Option<RoundPeriod> {
        match s.trim() {
            "monthly" | "月度" => Some(RoundPeriod::Monthly),
            "quarterly" | "季度" => Some(RoundPeriod::Quarterly),
            _ => None,
        }
    }

    /// The first day of the month or quarter holding `as_of`.
    pub fn start(self, as_of: Date) -> Date {
        let month = match self {
            RoundPeriod::Monthly => as_of.month() as u8,
            RoundPeriod::Quarterly => (as_of.month() as u8 - 1) / 3 * 3 + 1,
        };
        time::Month::try_from(month)
            .ok()
            .and_then(|m| Date::from_calendar_date(as_of.year(), m, 1).ok())
            .unwrap_or(as_of)
    }

    /// The round's name: 2020年9月, 2020年第三季度.
    pub fn label(self, as_of: Date) -> String {
        match self {
            RoundPeriod::Monthly => format!("{}年{}月", as_of.year(), as_of.month() as u8),
            RoundPeriod::Quarterly => {
                let q = ["一", "二", "三", "四"][usize::from((as_of.month() as u8 - 1) / 3)];
                format!("{}年第{q}季度", as_of.year())
            }
        }
    }
}

/// A round as the office opens it, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Monthly or quarterly.
    pub period: RoundPeriod,
    /// The date the figures describe.
    pub as_of: Date,
    /// The last day to report.
    pub due: Date,
    /// Its name (2020年第三季度).
    pub label: String,
}

/// Why a round was refused. Each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoundError {
    /// The due date is before the as-of date.
    #[error("{}：报送截止日期{due}早于进度截至日期{as_of}", crate::labels::field(.field))]
    DueBeforeAsOf {
        /// The field (`due`).
        field: String,
        /// The as-of date.
        as_of: Date,
        /// The due date.
        due: Date,
    },
    /// The as-of date is outside the plan year.
    #[error("{}：进度截至日期{as_of}不在计划年度{year}年内", crate::labels::field(.field))]
    OutsidePlanYear {
        /// The field (`as_of`).
        field: String,
        /// The as-of date.
        as_of: Date,
        /// The plan year.
        year: i32,
    },
}

impl Round {
    /// A round of a plan for `year`.
    ///
    /// # Errors
    /// [`RoundError::OutsidePlanYear`], [`RoundError::DueBeforeAsOf`].
    pub fn new(
        period: RoundPeriod,
        as_of: Date,
        due: Date,
        year: i32,
    ) -> Result<Round, RoundError> {
        if as_of.year() != year {
            return Err(RoundError::OutsidePlanYear {
                field: "as_of".into(),
                as_of,
                year,
            });
        }
        if due < as_of {
            return Err(RoundError::DueBeforeAsOf {
                field: "due".into(),
                as_of,
                due,
            });
        }
        Ok(Round {
            period,
            as_of,
            due,
            label: period.label(as_of),
        })
    }

    /// Whether a progress report with this as-of date answers the round.
    pub fn answers(&self, report_as_of: Date) -> bool {
        report_as_of >= self.period.start(self.as_of)
    }

    /// A task's state in the round on `today`, from the earliest day a report answering the
    /// round was filed (if any).
    pub fn report_state(&self, filed_on: Option<Date>, today: Date) -> ReportState {
        match filed_on {
            Some(day) if day > self.due => ReportState::ReportedLate,
            Some(_) => ReportState::Reported,
            None if today > self.due => ReportState::MissingOverdue,
            None => ReportState::Missing,
        }
    }
}

/// Where a task stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// 已报送.
    Reported,
    /// 逾期报送: reported after the due date.
    ReportedLate,
    /// 未报送, the due date not yet passed.
    Missing,
    /// 超期未报送.
    MissingOverdue,
}

impl ReportState {
    /// The code name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Reported => "reported",
            ReportState::ReportedLate => "reported_late",
            ReportState::Missing => "missing",
            ReportState::MissingOverdue => "missing_overdue",
        }
    }

    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportState::Reported => "已报送",
            ReportState::ReportedLate => "逾期报送",
            ReportState::Missing => "未报送",
            ReportState::MissingOverdue => "超期未报送",
        }
    }

    /// Still to report (and so to be reminded).
    pub fn missing(self) -> bool {
        matches!(self, ReportState::Missing | ReportState::MissingOverdue)
    }
}

/// Where a task's sign-off (签收) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffState {
    /// 已签收.
    Signed,
    /// 逾期签收: signed after its due date.
    SignedLate,
    /// 未签收, still within its due date.
    Unsigned,
    /// 超期未签收.
    UnsignedOverdue,
}

impl SignOffState {
    /// From the assignment date, the sign-off date (if signed) and today, by
    /// [`crate::task::Assignment::sign_off_due`].
    pub fn of(assigned_on: Date, signed_on: Option<Date>, today: Date) -> SignOffState {
        let due = crate::task::Assignment::sign_off_due(assigned_on);
        match signed_on {
            Some(day) if day > due => SignOffState::SignedLate,
            Some(_) => SignOffState::Signed,
            None if today > due => SignOffState::UnsignedOverdue,
            None => SignOffState::Unsigned,
        }
    }

    /// The code name.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffState::Signed => "signed",
            SignOffState::SignedLate => "signed_late",
            SignOffState::Unsigned => "unsigned",
            SignOffState::UnsignedOverdue => "unsigned_overdue",
        }
    }

    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            SignOffState::Signed => "已签收",
            SignOffState::SignedLate => "逾期签收",
            SignOffState::Unsigned => "未签收",
            SignOffState::UnsignedOverdue => "超期未签收",
        }
    }
}

/// What set a reminder off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Trigger {
    /// The office clicked 催办 on this day.
    Manual(Date),
    /// The rule: N days before the due date.
    BeforeDue,
    /// The rule: N days after the due date.
    AfterDue,
}

impl Trigger {
    /// Part of the reminder's key: `manual-2020-09-30`, `before`, `after`.
    pub fn key(self) -> String {
        match self {
            Trigger::Manual(day) => format!("manual-{}", format_date(day)),
            Trigger::BeforeDue => "before".into(),
            Trigger::AfterDue => "after".into(),
        }
    }

    /// Which rule fires on `today` for a round due on `due`, with the rule's `days`
    /// (0 switches the rule off).
    pub fn rule_on(due: Date, today: Date, days: i64) -> Option<Trigger> {
        if days <= 0 {
            return None;
        }
        let gap = i64::from(due.to_julian_day()) - i64::from(today.to_julian_day());
        if gap == days {
            Some(Trigger::BeforeDue)
        } else if -gap == days {
            Some(Trigger::AfterDue)
        } else {
            None
        }
    }
}

/// A delivery channel of reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// SMTP e-mail to a user's address.
    Email,
    /// A JSON POST to the office's group robot (enterprise WeChat, DingTalk).
    Webhook,
    /// The in-app inbox of a user.
    Inbox,
}

impl Channel {
    /// The code name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
            Channel::Inbox => "inbox",
        }
    }

    /// From the code name.
    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "webhook" => Some(Channel::Webhook),
            "inbox" => Some(Channel::Inbox),
            _ => None,
        }
    }

    /// The zh-CN label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::Email => "邮件",
            Channel::Webhook => "群机器人",
            Channel::Inbox => "站内信",
        }
    }
}

/// The identity of one reminder: what it chases (`round-3/c-…` or `notice-7`), the trigger,
/// the channel and the recipient. Queueing the same key twice queues nothing.
pub fn reminder_key(subject: &str, trigger: Trigger, channel: Channel, recipient: &str) -> String {
    format!(
        "{subject}/{}/{}/{recipient}",
        trigger.key(),
        channel.as_str()
    )
}

/// Deliveries tried before a reminder is given up as failed.
pub const MAX_ATTEMPTS: i64 = 6;

/// Seconds to wait after the `attempts`-th failed delivery: 30 s doubling, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    (30i64 << exp).min(3600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn d(s: &str) -> Date {
        parse_date("t", s).unwrap()
    }

    #[test]
    fn periods_labels_and_states() {
        assert_eq!(
            RoundPeriod::Quarterly.start(d("2020-09-30")),
            d("2020-07-01")
        );
        assert_eq!(RoundPeriod::Monthly.start(d("2020-09-30")), d("2020-09-01"));
        assert_eq!(
            RoundPeriod::Quarterly.label(d("2020-09-30")),
            "2020年第三季度"
        );
        assert_eq!(RoundPeriod::Monthly.label(d("2020-09-30")), "2020年9月");
        let r = Round::new(
            RoundPeriod::Quarterly,
            d("2020-09-30"),
            d("2020-10-10"),
            2020,
        )
        .unwrap();
        assert!(r.answers(d("2020-07-01")) && !r.answers(d("2020-06-30")));
        assert_eq!(r.report_state(None, d("2020-10-10")), ReportState::Missing);
        assert_eq!(
            r.report_state(None, d("2020-10-11")),
            ReportState::MissingOverdue
        );
        assert_eq!(
            r.report_state(Some(d("2020-10-11")), d("2020-10-12")),
            ReportState::ReportedLate
        );
        assert!(matches!(
            Round::new(RoundPeriod::Monthly, d("2020-09-30"), d("2020-09-29"), 2020),
            Err(RoundError::DueBeforeAsOf { .. })
        ));
        assert!(matches!(
            Round::new(RoundPeriod::Monthly, d("2021-01-31"), d("2021-02-05"), 2020),
            Err(RoundError::OutsidePlanYear { .. })
        ));
    }

    #[test]
    fn rules_keys_and_backoff() {
        assert_eq!(
            Trigger::rule_on(d("2020-10-10"), d("2020-10-07"), 3),
            Some(Trigger::BeforeDue)
        );
        assert_eq!(
            Trigger::rule_on(d("2020-10-10"), d("2020-10-13"), 3),
            Some(Trigger::AfterDue)
        );
        assert_eq!(Trigger::rule_on(d("2020-10-10"), d("2020-10-12"), 3), None);
        assert_eq!(Trigger::rule_on(d("2020-10-10"), d("2020-10-07"), 0), None);
        assert_eq!(
            reminder_key(
                "round-1/c-ab",
                Trigger::Manual(d("2020-10-01")),
                Channel::Email,
                "u7"
            ),
            "round-1/c-ab/manual-2020-10-01/email/u7"
        );
        assert_eq!(backoff_secs(1), 30);
        assert_eq!(backoff_secs(2), 60);
        assert_eq!(backoff_secs(20), 3600);
    }
}
