//! Fulfilment (兑现) in the store, on both backends, with the real national reports of 2024 and
//! 2025 (`testdata/research/national-2024-2025.jsonl`): publishing the next year's report
//! stores the verdicts on the year before with their evidence; unpublishing drops them; a
//! correction of the draft and a new publication recompute them; an override is audited,
//! survives recomputation, and bad input changes nothing.

mod common;

use common::TestDb;
use duban_core::correction::Correction;
use duban_core::fulfilment::EvidenceKind;
use duban_core::ids::ReportId;
use duban_core::plan::Level;
use duban_core::verdict::VerdictKind;
use duban_report::model::Role;
use duban_store::{ImportRequest, Store, StoreError, StoredVerdict};

const PAIR: &str = include_str!("../../../testdata/research/national-2024-2025.jsonl");

/// The content of the report of `year` in the pair file.
fn report_text(year: i32) -> String {
    PAIR.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["year"].as_str().and_then(|y| y.parse::<i32>().ok()) == Some(year))
        .and_then(|v| v["content"].as_str().map(str::to_string))
        .unwrap()
}

async fn import(store: &Store, year: i32, publish: bool) -> i64 {
    let text = report_text(year);
    let name = format!("国务院{year}.txt");
    let source = duban_report::Source {
        name: &name,
        bytes: text.as_bytes(),
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, diagnostics) =
        duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    store
        .import_draft(
            "tester",
            ImportRequest {
                government: "国务院",
                level: Level::National,
                year,
                text: &ingested.text,
                source: &name,
                extraction: &extraction,
            },
            &diagnostics,
            publish,
        )
        .await
        .unwrap()
        .report_id
}

async fn audit_actions(store: &Store) -> Vec<String> {
    store
        .audit_events(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

fn gdp(verdicts: &[StoredVerdict]) -> &StoredVerdict {
    verdicts
        .iter()
        .find(|v| v.target.indicator.contains("国内生产总值") && v.target.unit == "%")
        .expect("the 2024 plan's GDP growth target")
}

async fn verdicts_follow_the_next_years_report(db: &TestDb) {
    let store = &db.store;
    let plan = ReportId(import(store, 2024, true).await);
    assert!(
        store.verdicts(plan).await.unwrap().is_empty(),
        "no 2025 report yet"
    );
    let review = ReportId(import(store, 2025, false).await);
    assert!(
        store.verdicts(plan).await.unwrap().is_empty(),
        "a draft gives no verdicts"
    );

    // Publishing 2025 computes the verdicts on 2024, with evidence from 2025's text.
    store.publish_report("sup", review).await.unwrap();
    let verdicts = store.verdicts(plan).await.unwrap();
    assert!(verdicts.len() >= 10, "{} verdicts", verdicts.len());
    let g = gdp(&verdicts);
    assert_eq!(g.computed, VerdictKind::Kept, "{}", g.reason);
    assert_eq!(g.public(), VerdictKind::Kept);
    assert_eq!(g.review_report_id, review);
    assert_eq!(g.evidence_kind, EvidenceKind::Figure);
    assert!(g.evidence_text.contains("增长5%"), "{}", g.evidence_text);
    // The span indexes the review's clean text and holds the evidence.
    let text = store.report(review).await.unwrap().text;
    let [s, e] = g.span.unwrap();
    let quoted: String = text.chars().skip(s).take(e - s).collect();
    assert_eq!(quoted, g.evidence_text);
    assert!(g.outcome.as_ref().is_some_and(|o| o.unit == "%"));
    let by_commitment = store.commitment_verdicts(&g.commitment).await.unwrap();
    assert!(
        by_commitment
            .iter()
            .any(|v| v.target_index == g.target_index)
    );
    assert!(
        audit_actions(store)
            .await
            .contains(&"verdicts.compute".to_string())
    );
    let kinds: std::collections::HashSet<VerdictKind> =
        verdicts.iter().map(|v| v.computed).collect();
    assert!(kinds.len() >= 2, "one kind only: {kinds:?}");

    // Recomputation yields the same verdicts.
    let computed = store.recompute_verdicts("sup", plan).await.unwrap();
    assert_eq!(computed.review_report_id, Some(review.0));
    assert_eq!(computed.counts.total, verdicts.len());
    let again = store.verdicts(plan).await.unwrap();
    let strip = |v: &[StoredVerdict]| -> Vec<(String, usize, VerdictKind, String)> {
        v.iter()
            .map(|v| {
                (
                    v.commitment.to_string(),
                    v.target_index,
                    v.computed,
                    v.reason.clone(),
                )
            })
            .collect()
    };
    assert_eq!(strip(&again), strip(&verdicts));

    // Unpublishing the review drops them; the plan shows no verdict again.
    store.unpublish_report("sup", review).await.unwrap();
    assert!(store.verdicts(plan).await.unwrap().is_empty());
    assert!(
        audit_actions(store)
            .await
            .contains(&"verdicts.drop".to_string())
    );

    // A correction of the draft (its review part read as other text) and a new publication
    // recompute: the review no longer states the growth rate.
    store
        .correct_report(
            "sup",
            review,
            Correction::SetRole {
                path: "一".into(),
                role: Role::Other,
            },
        )
        .await
        .unwrap();
    store.publish_report("sup", review).await.unwrap();
    let corrected = store.verdicts(plan).await.unwrap();
    let g2 = gdp(&corrected);
    assert_ne!(g2.computed, VerdictKind::Kept, "{}", g2.reason);
    let kept = |v: &[StoredVerdict]| v.iter().filter(|v| v.computed == VerdictKind::Kept).count();
    assert!(kept(&corrected) < kept(&verdicts));
}

async fn overrides_are_audited_and_survive_recomputation(db: &TestDb) {
    let store = &db.store;
    let plan = ReportId(import(store, 2024, true).await);
    import(store, 2025, true).await;
    let verdicts = store.verdicts(plan).await.unwrap();
    let g = gdp(&verdicts).clone();
    let before = store.audit_events(0, 100_000).await.unwrap().len();

    // Bad input: named field, nothing written.
    for bad in ["", "   ", "理由\u{202E}", &"长".repeat(1001)] {
        let err = store
            .override_verdict(
                "sup",
                &g.commitment,
                g.target_index,
                VerdictKind::NotKept,
                bad,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field, .. } if field == "reason"),
            "{err:?}"
        );
    }
    let err = store
        .override_verdict("sup", &g.commitment, 99, VerdictKind::NotKept, "理由")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert_eq!(store.audit_events(0, 100_000).await.unwrap().len(), before);

    let o = store
        .override_verdict(
            "sup",
            &g.commitment,
            g.target_index,
            VerdictKind::PartlyKept,
            "经核实，增速按可比价格计算为4.9%，改判部分兑现",
        )
        .await
        .unwrap();
    assert_eq!(o.verdict, VerdictKind::PartlyKept);
    let events = store.audit_events(0, 100_000).await.unwrap();
    assert_eq!(events.len(), before + 1);
    let last = events.last().unwrap();
    assert_eq!(last.action, "verdict.override");
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(json(&last.before)["computed"], "kept");
    assert_eq!(json(&last.after)["verdict"], "partly");

    let shown = store.verdicts(plan).await.unwrap();
    let g2 = gdp(&shown);
    assert_eq!(g2.computed, VerdictKind::Kept);
    assert_eq!(g2.public(), VerdictKind::PartlyKept);
    assert_eq!(
        g2.overridden.as_ref().map(|o| o.reason.as_str()),
        Some("经核实，增速按可比价格计算为4.9%，改判部分兑现")
    );
    // The latest override stands; both stay in the log.
    store
        .override_verdict(
            "admin",
            &g.commitment,
            g.target_index,
            VerdictKind::Kept,
            "复核后维持系统评定",
        )
        .await
        .unwrap();
    store.recompute_verdicts("sup", plan).await.unwrap();
    let after = store.verdicts(plan).await.unwrap();
    let g3 = gdp(&after);
    assert_eq!(g3.public(), VerdictKind::Kept);
    assert_eq!(g3.overridden.as_ref().unwrap().actor, "admin");
    // Overrides are append-only in the database too.
    assert!(db.raw("DELETE FROM verdict_overrides").await.is_err());
    assert!(
        db.raw("UPDATE verdict_overrides SET reason = 'x'")
            .await
            .is_err()
    );
    assert!(store.verify_audit().await.unwrap().broken.is_none());
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
    verdicts_follow_the_next_years_report,
    overrides_are_audited_and_survive_recomputation,
);
