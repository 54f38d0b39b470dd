//! A lead department proposed for a commitment, from its wording and from what this
//! government's office assigned in earlier years. Pure: the caller passes the earlier
//! assignments and the government's departments.
//!
//! The rule, in order:
//! 1. **Earlier years.** An earlier commitment of the same government whose wording is close
//!    (half or more of this sentence's character pairs also occur in it) names its lead.
//! 2. **Wording cues.** The built-in table of the usual municipal and provincial departments
//!    ([`DEPARTMENTS`]), each with the words that mark its work (就业 → 人力资源社会保障). The
//!    department whose cues cover the most characters of the sentence wins; on a tie, the one
//!    whose cue comes first in the sentence.
//! 3. The proposal is the government's own department when one matches the table's name or an
//!    alias (`市人力资源社会保障局`, `人社局`), else the table's usual name (the office creates it
//!    or picks another).

use serde::Serialize;
use std::collections::HashSet;

/// One usual department: its short name, usual full name, aliases that recognise a
/// government's own department, and the words that mark its work.
#[derive(Debug, Clone, Copy)]
pub struct DepartmentCue {
    /// The short name (人力资源社会保障).
    pub short: &'static str,
    /// The usual name of a city's department (人力资源社会保障局).
    pub usual: &'static str,
    /// Parts of a name that identify it (人社, 人力资源).
    pub aliases: &'static [&'static str],
    /// Words in a commitment that point to it.
    pub cues: &'static [&'static str],
}

/// The built-in table.
pub const DEPARTMENTS: &[DepartmentCue] = &[
    DepartmentCue {
        short: "发展改革",
        usual: "发展改革委",
        aliases: &["发展改革", "发展和改革", "发改"],
        cues: &[
            "固定资产投资",
            "重大项目",
            "地区生产总值",
            "经济增长",
            "价格",
            "长三角一体化",
            "营商环境",
            "节能",
            "能耗",
            "粮食储备",
            "改革",
        ],
    },
    DepartmentCue {
        short: "教育",
        usual: "教育局",
        aliases: &["教育"],
        cues: &[
            "教育",
            "学校",
            "学位",
            "幼儿园",
            "中小学",
            "高校",
            "职业院校",
            "学前",
            "课后服务",
            "学生",
        ],
    },
    DepartmentCue {
        short: "科技",
        usual: "科技局",
        aliases: &["科技", "科学技术"],
        cues: &[
            "高新技术企业",
            "科技",
            "创新载体",
            "研发",
            "实验室",
            "科创",
            "孵化",
            "技术创新",
        ],
    },
    DepartmentCue {
        short: "工业和信息化",
        usual: "工业和信息化局",
        aliases: &["工业和信息化", "工信", "工业"],
        cues: &[
            "制造业",
            "工业",
            "智能化改造",
            "数字化转型",
            "5G基站",
            "产业集群",
            "专精特新",
            "集成电路",
            "生物医药",
        ],
    },
    DepartmentCue {
        short: "公安",
        usual: "公安局",
        aliases: &["公安"],
        cues: &[
            "治安",
            "扫黑除恶",
            "电信网络诈骗",
            "平安",
            "道路交通安全",
            "禁毒",
        ],
    },
    DepartmentCue {
        short: "民政",
        usual: "民政局",
        aliases: &["民政"],
        cues: &[
            "养老",
            "低保",
            "救助",
            "社区",
            "社会组织",
            "殡葬",
            "慈善",
            "困境儿童",
            "残疾人",
        ],
    },
    DepartmentCue {
        short: "财政",
        usual: "财政局",
        aliases: &["财政"],
        cues: &[
            "财政",
            "一般公共预算",
            "减税降费",
            "政府债务",
            "专项债",
            "预算",
        ],
    },
    DepartmentCue {
        short: "人力资源社会保障",
        usual: "人力资源社会保障局",
        aliases: &["人力资源", "人社"],
        cues: &[
            "就业",
            "失业",
            "创业",
            "职业技能",
            "社会保险",
            "社保",
            "最低工资",
            "技能人才",
            "高校毕业生",
            "人才",
        ],
    },
    DepartmentCue {
        short: "自然资源",
        usual: "自然资源和规划局",
        aliases: &["自然资源", "规划"],
        cues: &[
            "国土空间",
            "用地",
            "耕地",
            "土地",
            "低效用地",
            "不动产",
            "自然资源",
        ],
    },
    DepartmentCue {
        short: "生态环境",
        usual: "生态环境局",
        aliases: &["生态环境", "环保", "环境保护"],
        cues: &[
            "PM2.5",
            "空气质量",
            "污染",
            "减排",
            "生态环境",
            "水质",
            "国考断面",
            "危险废物",
            "碳",
        ],
    },
    DepartmentCue {
        short: "住房城乡建设",
        usual: "住房城乡建设局",
        aliases: &["住房城乡建设", "住房和城乡建设", "住建"],
        cues: &[
            "老旧小区",
            "棚户区",
            "保障性住房",
            "住房",
            "房地产",
            "建筑业",
            "海绵城市",
            "加装电梯",
            "物业",
        ],
    },
    DepartmentCue {
        short: "交通运输",
        usual: "交通运输局",
        aliases: &["交通运输", "交通"],
        cues: &[
            "轨道交通",
            "高速公路",
            "铁路",
            "公路",
            "港口",
            "公交",
            "航道",
            "交通",
            "机场",
        ],
    },
    DepartmentCue {
        short: "水利",
        usual: "水务局",
        aliases: &["水利", "水务"],
        cues: &[
            "防洪",
            "河湖",
            "河长制",
            "水利",
            "供水",
            "排涝",
            "太湖治理",
            "饮用水",
        ],
    },
    DepartmentCue {
        short: "农业农村",
        usual: "农业农村局",
        aliases: &["农业农村", "农业", "农委"],
        cues: &[
            "高标准农田",
            "乡村振兴",
            "农村",
            "农业",
            "粮食",
            "农民",
            "村级",
            "农产品",
            "美丽乡村",
            "生猪",
        ],
    },
    DepartmentCue {
        short: "商务",
        usual: "商务局",
        aliases: &["商务"],
        cues: &[
            "外资",
            "外贸",
            "进出口",
            "消费",
            "社会消费品零售",
            "开放型经济",
            "自贸",
            "跨境电商",
            "商圈",
        ],
    },
    DepartmentCue {
        short: "文化和旅游",
        usual: "文化广电和旅游局",
        aliases: &["文化", "旅游", "文旅", "文广旅"],
        cues: &[
            "文化",
            "旅游",
            "文物",
            "博物馆",
            "公共文化",
            "非遗",
            "图书馆",
            "景区",
        ],
    },
    DepartmentCue {
        short: "卫生健康",
        usual: "卫生健康委",
        aliases: &["卫生健康", "卫健", "卫生"],
        cues: &[
            "医疗",
            "医院",
            "疫情",
            "卫生",
            "健康",
            "疾病",
            "疫苗",
            "公共卫生",
            "基层医疗",
        ],
    },
    DepartmentCue {
        short: "应急管理",
        usual: "应急管理局",
        aliases: &["应急管理", "应急"],
        cues: &["安全生产", "应急", "防灾减灾", "消防", "危险化学品", "事故"],
    },
    DepartmentCue {
        short: "市场监管",
        usual: "市场监管局",
        aliases: &["市场监管", "市场监督"],
        cues: &[
            "食品安全",
            "药品安全",
            "市场主体",
            "质量",
            "知识产权",
            "市场监管",
            "标准化",
        ],
    },
    DepartmentCue {
        short: "体育",
        usual: "体育局",
        aliases: &["体育"],
        cues: &["体育", "全民健身", "健身", "赛事", "运动"],
    },
    DepartmentCue {
        short: "医保",
        usual: "医疗保障局",
        aliases: &["医疗保障", "医保"],
        cues: &[
            "医保",
            "医疗保障",
            "医疗保险",
            "药品集中采购",
            "长期护理保险",
        ],
    },
    DepartmentCue {
        short: "数据",
        usual: "大数据管理局",
        aliases: &["数据", "政务服务"],
        cues: &[
            "政务服务",
            "一网通办",
            "数据共享",
            "大数据",
            "数字政府",
            "不见面审批",
            "放管服",
        ],
    },
    DepartmentCue {
        short: "城管",
        usual: "城市管理局",
        aliases: &["城市管理", "城管"],
        cues: &[
            "垃圾分类",
            "生活垃圾",
            "市容",
            "城市管理",
            "违法建设",
            "绿化",
            "公厕",
        ],
    },
];

/// An earlier assignment of the same government: its commitment's text and its lead.
#[derive(Debug, Clone, Copy)]
pub struct Precedent<'a> {
    /// The earlier commitment's sentence.
    pub text: &'a str,
    /// The lead the office chose.
    pub lead: &'a str,
}

/// Why the department was proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Basis {
    /// An earlier year's close commitment had this lead.
    Precedent {
        /// That commitment's sentence.
        text: String,
    },
    /// Words of the table's cues found in the sentence.
    Wording {
        /// The cues found, in order of the table.
        cues: Vec<String>,
    },
}

/// A proposed lead department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The department: one of the government's own names when one matches, else the table's
    /// usual name.
    pub department: String,
    /// Whether `department` is one of the government's own departments.
    pub existing: bool,
    /// The table's short name, when the proposal came from the table.
    pub short: Option<&'static str>,
    /// Why.
    pub basis: Basis,
}

impl Suggestion {
    /// The reason in zh-CN words (依据：措辞「就业」, 依据：往年同类任务).
    pub fn reason_zh(&self) -> String {
        match &self.basis {
            Basis::Precedent { text } => {
                let short: String = text.chars().take(24).collect();
                format!("往年同类任务「{short}…」由其牵头")
            }
            Basis::Wording { cues } => format!(
                "措辞{}",
                cues.iter().map(|c| format!("「{c}」")).collect::<String>()
            ),
        }
    }
}

fn pairs(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_ascii_punctuation()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The share of `text`'s character pairs also in `other`, in percent.
fn closeness(text: &HashSet<(char, char)>, other: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let other = pairs(other);
    text.intersection(&other).count() * 100 / text.len()
}

/// The government's department that a table entry names, if any.
fn own_department<'a>(cue: &DepartmentCue, departments: &[&'a str]) -> Option<&'a str> {
    std::iter::once(cue.short)
        .chain(cue.aliases.iter().copied())
        .find_map(|alias| departments.iter().find(|d| d.contains(alias)).copied())
}

/// Proposes a lead for a commitment's sentence, or `None` when neither an earlier year nor the
/// table has anything to say.
pub fn suggest_lead(
    text: &str,
    precedents: &[Precedent<'_>],
    departments: &[&str],
) -> Option<Suggestion> {
    let own = pairs(text);
    let best = precedents
        .iter()
        .map(|p| (closeness(&own, p.text), p))
        .filter(|(score, _)| *score >= 50)
        .max_by_key(|(score, _)| *score);
    if let Some((_, p)) = best {
        let existing = departments.contains(&p.lead);
        return Some(Suggestion {
            department: p.lead.to_owned(),
            existing,
            short: None,
            basis: Basis::Precedent {
                text: p.text.to_owned(),
            },
        });
    }
    let mut winner: Option<(usize, usize, &DepartmentCue, Vec<String>)> = None;
    for cue in DEPARTMENTS {
        let found: Vec<(&str, usize)> = cue
            .cues
            .iter()
            .filter_map(|w| text.find(w).map(|at| (*w, at)))
            .collect();
        if found.is_empty() {
            continue;
        }
        let weight: usize = found.iter().map(|(w, _)| w.chars().count()).sum();
        let first = found.iter().map(|(_, at)| *at).min().unwrap_or(usize::MAX);
        let better = winner
            .as_ref()
            .is_none_or(|(w, f, _, _)| weight > *w || (weight == *w && first < *f));
        if better {
            let words = found.iter().map(|(w, _)| (*w).to_owned()).collect();
            winner = Some((weight, first, cue, words));
        }
    }
    let (_, _, cue, cues) = winner?;
    let (department, existing) = match own_department(cue, departments) {
        Some(name) => (name.to_owned(), true),
        None => (cue.usual.to_owned(), false),
    };
    Some(Suggestion {
        department,
        existing,
        short: Some(cue.short),
        basis: Basis::Wording { cues },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUZHOU: &[&str] = &[
        "市发展改革委",
        "市教育局",
        "市人力资源社会保障局",
        "市住房城乡建设局",
        "市生态环境局",
    ];

    fn check(text: &str, departments: &[&str], expected: &str) {
        let s = suggest_lead(text, &[], departments).expect(text);
        assert_eq!(s.department, expected, "{text}: {:?}", s.basis);
    }

    #[test]
    fn wording_picks_the_usual_department() {
        // Sentences of the 苏州市 2020 and 2021 reports (testdata/seed) and of other cities'.
        check(
            "城镇新增就业15万人，城镇登记失业率控制在3%以内。",
            SUZHOU,
            "市人力资源社会保障局",
        );
        check(
            "扎实做好高校毕业生、退役军人等重点群体就业工作。",
            SUZHOU,
            "市人力资源社会保障局",
        );
        check(
            "新建改扩建中小学、幼儿园50所，新增学位5万个。",
            SUZHOU,
            "市教育局",
        );
        check(
            "改造老旧小区200个，加装电梯300部。",
            SUZHOU,
            "市住房城乡建设局",
        );
        check("PM2.5平均浓度下降到38微克/立方米。", SUZHOU, "市生态环境局");
        // Not among the government's own: the table's usual name.
        check("新增国家高新技术企业1000家。", SUZHOU, "科技局");
        check("生活垃圾分类小区覆盖率达到95%。", &[], "城市管理局");
    }

    #[test]
    fn earlier_years_come_first_and_nothing_is_none() {
        let precedents = [Precedent {
            text: "新建改造农村公路300公里，完成农村危桥改造50座。",
            lead: "市交通运输局",
        }];
        let s = suggest_lead("新建改造农村公路200公里。", &precedents, SUZHOU).unwrap();
        assert_eq!(s.department, "市交通运输局");
        assert!(matches!(s.basis, Basis::Precedent { .. }));
        assert!(suggest_lead("坚定信心，奋力前行。", &precedents, SUZHOU).is_none());
        let s = suggest_lead("城镇新增就业15万人。", &[], SUZHOU).unwrap();
        assert_eq!(s.reason_zh(), "措辞「就业」");
    }
}
