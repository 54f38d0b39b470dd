//! Notices to the end, through the router: the office issues, the department answers with an
//! evidence file, the office returns the answer with a reason, the department answers again, the
//! office closes it, in the pages and in the API; a late answer keeps its 超期 mark; 未办结 counts
//! every notice not closed; a supporting department reports its part and the lead sees it;
//! forms with an error keep what was typed; an error page shows who is signed in.

use axum::http::StatusCode;
use duban_core::date::{Date, parse_date};
use duban_core::ids::{DepartmentId, NoticeId};
use duban_core::notice::NoticeState;
use duban_server::{AppState, Settings};
use serde_json::json;

mod common;
use common::{Fixture, Who};

const PDF: &[u8] = b"%PDF-1.4 answer evidence";

fn day(s: &str) -> Date {
    parse_date("test", s).unwrap()
}

/// The fixture with an evidence directory, living on `as_of`.
async fn fixture(as_of: Date) -> (Fixture, tempfile::TempDir) {
    let mut f = Fixture::new().await;
    let evidence = tempfile::tempdir().unwrap();
    let settings = Settings {
        as_of: Some(as_of),
        evidence_dir: Some(evidence.path().to_path_buf()),
        ..Settings::default()
    };
    f.state = AppState::with_secret(f.store.clone(), settings, b"test secret");
    (f, evidence)
}

/// Task X, led by A, gets B as its supporting department.
async fn supported_by_b(f: &Fixture) {
    f.store
        .assign(
            "test",
            &f.x,
            DepartmentId(f.dept_a),
            vec![DepartmentId(f.dept_b)],
            None,
            common::today(),
        )
        .await
        .unwrap();
}

async fn state_of(f: &Fixture, id: i64) -> NoticeState {
    f.store.notice(NoticeId(id)).await.unwrap().state
}

#[tokio::test]
async fn a_notice_is_answered_returned_answered_again_and_closed_in_the_pages() {
    let (f, _evidence) = fixture(common::today()).await;
    // B supports task X: it reads the task, not the notice to its lead.
    supported_by_b(&f).await;
    let office = f.session(Who::Supervisor).await;
    let own = f.session(Who::Own).await;
    let other = f.session(Who::Other).await;
    let path = format!("/notices/{}", f.notice);

    // The department addressed sees the answer form; another department may not read it.
    let page = f.page(&own.0, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("id=\"answer-form\""));
    assert_eq!(f.page(&other.0, &path).await.status, StatusCode::FORBIDDEN);

    // Answer with an evidence file.
    let answered = f
        .submit(
            &own,
            &format!("{path}/answer"),
            &[("answer", "已协调用地，见批复")],
            &[("evidence", "用地批复.pdf", PDF)],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.html);
    let notice = f.store.notice(NoticeId(f.notice)).await.unwrap();
    assert_eq!(notice.state, NoticeState::Answered);
    let sha = notice.answers[0].evidence[0].sha256.clone();
    assert_eq!(sha, duban_server::evidence::sha256_hex(PDF));
    // The file is served to those who may read the notice, not to another department.
    let file = format!("/evidence/{sha}");
    assert_eq!(f.page(&own.0, &file).await.status, StatusCode::OK);
    assert_eq!(f.page(&office.0, &file).await.status, StatusCode::OK);
    assert_eq!(f.page(&other.0, &file).await.status, StatusCode::FORBIDDEN);

    // Answered: no second answer; only the office returns.
    let twice = f
        .submit(&own, &format!("{path}/answer"), &[("answer", "再答")], &[])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let by_department = f
        .submit(&own, &format!("{path}/return"), &[("reason", "x")], &[])
        .await;
    assert_eq!(by_department.status, StatusCode::FORBIDDEN);
    assert_eq!(state_of(&f, f.notice).await, NoticeState::Answered);

    // The office sees the return and close forms, and returns with a reason.
    let decide = f.page(&office.0, &path).await.html;
    assert!(decide.contains("id=\"return-form\"") && decide.contains("id=\"close-form\""));
    let no_reason = f
        .submit(&office, &format!("{path}/return"), &[("reason", " ")], &[])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.html.contains("退回理由"), "{}", no_reason.html);
    assert_eq!(state_of(&f, f.notice).await, NoticeState::Answered);
    let returned = f
        .submit(
            &office,
            &format!("{path}/return"),
            &[("reason", "请补充用地批复的文号")],
            &[],
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.html);
    assert_eq!(state_of(&f, f.notice).await, NoticeState::Returned);

    // The department sees it as to be answered again, with the reason, and its task list
    // counts it among the notices to answer.
    let list = f.page(&own.0, "/notices").await.html;
    assert!(list.contains("请补充用地批复的文号") && list.contains("重新答复"));
    let tasks = f.page(&own.0, "/tasks").await.html;
    assert!(tasks.contains("有 1 份督办单待答复"), "{tasks}");
    let again = f
        .submit(
            &own,
            &format!("{path}/answer"),
            &[("answer", "批复文号为苏自然资〔2020〕12号")],
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.html);
    let notice = f.store.notice(NoticeId(f.notice)).await.unwrap();
    let texts: Vec<&str> = notice.answers.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts,
        ["已协调用地，见批复", "批复文号为苏自然资〔2020〕12号"]
    );

    // The history shows both answers, the file and the return, in order.
    let history = f.page(&office.0, &path).await.html;
    let first = history.find("已协调用地，见批复").unwrap();
    let reason = history.find("退回理由：请补充用地批复的文号").unwrap();
    let second = history.find("批复文号为苏自然资〔2020〕12号").unwrap();
    assert!(first < reason && reason < second);
    assert!(history.contains("用地批复.pdf") && history.contains(&file));

    // The office closes it; nothing more can happen to it.
    let closed = f.submit(&office, &format!("{path}/close"), &[], &[]).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(state_of(&f, f.notice).await, NoticeState::Closed);
    let page = f.page(&office.0, &path).await.html;
    assert!(page.contains("已办结") && !page.contains("id=\"close-form\""));
    let late_return = f
        .submit(
            &office,
            &format!("{path}/return"),
            &[("reason", "再退")],
            &[],
        )
        .await;
    assert_eq!(late_return.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_api_returns_and_closes_notices_and_answers_carry_files() {
    let (f, _evidence) = fixture(common::today()).await;
    let n = f.notice;
    let upload = format!("/api/v1/notices/{n}/evidence?name=%E6%89%B9%E5%A4%8D.pdf");
    let pdf = std::str::from_utf8(PDF).unwrap();
    let (status, _) = f
        .call_raw(Who::Other, "POST", &upload, "application/octet-stream", pdf)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, uploaded) = f
        .call_raw(Who::Own, "POST", &upload, "application/octet-stream", pdf)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let sha = uploaded["sha256"].as_str().unwrap().to_string();

    // A file never uploaded for this notice is refused, naming it, and nothing is written.
    let (status, refused) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/notices/{n}/answer"),
            Some(json!({ "text": "见附件", "evidence": [{ "name": "x.pdf", "sha256": "a".repeat(64) }] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["field"], "evidence[0].sha256");
    assert_eq!(state_of(&f, n).await, NoticeState::Open);

    let (status, answered) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/notices/{n}/answer"),
            Some(json!({ "text": "见附件", "evidence": [{ "name": "批复.pdf", "sha256": sha }] })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["answers"][0]["evidence"][0]["sha256"], sha);

    let ret = format!("/api/v1/notices/{n}/return");
    let (status, _) = f
        .call(Who::Own, "POST", &ret, Some(json!({ "reason": "x" })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = f
        .call(Who::Supervisor, "POST", &ret, Some(json!({ "reason": "" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, returned) = f
        .call(
            Who::Supervisor,
            "POST",
            &ret,
            Some(json!({ "reason": "请补充文号" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{returned}");
    assert_eq!(returned["state"], "returned");
    assert_eq!(returned["returns"][0]["reason"], "请补充文号");
    let (status, listed) = f
        .call(Who::Own, "GET", "/api/v1/notices?state=returned", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let (status, again) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/notices/{n}/answer"),
            Some(json!({ "text": "文号为12号" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["answers"].as_array().unwrap().len(), 2);
    assert_eq!(again["answer"], "文号为12号");

    let (status, closed) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/notices/{n}/close"),
            None,
        )
        .await;
    assert_eq!(
        (status, closed["state"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    let (status, _) = f
        .call(
            Who::Supervisor,
            "POST",
            &ret,
            Some(json!({ "reason": "再退" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_answer_after_the_deadline_keeps_its_overdue_mark() {
    // The fixture's notice is due 2020-09-30; the office lives on 2020-10-08.
    let (f, _evidence) = fixture(day("2020-10-08")).await;
    let own = f.user(Who::Own).clone();
    let office_user = f.user(Who::Supervisor).clone();
    f.store
        .answer_notice(
            &own,
            NoticeId(f.notice),
            "迟到的答复",
            &[],
            day("2020-10-05"),
        )
        .await
        .unwrap();
    f.store
        .close_notice(&office_user, NoticeId(f.notice), day("2020-10-06"))
        .await
        .unwrap();
    // Another notice answered in time: no mark.
    let on_time = f
        .store
        .issue_notice(
            &office_user,
            &f.x,
            day("2020-10-31"),
            "按期答复的",
            day("2020-10-01"),
        )
        .await
        .unwrap();
    f.store
        .answer_notice(&own, on_time.id, "按期", &[], day("2020-10-05"))
        .await
        .unwrap();
    let office = f.session(Who::Supervisor).await;
    let list = f.page(&office.0, "/supervisor/notices").await.html;
    let row = |id: i64| {
        let start = list.find(&format!("id=\"notice-{id}\"")).unwrap();
        let end = list[start..].find("</tr>").unwrap() + start;
        list[start..end].to_string()
    };
    assert!(row(f.notice).contains("超期"), "{}", row(f.notice));
    assert!(!row(on_time.id.0).contains("超期"), "{}", row(on_time.id.0));
    let page = f
        .page(&office.0, &format!("/notices/{}", f.notice))
        .await
        .html;
    assert!(page.contains("id=\"notice-overdue\"") && page.contains("超期答复"));
    let (_, api) = f
        .call(
            Who::Supervisor,
            "GET",
            &format!("/api/v1/notices/{}", f.notice),
            None,
        )
        .await;
    assert_eq!(api["overdue"], true);
    assert_eq!(api["answers"][0]["late"], true);
}

#[tokio::test]
async fn unfinished_counts_every_notice_not_closed() {
    let (f, _evidence) = fixture(common::today()).await;
    let office = f.session(Who::Supervisor).await;
    let own = f.user(Who::Own).clone();
    // Answered but not closed: still 未办结.
    f.store
        .answer_notice(&own, NoticeId(f.notice), "已答复", &[], common::today())
        .await
        .unwrap();
    let overview = f
        .page(&office.0, &format!("/supervisor?report={}", f.report))
        .await
        .html;
    assert!(
        overview.contains("未办结督办单 <a href=\"/supervisor/notices\">1 份</a>"),
        "{overview}"
    );
    let bulletin = f
        .page(
            &office.0,
            &format!("/supervisor/bulletin?report={}", f.report),
        )
        .await
        .html;
    assert!(bulletin.contains("未办结的督办单（1 份）"), "{bulletin}");
    f.store
        .close_notice(f.user(Who::Supervisor), NoticeId(f.notice), common::today())
        .await
        .unwrap();
    let overview = f
        .page(&office.0, &format!("/supervisor?report={}", f.report))
        .await
        .html;
    assert!(overview.contains("未办结督办单 <a href=\"/supervisor/notices\">0 份</a>"));
}

#[tokio::test]
async fn forms_with_an_error_keep_what_was_typed() {
    let (f, _evidence) = fixture(common::today()).await;
    let office = f.session(Who::Supervisor).await;
    let own = f.session(Who::Own).await;
    let path = format!("/notices/{}", f.notice);

    // The answer form: a file that is no PDF; the answer comes back as typed.
    let answer = f
        .submit(
            &own,
            &format!("{path}/answer"),
            &[("answer", "已协调用地，材料见附件")],
            &[("evidence", "批复.pdf", b"not a pdf")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.html.contains("类型不支持"));
    assert!(answer.html.contains(">已协调用地，材料见附件</textarea>"));
    assert_eq!(state_of(&f, f.notice).await, NoticeState::Open);

    // The return form: a reason over its limit comes back as typed.
    f.store
        .answer_notice(
            f.user(Who::Own),
            NoticeId(f.notice),
            "答",
            &[],
            common::today(),
        )
        .await
        .unwrap();
    let long = "补".repeat(1001);
    let ret = f
        .submit(
            &office,
            &format!("{path}/return"),
            &[("reason", &long)],
            &[],
        )
        .await;
    assert_eq!(ret.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ret.html.contains(&format!(">{long}</textarea>")));

    // The issue form: a date that is no date; the message and the date come back as typed.
    let issue = f
        .submit(
            &office,
            "/supervisor/notices",
            &[
                ("commitment", f.x.as_str()),
                ("due", "2020-13-45"),
                ("message", "请说明农田建设进展"),
            ],
            &[],
        )
        .await;
    assert_eq!(issue.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(issue.html.contains(">请说明农田建设进展</textarea>"));
    assert!(issue.html.contains("value=\"2020-13-45\""));

    // The assignment form: no lead; the supporter and deadline chosen stay chosen.
    let b = f.dept_b.to_string();
    let assign = f
        .submit(
            &office,
            &format!("/supervisor/assign/{}", f.x),
            &[("lead", ""), ("support", &b), ("deadline", "2020-11-30")],
            &[],
        )
        .await;
    assert_eq!(
        assign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        assign.html
    );
    assert!(assign.html.contains("牵头单位"));
    assert!(assign.html.contains(&format!("value=\"{b}\" checked")));
    assert!(assign.html.contains("value=\"2020-11-30\""));
    let a = f.store.assignment(&f.x).await.unwrap().unwrap();
    assert_eq!(
        (a.lead.0, a.support.len()),
        (f.dept_a, 0),
        "nothing changed"
    );
}

#[tokio::test]
async fn an_error_page_shows_the_signed_in_user() {
    let (f, _evidence) = fixture(common::today()).await;
    let own = f.session(Who::Own).await;
    let missing = f.page(&own.0, "/notices/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let name = &f.user(Who::Own).name;
    assert!(missing.html.contains(name.as_str()), "{}", missing.html);
    assert!(missing.html.contains("退出"));
    // A visitor is sent to sign in instead.
    let anonymous = f.page("", "/notices/999999").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn only_a_supporting_department_reports_its_part_and_the_lead_sees_it() {
    let (f, _evidence) = fixture(common::today()).await;
    supported_by_b(&f).await;
    let supporter = f.session(Who::Other).await;
    let lead = f.session(Who::Own).await;
    let office = f.session(Who::Supervisor).await;
    let path = format!("/tasks/{}/support", f.x);

    // The supporter's form keeps what was typed when the figure is no number.
    let bad = f
        .submit(
            &supporter,
            &path,
            &[
                ("note", "已完成道路配套"),
                ("figure", "很多"),
                ("unit", "公里"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad.html.contains(">已完成道路配套</textarea>") && bad.html.contains("value=\"很多\""));
    let saved = f
        .submit(
            &supporter,
            &path,
            &[
                ("note", "已完成道路配套"),
                ("figure", "3.5"),
                ("unit", "公里"),
            ],
            &[],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    for who in [&lead, &office] {
        let denied = f.submit(who, &path, &[("note", "代报")], &[]).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
    }
    let parts = f.store.support_parts(&f.x).await.unwrap();
    assert_eq!(parts.len(), 1, "only the supporter's part was written");

    // The lead sees the part on its progress form and on the task page.
    let form = f
        .page(&lead.0, &format!("/tasks/{}/progress", f.x))
        .await
        .html;
    assert!(form.contains("已完成道路配套") && form.contains("3.5公里") && form.contains("乙局"));
    let task = f.page(&lead.0, &format!("/commitments/{}", f.x)).await.html;
    assert!(task.contains("已完成道路配套") && !task.contains("id=\"support-link\""));
    let task = f
        .page(&supporter.0, &format!("/commitments/{}", f.x))
        .await
        .html;
    assert!(task.contains("id=\"support-link\""));

    // The API: the same rule.
    let api = format!("/api/v1/commitments/{}/support", f.x);
    let (status, _) = f
        .call(Who::Own, "POST", &api, Some(json!({ "note": "代报" })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, part) = f
        .call(
            Who::Other,
            "POST",
            &api,
            Some(json!({ "note": "新增停车位", "figure": "120", "unit": "个" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{part}");
    assert_eq!(part["figure"], "120");
    let (status, listed) = f.call(Who::Own, "GET", &api, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 2);
}
