//! The fulfilment check on short real excerpts (headings and sentences quoted from the national,
//! 宁夏, 内蒙古 and 江苏 reports, see `tests/fixtures/fulfilment/`), through the engine as the CLI
//! runs it: every verdict rule, the matching across names, units and periods, and the evidence.

use duban_core::fulfilment::{
    EvidenceKind, Fulfilment, GoldTarget, Period, Review, Settings, TargetVerdict, score_gold,
    verify,
};
use duban_core::{Plan, VerdictKind};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/fulfilment/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs the engine on both excerpts and checks the plan against the review.
fn run(plan: &str, review: &str, settings: &Settings) -> (Fulfilment, String) {
    let (p, _) = duban_report::extract_text(&fixture(plan));
    let review_text = fixture(review);
    let (r, _) = duban_report::extract_text(&review_text);
    let p = Plan::from_extraction("测试", 2025, &p).expect("plan");
    let r_plan = Plan::from_extraction("测试", 2026, &r).expect("review");
    let f = verify(
        &p,
        &Review {
            text: &review_text,
            sections: &r.sections,
            outcomes: &r_plan.outcomes,
        },
        settings,
    );
    (f, review_text)
}

/// The verdict on the target whose indicator contains `name`.
fn on<'a>(f: &'a Fulfilment, name: &str) -> &'a TargetVerdict {
    f.verdicts
        .iter()
        .find(|v| v.target.indicator.contains(name))
        .unwrap_or_else(|| {
            let all: Vec<_> = f.verdicts.iter().map(|v| &v.target.indicator).collect();
            panic!("no target {name} among {all:?}")
        })
}

/// Checks one verdict: kind, evidence kind, the evidence text it quotes, the reason's words.
fn check(
    f: &Fulfilment,
    name: &str,
    kind: VerdictKind,
    evidence: EvidenceKind,
    quote: &str,
    reason: &str,
) {
    let v = on(f, name);
    assert_eq!(
        (v.verdict, v.evidence.kind),
        (kind, evidence),
        "{name}: {v:#?}"
    );
    assert!(
        v.evidence.text.contains(quote),
        "{name}: evidence {:?}",
        v.evidence.text
    );
    assert!(v.reason.contains(reason), "{name}: reason {:?}", v.reason);
}

#[test]
fn national_2024_against_2025_review() {
    use EvidenceKind::*;
    use VerdictKind::*;
    let (f, text) = run(
        "national-2024-plan.txt",
        "national-2025-review.txt",
        &Settings::default(),
    );
    // 国内生产总值增长5%左右 → 增长5% (名称 国内生产总值, 增长对增长).
    check(
        &f,
        "国内生产总值",
        Kept,
        Figure,
        "增长5%",
        "目标增长5%左右，实际增长5%，兑现",
    );
    // A count with 万 multiplied out on both sides.
    check(
        &f,
        "城镇新增就业",
        Kept,
        Figure,
        "1256万人",
        "目标1200万人以上，实际1256万人，兑现",
    );
    // Ceilings: lower is better.
    check(&f, "城镇调查失业率", Kept, Figure, "5.1%", "实际5.1%");
    check(
        &f,
        "居民消费价格",
        Kept,
        Figure,
        "上涨0.2%",
        "实际增长0.2%，兑现",
    );
    check(&f, "粮食产量", Kept, Figure, "1.4万亿斤", "实际1.4万亿斤");
    // A decrease target met by a larger decrease (降幅超过3%).
    check(&f, "能耗", Kept, Figure, "降幅超过3%", "目标下降2.5%左右");
    // The next plan's 赤字率 (in the plan part of N+1) is no outcome.
    check(&f, "赤字率", NotReported, None, "", "未见报告");
    // The evidence span points at the quoted words in the review text.
    let v = on(&f, "国内生产总值");
    let [s, e] = v.evidence.span.expect("span");
    let quoted: String = text.chars().skip(s).take(e - s).collect();
    assert_eq!(quoted, v.evidence.text);
    assert_eq!(v.period, Some(Period::Year));
    assert!(v.confidence >= 90, "{}", v.confidence);
    assert_eq!(f.summary.counts.total, f.verdicts.len());
}

#[test]
fn ningxia_partly_not_kept_flat_and_blanket() {
    use EvidenceKind::*;
    use VerdictKind::*;
    let (f, _) = run(
        "ningxia-2025-plan.txt",
        "ningxia-2026-review.txt",
        &Settings::default(),
    );
    // 左右 rate short by 0.2 and 0.5 points: partly, the shortfall said.
    check(
        &f,
        "地区生产总值",
        PartlyKept,
        Figure,
        "增长5.3%",
        "部分兑现（差0.2个百分点）",
    );
    check(
        &f,
        "人均可支配收入",
        PartlyKept,
        Figure,
        "5.5%",
        "差0.5个百分点",
    );
    // Short by 2.9 points: not kept.
    check(&f, "社会消费品零售总额", NotKept, Figure, "2.1%", "未兑现");
    // 规上 and 规模以上 are one indicator; 6%以上 reached exactly.
    check(&f, "规上工业增加值", Kept, Figure, "6.9%", "兑现");
    check(&f, "固定资产投资", Kept, Figure, "增长6%", "兑现");
    // A ranking without a figure is no outcome.
    check(&f, "一般公共预算收入", NotReported, None, "", "未见报告");
    // 居民消费价格指数持平: a zero rise under the 2% ceiling.
    check(&f, "居民消费价格", Kept, Figure, "持平", "兑现");
    // 40件民生实事 answered by 40件民生实事全面完成: kept, flagged as blanket.
    check(&f, "民生实事", Kept, Blanket, "全面完成", "证据较弱");
    assert_eq!(f.summary.blanket, 1);
}

#[test]
fn neimenggu_five_year_figures_are_not_the_year() {
    use EvidenceKind::*;
    use VerdictKind::*;
    let (f, _) = run(
        "neimenggu-2025-plan.txt",
        "neimenggu-2026-review.txt",
        &Settings::default(),
    );
    check(
        &f,
        "地区生产总值",
        NotKept,
        Figure,
        "4.7%",
        "未兑现（差1.3个百分点）",
    );
    check(
        &f,
        "规模以上工业增加值",
        PartlyKept,
        Figure,
        "6.7%",
        "差0.3个百分点",
    );
    check(&f, "固定资产投资", NotKept, Figure, "增长4%", "未兑现");
    // 城镇新增就业累计106万人 is five years' total: never this year's outcome.
    check(&f, "城镇新增就业", NotReported, None, "", "未见报告");
    check(&f, "城镇调查失业率", NotReported, None, "", "未见报告");
}

#[test]
fn jiangsu_levels_growth_and_year_over_five_years() {
    use EvidenceKind::*;
    use VerdictKind::*;
    let (f, _) = run(
        "jiangsu-2025-plan.txt",
        "jiangsu-2026-review.txt",
        &Settings::default(),
    );
    check(&f, "地区生产总值", Kept, Figure, "增长5.3%", "兑现");
    // The year's 141万人, not the five years' 690万人 said of the same indicator.
    check(&f, "城镇新增就业", Kept, Figure, "141万人", "实际141万人");
    // A five-year paragraph's end-of-year level counts.
    check(&f, "研发投入强度", Kept, Figure, "3.38%", "兑现");
    // A level (达4.64万亿元) is no growth rate; a five-year 累计下降 no year's decrease.
    check(&f, "社会消费品零售总额", NotReported, None, "", "未见报告");
    check(&f, "能耗", NotReported, None, "", "未见报告");
    check(
        &f,
        "民生实事",
        Kept,
        Blanket,
        "12类45件民生实事全面完成",
        "兑现",
    );
}

#[test]
fn thresholds_are_settings() {
    use VerdictKind::*;
    // A stricter partly threshold turns 宁夏's 0.5-point miss into not kept, a wider kept band
    // turns its 0.2-point miss into kept.
    let strict = Settings {
        partly_rate_points: duban_core::Quantity::from_scaled(3_000),
        ..Settings::default()
    };
    let (f, _) = run("ningxia-2025-plan.txt", "ningxia-2026-review.txt", &strict);
    assert_eq!(on(&f, "人均可支配收入").verdict, NotKept);
    let wide = Settings {
        approx_rate_band: duban_core::Quantity::from_scaled(2_000),
        ..Settings::default()
    };
    let (f, _) = run("ningxia-2025-plan.txt", "ningxia-2026-review.txt", &wide);
    assert_eq!(on(&f, "地区生产总值").verdict, Kept);
    assert!(wide.describe_zh().contains("0.2个百分点"));
}

#[test]
fn the_offices_thresholds_are_checked_by_one_rule() {
    use VerdictKind::*;
    let d = Settings::default();
    assert_eq!(
        d.partly_zh(),
        "部分兑现：增速低于目标不超过0.5个百分点，或总量达到目标的90%以上"
    );
    // Typed values, full-width digits and a trailing % taken; the sentence follows them.
    let s = d.with_partly(" 0.25 ", "８０%").unwrap();
    assert_eq!(
        s.partly_rate_points,
        duban_core::Quantity::from_scaled(2_500)
    );
    assert_eq!(s.partly_amount_percent, 80);
    assert_eq!(
        s.partly_zh(),
        "部分兑现：增速低于目标不超过0.25个百分点，或总量达到目标的80%以上"
    );
    // The 0.2-point miss of 宁夏's GDP is partly at 0.5 and not kept at 0.1.
    let strict = d.with_partly("0.1", "90").unwrap();
    let (f, _) = run("ningxia-2025-plan.txt", "ningxia-2026-review.txt", &strict);
    assert_eq!(on(&f, "地区生产总值").verdict, NotKept);
    // Refusals name the field by its label, never its code, and say what was typed.
    for (rate, amount, field, words) in [
        (
            "abc",
            "90",
            "partly_rate_points",
            "「部分兑现增速差距」应为不超过两位小数的数字，填写的是「abc」",
        ),
        ("0.125", "90", "partly_rate_points", "不超过两位小数"),
        ("1.5万", "90", "partly_rate_points", "「1.5万」"),
        ("-0.5", "90", "partly_rate_points", "「-0.5」"),
        ("", "90", "partly_rate_points", "「」"),
        (
            "0.05",
            "90",
            "partly_rate_points",
            "「部分兑现增速差距」应在0.1至5个百分点之间，填写的是「0.05」",
        ),
        ("5.01", "90", "partly_rate_points", "0.1至5个百分点"),
        (
            "0.5",
            "100",
            "partly_amount_percent",
            "「部分兑现总量比例」应在50至99%之间，填写的是「100」",
        ),
        ("0.5", "49", "partly_amount_percent", "50至99%"),
        (
            "0.5",
            "90.5",
            "partly_amount_percent",
            "「部分兑现总量比例」应为整数，填写的是「90.5」",
        ),
        ("0.5", &"9".repeat(40), "partly_amount_percent", "应为整数"),
    ] {
        let e = d.with_partly(rate, amount).unwrap_err();
        assert_eq!(e.field(), field, "{rate} {amount}");
        let message = e.to_string();
        assert!(message.contains(words), "{message}");
        assert!(!message.contains(field), "{message}");
    }
    assert!(d.check().is_ok());
    let mut bad = d;
    bad.partly_amount_percent = 120;
    assert_eq!(bad.check().unwrap_err().field(), "partly_amount_percent");
}

#[test]
fn gold_scoring_counts_agreements_and_misses() {
    use VerdictKind::*;
    let (f, _) = run(
        "ningxia-2025-plan.txt",
        "ningxia-2026-review.txt",
        &Settings::default(),
    );
    let g = |indicator: &str, value: f64, verdict, optional| GoldTarget {
        indicator: indicator.into(),
        value,
        unit: "%".into(),
        source: String::new(),
        verdict,
        outcome: None,
        optional,
    };
    let gold = [
        g("地区生产总值", 5.5, PartlyKept, false),
        g("社会消费品零售总额", 5.0, Kept, false),
        g("地方一般公共预算收入", 3.0, NotReported, false),
        g("粮食产量", 1.0, Kept, false),
        g("粮食产量", 2.0, Kept, true),
    ];
    let (results, acc) = score_gold(&f.verdicts, &gold);
    assert_eq!(results.len(), 5);
    // Optional and missing: not scored; missing and required: a miss.
    assert_eq!((acc.total, acc.correct), (4, 2));
    assert_eq!((acc.supported, acc.supported_correct), (3, 1));
}
