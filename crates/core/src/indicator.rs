//! The canonical headline indicators (主要指标) that government work reports set as targets and
//! review as outcomes, with their synonyms, their polarity and how they are measured.
//!
//! Reports name one indicator in many ways: 地区生产总值 / 全省地区生产总值 / 经济增长 / GDP;
//! 居民消费价格涨幅 / 居民消费价格上涨 / 物价. [`canonical`] maps a name as written to one
//! [`Indicator`] of [`TABLE`], after [`normalise`] has cut the scope prefixes (全省, 全市, 全国,
//! 全年 …). The table is reviewed data, one entry per indicator, each synonym checked against the
//! national and provincial corpora; it is public so that later features (a panel of governments
//! and years, research exports) read the same names.
//!
//! A name maps to the entry whose synonym it contains, the longest synonym winning
//! (单位地区生产总值能耗 is energy intensity, not 地区生产总值). A name that states a share or a
//! contribution (占地区生产总值比重, 贡献率) is no headline indicator unless a synonym says so.

use serde::Serialize;

/// Which direction of the indicator is the better one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// More is better (地区生产总值, 粮食产量, 城镇新增就业).
    Higher,
    /// Less is better (失业率, 能耗, 居民消费价格涨幅, PM2.5浓度, 死亡率): a target is a ceiling.
    Lower,
}

/// How a target or an outcome states its figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A level or an amount of the year (失业率5.5%, 粮食产量1.3万亿斤, 达到76.2%).
    Level,
    /// A growth rate or an increase (增长5%, 上涨0.2%, 提高2个百分点).
    Increase,
    /// A decrease (下降3%, 降低2.5%, 减少1000万).
    Decrease,
}

impl Measure {
    /// The zh-CN word for the figure (达到, 增长, 下降).
    pub fn word_zh(self) -> &'static str {
        match self {
            Measure::Level => "",
            Measure::Increase => "增长",
            Measure::Decrease => "下降",
        }
    }
}

/// One canonical headline indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Stable code name (`gdp`, `cpi`, `surveyed_unemployment`), for files and URLs.
    pub code: &'static str,
    /// The canonical zh-CN name.
    pub name: &'static str,
    /// Other names the reports use, scope prefixes already cut (see [`normalise`]). A name found
    /// inside a longer one stands for the indicator (全省社会消费品零售总额); one marked `=` only
    /// when it is the whole name (`=生产总值`: 海洋生产总值 is another count).
    pub synonyms: &'static [&'static str],
    /// Which direction is better.
    pub polarity: Polarity,
    /// How its headline target is usually stated (增长 for 地区生产总值, a level for 失业率).
    pub usual: Measure,
}

const fn ind(
    code: &'static str,
    name: &'static str,
    synonyms: &'static [&'static str],
    polarity: Polarity,
    usual: Measure,
) -> Indicator {
    Indicator {
        code,
        name,
        synonyms,
        polarity,
        usual,
    }
}

use Measure::{Decrease, Increase, Level};
use Polarity::{Higher, Lower};

/// The reviewed table of headline indicators.
pub const TABLE: &[Indicator] = &[
    ind(
        "gdp",
        "地区生产总值",
        &[
            "国内生产总值",
            "=生产总值",
            "=经济增长",
            "=经济增速",
            "=经济总量",
            "=GDP",
        ],
        Higher,
        Increase,
    ),
    ind(
        "gdp_per_capita",
        "人均地区生产总值",
        &["人均国内生产总值", "人均生产总值", "人均GDP"],
        Higher,
        Level,
    ),
    ind(
        "budget_revenue",
        "一般公共预算收入",
        &[
            "地方一般公共预算收入",
            "地方级一般公共预算收入",
            "一般公共预算收入",
            "=财政收入",
            "地方财政收入",
        ],
        Higher,
        Increase,
    ),
    ind(
        "fixed_investment",
        "固定资产投资",
        &["全社会固定资产投资", "固定资产投资"],
        Higher,
        Increase,
    ),
    ind(
        "retail_sales",
        "社会消费品零售总额",
        &["社会消费品零售总额", "社零总额"],
        Higher,
        Increase,
    ),
    ind(
        "foreign_trade",
        "进出口总额",
        &[
            "货物进出口总额",
            "外贸进出口",
            "货物进出口",
            "进出口总额",
            "进出口总值",
            "=进出口",
        ],
        Higher,
        Increase,
    ),
    ind(
        "foreign_investment",
        "实际使用外资",
        &["实际利用外资", "实际使用外资金额"],
        Higher,
        Level,
    ),
    ind(
        "industrial_value_added",
        "规模以上工业增加值",
        &["规上工业增加值", "规模以上工业增加值"],
        Higher,
        Increase,
    ),
    ind(
        "new_urban_jobs",
        "城镇新增就业",
        &["新增城镇就业", "城镇新增就业人数", "城镇新增就业"],
        Higher,
        Level,
    ),
    ind(
        "surveyed_unemployment",
        "城镇调查失业率",
        &["调查失业率"],
        Lower,
        Level,
    ),
    ind(
        "registered_unemployment",
        "城镇登记失业率",
        &["登记失业率"],
        Lower,
        Level,
    ),
    ind(
        "cpi",
        "居民消费价格涨幅",
        &[
            "居民消费价格总水平涨幅",
            "居民消费价格总水平",
            "居民消费价格指数",
            "居民消费价格",
            "消费价格涨幅",
            "=CPI",
        ],
        Lower,
        Increase,
    ),
    ind(
        "disposable_income",
        "居民人均可支配收入",
        &["全体居民人均可支配收入", "人均可支配收入", "=居民收入"],
        Higher,
        Increase,
    ),
    ind(
        "urban_income",
        "城镇居民人均可支配收入",
        &["城镇居民收入", "城镇常住居民人均可支配收入"],
        Higher,
        Increase,
    ),
    ind(
        "rural_income",
        "农村居民人均可支配收入",
        &[
            "农村常住居民人均可支配收入",
            "农村居民收入",
            "农民人均纯收入",
            "农民收入",
        ],
        Higher,
        Increase,
    ),
    ind(
        "energy_intensity",
        "单位地区生产总值能耗",
        &[
            "单位国内生产总值能耗",
            "单位生产总值能耗",
            "单位GDP能耗",
            "万元地区生产总值能耗",
            "万元生产总值能耗",
            "能耗强度",
        ],
        Lower,
        Decrease,
    ),
    ind(
        "carbon_intensity",
        "单位地区生产总值二氧化碳排放",
        &[
            "单位国内生产总值二氧化碳排放",
            "单位生产总值二氧化碳排放",
            "碳排放强度",
        ],
        Lower,
        Decrease,
    ),
    ind(
        "pm25",
        "PM2.5平均浓度",
        &[
            "细颗粒物（PM2.5）平均浓度",
            "细颗粒物(PM2.5)平均浓度",
            "细颗粒物平均浓度",
            "PM2.5浓度",
            "细颗粒物浓度",
            "=PM2.5",
        ],
        Lower,
        Level,
    ),
    ind(
        "good_air_days",
        "优良天数比例",
        &[
            "空气质量优良天数比例",
            "空气质量优良天数比率",
            "优良天数比率",
            "空气优良天数比例",
        ],
        Higher,
        Level,
    ),
    ind(
        "surface_water_quality",
        "地表水优良水体比例",
        &[
            "地表水优良水质断面比例",
            "地表水国考断面优良水体比例",
            "优良水体比例",
            "国考断面优良水体比例",
            "优良水质断面比例",
        ],
        Higher,
        Level,
    ),
    ind(
        "grain_output",
        "粮食产量",
        &["粮食总产量", "粮食年产量", "粮食产量"],
        Higher,
        Level,
    ),
    ind(
        "rd_intensity",
        "研发经费投入强度",
        &[
            "全社会研发经费投入强度",
            "全社会研发投入强度",
            "研究与试验发展经费投入强度",
            "研发投入强度",
            "R&D经费投入强度",
            "研发经费投入占地区生产总值比重",
        ],
        Higher,
        Level,
    ),
    ind(
        "urbanization",
        "常住人口城镇化率",
        &["城镇化率", "户籍人口城镇化率"],
        Higher,
        Level,
    ),
    ind(
        "deficit_ratio",
        "赤字率",
        &["财政赤字率", "赤字率"],
        Lower,
        Level,
    ),
    ind(
        "rural_poverty",
        "农村贫困人口",
        &["=贫困人口"],
        Lower,
        Decrease,
    ),
    ind(
        "shanty_renovation",
        "棚户区住房改造",
        &["棚户区改造", "城镇棚户区改造", "棚户区住房改造"],
        Higher,
        Level,
    ),
    ind(
        "old_housing_renovation",
        "城镇老旧小区改造",
        &["老旧小区改造", "城镇老旧小区"],
        Higher,
        Level,
    ),
    ind(
        "high_standard_farmland",
        "高标准农田",
        &["高标准农田"],
        Higher,
        Level,
    ),
    ind(
        "life_expectancy",
        "人均预期寿命",
        &["人均预期寿命"],
        Higher,
        Level,
    ),
    ind(
        "maternal_mortality",
        "孕产妇死亡率",
        &["孕产妇死亡率"],
        Lower,
        Level,
    ),
    ind(
        "infant_mortality",
        "婴儿死亡率",
        &["婴儿死亡率"],
        Lower,
        Level,
    ),
];

/// Scope prefixes cut before matching: the same indicator, said of the whole territory or year.
const PREFIXES: &[&str] = &[
    "全国", "全省", "全市", "全区", "全县", "全州", "全盟", "我国", "我省", "我市", "我区", "全年",
    "年度", "年末", "年均", "地方", "一年",
];

/// Words that make a name a share or a contribution of an indicator, not the indicator.
const SHARE_WORDS: &[&str] = &["占", "比重", "贡献率", "拉动", "增量", "差距"];

/// Suffixes that say how the figure is stated, not what is counted.
const SUFFIXES: &[&str] = &[
    "涨幅",
    "增幅",
    "增速",
    "增长",
    "降幅",
    "下降",
    "降低",
    "上涨",
    "达到",
    "实现",
    "稳定在",
    "控制在",
    "保持在",
    "总量",
    "规模",
];

/// The name with scope prefixes, measuring suffixes, white space and brackets' ASCII/full-width
/// differences cut: `全省地区生产总值增长` → `地区生产总值`, `居民消费价格涨幅` → `居民消费价格`.
pub fn normalise(name: &str) -> String {
    let mut s: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            'Ｐ' => 'P',
            'Ｍ' => 'M',
            '．' => '.',
            '２' => '2',
            '５' => '5',
            _ => c,
        })
        .collect();
    loop {
        let before = s.len();
        for p in PREFIXES {
            if let Some(rest) = s.strip_prefix(p)
                && !rest.is_empty()
            {
                s = rest.to_owned();
            }
        }
        for suf in SUFFIXES {
            if let Some(rest) = s.strip_suffix(suf)
                && rest.chars().count() >= 2
            {
                s = rest.to_owned();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// The canonical indicator a name as written stands for, if it is one of [`TABLE`].
pub fn canonical(name: &str) -> Option<&'static Indicator> {
    let n = normalise(name);
    if n.is_empty() {
        return None;
    }
    let mut best: Option<(&'static Indicator, usize)> = None;
    for ind in TABLE {
        for syn in std::iter::once(&ind.name).chain(ind.synonyms.iter()) {
            let (exact, syn) = match syn.strip_prefix('=') {
                Some(rest) => (true, rest),
                None => (false, *syn),
            };
            let syn_n = normalise(syn);
            let hit = if exact {
                n == syn_n
            } else {
                n.contains(syn_n.as_str())
            };
            if !syn_n.is_empty() && hit {
                let len = syn_n.chars().count();
                if best.is_none_or(|(_, l)| len > l) {
                    best = Some((ind, len));
                }
            }
        }
    }
    let (ind, _) = best?;
    let covers_share = |w: &str| {
        std::iter::once(&ind.name)
            .chain(ind.synonyms.iter())
            .map(|s| s.trim_start_matches('='))
            .any(|s| s.contains(w) && n.contains(s))
    };
    if SHARE_WORDS
        .iter()
        .any(|w| n.contains(w) && !covers_share(w))
    {
        return None;
    }
    Some(ind)
}

/// The indicator with this code.
pub fn by_code(code: &str) -> Option<&'static Indicator> {
    TABLE.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str) -> Option<&'static str> {
        canonical(name).map(|i| i.code)
    }

    #[test]
    fn names_from_the_reports_map_to_one_indicator() {
        // National 2024 plan, 2025 review; 四川 2025 plan, 2026 review; 江苏, 山东.
        for (name, want) in [
            ("国内生产总值", "gdp"),
            ("全省地区生产总值", "gdp"),
            ("地区生产总值", "gdp"),
            ("单位国内生产总值能耗", "energy_intensity"),
            ("单位地区生产总值能耗", "energy_intensity"),
            ("居民消费价格涨幅", "cpi"),
            ("居民消费价格", "cpi"),
            ("居民消费价格总水平涨幅", "cpi"),
            ("城镇调查失业率", "surveyed_unemployment"),
            ("调查失业率", "surveyed_unemployment"),
            ("城镇登记失业率", "registered_unemployment"),
            ("城镇新增就业", "new_urban_jobs"),
            ("地方一般公共预算收入", "budget_revenue"),
            ("全省社会消费品零售总额", "retail_sales"),
            ("全社会研发投入强度", "rd_intensity"),
            ("粮食产量", "grain_output"),
            ("粮食年产量", "grain_output"),
            ("常住人口城镇化率", "urbanization"),
            ("城镇居民人均可支配收入", "urban_income"),
            ("居民人均可支配收入", "disposable_income"),
            ("人均地区生产总值", "gdp_per_capita"),
            ("地级及以上城市细颗粒物（PM2.5）平均浓度", "pm25"),
            ("PM2.5平均浓度", "pm25"),
            ("货物进出口总额", "foreign_trade"),
            ("全省生产总值", "gdp"),
            ("经济增长", "gdp"),
        ] {
            assert_eq!(code(name), Some(want), "{name}");
        }
    }

    #[test]
    fn shares_and_other_counts_are_no_headline_indicator() {
        for name in [
            "制造业增加值占地区生产总值比重",
            "服务业对经济增长贡献率",
            "民营经济增加值占地区生产总值比重",
            "高技术制造业增加值",
            "海洋生产总值",
            "居民收入增长和经济增长同步",
            "外贸出口",
            "",
        ] {
            assert_eq!(code(name), None, "{name}");
        }
        // A synonym that itself states a share still maps.
        assert_eq!(code("研发经费投入占地区生产总值比重"), Some("rd_intensity"));
    }

    #[test]
    fn normalise_cuts_scope_and_measure_words() {
        assert_eq!(normalise("全省地区生产总值"), "地区生产总值");
        assert_eq!(normalise("全国居民消费价格涨幅"), "居民消费价格");
        assert_eq!(
            normalise("细颗粒物(PM2.5)平均浓度"),
            "细颗粒物（PM2.5）平均浓度"
        );
        assert_eq!(normalise("全年"), "全年");
    }

    #[test]
    fn every_code_is_unique_and_found() {
        for (i, a) in TABLE.iter().enumerate() {
            assert_eq!(by_code(a.code).map(|x| x.name), Some(a.name));
            assert!(
                TABLE[i + 1..].iter().all(|b| b.code != a.code),
                "{}",
                a.code
            );
        }
    }
}
