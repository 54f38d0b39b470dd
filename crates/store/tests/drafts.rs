//! Drafts on both backends: hidden from public reads until published, corrected through an
//! append-only log (ids stable, each correction audited, refused ones change nothing),
//! re-extraction keeps what still applies and lists what does not, publish links the year
//! before, unpublish until the first progress report, lead suggestions from earlier years.

mod common;

use common::TestDb;
use duban_core::correction::Correction;
use duban_core::ids::ReportId;
use duban_core::plan::{CommitmentId, Level};
use duban_core::quantity::Quantity;
use duban_report::model::{Cmp, Role};
use duban_store::{ImportRequest, ImportSummary, Store, StoreError};

const SEED: &[u8] = include_bytes!("../../../testdata/seed/suzhou-2020-report-page2.txt");
const DRAFT: &[u8] = include_bytes!("../../../testdata/demo/suzhou-2021-draft.txt");

async fn import(store: &Store, bytes: &[u8], year: i32, publish: bool) -> ImportSummary {
    import_as(store, "report.txt", bytes, year, publish)
        .await
        .expect("import")
}

/// Reads a report and imports it as 苏州市 `year` (the engine's diagnostics kept).
async fn import_as(
    store: &Store,
    name: &str,
    bytes: &[u8],
    year: i32,
    publish: bool,
) -> Result<ImportSummary, StoreError> {
    let source = duban_report::Source { name, bytes };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, diagnostics) =
        duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    store
        .import_draft(
            "tester",
            ImportRequest {
                government: "苏州市",
                level: Level::City,
                year,
                text: &ingested.text,
                source: name,
                extraction: &extraction,
            },
            &diagnostics,
            publish,
        )
        .await
}

fn char_span(text: &str, needle: &str) -> [usize; 2] {
    let byte = text.find(needle).expect(needle);
    let start = text[..byte].chars().count();
    [start, start + needle.chars().count()]
}

async fn audit_len(store: &Store) -> usize {
    store.audit_events(0, 100_000).await.unwrap().len()
}

async fn drafts_stay_hidden_until_published(db: &TestDb) {
    let store = &db.store;
    let seed = import(store, SEED, 2020, true).await;
    let draft = import(store, DRAFT, 2021, false).await;
    let id = ReportId(draft.report_id);
    // Public reads leave the draft out.
    let public = store.reports(None).await.unwrap();
    assert_eq!(public.len(), 1);
    assert!(matches!(
        store.report(id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.report_summary(id).await,
        Err(StoreError::NotFound { .. })
    ));
    let detail = store.draft(id).await.unwrap();
    assert!(detail.published_at.is_none());
    let uid = detail.detail.commitments[0].uid.clone();
    assert!(matches!(
        store.commitment(&uid).await,
        Err(StoreError::NotFound { .. })
    ));
    let found = store.search_commitments("就业", 100).await.unwrap();
    assert!(found.iter().all(|c| c.report_id.0 == seed.report_id));
    assert_eq!(store.drafts().await.unwrap().len(), 1);
    // A second report of the same government and year is refused by name.
    let again = import_err(store, SEED, 2021).await;
    assert!(
        matches!(&again, StoreError::Conflict(m) if m.contains("苏州市2021年的报告已导入")),
        "{again:?}"
    );
    // Publish: public, linked to the year before; publishing twice is refused.
    let published = store.publish_report("tester", id).await.unwrap();
    assert_eq!(published.previous_report_id, Some(seed.report_id));
    assert_eq!(store.reports(None).await.unwrap().len(), 2);
    assert!(store.commitment(&uid).await.is_ok());
    let before = audit_len(store).await;
    assert!(matches!(
        store.publish_report("tester", id).await,
        Err(StoreError::Conflict(_))
    ));
    // Corrections on a published report are refused.
    assert!(matches!(
        store
            .correct_report("tester", id, Correction::Ignore { span: [0, 4] })
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(audit_len(store).await, before);
    // Unpublish until the first progress report.
    store.unpublish_report("tester", id).await.unwrap();
    assert_eq!(store.reports(None).await.unwrap().len(), 1);
    assert!(store.draft(id).await.unwrap().previous_report_id.is_none());
}

async fn import_err(store: &Store, bytes: &[u8], year: i32) -> StoreError {
    let text = std::str::from_utf8(bytes).unwrap();
    try_import(store, "again.txt", text, year)
        .await
        .unwrap_err()
}

async fn corrections_replay_and_survive_reextraction(db: &TestDb) {
    let store = &db.store;
    let draft = import(store, DRAFT, 2021, false).await;
    let id = ReportId(draft.report_id);
    let detail = store.draft(id).await.unwrap();
    let text = detail.detail.text.clone();
    let ids_before: Vec<CommitmentId> = detail
        .detail
        .commitments
        .iter()
        .map(|c| c.uid.clone())
        .collect();
    // Edit a target (the 15万 jobs): value, comparator.
    let jobs = detail
        .detail
        .commitments
        .iter()
        .find(|c| c.targets.iter().any(|t| t.indicator.contains("就业")))
        .expect("a jobs target")
        .clone();
    let target = jobs
        .targets
        .iter()
        .find(|t| t.indicator.contains("就业"))
        .unwrap();
    let span = [target.span[0] as usize, target.span[1] as usize];
    let n = audit_len(store).await;
    store
        .correct_report(
            "tester",
            id,
            Correction::EditTarget {
                commitment: jobs.uid.clone(),
                target: span,
                indicator: Some("城镇新增就业人数".into()),
                value: Some(Quantity::parse("value", "16万").unwrap()),
                value_max: None,
                unit: None,
                cmp: Some(Cmp::Ge),
                deadline: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(audit_len(store).await, n + 1);
    let edited = store.draft(id).await.unwrap();
    let t = edited
        .detail
        .commitments
        .iter()
        .find(|c| c.uid == jobs.uid)
        .and_then(|c| c.targets.iter().find(|t| t.span[0] as usize == span[0]))
        .unwrap()
        .clone();
    assert_eq!(t.value, Quantity::parse("value", "160000").unwrap());
    assert_eq!(t.cmp, Cmp::Ge);
    assert_eq!(t.indicator, "城镇新增就业人数");
    let event = store.audit_events(0, 100_000).await.unwrap().pop().unwrap();
    assert_eq!(event.action, "report.correct");
    assert_eq!(event.actor, "tester");
    // Refused corrections change nothing and add no event: a span outside the text, an
    // empty selection, an unknown target.
    let len = text.chars().count();
    for bad in [
        Correction::AddCommitment {
            span: [len, len + 5],
        },
        Correction::AddCommitment { span: [3, 3] },
        Correction::DeleteTarget {
            commitment: jobs.uid.clone(),
            target: [0, 1],
        },
    ] {
        let error = store.correct_report("tester", id, bad).await.unwrap_err();
        assert!(matches!(error, StoreError::Invalid { .. }), "{error:?}");
    }
    assert_eq!(audit_len(store).await, n + 1);
    // Add a commitment the engine missed, and drop the heading line read as a task.
    let closing = char_span(&text, "不断提升政府治理能力和服务水平。");
    let heading = char_span(&text, "重点抓好以下工作：");
    let ignored = store
        .correct_report("tester", id, Correction::Ignore { span: heading })
        .await
        .is_ok();
    // Re-extract with an engine that no longer sees the jobs target: the edit is listed.
    let (mut extraction, _) = duban_report::extract_text(&text);
    for c in &mut extraction.commitments {
        c.targets.retain(|t| !t.indicator.contains("就业"));
    }
    let stale = store
        .reextract_report("tester", id, &extraction, &[])
        .await
        .unwrap();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(matches!(stale[0].correction, Correction::EditTarget { .. }));
    assert!(
        stale[0]
            .stale
            .as_deref()
            .unwrap_or("")
            .starts_with("指标：")
    );
    let listed = store.draft(id).await.unwrap();
    assert_eq!(listed.corrections.len(), 1 + usize::from(ignored));
    assert_eq!(
        listed
            .corrections
            .iter()
            .filter(|c| c.stale.is_some())
            .count(),
        1
    );
    let after = store.draft(id).await.unwrap();
    assert!(
        !after
            .detail
            .commitments
            .iter()
            .any(|c| c.text.contains("重点抓好以下工作"))
    );
    let edited = after
        .detail
        .commitments
        .iter()
        .find(|c| c.uid == jobs.uid)
        .unwrap();
    assert!(edited.targets.iter().all(|t| !t.indicator.contains("就业")));
    // Ids of untouched commitments stay.
    for c in &after.detail.commitments {
        assert!(
            ids_before.contains(&c.uid) || c.text.contains("政府") || c.text.contains("依法"),
            "new id for {}",
            c.text
        );
    }
    store
        .correct_report(
            "tester",
            id,
            Correction::SetRole {
                path: "三".into(),
                role: Role::Plan,
            },
        )
        .await
        .unwrap();
    let after_role = store.draft(id).await.unwrap();
    let closing_tracked = after_role
        .detail
        .commitments
        .iter()
        .any(|c| (c.span[0] as usize) < closing[1] && closing[0] < c.span[1] as usize);
    assert!(
        closing_tracked,
        "the part turned into a plan part yields commitments"
    );
    // An added commitment gets an id from its span.
    let add = char_span(&text, "居民人均可支配收入增长与经济增长基本同步");
    let _ = store
        .correct_report("tester", id, Correction::Ignore { span: add })
        .await;
    store
        .correct_report("tester", id, Correction::AddCommitment { span: add })
        .await
        .unwrap();
    let d = store.draft(id).await.unwrap();
    let added = d
        .detail
        .commitments
        .iter()
        .find(|c| c.span == [add[0] as i64, add[1] as i64])
        .unwrap();
    let added_uid = added.uid.clone();
    assert!(!ids_before.contains(&added_uid));
    // A re-read by the engine keeps it, with the same id.
    let (extraction, _) = duban_report::extract_text(&text);
    store
        .reextract_report("tester", id, &extraction, &[])
        .await
        .unwrap();
    let d = store.draft(id).await.unwrap();
    assert!(d.detail.commitments.iter().any(|c| c.uid == added_uid));
    // The log is append-only in the database too.
    assert!(db.raw("DELETE FROM report_corrections").await.is_err());
}

async fn suggestions_name_the_governments_department(db: &TestDb) {
    let store = &db.store;
    let seed = import(store, SEED, 2020, true).await;
    let draft = import(store, DRAFT, 2021, false).await;
    store
        .add_department("tester", "苏州市", "市人力资源社会保障局")
        .await
        .unwrap();
    let seed_report = store.report(ReportId(seed.report_id)).await.unwrap();
    let suggestions = store
        .lead_suggestions(ReportId(draft.report_id))
        .await
        .unwrap();
    let detail = store.draft(ReportId(draft.report_id)).await.unwrap();
    let jobs = detail
        .detail
        .commitments
        .iter()
        .find(|c| c.text.contains("重点群体就业"))
        .unwrap();
    let s = &suggestions
        .iter()
        .find(|(uid, _)| *uid == jobs.uid)
        .unwrap()
        .1;
    assert_eq!(s.department, "市人力资源社会保障局");
    assert!(s.existing);
    assert!(!seed_report.commitments.is_empty());
}

async fn try_import(store: &Store, name: &str, text: &str, year: i32) -> Result<i64, StoreError> {
    import_as(store, name, text.as_bytes(), year, false)
        .await
        .map(|s| s.report_id)
}

/// Two different reports of one government and year uploaded at once: one is stored, the
/// other refused by name (the check runs inside the import's write transaction).
async fn one_report_a_year_even_at_once(db: &TestDb) {
    let store = &db.store;
    let first = String::from_utf8(DRAFT.to_vec()).unwrap();
    let second = first.replace("城镇新增就业", "全市城镇新增就业");
    assert_ne!(first, second);
    let before = audit_len(store).await;
    let (a, b) = tokio::join!(
        try_import(store, "a.txt", &first, 2021),
        try_import(store, "b.txt", &second, 2021),
    );
    let refused = match (&a, &b) {
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
        other => panic!("exactly one must be stored: {other:?}"),
    };
    assert!(
        matches!(refused, StoreError::Conflict(m) if m.contains("苏州市2021年的报告已导入")),
        "{refused:?}"
    );
    assert_eq!(store.drafts().await.unwrap().len(), 1);
    // Nothing of the refused one was written: only the stored import's events were added.
    let added = audit_len(store).await - before;
    assert!(added >= 1);
    let again = try_import(store, "c.txt", &second.replace("全市", "全区"), 2021)
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Conflict(_)), "{again:?}");
    assert_eq!(audit_len(store).await - before, added);
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(&super::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(&super::TestDb::postgres().await).await;
                }
            )*
        }
    };
}

both!(
    drafts_stay_hidden_until_published,
    corrections_replay_and_survive_reextraction,
    suggestions_name_the_governments_department,
    one_report_a_year_even_at_once,
);
