//! Fulfilment (兑现) in the store, on both backends, with the real national reports of 2024 and
//! 2025 (`testdata/research/national-2024-2025.jsonl`): publishing the next year's report
//! stores the verdicts on the year before with their evidence; unpublishing drops them; a
//! correction of the draft and a new publication recompute them; an override is audited,
//! survives recomputation, and bad input changes nothing.

mod common;

use common::TestDb;
use duban_core::correction::Correction;
use duban_core::fulfilment::{EvidenceKind, Settings};
use duban_core::ids::ReportId;
use duban_core::plan::Level;
use duban_core::verdict::VerdictKind;
use duban_core::yoy::Basis;
use duban_report::model::Role;
use duban_store::{ImportRequest, PARTLY_RATE_POINTS_SETTING, Store, StoreError, StoredVerdict};

const PAIR: &str = include_str!("../../../testdata/research/national-2024-2025.jsonl");

/// The content of the report of `year` in the pair file.
fn report_text(year: i32) -> String {
    PAIR.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["year"].as_str().and_then(|y| y.parse::<i32>().ok()) == Some(year))
        .and_then(|v| v["content"].as_str().map(str::to_string))
        .unwrap()
}

/// One report's text read by the engine and imported as `government`'s report of `year`.
async fn import_text(
    store: &Store,
    (government, level): (&str, Level),
    year: i32,
    text: &str,
    publish: bool,
) -> i64 {
    let name = format!("{government}{year}.txt");
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
                government,
                level,
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

async fn import(store: &Store, year: i32, publish: bool) -> i64 {
    let text = report_text(year);
    import_text(store, ("国务院", Level::National), year, &text, publish).await
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

/// The 宁夏 excerpts of 2025 and 2026 (`crates/core/tests/fixtures/fulfilment/`), imported and
/// published as 宁夏回族自治区; returns the 2025 plan.
async fn import_ningxia(store: &Store) -> ReportId {
    let government = ("宁夏回族自治区", Level::Province);
    let plan = include_str!("../../core/tests/fixtures/fulfilment/ningxia-2025-plan.txt");
    let review = include_str!("../../core/tests/fixtures/fulfilment/ningxia-2026-review.txt");
    let id = import_text(store, government, 2025, plan, true).await;
    import_text(store, government, 2026, review, true).await;
    ReportId(id)
}

async fn thresholds_are_settings_and_saving_recomputes(db: &TestDb) {
    let store = &db.store;
    let ningxia = import_ningxia(store).await;
    let national = ReportId(import(store, 2024, true).await);
    import(store, 2025, true).await;
    assert_eq!(
        store.fulfilment_settings().await.unwrap(),
        Settings::default()
    );
    let on = |v: &[StoredVerdict], name: &str| -> StoredVerdict {
        v.iter()
            .find(|v| v.target.indicator.contains(name))
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let verdicts = store.verdicts(ningxia).await.unwrap();
    // 地区生产总值 5.5%左右 → 5.3%, 人均可支配收入 6%左右 → 5.5%: partly at 0.5 point.
    assert_eq!(
        on(&verdicts, "地区生产总值").computed,
        VerdictKind::PartlyKept
    );
    let income = on(&verdicts, "人均可支配收入");
    assert_eq!(income.computed, VerdictKind::PartlyKept);
    store
        .override_verdict(
            "sup",
            &income.commitment,
            income.target_index,
            VerdictKind::Kept,
            "按可比口径核实已达目标",
        )
        .await
        .unwrap();
    let national_before = store.verdicts(national).await.unwrap();

    // Bad thresholds: refused by the domain's rule, naming the field; nothing written.
    let audit = store.audit_events(0, 100_000).await.unwrap().len();
    for (bad, field) in [
        (
            Settings {
                partly_amount_percent: 120,
                ..Settings::default()
            },
            "partly_amount_percent",
        ),
        (
            Settings {
                partly_rate_points: duban_core::Quantity::from_scaled(0),
                ..Settings::default()
            },
            "partly_rate_points",
        ),
    ] {
        let err = store
            .set_fulfilment_settings("admin", bad)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { field: f, .. } if f == field),
            "{err:?}"
        );
        assert!(err.to_string().contains("部分兑现"), "{err}");
    }
    // The generic setter does not bypass the rule (nor the recomputation).
    let err = store
        .set_setting("admin", PARTLY_RATE_POINTS_SETTING, "0.1")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    assert_eq!(store.audit_events(0, 100_000).await.unwrap().len(), audit);
    assert_eq!(
        store.fulfilment_settings().await.unwrap(),
        Settings::default()
    );
    let computed = |v: &[StoredVerdict]| -> Vec<(String, usize, VerdictKind, String)> {
        v.iter()
            .map(|v| {
                (
                    v.commitment.to_string(),
                    v.target_index,
                    v.computed,
                    v.computed_at.clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        computed(&store.verdicts(ningxia).await.unwrap()),
        computed(&verdicts),
        "nothing computed again"
    );

    // Stricter: 0.1 point. Every plan with a next report is computed again in one go.
    let strict = Settings::default().with_partly("0.1", "80").unwrap();
    let change = store
        .set_fulfilment_settings("admin", strict)
        .await
        .unwrap();
    assert_eq!(change.before, Settings::default());
    assert_eq!(change.after, strict);
    let mut plans: Vec<i64> = change.recomputed.iter().map(|c| c.report_id).collect();
    plans.sort_unstable();
    let mut expected = vec![ningxia.0, national.0];
    expected.sort_unstable();
    assert_eq!(plans, expected);
    assert_eq!(store.fulfilment_settings().await.unwrap(), strict);
    assert_eq!(
        store
            .setting(PARTLY_RATE_POINTS_SETTING)
            .await
            .unwrap()
            .as_deref(),
        Some("0.1")
    );
    let after = store.verdicts(ningxia).await.unwrap();
    assert_eq!(on(&after, "地区生产总值").computed, VerdictKind::NotKept);
    let income = on(&after, "人均可支配收入");
    assert_eq!(income.computed, VerdictKind::NotKept);
    assert_eq!(income.public(), VerdictKind::Kept, "the override stays");
    assert_eq!(
        store.verdicts(national).await.unwrap().len(),
        national_before.len()
    );
    // Audited: the thresholds before and after, then one computation a plan.
    let events = store.audit_events(0, 100_000).await.unwrap();
    let new: Vec<&str> = events[audit..].iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        new,
        [
            "fulfilment.settings",
            "verdicts.compute",
            "verdicts.compute"
        ]
    );
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(json(&events[audit].before)["partly_rate_points"], "0.5");
    assert_eq!(json(&events[audit].after)["partly_rate_points"], "0.1");
    assert_eq!(json(&events[audit].after)["partly_amount_percent"], 80);
    // Publishing later uses the thresholds in force too.
    let review = store.verdicts(ningxia).await.unwrap()[0].review_report_id;
    store.unpublish_report("sup", review).await.unwrap();
    store.publish_report("sup", review).await.unwrap();
    let again = store.verdicts(ningxia).await.unwrap();
    assert_eq!(on(&again, "地区生产总值").computed, VerdictKind::NotKept);
    assert!(store.verify_audit().await.unwrap().broken.is_none());
}

async fn recurring_follows_the_published_chain_as_corrected(db: &TestDb) {
    let store = &db.store;
    let plan = ReportId(import(store, 2024, true).await);
    assert!(store.recurring(plan).await.unwrap().is_none(), "no 2025");
    let review = ReportId(import(store, 2025, false).await);
    assert!(store.recurring(plan).await.unwrap().is_none(), "a draft");
    assert!(
        matches!(
            store.recurring(review).await,
            Err(StoreError::NotFound { .. })
        ),
        "a draft is not found"
    );
    assert!(matches!(
        store.recurring(ReportId(999_999)).await,
        Err(StoreError::NotFound { .. })
    ));

    store.publish_report("sup", review).await.unwrap();
    let (years, items) = store.recurring(plan).await.unwrap().expect("2024 and 2025");
    assert_eq!(years, vec![2024, 2025]);
    assert!(items.len() >= 5, "{} items", items.len());
    assert!(
        items
            .iter()
            .all(|r| r.years().contains(&2024) && r.years().contains(&2025)),
        "only what recurs in N and N+1"
    );
    // The latest report of the chain has no next one yet.
    assert!(store.recurring(review).await.unwrap().is_none());

    // The GDP target, by its canonical indicator, one occurrence a year, each naming the
    // stored commitment of its own report.
    let c2024 = store.report(plan).await.unwrap().commitments;
    let c2025 = store.report(review).await.unwrap().commitments;
    let gdp = items
        .iter()
        .find(|r| r.key == "indicator:gdp:increase")
        .expect("GDP growth recurs");
    assert_eq!(gdp.basis, Basis::Indicator);
    assert_eq!(gdp.years(), vec![2024, 2025]);
    let holds = |rows: &[duban_store::model::CommitmentRow], o: &duban_core::yoy::Occurrence| {
        rows.iter()
            .any(|c| c.uid == o.commitment && c.text == o.text)
    };
    assert!(holds(&c2024, &gdp.occurrences[0]));
    assert!(holds(&c2025, &gdp.occurrences[1]));
    let value = |o: &duban_core::yoy::Occurrence| o.target.as_ref().map(|t| t.value.to_string());
    assert_eq!(value(&gdp.occurrences[0]).as_deref(), Some("5"));
    assert_eq!(value(&gdp.occurrences[1]).as_deref(), Some("5"));
    // A target-less commitment worded the same both years.
    let wording = items
        .iter()
        .find(|r| r.key == "wording:积极扩大有效投资")
        .expect("积极扩大有效投资 recurs");
    assert_eq!(wording.basis, Basis::Wording);
    assert!(wording.occurrences.iter().all(|o| o.target.is_none()));

    // As corrected: the 2025 GDP sentence ignored in the draft and published again is no
    // longer read; the rest recurs as before.
    let gdp_2025 = c2025
        .iter()
        .find(|c| c.uid == gdp.occurrences[1].commitment)
        .unwrap();
    let span = [gdp_2025.span[0] as usize, gdp_2025.span[1] as usize];
    store.unpublish_report("sup", review).await.unwrap();
    assert!(
        store.recurring(plan).await.unwrap().is_none(),
        "unpublished"
    );
    store
        .correct_report("sup", review, Correction::Ignore { span })
        .await
        .unwrap();
    store.publish_report("sup", review).await.unwrap();
    let (_, corrected) = store.recurring(plan).await.unwrap().unwrap();
    assert!(
        corrected
            .iter()
            .flat_map(|r| &r.occurrences)
            .all(|o| o.commitment != gdp_2025.uid),
        "the ignored sentence is no longer read"
    );
    // The growth target recurs still, through the 2025 sentence that explains it.
    let g = corrected
        .iter()
        .find(|r| r.key == "indicator:gdp:increase")
        .expect("GDP growth recurs");
    assert!(
        g.occurrences[1]
            .text
            .starts_with("经济增长预期目标为5%左右"),
        "{}",
        g.occurrences[1].text
    );
    assert!(
        corrected
            .iter()
            .any(|r| r.key == "wording:积极扩大有效投资")
    );
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
    recurring_follows_the_published_chain_as_corrected,
    thresholds_are_settings_and_saving_recomputes,
);
