use crate::{q, target};
use duban_core::verdict::{findings_from_outcomes, match_outcomes};
use duban_core::{Cmp, Finding, Target, Thresholds, VerdictKind, verdict};

fn value(target: usize, v: &str) -> Finding {
    Finding::Value {
        target,
        value: q(v),
        source: format!("回顾{target}"),
    }
}

fn done(done: bool) -> Finding {
    Finding::Done {
        done,
        source: "2020-12-31进度填报".into(),
    }
}

fn two() -> Vec<Target> {
    vec![
        target("新增就业", Cmp::Ge, "13万", "人"),
        target("城镇登记失业率", Cmp::Le, "3", "%"),
    ]
}

fn check(targets: &[Target], findings: &[Finding], kind: VerdictKind, evidence: &[&str]) {
    let v = verdict(targets, findings, &Thresholds::default());
    assert_eq!(v.kind, kind, "{findings:?}");
    assert_eq!(v.evidence, evidence, "{findings:?}");
}

#[test]
fn verdicts_rest_on_evidence() {
    use VerdictKind::*;
    let t = two();
    check(&t, &[], NotReported, &[]);
    check(
        &t,
        &[value(0, "15万"), value(1, "2.8")],
        Kept,
        &[
            "新增就业：目标13万人以上，实际15万人（115%），达到——回顾0",
            "城镇登记失业率：目标3%以内，实际2.8%（93%），达到——回顾1",
        ],
    );
    check(
        &t,
        &[value(0, "10万"), value(1, "3.5")],
        PartlyKept,
        &[
            "新增就业：目标13万人以上，实际10万人（77%），未达到——回顾0",
            "城镇登记失业率：目标3%以内，实际3.5%（117%），未达到——回顾1",
        ],
    );
    check(
        &t,
        &[value(0, "5万"), value(1, "3.5")],
        NotKept,
        &[
            "新增就业：目标13万人以上，实际5万人（38%），未达到——回顾0",
            "城镇登记失业率：目标3%以内，实际3.5%（117%），未达到——回顾1",
        ],
    );
    check(
        &t,
        &[value(0, "14万")],
        PartlyKept,
        &[
            "新增就业：目标13万人以上，实际14万人（108%），达到——回顾0",
            "城镇登记失业率：目标3%以内，未见完成情况",
        ],
    );
    // The last finding for a target wins.
    check(
        &t[..1],
        &[value(0, "5万"), value(0, "13万")],
        Kept,
        &["新增就业：目标13万人以上，实际13万人（100%），达到——回顾0"],
    );
    check(&[], &[done(true)], Kept, &["已完成——2020-12-31进度填报"]);
    check(
        &[],
        &[done(false)],
        NotKept,
        &["未完成——2020-12-31进度填报"],
    );
}

#[test]
fn labels() {
    let table = [
        (VerdictKind::Kept, "兑现"),
        (VerdictKind::PartlyKept, "部分兑现"),
        (VerdictKind::NotKept, "未兑现"),
        (VerdictKind::NotReported, "未见报告"),
    ];
    for (k, zh) in table {
        assert_eq!(k.label_zh(), zh);
    }
}

#[test]
fn outcomes_match_by_unit_and_indicator() {
    let t = two();
    let outcomes = vec![
        target("城镇登记失业率", Cmp::Eq, "2.9", "%"),
        target("全年新增就业", Cmp::Eq, "14万", "人"),
        target("新增就业", Cmp::Eq, "1", "户"),
    ];
    let m = match_outcomes(&t, &outcomes);
    assert_eq!(m[0].map(|o| o.value), Some(q("14万")));
    assert_eq!(m[1].map(|o| o.value), Some(q("2.9")));
    let f = findings_from_outcomes(&t, &outcomes);
    assert_eq!(
        verdict(&t, &f, &Thresholds::default()).kind,
        VerdictKind::Kept
    );
    assert_eq!(match_outcomes(&t, &[]), vec![None, None]);
}

#[test]
fn a_commitments_verdict_from_its_targets_verdicts() {
    use VerdictKind::{Kept, NotKept, NotReported, PartlyKept};
    use duban_core::verdict::overall;
    let cases: &[(&[VerdictKind], Option<VerdictKind>)] = &[
        (&[], None),
        (&[Kept], Some(Kept)),
        (&[Kept, Kept], Some(Kept)),
        (&[Kept, NotKept], Some(PartlyKept)),
        (&[Kept, NotReported], Some(PartlyKept)),
        (&[PartlyKept], Some(PartlyKept)),
        (&[NotKept, NotReported], Some(NotKept)),
        (&[NotReported, NotReported], Some(NotReported)),
        (&[NotKept], Some(NotKept)),
    ];
    for (kinds, expected) in cases {
        assert_eq!(overall(kinds), *expected, "{kinds:?}");
    }
}
