//! Figures a plan sets for a later year (用3—5年时间, 3年内, 到2027年) are goals with that horizon,
//! not this year's targets; the figures before the marker in the same sentence stay targets.

use duban_report::extract_text;

/// A goal as the tests compare it: indicator, value, horizon.
type GoalRow = (String, f64, Option<i32>);

/// (indicator, value) of the targets, and the goals.
fn read(text: &str) -> (Vec<(String, f64)>, Vec<GoalRow>) {
    let (extraction, _) = extract_text(text);
    let targets = extraction
        .commitments
        .iter()
        .flat_map(|c| c.targets.iter())
        .map(|t| (t.indicator.clone(), t.value))
        .collect();
    let goals = extraction
        .goals
        .iter()
        .map(|g| (g.target.indicator.clone(), g.target.value, g.horizon))
        .collect();
    (targets, goals)
}

#[test]
fn a_span_of_years_makes_the_figures_after_it_goals() {
    // 湖北 2025 二（二）: the talent counts are set for three to five years.
    let text = "2025年湖北省政府工作报告\n二、2025年重点工作\n用3—5年时间，引进培育10名战略科学家、100名科技领军人才。今年新增高新技术企业3000家。\n";
    let (targets, goals) = read(text);
    assert_eq!(targets, vec![("高新技术企业".to_string(), 3000.0)]);
    assert!(
        goals.contains(&("战略科学家".to_string(), 10.0, Some(2029))),
        "{goals:?}"
    );
    assert!(
        goals.contains(&("科技领军人才".to_string(), 100.0, Some(2029))),
        "{goals:?}"
    );
}

#[test]
fn only_the_figures_after_the_marker_move() {
    // 宁夏 2025: 年内完成6000套改造计划 is this year's, 3年内…1.2万套 is a goal.
    let text = "2025年宁夏回族自治区政府工作报告\n二、2025年重点工作\n开展城中村改造专项行动，年内完成6000套改造计划，力争3年内全部启动五市市辖区城中村1.2万套改造任务。\n";
    let (targets, goals) = read(text);
    assert_eq!(targets, vec![("改造计划".to_string(), 6000.0)]);
    assert_eq!(goals, vec![("改造任务".to_string(), 12_000.0, Some(2027))]);
}

#[test]
fn the_plan_year_itself_is_no_horizon() {
    // 到2025年底 in a 2025 plan is this year.
    let text = "2025年某省政府工作报告\n二、2025年重点工作\n到2025年底，新建5G基站2000个。\n";
    let (targets, goals) = read(text);
    assert_eq!(targets, vec![("5G基站".to_string(), 2000.0)]);
    assert!(goals.is_empty(), "{goals:?}");
}
