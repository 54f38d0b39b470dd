//! Headings that hold amounts: an item's lead sentence (一是支持20所普通高中…)
//! is a commitment of its own when it holds amounts, read for targets.

use duban_report::extract_text;

fn targets(text: &str) -> Vec<(String, f64)> {
    let (extraction, _) = extract_text(text);
    extraction
        .commitments
        .iter()
        .flat_map(|c| c.targets.iter())
        .map(|t| (t.indicator.clone(), t.value))
        .collect()
}

#[test]
fn an_items_lead_sentence_with_amounts_is_read() {
    // 甘肃 2026, 2026年重点工作（七）: the 为民实事 are items 一是…十是 whose lead sentences hold them.
    let text = "2026年重点工作\n（七）加大保障和改善民生力度\n持续办好为民实事。一是继续实施“强县中增学位”工程，支持20所普通高中改善办学条件、提升办学能力，在14个市州城区和兰州新区增补义务教育学位2万个。二是利用闲置资源改造建设100个乡镇综合养老服务中心和300个村级互助幸福院。\n";
    let got = targets(text);
    for (indicator, value) in [
        ("普通高中", 20.0),
        ("义务教育学位", 20_000.0),
        ("乡镇综合养老服务中心", 100.0),
        ("村级互助幸福院", 300.0),
    ] {
        assert!(
            got.iter()
                .any(|(i, v)| i.contains(indicator) && *v == value),
            "{indicator} {value} in {got:?}"
        );
    }
}

#[test]
fn lead_sentences_of_a_list_of_practical_things_are_read() {
    // 山西 2026: 今年再办好15件民生实事。一是…。三是对上消化道癌高危人群开展内镜检查3万名。
    let text = "三、2026年重点工作\n（七）持续保障和改善民生\n悠悠万事，民生为大。今年再办好15件民生实事。一是为怀孕妇女提供免费产前筛查与诊断服务，做到应检尽检。二是对新生儿参加居民基本医保个人缴费部分给予全额补助。三是对上消化道癌高危人群开展内镜检查3万名。\n";
    let got = targets(text);
    assert!(
        got.iter()
            .any(|(i, v)| i.contains("内镜检查") && *v == 30_000.0),
        "{got:?}"
    );
}

#[test]
fn a_heading_without_amounts_is_no_commitment() {
    let text = "三、2026年重点工作\n（一）着力优化供给扩大需求，拓展内需增长新空间。新增高标准农田20万亩。\n";
    let (extraction, _) = extract_text(text);
    assert!(
        extraction
            .commitments
            .iter()
            .all(|c| !c.text.contains("拓展内需增长新空间")),
        "{:?}",
        extraction.commitments
    );
}
