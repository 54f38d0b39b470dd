//! Synthetic extractions for tests and the benchmark: a plan of known shape with exact values.

use duban_report::model::{
    Cmp, Commitment, CommitmentKind, Extraction, Outcome, Period, Role, Section, SectionKind,
    Target,
};

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// A report of `parts` parts, each with `items` items, each with `per_item` commitments; every
/// third commitment is quantified with one target (`value` = its number × 1.5, unit 亩), every
/// third a milestone, the rest qualitative. Deadline 2020-12-31.
pub fn extraction(parts: usize, items: usize, per_item: usize) -> (String, Extraction) {
    let mut text = String::new();
    let mut sections = Vec::new();
    let mut commitments = Vec::new();
    let mut n = 0usize;
    for p in 0..parts {
        let part_label = format!("{}、", NUMERALS[p % 10]);
        let part_start = text.chars().count();
        text.push_str(&format!("{part_label}第{}部分工作\n", p + 1));
        let mut children = Vec::new();
        for i in 0..items {
            let item_label = format!("{}.", i + 1);
            let item_start = text.chars().count();
            text.push_str(&format!("{item_label}第{}项工作。", i + 1));
            for _ in 0..per_item {
                n += 1;
                let sentence = format!("推进第{n}号任务新增高标准农田{}亩。", n * 3 / 2);
                let start = text.chars().count();
                text.push_str(&sentence);
                let end = text.chars().count();
                let kind = match n % 3 {
                    0 => CommitmentKind::Quantified,
                    1 => CommitmentKind::Milestone,
                    _ => CommitmentKind::Qualitative,
                };
                let targets = if kind == CommitmentKind::Quantified {
                    vec![Target {
                        indicator: "高标准农田".into(),
                        verb: "新增".into(),
                        value: n as f64 * 1.5,
                        unit: "亩".into(),
                        cmp: Cmp::Ge,
                        value_max: None,
                        modality: Some("确保".into()),
                        source: sentence.clone(),
                        span: [start, end],
                    }]
                } else {
                    Vec::new()
                };
                commitments.push(Commitment {
                    id: format!("c{n}"),
                    path: vec![
                        part_label.trim_end_matches('、').to_string(),
                        (i + 1).to_string(),
                    ],
                    text: sentence,
                    span: [start, end],
                    kind,
                    modality: None,
                    deadline: Some("2020-12-31".into()),
                    targets,
                });
            }
            text.push('\n');
            children.push(Section {
                kind: SectionKind::Section,
                number: (i + 1) as u32,
                label: item_label,
                heading: format!("第{}项工作", i + 1),
                role: Role::Plan,
                span: [item_start, text.chars().count()],
                children: Vec::new(),
            });
        }
        sections.push(Section {
            kind: SectionKind::Part,
            number: (p + 1) as u32,
            label: part_label,
            heading: format!("第{}部分工作", p + 1),
            role: Role::Plan,
            span: [part_start, text.chars().count()],
            children,
        });
    }
    let extraction = Extraction {
        title: "2020年测试市政府工作报告".into(),
        government: Some("测试市".into()),
        year: Some(2020),
        sections,
        commitments,
        outcomes: vec![Outcome {
            period: Period::Year,
            target: Target {
                indicator: "地区生产总值".into(),
                verb: "增长".into(),
                value: 5.6,
                unit: "%".into(),
                cmp: Cmp::Approx,
                value_max: None,
                modality: None,
                source: "地区生产总值增长5.6%".into(),
                span: [0, 1],
            },
        }],
        goals: Vec::new(),
        dropped: Vec::new(),
    };
    (text, extraction)
}
