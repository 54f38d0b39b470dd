//! A plan that states a target twice (the main targets and a work item, the body and the annex of
//! 民生实事) makes one promise: it is tracked once, in the commitment that states it first.

use duban_report::extract_text;

/// (commitment text, indicator, value) of every target.
fn targets(text: &str) -> Vec<(String, String, f64)> {
    let (extraction, _) = extract_text(text);
    extraction
        .commitments
        .iter()
        .flat_map(|c| {
            c.targets
                .iter()
                .map(|t| (c.text.clone(), t.indicator.clone(), t.value))
        })
        .collect()
}

#[test]
fn a_target_of_the_annex_that_restates_the_body_is_kept_once() {
    // 云南 2025: 实现城镇新增就业50万人以上 in 二 and again in the annex 2025年10件惠民实事.
    let text = "2025年云南省政府工作报告\n二、2025年总体要求\n城镇新增就业50万人以上。\n附件\n2025年10件惠民实事\n一、促进就业\n年度目标：实现城镇新增就业50万人以上，新建零工市场20个。\n";
    let found = targets(text);
    let jobs: Vec<_> = found
        .iter()
        .filter(|(_, i, _)| i.contains("城镇新增就业"))
        .collect();
    assert_eq!(jobs.len(), 1, "{found:?}");
    assert_eq!(jobs[0].0, "城镇新增就业50万人以上");
    assert!(
        found.iter().any(|(_, i, v)| i == "零工市场" && *v == 20.0),
        "{found:?}"
    );
}

#[test]
fn a_work_item_that_restates_a_main_target_with_a_longer_name_is_kept_once() {
    // 内蒙古 2025: 固定资产投资增长10%左右 in the main targets, 确保固定资产投资今年增长10%左右 in 二（一）.
    let text = "2025年内蒙古自治区政府工作报告\n二、2025年工作安排\n固定资产投资增长10%左右。\n（一）实施重大项目谋划行动\n确保固定资产投资今年增长10%左右，力争新开工项目3000个。\n";
    let found = targets(text);
    let investment = found
        .iter()
        .filter(|(_, i, v)| i.starts_with("固定资产投资") && *v == 10.0)
        .count();
    assert_eq!(investment, 1, "{found:?}");
    assert!(found.iter().any(|(_, _, v)| *v == 3000.0), "{found:?}");
}

#[test]
fn the_same_amount_of_different_things_stays_twice() {
    let text = "2025年云南省政府工作报告\n二、2025年工作安排\n新建县级儿童急救点70个。\n（二）\n新建乡镇卫生院70个。\n";
    assert_eq!(targets(text).len(), 2, "{:?}", targets(text));
}
