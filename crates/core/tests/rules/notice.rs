use crate::d;
use duban_core::{DepartmentId, Notice, NoticeError, NoticeId, NoticeState, UserId};

fn open() -> Notice {
    let c = crate::cid();
    Notice::issue(
        NoticeId(1),
        c,
        DepartmentId(3),
        UserId(1),
        d("2020-08-01"),
        d("2020-08-10"),
        " 请说明进度滞后原因 ",
    )
    .unwrap()
}

#[test]
fn open_answered_closed() {
    let n = open();
    assert_eq!(
        (n.state, n.message.as_str()),
        (NoticeState::Open, "请说明进度滞后原因")
    );
    assert!(!n.is_overdue(d("2020-08-10")));
    assert!(n.is_overdue(d("2020-08-11")));
    let a = n
        .answer(DepartmentId(3), UserId(5), d("2020-08-05"), "已协调用地")
        .unwrap();
    assert_eq!(a.state, NoticeState::Answered);
    assert!(!a.is_overdue(d("2020-09-01")));
    assert_eq!(
        a.answer(DepartmentId(3), UserId(5), d("2020-08-06"), "再答"),
        Err(NoticeError::AlreadyAnswered)
    );
    let c = a.close(d("2020-08-07")).unwrap();
    assert_eq!(
        (c.state, c.closed_on),
        (NoticeState::Closed, Some(d("2020-08-07")))
    );
    assert_eq!(
        c.answer(DepartmentId(3), UserId(5), d("2020-08-08"), "答"),
        Err(NoticeError::Closed)
    );
    assert_eq!(c.close(d("2020-08-08")), Err(NoticeError::Closed));
}

#[test]
fn refusals() {
    let n = open();
    let cases = [
        (
            n.answer(DepartmentId(4), UserId(5), d("2020-08-05"), "答"),
            NoticeError::NotAddressee {
                addressee: DepartmentId(3),
                department: DepartmentId(4),
            },
        ),
        (
            n.answer(DepartmentId(3), UserId(5), d("2020-08-05"), " "),
            NoticeError::Empty {
                field: "answer".into(),
            },
        ),
        (
            n.answer(DepartmentId(3), UserId(5), d("2020-07-05"), "答"),
            NoticeError::DateBackwards {
                on: d("2020-07-05"),
                previous: d("2020-08-01"),
            },
        ),
        (
            n.close(d("2020-07-31")),
            NoticeError::DateBackwards {
                on: d("2020-07-31"),
                previous: d("2020-08-01"),
            },
        ),
        (
            Notice::issue(
                NoticeId(2),
                n.commitment.clone(),
                DepartmentId(3),
                UserId(1),
                d("2020-08-01"),
                d("2020-07-01"),
                "m",
            ),
            NoticeError::DueBeforeIssue {
                issued_on: d("2020-08-01"),
                due: d("2020-07-01"),
            },
        ),
        (
            Notice::issue(
                NoticeId(2),
                n.commitment.clone(),
                DepartmentId(3),
                UserId(1),
                d("2020-08-01"),
                d("2020-08-02"),
                "",
            ),
            NoticeError::Empty {
                field: "message".into(),
            },
        ),
    ];
    for (got, expected) in cases {
        assert_eq!(got, Err(expected));
    }
    // The office may withdraw an open notice.
    assert_eq!(n.close(d("2020-08-02")).unwrap().state, NoticeState::Closed);
}
