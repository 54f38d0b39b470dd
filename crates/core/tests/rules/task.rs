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
fn lead_signs_off_once_and_starts_the_clock() {
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
    assert_eq!((p.start, p.end), (d("2020-03-01"), d("2020-12-31")));
    let p = Period::for_assignment(2020, &a).unwrap();
    assert_eq!(p.start, d("2020-01-01"));
}
