//! The store's conformance suite: every test body is written once and run on a fresh SQLite
//! file and on a fresh database of the real PostgreSQL server (which must be reachable: the
//! PostgreSQL half fails, never skips, without it).

mod common;

use common::{TestDb, synthetic};
use duban_core::auth::{Role, User};
use duban_core::date::{Date, parse_date};
use duban_core::notice::{Notice, NoticeState};
use duban_core::plan::{CommitmentId, Level};
use duban_core::progress::{DraftValue, ProgressDraft};
use duban_core::quantity::Quantity;
use duban_core::status::Status;
use duban_report::CommitmentKind;
use duban_store::model::{DepartmentRow, WorkReason};
use duban_store::{ImportRequest, ImportSummary, Store, StoreError};

fn day(s: &str) -> Date {
    parse_date("test", s).expect("date")
}

fn today() -> Date {
    day("2020-06-30")
}

/// A synthetic plan with departments, users and assignments in place.
struct Fixture {
    report: ImportSummary,
    lead: DepartmentRow,
    other: DepartmentRow,
    supervisor: User,
    lead_user: User,
    other_user: User,
    /// A quantified commitment assigned to `lead` (target 4.5 亩), signed off.
    quantified: CommitmentId,
    /// A milestone assigned to `other`.
    milestone: CommitmentId,
}

async fn import_synthetic(store: &Store) -> ImportSummary {
    common::import_synthetic(store, 2, 2, 3).await
}

async fn fixture(store: &Store) -> Fixture {
    let report = import_synthetic(store).await;
    let lead = store
        .add_department("test", "测试市", "市农业农村局")
        .await
        .expect("department");
    let other = store
        .add_department("test", "测试市", "市发改委")
        .await
        .expect("department");
    let supervisor = store
        .add_user("test", "dc", "督查室", Role::Supervisor, "hash")
        .await
        .unwrap();
    let lead_user = store
        .add_user(
            "test",
            "nyj",
            "农业局联络员",
            Role::Department(lead.id),
            "hash",
        )
        .await
        .unwrap();
    let other_user = store
        .add_user(
            "test",
            "fgw",
            "发改委联络员",
            Role::Department(other.id),
            "hash",
        )
        .await
        .unwrap();
    let detail = store
        .report(report.report_id.into_id())
        .await
        .expect("report");
    let quantified = detail
        .commitments
        .iter()
        .find(|c| c.kind == CommitmentKind::Quantified)
        .expect("a quantified commitment")
        .uid
        .clone();
    let milestone = detail
        .commitments
        .iter()
        .find(|c| c.kind == CommitmentKind::Milestone)
        .expect("a milestone")
        .uid
        .clone();
    store
        .assign("dc", &quantified, lead.id, vec![other.id], None, today())
        .await
        .expect("assign");
    store
        .assign(
            "dc",
            &milestone,
            other.id,
            vec![],
            Some(day("2020-09-30")),
            today(),
        )
        .await
        .expect("assign");
    store
        .sign_off(&lead_user, &quantified, day("2020-01-10"))
        .await
        .expect("sign off");
    Fixture {
        report,
        lead,
        other,
        supervisor,
        lead_user,
        other_user,
        quantified,
        milestone,
    }
}

trait IntoId {
    fn into_id(self) -> duban_core::ids::ReportId;
}
impl IntoId for i64 {
    fn into_id(self) -> duban_core::ids::ReportId {
        duban_core::ids::ReportId(self)
    }
}

fn value_draft(input: &str, unit: Option<&str>) -> ProgressDraft {
    ProgressDraft {
        as_of: Some(today()),
        values: vec![DraftValue {
            target: 0,
            input: input.into(),
            unit: unit.map(str::to_string),
        }],
        narrative: "按计划推进".into(),
        ..ProgressDraft::default()
    }
}

async fn assert_intact(store: &Store) {
    let verdict = store.verify_audit().await.expect("verify");
    assert!(
        verdict.is_intact(),
        "audit chain broken: {:?}",
        verdict.broken
    );
}

// ---------------------------------------------------------------------------------------------
// The test bodies.

async fn opens_empty_and_reopens(db: &TestDb) {
    let counts = db.store.row_counts().await.unwrap();
    assert!(counts.iter().all(|(_, n)| *n == 0), "{counts:?}");
    // Opening again applies no migration twice.
    let again = Store::open_with(&db.url, Some(&db.audit))
        .await
        .expect("reopen");
    assert_eq!(again.row_counts().await.unwrap().len(), counts.len());
    again.close().await;
}

async fn imports_the_seed_report_once(db: &TestDb) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/seed/suzhou-2020-report-page2.txt"
    );
    let bytes = std::fs::read(path).expect("seed report");
    let sources = [duban_report::Source {
        name: "suzhou-2020-report-page2.txt",
        bytes: &bytes,
    }];
    let (extraction, _) = duban_report::extract_sources(&sources).expect("extract");
    let ingested = duban_report::ingest::ingest(&sources).expect("ingest");
    let request = ImportRequest {
        government: "苏州市",
        level: Level::City,
        year: 2020,
        text: &ingested.text,
        source: "suzhou-2020-report-page2.txt",
        extraction: &extraction,
    };
    let summary = db
        .store
        .import_report("test", request)
        .await
        .expect("import seed");
    assert_eq!(summary.commitments, extraction.commitments.len());
    let detail = db
        .store
        .report(duban_core::ids::ReportId(summary.report_id))
        .await
        .unwrap();
    assert_eq!(detail.text, ingested.text);
    assert_eq!(detail.commitments.len(), extraction.commitments.len());
    assert_eq!(detail.summary.government, "苏州市");
    let before = db.store.row_counts().await.unwrap();
    match db.store.import_report("test", request).await {
        Err(StoreError::AlreadyImported {
            checksum,
            report_id,
        }) => {
            assert_eq!(checksum, summary.checksum);
            assert_eq!(report_id, summary.report_id);
        }
        other => panic!("second import: {other:?}"),
    }
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "a refused import wrote nothing"
    );
    assert_intact(&db.store).await;
}

async fn keeps_plans_exact(db: &TestDb) {
    let summary = import_synthetic(&db.store).await;
    assert_eq!(summary.commitments, 12);
    assert_eq!(summary.sections, 6);
    assert_eq!(summary.targets, 4);
    assert_eq!(summary.outcomes, 1);
    let detail = db.store.report(summary.report_id.into_id()).await.unwrap();
    let values: Vec<Quantity> = detail
        .commitments
        .iter()
        .flat_map(|c| c.targets.iter().map(|t| t.value))
        .collect();
    let expected: Vec<Quantity> = ["4.5", "9", "13.5", "18"]
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(values, expected);
    // The headings for breadcrumbs: the report's own, and each commitment's section among them.
    let sections = db
        .store
        .report_sections(summary.report_id.into_id())
        .await
        .unwrap();
    assert_eq!(sections.as_slice(), detail.sections.as_slice());
    assert_eq!(sections.len(), 6);
    assert!(detail.commitments.iter().all(|c| {
        c.section_id
            .is_some_and(|id| sections.iter().any(|s| s.id == id))
    }));
    // Stable ids: the same text of the same government and year gives the same ids.
    let (_, extraction) = synthetic::extraction(2, 2, 3);
    let plan = duban_core::plan::Plan::from_extraction("测试市", 2020, &extraction).unwrap();
    let ids: Vec<_> = detail.commitments.iter().map(|c| c.uid.clone()).collect();
    let expected_ids: Vec<_> = plan.commitments.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, expected_ids);
    assert_eq!(db.store.governments().await.unwrap()[0].level, Level::City);
    assert_eq!(db.store.reports(None).await.unwrap().len(), 1);
    let found = db.store.search_commitments("第7号", 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].text.contains("第7号任务"));
    assert!(
        db.store
            .search_commitments("100%_", 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Another text of the same government and year yields the same commitment ids: refused.
    let before = db.store.row_counts().await.unwrap();
    let (text, extraction) = synthetic::extraction(2, 2, 3);
    let edited = format!("{text}（修订稿）");
    let request = ImportRequest {
        government: "测试市",
        level: Level::City,
        year: 2020,
        text: &edited,
        source: "edited",
        extraction: &extraction,
    };
    let result = db.store.import_report("test", request).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "a refused import wrote nothing"
    );
}

async fn assigns_signs_off_and_tracks_progress(db: &TestDb) {
    let f = fixture(&db.store).await;
    let assignment = db
        .store
        .assignment(&f.quantified)
        .await
        .unwrap()
        .expect("assigned");
    assert_eq!(assignment.lead, f.lead.id);
    assert_eq!(assignment.support, vec![f.other.id]);
    assert_eq!(assignment.deadline, day("2020-12-31"));
    assert_eq!(
        assignment.signed_off,
        Some((f.lead_user.id, day("2020-01-10")))
    );
    // Signing twice is a conflict; another department may not sign.
    assert!(matches!(
        db.store
            .sign_off(&f.lead_user, &f.quantified, today())
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        db.store
            .sign_off(&f.other_user, &f.quantified, today())
            .await,
        Err(StoreError::Forbidden(_))
    ));

    // Half the year gone (48% of the period since sign-off), 1 of 4.5 亩 done (22%): lagging,
    // which needs a lag reason (the API's rule is the form's).
    let mut lagging = value_draft("1", Some("亩"));
    assert!(matches!(
        db.store
            .append_progress(&f.lead_user, &f.quantified, &lagging, today())
            .await,
        Err(StoreError::Invalid { ref field, .. }) if field == "reason_code"
    ));
    lagging.lag_reason = Some(duban_core::progress::LagReason {
        code: duban_core::progress::ReasonCode::Funding,
        text: "配套资金7月到位".into(),
    });
    let first = db
        .store
        .append_progress(&f.lead_user, &f.quantified, &lagging, today())
        .await
        .unwrap();
    let c = db.store.commitment(&f.quantified).await.unwrap();
    assert_eq!(c.targets[0].latest, Some("1".parse().unwrap()));
    assert_eq!(c.status, Status::Lagging, "{}", c.status_reason);
    assert!(!c.status_reason.is_empty());
    // A correction is a new row naming the corrected one.
    let mut correction = value_draft("3", None);
    correction.corrects = Some(first.id);
    db.store
        .append_progress(&f.lead_user, &f.quantified, &correction, today())
        .await
        .unwrap();
    let history = db.store.progress_history(&f.quantified).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].report.progress.corrects, Some(first.id));
    let c = db.store.commitment(&f.quantified).await.unwrap();
    assert_eq!(c.targets[0].latest, Some("3".parse().unwrap()));
    assert_eq!(c.status, Status::Ahead, "{}", c.status_reason);

    // Dashboards.
    let by_section = db
        .store
        .status_by_section(f.report.report_id.into_id())
        .await
        .unwrap();
    assert_eq!(by_section.len(), 6);
    let parts: i64 = by_section
        .iter()
        .filter(|s| s.section.parent.is_none())
        .map(|s| s.counts.total())
        .sum();
    assert_eq!(parts, 12);
    assert_eq!(
        by_section.iter().map(|s| s.counts.get(Status::Ahead)).max(),
        Some(1)
    );
    let by_department = db
        .store
        .status_by_department(f.report.report_id.into_id())
        .await
        .unwrap();
    let lead_counts = by_department
        .iter()
        .find(|d| d.department.id == f.lead.id)
        .unwrap();
    assert_eq!(lead_counts.counts.get(Status::Ahead), 1);
    let whole = db
        .store
        .status_of_report(f.report.report_id.into_id())
        .await
        .unwrap();
    assert_eq!(whole.total(), 12);

    // Work lists: the milestone is due within 100 days for its lead; the supporter sees the
    // quantified task only once it is due soon.
    let list = db.store.work_list(f.other.id, today(), 100).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].commitment, f.milestone);
    assert_eq!(list[0].reason, WorkReason::DueSoon);
    assert!(list[0].lead);
    let list = db.store.work_list(f.other.id, today(), 200).await.unwrap();
    assert_eq!(list.len(), 2);
    let late = db
        .store
        .work_list(f.other.id, day("2020-10-15"), 10)
        .await
        .unwrap();
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].reason, WorkReason::Overdue);
    assert_eq!(
        db.store.refresh_statuses(day("2020-10-15")).await.unwrap(),
        2
    );
    let milestone = db.store.commitment(&f.milestone).await.unwrap();
    assert_eq!(milestone.status, Status::Overdue);
    assert_intact(&db.store).await;
}

async fn refuses_bad_progress_and_writes_nothing(db: &TestDb) {
    let f = fixture(&db.store).await;
    let before = db.store.row_counts().await.unwrap();
    let events = db.store.verify_audit().await.unwrap().events;
    // Not a number.
    match db
        .store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("四点五亩左右", None),
            today(),
        )
        .await
    {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "values[0]"),
        other => panic!("non-number: {other:?}"),
    }
    // A value in the unit of another target.
    match db
        .store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("3", Some("%")),
            today(),
        )
        .await
    {
        Err(StoreError::Invalid { field, reason }) => {
            assert_eq!(field, "values[0]");
            assert!(reason.contains('亩'), "{reason}");
        }
        other => panic!("unit: {other:?}"),
    }
    // Another department writing to a task not its own, and a supervisor writing for one.
    for user in [&f.other_user, &f.supervisor] {
        let result = db
            .store
            .append_progress(user, &f.quantified, &value_draft("3", None), today())
            .await;
        assert!(
            matches!(result, Err(StoreError::Forbidden(_))),
            "{result:?}"
        );
    }
    // A date in the future, an unknown commitment.
    let mut future = value_draft("3", None);
    future.as_of = Some(day("2020-07-01"));
    assert!(matches!(
        db.store
            .append_progress(&f.lead_user, &f.quantified, &future, today())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    let unknown = CommitmentId::parse("000000000000").unwrap();
    assert!(matches!(
        db.store
            .append_progress(&f.lead_user, &unknown, &value_draft("3", None), today())
            .await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "refused reports wrote nothing"
    );
    assert_eq!(db.store.verify_audit().await.unwrap().events, events);
}

/// The office's notice on the fixture's quantified task, due 2020-07-10.
async fn issue_lag_notice(store: &Store, f: &Fixture) -> Notice {
    store
        .issue_notice(
            &f.supervisor,
            &f.quantified,
            day("2020-07-10"),
            "请说明进度滞后原因",
            today(),
        )
        .await
        .unwrap()
}

async fn runs_notices_open_answered_closed(db: &TestDb) {
    let f = fixture(&db.store).await;
    let notice = issue_lag_notice(&db.store, &f).await;
    assert_eq!(notice.state, NoticeState::Open);
    assert_eq!(notice.department, f.lead.id);
    // Only the office issues; only the addressee answers.
    assert!(matches!(
        db.store
            .issue_notice(&f.lead_user, &f.quantified, day("2020-07-10"), "x", today())
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        db.store
            .answer_notice(&f.other_user, notice.id, "不是我们的任务", &[], today())
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let answered = db
        .store
        .answer_notice(
            &f.lead_user,
            notice.id,
            "资金已落实，7月开工",
            &[],
            day("2020-07-02"),
        )
        .await
        .unwrap();
    assert_eq!(answered.state, NoticeState::Answered);
    let before = db.store.row_counts().await.unwrap();
    match db
        .store
        .answer_notice(&f.lead_user, notice.id, "再答一次", &[], day("2020-07-03"))
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("second answer: {other:?}"),
    }
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "a second answer wrote nothing"
    );
    let stored = db.store.notice(notice.id).await.unwrap();
    assert_eq!(
        stored.latest_answer().map(|a| a.text.as_str()),
        Some("资金已落实，7月开工")
    );
    let closed = db
        .store
        .close_notice(&f.supervisor, notice.id, day("2020-07-05"))
        .await
        .unwrap();
    assert_eq!(closed.state, NoticeState::Closed);
    assert!(matches!(
        db.store
            .close_notice(&f.supervisor, notice.id, day("2020-07-06"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let listed = db
        .store
        .notices(Some(f.lead.id), Some(NoticeState::Closed))
        .await
        .unwrap();
    assert_eq!(listed, vec![closed]);
    assert!(
        db.store
            .notices(Some(f.other.id), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_intact(&db.store).await;
}

async fn returns_notices_and_keeps_every_answer(db: &TestDb) {
    let f = fixture(&db.store).await;
    let notice = issue_lag_notice(&db.store, &f).await;
    // Only an answered notice goes back, only by the office, only with a reason.
    assert!(matches!(
        db.store
            .return_notice(&f.supervisor, notice.id, "补充", day("2020-07-01"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let file = duban_core::progress::EvidenceRef {
        name: "会议纪要.pdf".into(),
        sha256: "ef".repeat(32),
    };
    // A file is uploaded for the notice by the department addressed, and only cited by it.
    assert!(matches!(
        db.store
            .record_notice_upload(&f.other_user, notice.id, &file.name, &file.sha256, 5)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let before = db.store.row_counts().await.unwrap();
    match db
        .store
        .answer_notice(
            &f.lead_user,
            notice.id,
            "见纪要",
            std::slice::from_ref(&file),
            day("2020-07-02"),
        )
        .await
    {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "evidence[0].sha256"),
        other => panic!("an answer citing a file never uploaded: {other:?}"),
    }
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "nothing written"
    );
    db.store
        .record_notice_upload(&f.lead_user, notice.id, &file.name, &file.sha256, 5)
        .await
        .unwrap();
    db.store
        .answer_notice(
            &f.lead_user,
            notice.id,
            "见纪要",
            std::slice::from_ref(&file),
            day("2020-07-02"),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.evidence_notices(&file.sha256).await.unwrap(),
        vec![f.lead.id]
    );
    assert!(matches!(
        db.store
            .return_notice(&f.lead_user, notice.id, "补充", day("2020-07-03"))
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        db.store
            .return_notice(&f.supervisor, notice.id, "  ", day("2020-07-03"))
            .await,
        Err(StoreError::Invalid { .. })
    ));
    let returned = db
        .store
        .return_notice(&f.supervisor, notice.id, "请附进度表", day("2020-07-03"))
        .await
        .unwrap();
    assert_eq!(returned.state, NoticeState::Returned);
    assert_eq!(
        db.store
            .notices(Some(f.lead.id), Some(NoticeState::Returned))
            .await
            .unwrap()
            .len(),
        1
    );
    // Answered again after the due date: a new row; the first stays as it was.
    db.store
        .answer_notice(
            &f.lead_user,
            notice.id,
            "进度表已附",
            &[],
            day("2020-07-12"),
        )
        .await
        .unwrap();
    let stored = db.store.notice(notice.id).await.unwrap();
    assert_eq!(stored.state, NoticeState::Answered);
    let answers: Vec<(&str, usize)> = stored
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.evidence.len()))
        .collect();
    assert_eq!(answers, [("见纪要", 1), ("进度表已附", 0)]);
    assert_eq!(stored.returns[0].reason, "请附进度表");
    // History is append-only, even for raw SQL.
    assert!(
        db.raw("UPDATE notice_answers SET text = 'x'")
            .await
            .is_err()
    );
    assert!(db.raw("DELETE FROM notice_returns").await.is_err());
    assert!(db.raw("DELETE FROM notice_answer_evidence").await.is_err());
    assert!(
        stored.is_overdue(day("2020-07-12")),
        "the late answer is 超期"
    );
    let closed = db
        .store
        .close_notice(&f.supervisor, notice.id, day("2020-07-13"))
        .await
        .unwrap();
    assert!(
        closed.is_overdue(day("2020-12-31")),
        "and stays so once closed"
    );
    assert!(matches!(
        db.store
            .return_notice(&f.supervisor, notice.id, "再退", day("2020-07-14"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(db.store.notice(notice.id).await.unwrap(), closed);
    assert_intact(&db.store).await;
}

async fn supporting_departments_report_their_parts(db: &TestDb) {
    let f = fixture(&db.store).await;
    // The quantified task is led by 农业农村局 and supported by 发改委.
    for user in [&f.lead_user, &f.supervisor] {
        assert!(matches!(
            db.store
                .report_support_part(user, &f.quantified, "代报", "", "", today())
                .await,
            Err(StoreError::Forbidden(_))
        ));
    }
    let before = db.store.row_counts().await.unwrap();
    assert!(matches!(
        db.store
            .report_support_part(&f.other_user, &f.quantified, "已下达", "很多", "", today())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        before,
        "nothing written"
    );
    db.store
        .report_support_part(
            &f.other_user,
            &f.quantified,
            "已下达资金",
            "1.2万",
            "元",
            today(),
        )
        .await
        .unwrap();
    db.store
        .report_support_part(&f.other_user, &f.quantified, "已完成审批", "", "", today())
        .await
        .unwrap();
    let parts = db.store.support_parts(&f.quantified).await.unwrap();
    let shown: Vec<(&str, Option<String>, &str)> = parts
        .iter()
        .map(|p| {
            (
                p.note.as_str(),
                p.figure.map(|q| q.to_string()),
                p.unit.as_str(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("已下达资金", Some("12000".to_string()), "元"),
            ("已完成审批", None, ""),
        ]
    );
    assert!(parts.iter().all(|p| p.department == f.other.id));
    assert!(db.raw("UPDATE support_parts SET note = 'x'").await.is_err());
    assert_intact(&db.store).await;
}

async fn keeps_users_and_tokens(db: &TestDb) {
    let f = fixture(&db.store).await;
    let found = db.store.user_by_login("nyj").await.unwrap().expect("user");
    assert_eq!(found.user, f.lead_user);
    assert_eq!(found.password_hash, "hash");
    assert!(db.store.user_by_login("nobody").await.unwrap().is_none());
    assert!(matches!(
        db.store
            .add_user("test", "nyj", "重名", Role::Viewer, "hash")
            .await,
        Err(StoreError::Conflict(_))
    ));
    let (record, token) = db
        .store
        .create_token("admin", f.supervisor.id, "export script")
        .await
        .unwrap();
    assert_eq!(
        db.store
            .user_by_token(&token)
            .await
            .unwrap()
            .map(|u| u.user),
        Some(f.supervisor.clone())
    );
    assert!(db.store.user_by_token("dbn_wrong").await.unwrap().is_none());
    db.store.revoke_token("admin", record.id).await.unwrap();
    assert!(db.store.user_by_token(&token).await.unwrap().is_none());
    assert_eq!(db.store.users().await.unwrap().len(), 3);
    db.store
        .set_setting("admin", "status.lagging", "15")
        .await
        .unwrap();
    assert_eq!(
        db.store.setting("status.lagging").await.unwrap().as_deref(),
        Some("15")
    );
    assert_intact(&db.store).await;
}

async fn keeps_sessions_throttles_and_token_lineage(db: &TestDb) {
    let f = fixture(&db.store).await;
    let user = f.lead_user.id;
    let now = 1_900_000_000;
    let first = db
        .store
        .create_session(user, now, now + 3600)
        .await
        .unwrap();
    let second = db
        .store
        .create_session(user, now, now + 3600)
        .await
        .unwrap();
    assert_ne!(first, second);
    let live = db.store.session(&first, now).await.unwrap().expect("live");
    assert_eq!((live.user.user.id, live.expires_at), (user, now + 3600));
    assert!(
        db.store
            .session(&first, now + 3600)
            .await
            .unwrap()
            .is_none()
    );
    assert!(db.store.session("nonsense", now).await.unwrap().is_none());
    assert!(db.store.end_session(&first).await.unwrap());
    assert!(db.store.session(&first, now).await.unwrap().is_none());
    assert!(!db.store.end_session(&first).await.unwrap());
    db.store
        .set_password("admin", user, "new hash")
        .await
        .unwrap();
    assert!(db.store.session(&second, now).await.unwrap().is_none());
    assert_eq!(db.store.user(user).await.unwrap().password_hash, "new hash");
    let third = db
        .store
        .create_session(user, now, now + 3600)
        .await
        .unwrap();
    db.store
        .set_user_disabled("admin", user, true)
        .await
        .unwrap();
    assert!(db.store.session(&third, now).await.unwrap().is_none());
    db.store
        .set_user_disabled("admin", user, false)
        .await
        .unwrap();
    assert!(
        db.store.session(&third, now).await.unwrap().is_none(),
        "ended stays ended"
    );
    assert!(matches!(
        db.store
            .set_password("admin", duban_core::ids::UserId(999_999), "h")
            .await,
        Err(StoreError::NotFound { .. })
    ));

    // The throttle: per (login, address), counted, forgotten after a while, cleared on success.
    let delay = |n: i64| if n >= 3 { 60 } else { 0 };
    for n in 1..=3 {
        let t = db
            .store
            .login_failed("nyj", "10.0.0.1", now, 86_400, delay)
            .await
            .unwrap();
        assert_eq!(t.failures, n);
    }
    let t = db
        .store
        .login_throttle("nyj", "10.0.0.1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((t.failures, t.blocked_until), (3, now + 60));
    assert!(
        db.store
            .login_throttle("nyj", "10.0.0.2")
            .await
            .unwrap()
            .is_none()
    );
    let t = db
        .store
        .login_failed("nyj", "10.0.0.1", now + 86_400, 86_400, delay)
        .await
        .unwrap();
    assert_eq!(t.failures, 1, "an old count starts again");
    db.store.login_succeeded("nyj", "10.0.0.1").await.unwrap();
    assert!(
        db.store
            .login_throttle("nyj", "10.0.0.1")
            .await
            .unwrap()
            .is_none()
    );

    // Token lineage: revoking a token revokes what it made, and what those made.
    let (parent, parent_token) = db
        .store
        .create_token("t", f.supervisor.id, "p")
        .await
        .unwrap();
    let (child, child_token) = db
        .store
        .create_token_from("t", f.supervisor.id, "c", Some(parent.id))
        .await
        .unwrap();
    let (_, grandchild_token) = db
        .store
        .create_token_from("t", f.supervisor.id, "g", Some(child.id))
        .await
        .unwrap();
    let (_, other_token) = db
        .store
        .create_token("t", f.supervisor.id, "o")
        .await
        .unwrap();
    assert_eq!(
        db.store
            .token_owner(&child_token)
            .await
            .unwrap()
            .map(|(id, _)| id),
        Some(child.id)
    );
    assert!(matches!(
        db.store
            .create_token_from("t", f.lead_user.id, "x", Some(parent.id))
            .await,
        Err(StoreError::NotFound { .. })
    ));
    db.store.revoke_token("t", parent.id).await.unwrap();
    for token in [&parent_token, &child_token, &grandchild_token] {
        assert!(db.store.user_by_token(token).await.unwrap().is_none());
    }
    assert!(
        db.store
            .user_by_token(&other_token)
            .await
            .unwrap()
            .is_some()
    );
    // The same login rule as every boundary.
    assert!(matches!(
        db.store
            .add_user("test", "\u{430}dmin", "x", Role::Viewer, "h")
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        db.store
            .add_user("test", "NYJ", "x", Role::Viewer, "h")
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_intact(&db.store).await;
}

async fn audit_chain_catches_tampering(db: &TestDb) {
    let f = fixture(&db.store).await;
    db.store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("2", None),
            today(),
        )
        .await
        .unwrap();
    let verdict = db.store.verify_audit().await.unwrap();
    assert!(verdict.is_intact());
    assert!(verdict.events >= 10, "{verdict:?}");
    let events = db.store.audit_events(0, 1000).await.unwrap();
    assert_eq!(events.len() as i64, verdict.events);
    assert!(
        events
            .iter()
            .any(|e| e.action == "progress.append" && e.actor == "nyj")
    );
    // History is append-only, even for raw SQL, while the triggers stand.
    assert!(
        db.raw("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
            .await
            .is_err()
    );
    assert!(db.raw("DELETE FROM progress_reports").await.is_err());
    assert!(
        db.raw("UPDATE progress_values SET value_e4 = 0")
            .await
            .is_err()
    );
    // Someone with the database's keys drops the trigger and rewrites event 3.
    if db.url.starts_with("postgres") {
        db.raw("DROP TRIGGER audit_events_append_only ON audit_events")
            .await
            .unwrap();
    } else {
        db.raw("DROP TRIGGER audit_events_no_update").await.unwrap();
    }
    assert_eq!(
        db.raw("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
            .await
            .unwrap(),
        1
    );
    let verdict = db.store.verify_audit().await.unwrap();
    let broken = verdict.broken.expect("tampering detected");
    assert_eq!(broken.seq, 3, "{}", broken.reason);
    // Recomputing the forged event's hash without the audit key (plain SHA-256, all that
    // someone with only the database can do) does not mend the link.
    let forged = db.store.audit_events(2, 1).await.unwrap().remove(0);
    let plain = sha256_hex(&forged.canonical());
    db.raw(&format!(
        "UPDATE audit_events SET hash = '{plain}' WHERE seq = 3"
    ))
    .await
    .unwrap();
    let broken = db
        .store
        .verify_audit()
        .await
        .unwrap()
        .broken
        .expect("still detected");
    assert_eq!(broken.seq, 3, "{}", broken.reason);
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Someone with the database drops the triggers: the events the tests delete or rewrite.
async fn drop_audit_triggers(db: &TestDb) {
    if db.url.starts_with("postgres") {
        db.raw("DROP TRIGGER audit_events_append_only ON audit_events")
            .await
            .unwrap();
    } else {
        db.raw("DROP TRIGGER audit_events_no_update").await.unwrap();
        db.raw("DROP TRIGGER audit_events_no_delete").await.unwrap();
    }
}

async fn audit_anchor_catches_a_cut_tail_and_a_recomputed_chain(db: &TestDb) {
    let f = fixture(&db.store).await;
    let checkpoint = db.store.checkpoint().await.unwrap();
    assert!(checkpoint.events >= 10, "{checkpoint:?}");
    assert!(checkpoint.line().contains(&checkpoint.head));
    let verdict = db.store.verify_audit().await.unwrap();
    assert!(verdict.is_intact(), "{:?}", verdict.broken);
    assert_eq!(verdict.checkpoint.as_ref(), Some(&checkpoint));
    // The checkpoint file lives outside the database, one signed line per checkpoint.
    let file = std::fs::read_to_string(&db.audit.checkpoints).unwrap();
    assert!(file.contains(&checkpoint.mac), "{file}");
    // The key file is the owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db.audit.key)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }

    // A cut tail: the last two events deleted leave a valid, shorter chain, which the
    // checkpoint shows was cut.
    db.store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("2", None),
            today(),
        )
        .await
        .unwrap();
    db.store.checkpoint().await.unwrap();
    drop_audit_triggers(db).await;
    let head = db.store.verify_audit().await.unwrap().events;
    db.raw(&format!(
        "DELETE FROM audit_events WHERE seq > {}",
        head - 2
    ))
    .await
    .unwrap();
    let broken = db
        .store
        .verify_audit()
        .await
        .unwrap()
        .broken
        .expect("a cut tail is detected");
    assert!(broken.reason.contains("末尾被截去"), "{}", broken.reason);

    // A recomputed chain: every event from 2 on rewritten and re-hashed in plain SHA-256.
    let events = db.store.audit_events(0, 100_000).await.unwrap();
    let mut prev = events[0].hash.clone();
    for e in &events[1..] {
        let mut forged = e.clone();
        forged.actor = "mallory".into();
        forged.prev_hash = prev.clone();
        forged.hash = sha256_hex(&forged.canonical());
        db.raw(&format!(
            "UPDATE audit_events SET actor = 'mallory', prev_hash = '{}', hash = '{}' WHERE seq = {}",
            forged.prev_hash, forged.hash, e.seq
        ))
        .await
        .unwrap();
        prev = forged.hash;
    }
    let broken = db
        .store
        .verify_audit()
        .await
        .unwrap()
        .broken
        .expect("a recomputed chain is detected");
    assert_eq!(broken.seq, 2, "{}", broken.reason);

    // A forged checkpoint line (no key) is refused naming its line.
    let mut text = std::fs::read_to_string(&db.audit.checkpoints).unwrap();
    text.push_str(&format!(
        "{{\"events\":1,\"head\":\"{}\",\"at\":\"2020-01-01T00:00:00Z\",\"mac\":\"00\"}}\n",
        events[0].hash
    ));
    std::fs::write(&db.audit.checkpoints, text).unwrap();
    match db.store.verify_audit().await {
        Err(StoreError::Invalid { field, reason }) => {
            assert!(
                field.contains("行") && reason.contains("签名"),
                "{field}: {reason}"
            )
        }
        other => panic!("forged checkpoint: {other:?}"),
    }
}

async fn evidence_is_cited_only_by_its_uploader(db: &TestDb) {
    let f = fixture(&db.store).await;
    let hash = |i: u8| format!("{i:02x}").repeat(32);
    let cite = |hashes: &[String]| {
        let mut draft = value_draft("2", None);
        for h in hashes {
            draft.evidence.push(duban_core::progress::EvidenceRef {
                name: "验收单.pdf".into(),
                sha256: h.clone(),
            });
        }
        draft
    };
    let before = db.store.row_counts().await.unwrap();
    // Never uploaded.
    match db
        .store
        .append_progress(&f.lead_user, &f.quantified, &cite(&[hash(1)]), today())
        .await
    {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "evidence[0].sha256"),
        other => panic!("not uploaded: {other:?}"),
    }
    // Another department may not upload for this task.
    assert!(matches!(
        db.store
            .record_upload(&f.other_user, &f.quantified, "a.pdf", &hash(2), 10)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(db.store.row_counts().await.unwrap(), before);
    // Uploaded for another task (the milestone, by its own lead) does not count here.
    db.store
        .record_upload(&f.other_user, &f.milestone, "b.pdf", &hash(3), 10)
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .append_progress(&f.lead_user, &f.quantified, &cite(&[hash(3)]), today())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    // Six files: over the form's limit of five, also through the store.
    let six: Vec<String> = (10..16).map(hash).collect();
    for h in &six {
        db.store
            .record_upload(&f.lead_user, &f.quantified, "c.pdf", h, 10)
            .await
            .unwrap();
    }
    match db
        .store
        .append_progress(&f.lead_user, &f.quantified, &cite(&six), today())
        .await
    {
        Err(StoreError::Invalid { field, reason }) => {
            assert_eq!(field, "evidence");
            assert!(reason.contains("最多 5 个"), "{reason}");
        }
        other => panic!("six files: {other:?}"),
    }
    // Its own upload for this task: accepted, and the file belongs to this task.
    db.store
        .append_progress(&f.lead_user, &f.quantified, &cite(&six[..2]), today())
        .await
        .unwrap();
    let tasks = db.store.evidence_tasks(&six[0]).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].commitment, f.quantified);
    assert!(db.store.evidence_tasks(&hash(1)).await.unwrap().is_empty());
    assert_intact(&db.store).await;
}

async fn backs_up_and_restores_every_table(db: &TestDb) {
    let f = fixture(&db.store).await;
    let mut draft = value_draft("2", Some("亩"));
    db.store
        .record_upload(
            &f.lead_user,
            &f.quantified,
            "验收单.pdf",
            &"ab".repeat(32),
            9,
        )
        .await
        .unwrap();
    draft.evidence.push(duban_core::progress::EvidenceRef {
        name: "验收单.pdf".into(),
        sha256: "ab".repeat(32),
    });
    db.store
        .append_progress(&f.lead_user, &f.quantified, &draft, today())
        .await
        .unwrap();
    let notice = db
        .store
        .issue_notice(
            &f.supervisor,
            &f.quantified,
            day("2020-07-10"),
            "请加快",
            today(),
        )
        .await
        .unwrap();
    let file = duban_core::progress::EvidenceRef {
        name: "会议纪要.pdf".into(),
        sha256: "cd".repeat(32),
    };
    db.store
        .record_notice_upload(&f.lead_user, notice.id, &file.name, &file.sha256, 7)
        .await
        .unwrap();
    db.store
        .answer_notice(&f.lead_user, notice.id, "已加快", &[file], today())
        .await
        .unwrap();
    db.store
        .return_notice(&f.supervisor, notice.id, "请附进度表", today())
        .await
        .unwrap();
    db.store
        .report_support_part(
            &f.other_user,
            &f.quantified,
            "已下达资金",
            "1.2万",
            "元",
            today(),
        )
        .await
        .unwrap();
    db.store
        .create_token("admin", f.supervisor.id, "t")
        .await
        .unwrap();
    db.store
        .set_setting("admin", "status.serious", "25")
        .await
        .unwrap();
    // A draft with one correction, so that the corrections log has a row too.
    let draft_text = include_str!("../../../testdata/demo/suzhou-2021-draft.txt");
    let (extraction, diagnostics) = duban_report::extract_text(draft_text);
    let draft_report = db
        .store
        .import_draft(
            "test",
            ImportRequest {
                government: "测试市",
                level: Level::City,
                year: 2021,
                text: draft_text,
                source: "draft.txt",
                extraction: &extraction,
            },
            &diagnostics,
            false,
        )
        .await
        .unwrap();
    let first_span = extraction.commitments[0].span;
    db.store
        .correct_report(
            "test",
            duban_core::ids::ReportId(draft_report.report_id),
            duban_core::correction::Correction::Ignore { span: first_span },
        )
        .await
        .unwrap();
    // Published, it gives the 2020 plan its verdicts (兑现); the office overrides one.
    db.store
        .publish_report("test", duban_core::ids::ReportId(draft_report.report_id))
        .await
        .unwrap();
    let verdicts = db
        .store
        .verdicts(f.report.report_id.into_id())
        .await
        .unwrap();
    let v = verdicts.first().expect("verdicts on the 2020 plan");
    db.store
        .override_verdict(
            "test",
            &v.commitment,
            v.target_index,
            duban_core::verdict::VerdictKind::Kept,
            "核实后改判",
        )
        .await
        .unwrap();
    let round = db
        .store
        .open_round(
            &f.supervisor,
            f.report.report_id.into_id(),
            duban_core::round::RoundPeriod::Quarterly,
            day("2020-06-30"),
            day("2020-07-10"),
        )
        .await
        .unwrap();
    db.store
        .remind_round(
            Some(&f.supervisor),
            round.id,
            duban_core::round::Trigger::Manual(day("2020-07-12")),
            day("2020-07-12"),
        )
        .await
        .unwrap();
    for r in db
        .store
        .claim_reminders(&duban_store::clock::now(), 10)
        .await
        .unwrap()
    {
        db.store
            .finish_reminder(r.id, Ok("已送达站内信".into()))
            .await
            .unwrap();
    }
    let mut first = Vec::new();
    let summary = db.store.backup(&mut first).await.unwrap();
    assert!(
        summary.tables.iter().all(|(_, n)| *n > 0),
        "every table has rows: {summary:?}"
    );

    let target = db.sibling().await;
    let secret = db.store.session_secret().await.unwrap();
    let mut first = Vec::new();
    let summary = db.store.backup(&mut first).await.unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(
        !text.contains(&secret),
        "the session secret stays out of backups"
    );
    assert!(text.contains("status.serious"), "other settings go in");
    let restored = target.store.restore(first.as_slice()).await.unwrap();
    assert_eq!(restored.tables, summary.tables);
    let mut second = Vec::new();
    target.store.backup(&mut second).await.unwrap();
    let body = |b: &[u8]| {
        String::from_utf8(b.to_vec())
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_string)
            .filter(|l| !l.starts_with("{\"end\""))
            .filter(|l| !l.contains("server.session_secret"))
            .collect::<Vec<_>>()
    };
    assert_eq!(body(&first), body(&second), "every table round-trips");
    assert_intact(&target.store).await;
    // A restore makes a new secret.
    assert_ne!(target.store.session_secret().await.unwrap(), secret);
    // The restored store keeps working: new ids do not collide with restored ones.
    let lead_user = target
        .store
        .user_by_login("nyj")
        .await
        .unwrap()
        .unwrap()
        .user;
    target
        .store
        .append_progress(&lead_user, &f.quantified, &value_draft("4", None), today())
        .await
        .unwrap();
    target
        .store
        .add_department("test", "测试市", "市财政局")
        .await
        .unwrap();
    assert_intact(&target.store).await;

    // Restoring into a database that holds data is refused, and changes nothing.
    let before = target.store.row_counts().await.unwrap();
    assert!(matches!(
        target.store.restore(first.as_slice()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(target.store.row_counts().await.unwrap(), before);
    // A hand-edited backup (one progress figure changed) is refused, and writes nothing.
    let empty = db.sibling().await;
    let edited = text.replacen("按计划推进", "已全部完成", 1);
    assert_ne!(edited, text);
    match empty.store.restore(edited.as_bytes()).await {
        Err(StoreError::Invalid { reason, .. }) => assert!(reason.contains("签名"), "{reason}"),
        other => panic!("edited: {other:?}"),
    }
    // So is a backup under another audit key.
    let dir = tempfile::tempdir().unwrap();
    let foreign_url = format!("sqlite:{}", dir.path().join("other.db").display());
    let foreign = Store::open(&foreign_url).await.unwrap();
    match foreign.restore(first.as_slice()).await {
        Err(StoreError::Invalid { reason, .. }) => {
            assert!(reason.contains("--audit-key"), "{reason}")
        }
        other => panic!("foreign key: {other:?}"),
    }
    assert!(
        foreign
            .row_counts()
            .await
            .unwrap()
            .iter()
            .all(|(_, n)| *n == 0)
    );
    // A truncated file is refused naming where it ends, and writes nothing.
    let cut: Vec<u8> = String::from_utf8(first.clone())
        .unwrap()
        .lines()
        .take(5)
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes();
    match empty.store.restore(cut.as_slice()).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "backup"),
        other => panic!("truncated: {other:?}"),
    }
    assert!(
        empty
            .store
            .row_counts()
            .await
            .unwrap()
            .iter()
            .all(|(_, n)| *n == 0)
    );
}

async fn restores_across_backends(db: &TestDb) {
    // A backup from SQLite restores here, and the other way round.
    let source = TestDb::sqlite().await;
    fixture(&source.store).await;
    let mut from_sqlite = Vec::new();
    source.store.backup(&mut from_sqlite).await.unwrap();
    db.store.restore(from_sqlite.as_slice()).await.unwrap();
    assert_eq!(
        db.store.row_counts().await.unwrap(),
        source.store.row_counts().await.unwrap()
    );
    let mut back = Vec::new();
    db.store.backup(&mut back).await.unwrap();
    let again = TestDb::sqlite().await;
    again.store.restore(back.as_slice()).await.unwrap();
    assert_intact(&again.store).await;
}

async fn refuses_reassignment_across_governments(db: &TestDb) {
    let f = fixture(&db.store).await;
    db.store
        .ensure_government("test", "外市", Level::City)
        .await
        .unwrap();
    let stranger = db
        .store
        .add_department("test", "外市", "外市农业局")
        .await
        .unwrap();
    let before = db.store.row_counts().await.unwrap();
    assert!(matches!(
        db.store
            .assign("dc", &f.quantified, stranger.id, vec![], None, today())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        db.store
            .assign(
                "dc",
                &f.quantified,
                f.lead.id,
                vec![f.lead.id],
                None,
                today()
            )
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(db.store.row_counts().await.unwrap(), before);
    // Reassigning replaces lead, support and sign-off.
    let again = db
        .store
        .assign(
            "dc",
            &f.quantified,
            f.other.id,
            vec![],
            Some(day("2020-11-30")),
            today(),
        )
        .await
        .unwrap();
    assert_eq!(again.lead, f.other.id);
    assert!(again.support.is_empty());
    assert_eq!(again.signed_off, None);
    assert!(matches!(
        db.store
            .add_department("test", "测试市", "市农业农村局")
            .await,
        Err(StoreError::Conflict(_))
    ));
}

/// The trial's defect: once a second report of the same government existed, each report's
/// by-department figures counted the other's tasks too.
async fn counts_departments_per_report(db: &TestDb) {
    let f = fixture(&db.store).await;
    let (text, extraction) = synthetic::extraction(1, 1, 2);
    let second = db
        .store
        .import_report(
            "test",
            ImportRequest {
                government: "测试市",
                level: Level::City,
                year: 2021,
                text: &text,
                source: "synthetic",
                extraction: &extraction,
            },
        )
        .await
        .unwrap();
    let detail = db.store.report(second.report_id.into_id()).await.unwrap();
    for c in &detail.commitments {
        db.store
            .assign(
                "dc",
                &c.uid,
                f.lead.id,
                vec![],
                Some(day("2021-12-31")),
                today(),
            )
            .await
            .unwrap();
    }
    let lead_total = |rows: &[duban_store::model::DepartmentCounts]| {
        rows.iter()
            .find(|d| d.department.id == f.lead.id)
            .map(|d| d.counts.total())
    };
    let first = db
        .store
        .status_by_department(f.report.report_id.into_id())
        .await
        .unwrap();
    assert_eq!(
        lead_total(&first),
        Some(1),
        "report 1: the quantified task only"
    );
    let other = db
        .store
        .status_by_department(second.report_id.into_id())
        .await
        .unwrap();
    assert_eq!(
        lead_total(&other),
        Some(i64::try_from(detail.commitments.len()).unwrap())
    );
    assert_eq!(
        other
            .iter()
            .find(|d| d.department.id == f.other.id)
            .map(|d| d.counts.total()),
        Some(0),
        "the milestone belongs to report 1"
    );
}

/// Rounds and the 催办 queue: who is missing, one reminder per (task, trigger, channel,
/// recipient) however often it is queued, one claim per reminder, back-off after a failure,
/// rows a stopped sender left `sending` queued again, every attempt kept.
async fn runs_rounds_and_the_reminder_queue(db: &TestDb) {
    use duban_core::round::{ReportState, RoundPeriod, Trigger};
    let f = fixture(&db.store).await;
    let report = f.report.report_id.into_id();
    let round = db
        .store
        .open_round(
            &f.supervisor,
            report,
            RoundPeriod::Quarterly,
            day("2020-06-30"),
            day("2020-07-10"),
        )
        .await
        .unwrap();
    assert_eq!(round.round.label, "2020年第二季度");
    assert!(matches!(
        db.store
            .open_round(
                &f.lead_user,
                report,
                RoundPeriod::Quarterly,
                day("2020-09-30"),
                day("2020-10-10"),
            )
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        db.store
            .open_round(
                &f.supervisor,
                report,
                RoundPeriod::Quarterly,
                day("2020-06-30"),
                day("2020-07-15"),
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    db.store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("4.5", Some("亩")),
            today(),
        )
        .await
        .unwrap();
    let lines = db
        .store
        .round_lines(round.id, day("2020-07-12"))
        .await
        .unwrap();
    let state = |uid: &CommitmentId| {
        lines
            .iter()
            .find(|l| &l.commitment == uid)
            .map(|l| l.report)
    };
    assert_eq!(state(&f.quantified), Some(ReportState::Reported));
    assert_eq!(state(&f.milestone), Some(ReportState::MissingOverdue));
    let pending = db
        .store
        .pending_for(f.other.id, day("2020-07-05"), 0)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].1[0].commitment, f.milestone);
    assert!(
        db.store
            .pending_for(f.lead.id, day("2020-07-05"), 0)
            .await
            .unwrap()
            .is_empty()
    );

    db.store
        .set_user_email("test", f.other_user.id, Some("fgw@office.test"))
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .set_user_email("test", f.other_user.id, Some("不是地址"))
            .await,
        Err(StoreError::Invalid { .. })
    ));
    db.store
        .set_setting("test", "reminders.webhook_url", "http://127.0.0.1:9/robot")
        .await
        .unwrap();
    let click = Trigger::Manual(day("2020-07-12"));
    let queued = db
        .store
        .remind_round(Some(&f.supervisor), round.id, click, day("2020-07-12"))
        .await
        .unwrap();
    assert_eq!(
        queued, 3,
        "inbox and e-mail of 发改委's user, and the robot"
    );
    assert_eq!(
        db.store
            .remind_round(Some(&f.supervisor), round.id, click, day("2020-07-12"))
            .await
            .unwrap(),
        0,
        "the same click twice queues nothing more"
    );
    assert!(matches!(
        db.store
            .remind_round(Some(&f.lead_user), round.id, click, day("2020-07-12"))
            .await,
        Err(StoreError::Forbidden(_))
    ));

    let now = duban_store::clock::now();
    let claimed = db.store.claim_reminders(&now, 10).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(
        claimed
            .iter()
            .all(|r| r.state == "sending" && r.attempts == 1)
    );
    assert!(db.store.claim_reminders(&now, 10).await.unwrap().is_empty());
    let webhook = claimed
        .iter()
        .find(|r| r.channel == duban_core::round::Channel::Webhook)
        .unwrap();
    for r in &claimed {
        let outcome = if r.id == webhook.id {
            Err("群机器人无应答".to_string())
        } else {
            Ok("已送达".to_string())
        };
        assert!(db.store.finish_reminder(r.id, outcome).await.unwrap());
    }
    assert!(
        !db.store
            .finish_reminder(webhook.id, Ok("again".into()))
            .await
            .unwrap(),
        "a reminder not being sent is left alone"
    );
    let later = duban_store::clock::now();
    assert!(
        db.store
            .claim_reminders(&later, 10)
            .await
            .unwrap()
            .is_empty(),
        "the failed one waits for its back-off"
    );
    assert_eq!(db.store.retry_reminders_now().await.unwrap(), 1);
    let again = db
        .store
        .claim_reminders(&duban_store::clock::now(), 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    // The sender stops here; at start-up the row is queued again and sent once.
    assert_eq!(db.store.requeue_interrupted().await.unwrap(), 1);
    let resumed = db
        .store
        .claim_reminders(&duban_store::clock::now(), 10)
        .await
        .unwrap();
    assert_eq!(resumed.len(), 1);
    assert!(
        db.store
            .finish_reminder(resumed[0].id, Ok("群机器人已接收".into()))
            .await
            .unwrap()
    );
    let log = db.store.reminders_of(&f.milestone).await.unwrap();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|(r, _)| r.state == "sent"));
    let (_, attempts) = log.iter().find(|(r, _)| r.id == webhook.id).unwrap();
    let outcomes: Vec<&str> = attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["failed", "sent"]);
    let inbox = db.store.inbox(f.other_user.id).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].body.contains("尚未报送"), "{}", inbox[0].body);
    assert!(db.store.inbox(f.lead_user.id).await.unwrap().is_empty());

    let notice = db
        .store
        .issue_notice(
            &f.supervisor,
            &f.quantified,
            day("2020-07-20"),
            "请说明资金到位情况",
            today(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store
            .remind_notice(Some(&f.supervisor), notice.id, click)
            .await
            .unwrap(),
        2,
        "农业局's user's inbox and the robot"
    );
    db.store
        .answer_notice(
            &f.lead_user,
            notice.id,
            "资金已到位",
            &[],
            day("2020-07-13"),
        )
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .remind_notice(
                Some(&f.supervisor),
                notice.id,
                Trigger::Manual(day("2020-07-14"))
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_intact(&db.store).await;
}

/// Defect 8 of issue 10: users edited and disabled (sessions end, tokens revoked), departments
/// renamed and merged (every live reference moves, the merged row stays marked, progress the
/// merged department filed still answers a round for the kept one), all audited, and a
/// backup carries the merge (the merged department's id is below the kept one's, so a
/// restore inserts it first).
async fn edits_users_and_merges_departments(db: &TestDb) {
    use duban_core::round::{ReportState, RoundPeriod};
    let f = fixture(&db.store).await;
    let store = &db.store;
    let admin = store
        .add_user("test", "root", "管理员", Role::Admin, "hash")
        .await
        .unwrap();
    // Editing a user: name (the name rule: NFKC), role, department.
    let edited = store
        .edit_user(
            "root",
            f.other_user.id,
            "  发改委联络员Ａ ",
            Role::Department(f.lead.id),
            Some("fgw@office.example"),
        )
        .await
        .unwrap();
    assert_eq!(edited.name, "发改委联络员A");
    assert_eq!(
        store.user_email(f.other_user.id).await.unwrap().as_deref(),
        Some("fgw@office.example")
    );
    assert!(matches!(
        store
            .edit_user(
                "root",
                f.other_user.id,
                "某人",
                Role::Viewer,
                Some("不是地址")
            )
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert_eq!(
        store.user(f.other_user.id).await.unwrap().user.role,
        Role::Department(f.lead.id)
    );
    store
        .edit_user(
            "root",
            f.other_user.id,
            "发改委联络员",
            Role::Department(f.other.id),
            None,
        )
        .await
        .unwrap();
    assert_eq!(store.user_email(f.other_user.id).await.unwrap(), None);
    let before = store.audit_events(0, 10_000).await.unwrap().len();
    assert!(matches!(
        store
            .edit_user("root", f.other_user.id, "甲\u{200d}乙", Role::Viewer, None)
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store
            .edit_user("root", admin.id, "管理员", Role::Viewer, None)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        store.set_user_disabled("root", admin.id, true).await,
        Err(StoreError::Forbidden(_))
    ));
    assert_eq!(store.audit_events(0, 10_000).await.unwrap().len(), before);

    // Disabling ends the sessions and revokes the tokens; enabling brings neither back.
    let now = 1_900_000_000;
    let session = store
        .create_session(f.lead_user.id, now, now + 3600)
        .await
        .unwrap();
    let (_, token) = store
        .create_token("root", f.lead_user.id, "脚本")
        .await
        .unwrap();
    store
        .set_user_disabled("root", f.lead_user.id, true)
        .await
        .unwrap();
    assert!(store.session(&session, now).await.unwrap().is_none());
    store
        .set_user_disabled("root", f.lead_user.id, false)
        .await
        .unwrap();
    assert!(store.user_by_token(&token).await.unwrap().is_none());
    assert!(store.session(&session, now).await.unwrap().is_none());
    assert!(
        store.tokens_of(f.lead_user.id).await.unwrap()[0]
            .revoked_at
            .is_some()
    );

    // Renaming a department, with a short name; a taken name is a conflict.
    let renamed = store
        .edit_department(
            "root",
            f.lead.id,
            "市农业农村局（市乡村振兴局）",
            "农业农村局",
        )
        .await
        .unwrap();
    assert_eq!(renamed.short_name, "农业农村局");
    // The name rule (NFKC) folds full-width brackets.
    assert_eq!(renamed.department.name, "市农业农村局(市乡村振兴局)");
    assert!(matches!(
        store
            .edit_department("root", f.lead.id, "市发改委", "")
            .await,
        Err(StoreError::Conflict(_))
    ));

    // The lead department reports, a notice goes to it, then it is merged into the other.
    store
        .append_progress(
            &f.lead_user,
            &f.quantified,
            &value_draft("2", Some("亩")),
            today(),
        )
        .await
        .unwrap();
    store
        .issue_notice(
            &f.supervisor,
            &f.quantified,
            day("2020-07-10"),
            "请加快",
            today(),
        )
        .await
        .unwrap();
    let report = f.report.report_id.into_id();
    let round = store
        .open_round(
            &f.supervisor,
            report,
            RoundPeriod::Quarterly,
            day("2020-06-30"),
            day("2020-07-10"),
        )
        .await
        .unwrap();
    assert!(f.lead.id.0 < f.other.id.0);
    let moved = store
        .merge_departments("root", f.lead.id, f.other.id)
        .await
        .unwrap();
    assert_eq!(
        (
            moved.assignments,
            moved.users,
            moved.notices,
            moved.sign_offs
        ),
        (1, 1, 1, 1)
    );
    // The task it led is the kept department's, which no longer supports its own task.
    let a = store.assignment(&f.quantified).await.unwrap().unwrap();
    assert_eq!((a.lead, a.support.clone()), (f.other.id, vec![]));
    assert!(a.signed_off.is_some(), "the sign-off moved with the task");
    assert_eq!(
        store.user(f.lead_user.id).await.unwrap().user.role,
        Role::Department(f.other.id)
    );
    let work: Vec<_> = store
        .work_list(f.other.id, today(), 3660)
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.commitment)
        .collect();
    assert!(work.contains(&f.quantified) && work.contains(&f.milestone));
    assert_eq!(
        store.notices(Some(f.other.id), None).await.unwrap().len(),
        1
    );
    // The progress the merged department filed still answers the round for the kept one.
    let lines = store.round_lines(round.id, today()).await.unwrap();
    let line = lines.iter().find(|l| l.commitment == f.quantified).unwrap();
    assert_eq!(line.department, f.other.id);
    assert_eq!(line.report, ReportState::Reported);
    // Live lists leave it out; its name leads to the kept one; it takes no new work.
    let government = f.lead.government_id;
    let live: Vec<_> = store
        .departments(government)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert!(!live.contains(&f.lead.id) && live.contains(&f.other.id));
    assert_eq!(
        store
            .department_by_name("测试市", &renamed.department.name)
            .await
            .unwrap()
            .id,
        f.other.id
    );
    // The name as typed, with full-width brackets, finds it too (the text rule on the way in).
    assert_eq!(
        store
            .department_by_name("测试市", "市农业农村局（市乡村振兴局）")
            .await
            .unwrap()
            .id,
        f.other.id
    );
    let before = store.audit_events(0, 10_000).await.unwrap().len();
    assert!(matches!(
        store
            .assign("dc", &f.milestone, f.lead.id, vec![], None, today())
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store
            .add_user("test", "late", "迟到", Role::Department(f.lead.id), "h")
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store
            .edit_user(
                "root",
                f.other_user.id,
                "联络员",
                Role::Department(f.lead.id),
                None
            )
            .await,
        Err(StoreError::Invalid { .. })
    ));
    for (merged, kept) in [
        (f.lead.id, f.other.id),
        (f.other.id, f.other.id),
        (f.other.id, f.lead.id),
    ] {
        assert!(matches!(
            store.merge_departments("root", merged, kept).await,
            Err(StoreError::Invalid { .. })
        ));
    }
    assert_eq!(store.audit_events(0, 10_000).await.unwrap().len(), before);
    // The merge is one more audit event; the history before it is untouched.
    let events = store.audit_events(0, 10_000).await.unwrap();
    let merge = events
        .iter()
        .rev()
        .find(|e| e.action == "department.merge")
        .unwrap();
    assert_eq!(merge.entity_id, f.lead.id.0.to_string());
    assert!(events.iter().any(|e| e.action == "department.edit"));
    assert!(events.iter().any(|e| e.action == "user.edit"));
    assert_intact(store).await;

    // A backup carries the merge and the short name, on either backend.
    let records = store.department_records(government).await.unwrap();
    let mut bytes = Vec::new();
    store.backup(&mut bytes).await.unwrap();
    let copy = db.sibling().await;
    copy.store.restore(bytes.as_slice()).await.unwrap();
    assert_eq!(
        copy.store.department_records(government).await.unwrap(),
        records
    );
    let merged = records
        .iter()
        .find(|r| r.department.id == f.lead.id)
        .unwrap();
    assert_eq!(merged.merged_into, Some(f.other.id));
    assert_eq!(merged.short_name, "农业农村局");
}

// ---------------------------------------------------------------------------------------------
// Each body, once per backend.

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::sqlite().await;
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDb::postgres().await;
                    super::$name(&db).await;
                }
            )*
        }
    };
}

conformance!(
    opens_empty_and_reopens,
    imports_the_seed_report_once,
    keeps_plans_exact,
    assigns_signs_off_and_tracks_progress,
    refuses_bad_progress_and_writes_nothing,
    runs_notices_open_answered_closed,
    returns_notices_and_keeps_every_answer,
    supporting_departments_report_their_parts,
    keeps_users_and_tokens,
    keeps_sessions_throttles_and_token_lineage,
    audit_chain_catches_tampering,
    audit_anchor_catches_a_cut_tail_and_a_recomputed_chain,
    evidence_is_cited_only_by_its_uploader,
    backs_up_and_restores_every_table,
    restores_across_backends,
    refuses_reassignment_across_governments,
    counts_departments_per_report,
    runs_rounds_and_the_reminder_queue,
    edits_users_and_merges_departments,
);
