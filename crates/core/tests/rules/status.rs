use crate::{d, q, target};
use duban_core::{
    Achieved, Assessment, Cmp, Colour, CurvePoint, DepartmentId, LagReason, Period, PlanCurve,
    Progress, ProgressId, ProgressReport, ReasonCode, Stage, StagePlan, Status, TaskPlan,
    Thresholds, UserId, assess,
};

/// One report in a case: id, as-of date, what it says, and what it corrects.
#[derive(Clone, Copy)]
struct Rep {
    id: i64,
    as_of: &'static str,
    says: Says,
    corrects: Option<i64>,
}

#[derive(Clone, Copy)]
enum Says {
    Value(&'static str),
    Values(&'static str, &'static str),
    Stage(Stage),
    Percent(u8),
    Narrative,
}

fn rep(id: i64, as_of: &'static str, says: Says) -> Rep {
    Rep {
        id,
        as_of,
        says,
        corrects: None,
    }
}

fn history(reps: &[Rep]) -> Vec<ProgressReport> {
    let id = crate::cid();
    reps.iter()
        .map(|r| {
            let (achieved, stage, percent) = match r.says {
                Says::Value(v) => (vec![(0, v)], None, None),
                Says::Values(a, b) => (vec![(0, a), (1, b)], None, None),
                Says::Stage(s) => (vec![], Some(s), None),
                Says::Percent(p) => (vec![], None, Some(p)),
                Says::Narrative => (vec![], None, None),
            };
            ProgressReport {
                id: ProgressId(r.id),
                progress: Progress {
                    commitment: id.clone(),
                    department: DepartmentId(1),
                    author: UserId(1),
                    as_of: d(r.as_of),
                    achieved: achieved
                        .into_iter()
                        .map(|(target, v)| Achieved {
                            target,
                            value: q(v),
                        })
                        .collect(),
                    stage,
                    percent,
                    narrative: "进展".into(),
                    evidence: Vec::new(),
                    lag_reason: Some(LagReason {
                        code: ReasonCode::Land,
                        text: "用地指标未落实".into(),
                    }),
                    corrects: r.corrects.map(ProgressId),
                },
            }
        })
        .collect()
}

fn year() -> Period {
    Period::new(d("2020-01-01"), d("2020-12-31")).unwrap()
}

fn plan_with(targets: Vec<duban_core::Target>) -> TaskPlan {
    TaskPlan {
        targets,
        stages: Vec::new(),
        period: year(),
        curve: None,
    }
}

fn amount() -> TaskPlan {
    plan_with(vec![target("新增就业", Cmp::Ge, "100", "个")])
}

fn cap() -> TaskPlan {
    plan_with(vec![target("居民消费价格涨幅", Cmp::Le, "3", "%")])
}

fn rate() -> TaskPlan {
    plan_with(vec![target("地区生产总值增长", Cmp::Approx, "6", "%")])
}

fn milestone() -> TaskPlan {
    TaskPlan {
        stages: vec![
            StagePlan {
                stage: Stage::Started,
                on: d("2020-03-31"),
            },
            StagePlan {
                stage: Stage::Building,
                on: d("2020-06-30"),
            },
            StagePlan {
                stage: Stage::Completed,
                on: d("2020-12-31"),
            },
        ],
        ..plan_with(Vec::new())
    }
}

fn qualitative() -> TaskPlan {
    plan_with(Vec::new())
}

fn curved() -> TaskPlan {
    let points = [
        ("2020-03-31", 10),
        ("2020-06-30", 40),
        ("2020-09-30", 75),
        ("2020-12-31", 100),
    ]
    .iter()
    .map(|(on, percent)| CurvePoint {
        on: d(on),
        percent: *percent,
    })
    .collect();
    TaskPlan {
        curve: Some(PlanCurve::new(points).unwrap()),
        ..amount()
    }
}

/// The one helper every status case goes through.
fn check(
    name: &str,
    plan: &TaskPlan,
    reps: &[Rep],
    as_of: &str,
    status: Status,
    reason: &str,
) -> Assessment {
    let got = assess(plan, &history(reps), d(as_of), &Thresholds::default());
    assert_eq!(
        (got.status, got.reason.as_str()),
        (status, reason),
        "case {name}"
    );
    got
}

use Says::{Narrative, Percent, Value, Values};
use Status::*;

#[test]
fn amounts_against_the_elapsed_share() {
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        ("no report", &[], "2020-03-01", NotStarted, "未填报进度"),
        (
            "no report past deadline",
            &[],
            "2021-01-05",
            Overdue,
            "截止2020-12-31未填报进度",
        ),
        (
            "lagging",
            &[rep(1, "2020-07-31", Value("42"))],
            "2020-07-31",
            Lagging,
            "进度42%，序时58%，落后16个百分点",
        ),
        (
            "lagging exactly at threshold",
            &[rep(1, "2020-07-31", Value("48"))],
            "2020-07-31",
            Lagging,
            "进度48%，序时58%，落后10个百分点",
        ),
        (
            "on track just inside threshold",
            &[rep(1, "2020-07-31", Value("49"))],
            "2020-07-31",
            OnTrack,
            "进度49%，序时58%，落后9个百分点",
        ),
        (
            "on track level",
            &[rep(1, "2020-07-31", Value("58"))],
            "2020-07-31",
            OnTrack,
            "进度58%，序时58%",
        ),
        (
            "ahead exactly at threshold",
            &[rep(1, "2020-07-31", Value("68"))],
            "2020-07-31",
            Ahead,
            "进度68%，序时58%，超前10个百分点",
        ),
        (
            "serious at 30 is still lagging",
            &[rep(1, "2020-07-31", Value("28"))],
            "2020-07-31",
            Lagging,
            "进度28%，序时58%，落后30个百分点",
        ),
        (
            "seriously lagging",
            &[rep(1, "2020-07-31", Value("27"))],
            "2020-07-31",
            SeriouslyLagging,
            "进度27%，序时58%，落后31个百分点",
        ),
        (
            "report after as-of is ignored",
            &[
                rep(1, "2020-07-31", Value("42")),
                rep(2, "2020-09-30", Value("100")),
            ],
            "2020-08-01",
            Lagging,
            "进度42%，序时58%，落后16个百分点",
        ),
        (
            "correction replaces the report",
            &[
                rep(1, "2020-07-31", Value("42")),
                Rep {
                    corrects: Some(1),
                    ..rep(2, "2020-07-31", Value("55"))
                },
            ],
            "2020-07-31",
            OnTrack,
            "进度55%，序时58%，落后3个百分点",
        ),
        (
            "correction dated after as-of is not yet seen",
            &[
                rep(1, "2020-07-31", Value("42")),
                Rep {
                    corrects: Some(1),
                    ..rep(2, "2020-08-15", Value("55"))
                },
            ],
            "2020-08-01",
            Lagging,
            "进度42%，序时58%，落后16个百分点",
        ),
        (
            "done",
            &[rep(1, "2020-10-01", Value("100"))],
            "2020-10-31",
            Done,
            "已完成，完成100个，目标100个以上",
        ),
        (
            "done stays done after the deadline",
            &[rep(1, "2020-10-01", Value("120"))],
            "2021-03-01",
            Done,
            "已完成，完成120个，目标100个以上",
        ),
        (
            "overdue",
            &[rep(1, "2020-12-20", Value("80"))],
            "2021-01-02",
            Overdue,
            "已逾期（截止2020-12-31），进度80%",
        ),
        (
            "report after deadline completes late",
            &[
                rep(1, "2020-12-20", Value("80")),
                rep(2, "2021-01-10", Value("100")),
            ],
            "2021-01-15",
            Done,
            "逾期完成（2021-01-10，截止2020-12-31），完成100个，目标100个以上",
        ),
        (
            "before the late report it is overdue",
            &[
                rep(1, "2020-12-20", Value("80")),
                rep(2, "2021-01-10", Value("100")),
            ],
            "2021-01-05",
            Overdue,
            "已逾期（截止2020-12-31），进度80%",
        ),
        (
            "narrative only counts as zero",
            &[rep(1, "2020-07-31", Narrative)],
            "2020-07-31",
            SeriouslyLagging,
            "进度0%，序时58%，落后58个百分点",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &amount(), reps, as_of, *status, reason);
    }
}

#[test]
fn carries_numbers_colour_and_lag_reason() {
    let a = check(
        "lagging",
        &amount(),
        &[rep(1, "2020-07-31", Value("42"))],
        "2020-07-31",
        Lagging,
        "进度42%，序时58%，落后16个百分点",
    );
    assert_eq!((a.p, a.e), (Some(42), Some(58)));
    assert_eq!(a.colour(), Colour::Yellow);
    assert_eq!(a.lag_reason.unwrap().code, ReasonCode::Land);
    assert_eq!(a.basis, Some(ProgressId(1)));
    let a = check(
        "on track",
        &amount(),
        &[rep(1, "2020-07-31", Value("58"))],
        "2020-07-31",
        OnTrack,
        "进度58%，序时58%",
    );
    assert_eq!(a.lag_reason, None);
    assert!(!a.late);
    let a = check(
        "late",
        &amount(),
        &[rep(2, "2021-01-10", Value("100"))],
        "2021-01-15",
        Done,
        "逾期完成（2021-01-10，截止2020-12-31），完成100个，目标100个以上",
    );
    assert!(a.late);
}

#[test]
fn caps_hold_or_breach() {
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        (
            "within cap",
            &[rep(1, "2020-06-30", Value("2.8"))],
            "2020-06-30",
            OnTrack,
            "实际2.8%，控制在3%以内",
        ),
        (
            "at cap",
            &[rep(1, "2020-06-30", Value("3"))],
            "2020-06-30",
            OnTrack,
            "实际3%，控制在3%以内",
        ),
        (
            "breach",
            &[rep(1, "2020-06-30", Value("3.5"))],
            "2020-06-30",
            Lagging,
            "实际3.5%，超出上限3%达0.5%",
        ),
        (
            "serious breach",
            &[rep(1, "2020-06-30", Value("4"))],
            "2020-06-30",
            SeriouslyLagging,
            "实际4%，超出上限3%达1%",
        ),
        (
            "held at year end",
            &[rep(1, "2020-12-31", Value("2.9"))],
            "2021-01-10",
            Done,
            "已完成，实际2.9%，控制在3%以内",
        ),
        (
            "breached at year end",
            &[rep(1, "2020-12-31", Value("3.2"))],
            "2021-01-10",
            Overdue,
            "已逾期（截止2020-12-31），实际3.2%，超出上限3%达0.2%",
        ),
        (
            "no figure for a cap",
            &[rep(1, "2020-06-30", Narrative)],
            "2020-06-30",
            OnTrack,
            "未报数值",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &cap(), reps, as_of, *status, reason);
    }
}

#[test]
fn rates_with_tolerance() {
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        (
            "within 左右",
            &[rep(1, "2020-06-30", Value("5.6"))],
            "2020-06-30",
            OnTrack,
            "实际5.6%，目标6%左右，已达到",
        ),
        (
            "at the edge of 左右",
            &[rep(1, "2020-06-30", Value("5.5"))],
            "2020-06-30",
            OnTrack,
            "实际5.5%，目标6%左右，已达到",
        ),
        (
            "below tolerance",
            &[rep(1, "2020-06-30", Value("5"))],
            "2020-06-30",
            Lagging,
            "实际5%，目标6%左右，完成目标的83%",
        ),
        (
            "far below",
            &[rep(1, "2020-06-30", Value("4"))],
            "2020-06-30",
            SeriouslyLagging,
            "实际4%，目标6%左右，完成目标的67%",
        ),
        (
            "just beyond tolerance",
            &[rep(1, "2020-06-30", Value("5.4"))],
            "2020-06-30",
            Lagging,
            "实际5.4%，目标6%左右，完成目标的90%",
        ),
        (
            "met at year end",
            &[rep(1, "2020-12-31", Value("5.7"))],
            "2021-01-20",
            Done,
            "已完成，实际5.7%，目标6%左右",
        ),
        (
            "missed at year end",
            &[rep(1, "2020-12-31", Value("5.2"))],
            "2021-01-20",
            Overdue,
            "已逾期（截止2020-12-31），实际5.2%，目标6%左右",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &rate(), reps, as_of, *status, reason);
    }
    // An amount with 左右 is met within 5% of its value.
    let about = plan_with(vec![target("造林", Cmp::Approx, "100", "亩")]);
    check(
        "amount 左右",
        &about,
        &[rep(1, "2020-11-30", Value("95"))],
        "2020-11-30",
        Done,
        "已完成，完成95亩，目标100亩左右",
    );
}

#[test]
fn milestones_by_stage() {
    use Stage::*;
    let s = Says::Stage;
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        ("none yet", &[], "2020-02-01", NotStarted, "未填报进度"),
        (
            "preparation before any stage is due",
            &[rep(1, "2020-02-01", s(Preparation))],
            "2020-02-01",
            OnTrack,
            "形象进度：前期，计划：尚无到期节点",
        ),
        (
            "one behind",
            &[rep(1, "2020-03-15", s(Started))],
            "2020-07-15",
            Lagging,
            "形象进度：开工，计划：建设中，落后1个节点",
        ),
        (
            "two behind",
            &[rep(1, "2020-03-15", s(Preparation))],
            "2020-07-15",
            SeriouslyLagging,
            "形象进度：前期，计划：建设中，落后2个节点",
        ),
        (
            "ahead",
            &[rep(1, "2020-04-01", s(Building))],
            "2020-04-01",
            Ahead,
            "形象进度：建设中，计划：开工，超前1个节点",
        ),
        (
            "on plan",
            &[rep(1, "2020-07-01", s(Building))],
            "2020-07-01",
            OnTrack,
            "形象进度：建设中，计划：建设中",
        ),
        (
            "completed",
            &[rep(1, "2020-11-30", s(Completed))],
            "2020-12-01",
            Done,
            "已完成，形象进度：完工",
        ),
        (
            "in use is beyond completed",
            &[rep(1, "2020-11-30", s(InUse))],
            "2020-12-01",
            Done,
            "已完成，形象进度：投用",
        ),
        (
            "not completed by the deadline",
            &[rep(1, "2020-11-30", s(Building))],
            "2021-01-02",
            Overdue,
            "已逾期（截止2020-12-31），形象进度：建设中，计划：完工",
        ),
        (
            "completed late",
            &[
                rep(1, "2020-11-30", s(Building)),
                rep(2, "2021-02-01", s(Completed)),
            ],
            "2021-02-02",
            Done,
            "逾期完成（2021-02-01，截止2020-12-31），形象进度：完工",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &milestone(), reps, as_of, *status, reason);
    }
}

#[test]
fn qualitative_by_self_assessed_percent() {
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        ("none", &[], "2020-07-31", NotStarted, "未填报进度"),
        (
            "percent",
            &[rep(1, "2020-07-31", Percent(60))],
            "2020-07-31",
            OnTrack,
            "进度60%，序时58%，超前2个百分点",
        ),
        (
            "narrative only",
            &[rep(1, "2020-07-31", Narrative)],
            "2020-07-31",
            OnTrack,
            "已填报进展，未报完成比例",
        ),
        (
            "done",
            &[rep(1, "2020-07-31", Percent(100))],
            "2020-08-31",
            Done,
            "已完成，自评完成100%",
        ),
        (
            "overdue",
            &[rep(1, "2020-12-31", Percent(90))],
            "2021-01-31",
            Overdue,
            "已逾期（截止2020-12-31），进度90%",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &qualitative(), reps, as_of, *status, reason);
    }
}

#[test]
fn plan_curve_replaces_the_elapsed_share() {
    let cases: &[(&str, &[Rep], &str, Status, &str)] = &[
        (
            "at a curve point",
            &[rep(1, "2020-06-30", Value("35"))],
            "2020-06-30",
            OnTrack,
            "进度35%，序时40%，落后5个百分点",
        ),
        (
            "between points",
            &[rep(1, "2020-05-15", Value("10"))],
            "2020-05-15",
            Lagging,
            "进度10%，序时25%，落后15个百分点",
        ),
        (
            "before the first point",
            &[rep(1, "2020-02-15", Value("10"))],
            "2020-02-15",
            OnTrack,
            "进度10%，序时5%，超前5个百分点",
        ),
    ];
    for (name, reps, as_of, status, reason) in cases {
        check(name, &curved(), reps, as_of, *status, reason);
    }
}

#[test]
fn several_targets_take_the_worst() {
    let plan = plan_with(vec![
        target("新增就业", Cmp::Ge, "100", "个"),
        target("城镇登记失业率", Cmp::Le, "3", "%"),
    ]);
    check(
        "cap breached beats amount on track",
        &plan,
        &[rep(1, "2020-07-31", Values("60", "4"))],
        "2020-07-31",
        SeriouslyLagging,
        "城镇登记失业率：实际4%，超出上限3%达1%",
    );
    check(
        "amount lagging beats cap held",
        &plan,
        &[rep(1, "2020-07-31", Values("40", "2"))],
        "2020-07-31",
        Lagging,
        "新增就业：进度40%，序时58%，落后18个百分点",
    );
}

#[test]
fn thresholds_are_settings() {
    let strict = Thresholds {
        lagging: 5,
        serious: 15,
        ahead: 5,
        ..Thresholds::default()
    };
    let h = history(&[rep(1, "2020-07-31", Value("42"))]);
    let a = assess(&amount(), &h, d("2020-07-31"), &strict);
    assert_eq!(a.status, SeriouslyLagging);
    let h = history(&[rep(1, "2020-07-31", Value("64"))]);
    assert_eq!(
        assess(&amount(), &h, d("2020-07-31"), &strict).status,
        Ahead
    );
}

#[test]
fn labels_and_colours() {
    let table = [
        (NotStarted, "未启动", Colour::Grey, "not_started"),
        (Ahead, "超进度", Colour::Green, "ahead"),
        (OnTrack, "达进度", Colour::Green, "on_track"),
        (Lagging, "欠进度", Colour::Yellow, "lagging"),
        (
            SeriouslyLagging,
            "严重滞后",
            Colour::Red,
            "seriously_lagging",
        ),
        (Overdue, "逾期", Colour::Red, "overdue"),
        (Done, "已完成", Colour::Green, "done"),
    ];
    for (s, zh, colour, code) in table {
        assert_eq!((s.label_zh(), s.colour(), s.as_str()), (zh, colour, code));
        assert_eq!(Status::parse(code), Some(s));
        assert_eq!(serde_json_code(&s), code);
    }
}

fn serde_json_code(s: &Status) -> String {
    serde_json::to_value(s)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn periods_and_curves_refuse_nonsense() {
    assert!(Period::new(d("2020-12-31"), d("2020-01-01")).is_err());
    let pt = |on: &str, percent| CurvePoint { on: d(on), percent };
    assert!(PlanCurve::new(vec![pt("2020-06-30", 50), pt("2020-03-31", 60)]).is_err());
    assert!(PlanCurve::new(vec![pt("2020-03-31", 50), pt("2020-06-30", 40)]).is_err());
    assert!(PlanCurve::new(vec![pt("2020-03-31", 120)]).is_err());
    assert_eq!(year().elapsed_percent(d("2019-12-01")), 0);
    assert_eq!(year().elapsed_percent(d("2020-01-01")), 0);
    assert_eq!(year().elapsed_percent(d("2020-12-31")), 100);
}
