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
        .answer(
            DepartmentId(3),
            UserId(5),
            d("2020-08-05"),
            "已协调用地",
            vec![],
        )
        .unwrap();
    assert_eq!(a.state, NoticeState::Answered);
    assert!(!a.is_overdue(d("2020-09-01")));
    assert_eq!(
        a.answer(DepartmentId(3), UserId(5), d("2020-08-06"), "再答", vec![]),
        Err(NoticeError::AlreadyAnswered)
    );
    let c = a.close(d("2020-08-07")).unwrap();
    assert_eq!(
        (c.state, c.closed_on),
        (NoticeState::Closed, Some(d("2020-08-07")))
    );
    assert_eq!(
        c.answer(DepartmentId(3), UserId(5), d("2020-08-08"), "答", vec![]),
        Err(NoticeError::Closed)
    );
    assert_eq!(c.close(d("2020-08-08")), Err(NoticeError::Closed));
}

#[test]
fn refusals() {
    let n = open();
    let cases = [
        (
            n.answer(DepartmentId(4), UserId(5), d("2020-08-05"), "答", vec![]),
            NoticeError::NotAddressee {
                addressee: DepartmentId(3),
                department: DepartmentId(4),
            },
        ),
        (
            n.answer(DepartmentId(3), UserId(5), d("2020-08-05"), " ", vec![]),
            NoticeError::Empty {
                field: "answer".into(),
            },
        ),
        (
            n.answer(DepartmentId(3), UserId(5), d("2020-07-05"), "答", vec![]),
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

#[test]
fn returned_answered_again_keeps_history() {
    let n = open();
    let a = n
        .answer(
            DepartmentId(3),
            UserId(5),
            d("2020-08-05"),
            "已协调用地",
            vec![],
        )
        .unwrap();
    // Only an answered notice can be returned, with a reason, not before the answer.
    assert_eq!(
        n.return_for_rework(UserId(1), d("2020-08-05"), "补充材料"),
        Err(NoticeError::NotAnswered)
    );
    assert_eq!(
        a.return_for_rework(UserId(1), d("2020-08-06"), "  "),
        Err(NoticeError::Empty {
            field: "reason".into()
        })
    );
    assert_eq!(
        a.return_for_rework(UserId(1), d("2020-08-04"), "补充材料"),
        Err(NoticeError::DateBackwards {
            on: d("2020-08-04"),
            previous: d("2020-08-05"),
        })
    );
    let r = a
        .return_for_rework(UserId(1), d("2020-08-06"), " 请补充用地批复 ")
        .unwrap();
    assert_eq!(r.state, NoticeState::Returned);
    assert!(r.state.awaits_answer());
    assert_eq!(
        r.latest_return().map(|x| x.reason.as_str()),
        Some("请补充用地批复")
    );
    assert_eq!(
        r.return_for_rework(UserId(1), d("2020-08-07"), "再退"),
        Err(NoticeError::NotAnswered)
    );
    // The department answers again, not before the return; both answers are kept.
    assert!(matches!(
        r.answer(DepartmentId(3), UserId(5), d("2020-08-05"), "补", vec![]),
        Err(NoticeError::DateBackwards { .. })
    ));
    let again = r
        .answer(
            DepartmentId(3),
            UserId(5),
            d("2020-08-08"),
            "已补充批复",
            vec![],
        )
        .unwrap();
    assert_eq!(again.state, NoticeState::Answered);
    let texts: Vec<&str> = again.answers.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(texts, ["已协调用地", "已补充批复"]);
    let closed = again.close(d("2020-08-09")).unwrap();
    assert_eq!(closed.state, NoticeState::Closed);
    assert!(!closed.is_unfinished());
    assert_eq!(
        closed.return_for_rework(UserId(1), d("2020-08-10"), "x"),
        Err(NoticeError::Closed)
    );
}

#[test]
fn a_late_answer_stays_overdue() {
    let n = open();
    // Answered after the due date (2020-08-10): overdue for good, even once closed.
    let late = n
        .answer(DepartmentId(3), UserId(5), d("2020-08-12"), "迟复", vec![])
        .unwrap();
    assert!(late.is_overdue(d("2020-08-12")));
    let closed = late.close(d("2020-08-13")).unwrap();
    assert!(closed.is_overdue(d("2020-12-31")));
    // Answered in time: not overdue once answered, nor once closed.
    let on_time = n
        .answer(DepartmentId(3), UserId(5), d("2020-08-10"), "按期", vec![])
        .unwrap();
    assert!(!on_time.is_overdue(d("2020-12-31")));
    assert!(
        !on_time
            .close(d("2020-08-20"))
            .unwrap()
            .is_overdue(d("2020-12-31"))
    );
    // Returned and waiting past the due date: overdue.
    let returned = on_time
        .return_for_rework(UserId(1), d("2020-08-10"), "补充")
        .unwrap();
    assert!(!returned.is_overdue(d("2020-08-10")));
    assert!(returned.is_overdue(d("2020-08-11")));
    // Withdrawn unanswered after the due date: overdue; before it: not.
    assert!(
        n.close(d("2020-08-11"))
            .unwrap()
            .is_overdue(d("2020-12-31"))
    );
    assert!(
        !n.close(d("2020-08-09"))
            .unwrap()
            .is_overdue(d("2020-12-31"))
    );
}
