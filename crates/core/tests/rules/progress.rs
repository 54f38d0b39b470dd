use crate::{d, q, target};
use duban_core::{
    Achieved, Assignment, Cmp, Commitment, CommitmentKey, CommitmentKind, DepartmentId, DraftValue,
    Progress, ProgressDraft, ProgressError, ProgressId, ProgressReport, QuantityError, Stage,
    UserId, effective, latest_effective, validate,
};

pub fn commitment(kind: CommitmentKind) -> Commitment {
    let key = CommitmentKey {
        government: "苏州市".into(),
        year: 2020,
        path: vec!["5".into(), "二是".into()],
        ordinal: 1,
    };
    let targets = match kind {
        CommitmentKind::Quantified => vec![
            target("新增就业", Cmp::Ge, "13万", "人"),
            target("城镇登记失业率", Cmp::Le, "3", "%"),
        ],
        _ => Vec::new(),
    };
    Commitment {
        id: key.id(),
        key,
        text: "新增就业13万人".into(),
        span: [0, 7],
        kind,
        modality: None,
        deadline: Some(d("2020-12-31")),
        targets,
    }
}

fn assignment(c: &Commitment) -> Assignment {
    Assignment::new(
        c.id.clone(),
        DepartmentId(1),
        vec![DepartmentId(2)],
        None,
        c.deadline,
    )
    .unwrap()
}

/// A stored report for the history.
pub fn stored(
    c: &Commitment,
    id: i64,
    as_of: &str,
    achieved: &[(usize, &str)],
    corrects: Option<i64>,
) -> ProgressReport {
    ProgressReport {
        id: ProgressId(id),
        progress: Progress {
            commitment: c.id.clone(),
            department: DepartmentId(1),
            author: UserId(7),
            as_of: d(as_of),
            achieved: achieved
                .iter()
                .map(|(t, v)| Achieved {
                    target: *t,
                    value: q(v),
                })
                .collect(),
            stage: None,
            percent: None,
            narrative: String::new(),
            evidence: Vec::new(),
            lag_reason: None,
            corrects: corrects.map(ProgressId),
        },
    }
}

fn draft(values: &[(usize, &str, Option<&str>)]) -> ProgressDraft {
    ProgressDraft {
        as_of: Some(d("2020-06-30")),
        values: values
            .iter()
            .map(|(t, v, u)| DraftValue {
                target: *t,
                input: v.to_string(),
                unit: u.map(str::to_owned),
            })
            .collect(),
        ..ProgressDraft::default()
    }
}

fn check(
    kind: CommitmentKind,
    department: i64,
    draft: ProgressDraft,
    history: &[ProgressReport],
    expected: Result<(), ProgressError>,
) {
    let c = commitment(kind);
    let a = assignment(&c);
    let got = validate(
        &draft,
        &c,
        &a,
        history,
        DepartmentId(department),
        UserId(7),
        d("2020-07-01"),
    );
    match (got, expected) {
        (Ok(p), Ok(())) => {
            assert_eq!(p.commitment, c.id);
            assert_eq!(p.as_of, draft.as_of.unwrap());
        }
        (Err(e), Err(x)) => {
            assert_eq!(e, x);
            assert!(!e.to_string().is_empty());
        }
        (got, expected) => panic!("got {got:?}, expected {expected:?}"),
    }
}

#[test]
fn validation_names_the_field() {
    use CommitmentKind::{Milestone, Qualitative, Quantified};
    let c = commitment(Quantified);
    let history = vec![
        stored(&c, 1, "2020-03-31", &[(0, "2万")], None),
        stored(&c, 2, "2020-03-31", &[(0, "2.5万")], Some(1)),
    ];
    let future = ProgressDraft {
        as_of: Some(d("2020-08-01")),
        ..draft(&[(0, "1", None)])
    };
    let field = |s: &str| s.to_owned();
    let cases: Vec<(
        CommitmentKind,
        i64,
        ProgressDraft,
        Result<(), ProgressError>,
    )> = vec![
        (Quantified, 1, draft(&[(0, "5.46万", Some("人"))]), Ok(())),
        (
            Quantified,
            1,
            draft(&[(0, "54600", None), (1, "2.9", Some("％"))]),
            Ok(()),
        ),
        (
            Quantified,
            2,
            draft(&[(0, "1", None)]),
            Err(ProgressError::NotOwnTask {
                department: DepartmentId(2),
                lead: DepartmentId(1),
            }),
        ),
        (
            Quantified,
            1,
            draft(&[(1, "三点五", None)]),
            Err(ProgressError::Value(QuantityError::NotANumber {
                field: field("values[0]"),
                input: "三点五".into(),
            })),
        ),
        (
            Quantified,
            1,
            draft(&[(0, "5", None), (0, "6", None)]),
            Err(ProgressError::DuplicateValue {
                field: field("values[1]"),
            }),
        ),
        (
            Quantified,
            1,
            draft(&[(0, "5", Some("户"))]),
            Err(ProgressError::UnitMismatch {
                field: field("values[0]"),
                expected: "人".into(),
                got: "户".into(),
            }),
        ),
        (
            Quantified,
            1,
            draft(&[(2, "5", None)]),
            Err(ProgressError::UnknownTarget {
                field: field("values[0]"),
                index: 2,
            }),
        ),
        (
            Qualitative,
            1,
            draft(&[(0, "5", None)]),
            Err(ProgressError::UnknownTarget {
                field: field("values[0]"),
                index: 0,
            }),
        ),
        (
            Quantified,
            1,
            ProgressDraft {
                stage: Some(Stage::Started),
                ..draft(&[])
            },
            Err(ProgressError::StageForQuantifiedTarget {
                field: field("stage"),
            }),
        ),
        (
            Milestone,
            1,
            ProgressDraft {
                stage: Some(Stage::Started),
                ..draft(&[])
            },
            Ok(()),
        ),
        (
            Qualitative,
            1,
            ProgressDraft {
                percent: Some(101),
                ..draft(&[])
            },
            Err(ProgressError::PercentOutOfRange {
                field: field("percent"),
                value: 101,
            }),
        ),
        (
            Qualitative,
            1,
            ProgressDraft {
                narrative: "  ".into(),
                ..draft(&[])
            },
            Err(ProgressError::Empty {
                field: field("narrative"),
            }),
        ),
        (
            Qualitative,
            1,
            ProgressDraft {
                narrative: "已召开推进会".into(),
                ..draft(&[])
            },
            Ok(()),
        ),
        (
            Quantified,
            1,
            ProgressDraft {
                as_of: None,
                ..draft(&[(0, "1", None)])
            },
            Err(ProgressError::MissingDate {
                field: field("as_of"),
            }),
        ),
        (
            Quantified,
            1,
            future,
            Err(ProgressError::DateInFuture {
                field: field("as_of"),
                as_of: d("2020-08-01"),
                today: d("2020-07-01"),
            }),
        ),
        (
            Quantified,
            1,
            ProgressDraft {
                corrects: Some(ProgressId(2)),
                ..draft(&[(0, "3万", None)])
            },
            Ok(()),
        ),
        (
            Quantified,
            1,
            ProgressDraft {
                corrects: Some(ProgressId(1)),
                ..draft(&[(0, "3万", None)])
            },
            Err(ProgressError::AlreadyCorrected {
                field: field("corrects"),
                id: ProgressId(1),
                by: ProgressId(2),
            }),
        ),
        (
            Quantified,
            1,
            ProgressDraft {
                corrects: Some(ProgressId(99)),
                ..draft(&[(0, "3万", None)])
            },
            Err(ProgressError::CorrectsUnknown {
                field: field("corrects"),
                id: ProgressId(99),
            }),
        ),
    ];
    for (kind, dept, draft, expected) in cases {
        check(kind, dept, draft, &history, expected);
    }
}

#[test]
fn effective_history_applies_corrections_and_the_date() {
    let c = commitment(CommitmentKind::Quantified);
    let history = vec![
        stored(&c, 1, "2020-03-31", &[(0, "2万")], None),
        stored(&c, 2, "2020-06-30", &[(0, "5万")], None),
        stored(&c, 3, "2020-03-31", &[(0, "2.5万")], Some(1)),
        stored(&c, 4, "2020-09-30", &[(0, "8万")], None),
        stored(&c, 5, "2020-09-30", &[(0, "9万")], Some(4)),
        stored(&c, 6, "2020-09-30", &[(0, "8.5万")], Some(5)),
    ];
    let ids = |as_of: &str| -> Vec<i64> {
        effective(&history, d(as_of))
            .iter()
            .map(|r| r.id.0)
            .collect()
    };
    assert_eq!(ids("2020-01-01"), Vec::<i64>::new());
    assert_eq!(ids("2020-04-01"), [3]);
    assert_eq!(ids("2020-07-01"), [3, 2]);
    assert_eq!(ids("2020-12-31"), [3, 2, 6]);
    let latest = latest_effective(&history, d("2020-12-31")).unwrap();
    assert_eq!(latest.progress.achieved[0].value, q("8.5万"));
    assert!(latest_effective(&history, d("2019-12-31")).is_none());
}
