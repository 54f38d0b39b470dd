use crate::d;
use duban_core::{Assignment, AssignmentError, DepartmentId, Period, SignOff, UserId};

fn assign(
    lead: i64,
    support: &[i64],
    deadline: Option<&str>,
    own: Option<&str>,
) -> Result<Assignment, AssignmentError> {
    let id = crate::cid();
    Assignment::new(
        id,
        DepartmentId(lead),
        support.iter().copied().map(DepartmentId).collect(),
        deadline.map(d),
        own.map(d),
    )
}

#[test]
fn deadline_defaults_from_commitment() {
    let a = assign(1, &[2, 3], None, Some("2020-12-31")).unwrap();
    assert_eq!(a.deadline, d("2020-12-31"));
    let a = assign(1, &[], Some("2020-06-30"), Some("2020-12-31")).unwrap();
    assert_eq!(a.deadline, d("2020-06-30"));
    assert!(a.involves(DepartmentId(1)));
    assert!(!a.involves(DepartmentId(2)));
}

#[test]
fn refuses_bad_assignments() {
    let cases: &[(i64, &[i64], Option<&str>, AssignmentError)] = &[
        (
            1,
            &[2, 1],
            Some("2020-12-31"),
            AssignmentError::LeadAlsoSupports {
                lead: DepartmentId(1),
            },
        ),
        (
            1,
            &[2, 3, 2],
            Some("2020-12-31"),
            AssignmentError::DuplicateSupport {
                department: DepartmentId(2),
            },
        ),
        (1, &[2], None, AssignmentError::NoDeadline),
    ];
    for (lead, support, deadline, expected) in cases {
        assert_eq!(
            assign(*lead, support, *deadline, None).unwrap_err(),
            *expected
        );
    }
}

#[test]
fn lead_signs_off_once() {
    let a = assign(1, &[2], None, Some("2020-12-31")).unwrap();
    assert_eq!(
        a.sign_off(DepartmentId(2), UserId(9), d("2020-03-01")),
        Err(AssignmentError::NotLead {
            lead: DepartmentId(1),
            department: DepartmentId(2)
        })
    );
    let signed = a
        .sign_off(DepartmentId(1), UserId(9), d("2020-03-01"))
        .unwrap();
    assert_eq!(
        signed.signed_off,
        Some(SignOff {
            by: UserId(9),
            on: d("2020-03-01")
        })
    );
    assert_eq!(
        signed.sign_off(DepartmentId(1), UserId(9), d("2020-03-02")),
        Err(AssignmentError::AlreadySignedOff {
            on: d("2020-03-01")
        })
    );
    let p = Period::for_assignment(2020, &signed).unwrap();
    assert_eq!((p.start, p.end), (d("2020-01-01"), d("2020-12-31")));
    let p = Period::for_assignment(2020, &a).unwrap();
    assert_eq!(p.start, d("2020-01-01"));
}

/// The trial's defect: signing off on 30 September turned 序时82% into 序时2%. The period is the
/// plan year whatever the sign-off date, and a sign-off after its due date is late.
#[test]
fn sign_off_keeps_the_plan_year_and_late_sign_off_is_late() {
    let a = assign(1, &[], None, Some("2020-12-31")).unwrap();
    let late = a
        .sign_off(DepartmentId(1), UserId(9), d("2020-09-30"))
        .unwrap();
    let before = Period::for_assignment(2020, &a).unwrap();
    let after = Period::for_assignment(2020, &late).unwrap();
    assert_eq!(before, after);
    assert_eq!(after.elapsed_percent(d("2020-09-30")), 75);
    assert!(late.signed_late(d("2020-03-02")));
    let on_time = a
        .sign_off(DepartmentId(1), UserId(9), d("2020-03-05"))
        .unwrap();
    assert!(!on_time.signed_late(d("2020-03-02")));
    assert!(a.sign_off_overdue(d("2020-03-02"), d("2020-03-06")));
    assert!(!a.sign_off_overdue(d("2020-03-02"), d("2020-03-05")));
    assert!(!on_time.sign_off_overdue(d("2020-03-02"), d("2020-12-01")));
}
