//! Word lists the extractor reads with: units, verbs, comparators and fillers.
//!
//! Kept apart from the matching code so that a reader can review the vocabulary of the engine in
//! one place. Every list is matched longest-first.

/// What a unit measures, which decides where a quantity may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A classifier that counts things (个, 家, 所): may precede its noun (10个康居特色村).
    Count,
    /// A physical or money measure (亩, 吨, 元): may precede its noun (100公里农村公路).
    Measure,
    /// A span of time (天, 小时): before a noun it describes (10分钟体育休闲生活圈).
    Time,
    /// A share (%, 个百分点): before a noun it describes (90%的村).
    Share,
}

/// Units, longest first where one is the prefix of another.
pub const UNITS: &[(&str, UnitKind)] = &[
    ("个百分点", UnitKind::Share),
    ("百分点", UnitKind::Share),
    ("%", UnitKind::Share),
    ("％", UnitKind::Share),
    ("‰", UnitKind::Share),
    ("倍", UnitKind::Share),
    ("个工作日", UnitKind::Time),
    ("工作日", UnitKind::Time),
    ("个月", UnitKind::Time),
    ("小时", UnitKind::Time),
    ("分钟", UnitKind::Time),
    ("天", UnitKind::Time),
    ("周", UnitKind::Time),
    ("秒", UnitKind::Time),
    ("微克/立方米", UnitKind::Measure),
    ("微克每立方米", UnitKind::Measure),
    ("立方米/秒", UnitKind::Measure),
    ("立方米/日", UnitKind::Measure),
    ("吨/日", UnitKind::Measure),
    ("元/人", UnitKind::Measure),
    ("元/月", UnitKind::Measure),
    ("吨/年", UnitKind::Measure),
    ("EFLOPS", UnitKind::Measure),
    ("Eflops", UnitKind::Measure),
    ("PFLOPS", UnitKind::Measure),
    ("PFlops", UnitKind::Measure),
    ("P", UnitKind::Measure),
    ("毫克/立方米", UnitKind::Measure),
    ("毫克/升", UnitKind::Measure),
    ("分贝", UnitKind::Measure),
    ("平方公里", UnitKind::Measure),
    ("平方千米", UnitKind::Measure),
    ("平方米", UnitKind::Measure),
    ("立方米", UnitKind::Measure),
    ("方", UnitKind::Measure),
    ("公顷", UnitKind::Measure),
    ("亩", UnitKind::Measure),
    ("公里", UnitKind::Measure),
    ("千米", UnitKind::Measure),
    ("延米", UnitKind::Measure),
    ("米", UnitKind::Measure),
    ("吨标准煤", UnitKind::Measure),
    ("吨", UnitKind::Measure),
    ("千克", UnitKind::Measure),
    ("公斤", UnitKind::Measure),
    ("斤", UnitKind::Measure),
    ("美元", UnitKind::Measure),
    ("港元", UnitKind::Measure),
    ("欧元", UnitKind::Measure),
    ("元", UnitKind::Measure),
    ("千瓦时", UnitKind::Measure),
    // 新能源发电量超3000亿度 (内蒙古 2025, 2026; 河南 2025): kilowatt-hours.
    ("度", UnitKind::Measure),
    ("千伏", UnitKind::Measure),
    ("千瓦", UnitKind::Measure),
    ("兆瓦", UnitKind::Measure),
    ("千伏安", UnitKind::Measure),
    ("标准箱", UnitKind::Measure),
    ("标箱", UnitKind::Measure),
    ("人次", UnitKind::Count),
    ("场次", UnitKind::Count),
    ("批次", UnitKind::Count),
    ("亩次", UnitKind::Measure),
    ("架次", UnitKind::Count),
    ("班次", UnitKind::Count),
    ("次", UnitKind::Count),
    ("例", UnitKind::Count),
    ("门", UnitKind::Count),
    ("份", UnitKind::Count),
    ("种", UnitKind::Count),
    ("起", UnitKind::Count),
    ("对", UnitKind::Count),
    ("颗", UnitKind::Count),
    ("户次", UnitKind::Count),
    ("人", UnitKind::Count),
    ("户", UnitKind::Count),
    ("个", UnitKind::Count),
    ("家", UnitKind::Count),
    ("所", UnitKind::Count),
    ("座", UnitKind::Count),
    ("条", UnitKind::Count),
    ("处", UnitKind::Count),
    ("项", UnitKind::Count),
    ("名", UnitKind::Count),
    ("套", UnitKind::Count),
    ("张", UnitKind::Count),
    ("辆", UnitKind::Count),
    ("艘", UnitKind::Count),
    ("台", UnitKind::Count),
    ("只", UnitKind::Count),
    ("头", UnitKind::Count),
    ("株", UnitKind::Count),
    ("棵", UnitKind::Count),
    ("栋", UnitKind::Count),
    ("幢", UnitKind::Count),
    ("间", UnitKind::Count),
    ("支", UnitKind::Count),
    ("场", UnitKind::Count),
    ("片", UnitKind::Count),
    ("口", UnitKind::Count),
    ("部", UnitKind::Count),
    ("件", UnitKind::Count),
    ("宗", UnitKind::Count),
    ("位", UnitKind::Count),
    ("床", UnitKind::Count),
    ("架", UnitKind::Count),
    ("列", UnitKind::Count),
    ("册", UnitKind::Count),
    ("篇", UnitKind::Count),
    ("批", UnitKind::Count),
];

/// Ratings of a kind of equipment (750千伏河西走廊北通道工程, 新建20个500千伏输变电工程): they name
/// the class of a line or a station, never an amount to reach.
pub const RATINGS: &[&str] = &["千伏"];

/// Units of a plant's capacity: written before a project's noun after its company or place
/// (国达化工60万吨钾肥复合造粒, 榆能西南70万千瓦热电项目), they give the project's size.
pub const CAPACITY_UNITS: &[&str] = &["吨", "千瓦", "兆瓦", "吨/年"];

/// Verbs that may stand right before the capacity of what they act on (推动200万千瓦风电全容量
/// 并网) and are no project's name.
pub const VERBS_BEFORE_CAPACITY: &[&str] = &[
    "推动", "加快", "支持", "开工", "投产", "并网", "新上", "布局", "谋划", "争取",
];

/// Words after an amount that close a list of amounts rather than name what it counts (储能60万
/// 千瓦目标).
pub const NOT_OBJECTS: &[&str] = &["目标"];

/// Verbs after a share that say what the share of its subject does (宁夏 2025 新建数据中心100%使用
/// 绿电, 县级综合医院、基层医疗卫生机构100%达到国家标准; 江西 2025 新增专业布点数60%以上服务于…,
/// 开发区新增工业用地不低于70%按照“标准地”制度供地).
pub const SHARE_PREDICATES: &[&str] = &["达到", "使用", "服务于", "按照"];

/// Nouns of a policy's items: counted with 条 or 项 they name the policy (20条措施, 30项举措), never
/// an amount to reach.
pub const POLICY_NOUNS: &[&str] = &["举措", "措施", "政策", "路径"];

/// Words before an amount that make it the rating of a kind of thing (时速250公里城际市域列车,
/// 通时速350公里高铁).
pub const RATING_LEADS: &[&str] = &["时速"];

/// Bounds written between an amount and the noun it describes (10万千瓦及以下燃煤机组,
/// 220千伏及以上输电线路): the amount names a class of things.
pub const CLASS_BOUNDS: &[&str] = &["及以上", "及以下"];

/// Words before an amount of money that make it a sum per head, a benefit standard rather than an
/// amount to reach (一次性补助1万元, 给予每人1万元救助, 每人发放1万元助学金).
pub const PER_HEAD: &[&str] = &["每人", "每户", "每名", "一次性"];

/// Verbs that may open a clause before a share written ahead of its subject
/// (推动60%以上的县级特困供养机构三级达标).
pub const SHARE_SUBJECT_LEADS: &[&str] = &[
    "推动", "推进", "实现", "促进", "使", "让", "在", "全省", "全区", "全市",
];

/// Verbs between a counted noun and a second amount, which is that noun's (810个省重点项目完成投资
/// 10428.6亿元, 3920个新投产项目增加产值5100多亿元).
pub const AMOUNT_LEADS: &[&str] = &["完成", "增加", "实现", "带动", "拉动"];

/// Nouns of a threshold passed (跨上3万亿元台阶, 跨过两个万亿元大关): the amount is the
/// indicator's own, not a count of the noun.
pub const THRESHOLDS: &[&str] = &["台阶", "大关", "关口"];

/// Comparisons with a peer (高于全国1.7个百分点, 快于全国): a gap, never a target or an outcome.
pub const PEER_BASELINES: &[&str] = &[
    "高于全国",
    "低于全国",
    "快于全国",
    "慢于全国",
    "高出全国",
    "比全国",
    "高于全省",
    "快于全省",
    "高于东部",
    "高于全国平均",
];

/// Verbs before a bare multiplier that stands for one of it (超万亿元, 突破万亿, 开行超万列).
pub const BEFORE_BARE_MULTIPLIER: &[&str] = &[
    "超",
    "超过",
    "突破",
    "过",
    "达",
    "达到",
    "近",
    "稳定在",
    "新增",
];

/// Head nouns that parallel names share (A、B零售额): what a list of modifiers measures.
pub const HEAD_NOUNS: &[&str] = &[
    "增加值",
    "营业收入",
    "营收",
    "零售额",
    "产值",
    "产量",
    "占比",
    "比重",
    "人数",
    "收入",
    "投资额",
    "投资",
    "覆盖率",
    "达标率",
    "利用率",
    "合格率",
    "增速",
    "规模",
    "总量",
    "数量",
    "面积",
    "浓度",
    "产能",
    "能力",
    "销量",
    "进出口额",
];

/// Verbs that keep up what already exists (壮大19个省级先进制造业集群, 聚焦28条重点产业链,
/// 发挥好9个国家区域医疗中心服务功能): a count after one of them names the existing set, not an
/// amount to reach. Verbs that make or finish something (培育, 新建, 提升改造) are not here.
pub const SUSTAINING_VERBS: &[&str] = &[
    "壮大",
    "做强",
    "做优做强",
    "做大做强",
    "加快发展",
    "聚焦",
    "发挥",
    "发挥好",
    "强化",
    "围绕",
    "建强",
];

/// Words that open the shared head of parallel names when the last name is written whole before
/// them (电子信息、有色金属、装备制造业产业规模 → 产业规模; 人参、食用菌全产业链产值 → 全产业链产值;
/// 蔬菜、小浆果设施产量占比 → 设施产量占比).
pub const HEAD_OPENERS: &[&str] = &["全产业链", "产业链", "产业", "行业", "设施"];

/// Words of a clause that make or finish what it counts (建成, 新建, 设置): a count of the things
/// it names (加快设置…、…2所职业本科院校; 本桓、凌绥、台黑4条高速公路提前建成通车) is then a target.
pub const MAKING_WORDS: &[&str] = &[
    "建成", "新建", "设置", "设立", "开工", "投产", "投运", "通车", "完成", "新增", "创建", "培育",
];

/// Units that count the parts of a named programme when a Chinese numeral stands before them.
pub const PROGRAMME_PARTS: &[&str] = &["项", "条", "件", "类", "种", "批", "方面", "次"];

/// Words right after a number that make it a date, an age, an ordinal or a name, never a target.
pub const NOT_QUANTITY_AFTER: &[&str] = &[
    "年",
    "月",
    "日",
    "号",
    "时",
    "岁",
    "届",
    "轮",
    "代",
    "级",
    "版",
    "页",
    "世纪",
    "季度",
    "强",
    "后",
    "型",
    "线",
    "路",
    "期",
    "次会议",
    "大",
    "方面",
];

/// Comparators written after the number and unit.
pub const SUFFIX_COMPARATORS: &[(&str, Bound)] = &[
    ("以上", Bound::AtLeast),
    ("以下", Bound::AtMost),
    ("以内", Bound::AtMost),
    ("之内", Bound::AtMost),
    ("左右", Bound::About),
    ("上下", Bound::About),
];

/// How a comparator bounds a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// 以上, 不低于
    AtLeast,
    /// 以内, 控制在
    AtMost,
    /// 左右
    About,
}

/// Verbs that stand right before the number (indicator, verb, number): 覆盖率达到70%.
/// Each may carry a bound; the list is longest first where one is the prefix of another.
pub const VERBS_BEFORE_NUMBER: &[(&str, Option<Bound>)] = &[
    ("控制在", Some(Bound::AtMost)),
    ("不超过", Some(Bound::AtMost)),
    ("不高于", Some(Bound::AtMost)),
    ("低于", Some(Bound::AtMost)),
    ("不低于", Some(Bound::AtLeast)),
    ("不少于", Some(Bound::AtLeast)),
    ("至少", Some(Bound::AtLeast)),
    ("超", Some(Bound::AtLeast)),
    ("接近", Some(Bound::About)),
    ("近", Some(Bound::About)),
    ("约", Some(Bound::About)),
    ("超过", Some(Bound::AtLeast)),
    ("突破", Some(Bound::AtLeast)),
    ("高于", Some(Bound::AtLeast)),
    ("跨上", Some(Bound::AtLeast)),
    ("迈上", Some(Bound::AtLeast)),
    ("跨过", Some(Bound::AtLeast)),
    ("迈过", Some(Bound::AtLeast)),
    ("站上", Some(Bound::AtLeast)),
    ("缩小至", None),
    ("缩小到", None),
    ("提高到", None),
    ("提高至", None),
    ("提升到", None),
    ("提升至", None),
    ("增加到", None),
    ("增加至", None),
    ("增长到", None),
    ("下降到", None),
    ("下降至", None),
    ("降低到", None),
    ("降低至", None),
    ("降到", None),
    ("降至", None),
    ("增至", None),
    ("缩短至", None),
    ("缩短到", None),
    ("压缩至", None),
    ("压缩到", None),
    ("压减至", None),
    ("扩大到", None),
    ("扩大至", None),
    ("保持在", None),
    ("稳定在", None),
    ("达到", None),
    ("达", None),
    ("增长", None),
    ("下降", None),
    ("降低", None),
    ("减少", None),
    ("增加", None),
    ("提高", None),
    ("提升", None),
    ("压减", None),
    ("安排", None),
    ("削减", None),
    ("缩小", None),
    ("改善", None),
    ("扩大", None),
    // 新能源开工1600万千瓦、投产1000万千瓦以上; 重大项目开工390个、竣工437个.
    // 优质公办幼儿园覆盖92%乡镇, 医保覆盖1.3亿人: what reaches them is the indicator.
    ("覆盖", None),
    ("新开工", None),
    ("开工", None),
    ("新投产", None),
    ("投产", None),
    ("竣工", None),
];

/// Verbs that open a clause before their object (verb, indicator, number): 新增高标准农田20万亩.
/// Two joined by 、 及 和 form one verb (新建、改扩建).
pub const VERBS_BEFORE_OBJECT: &[&str] = &[
    "开工建设",
    "新开工",
    "升级改造",
    "提升改造",
    "改造提升",
    "建设改造",
    "改扩建",
    "新改建",
    "新建",
    "新增",
    "改造",
    "改建",
    "扩建",
    "建成",
    "建设",
    "培育",
    "培训",
    "培养",
    "创建",
    "完成",
    "实施",
    "推进",
    "打造",
    "开展",
    "举办",
    "提供",
    "发放",
    "安排",
    "投入",
    "引进",
    "招引",
    "引育",
    "吸引",
    "帮助",
    "帮扶",
    "救助",
    "资助",
    "整治",
    "治理",
    "修复",
    "造林",
    "植树",
    "开通",
    "投用",
    "建立",
    "组建",
    "设立",
    "认定",
    "评定",
    "发行",
    "筹集",
    "完善",
    "增加",
    "减少",
    "淘汰",
    "关闭",
    "退出",
    "化解",
    "压减",
    "收储",
    "储备",
    "接种",
    "筛查",
    "服务",
    "惠及",
    "覆盖",
    "解决",
    "转移",
    "安置",
    "新增加",
    "落实",
    "配建",
    "续建",
    "新签",
    "签约",
    "引导",
    "改善",
    "提质",
    "扩容",
    "办好",
    "稳定",
    "扶持",
    "实现",
    "接待",
    "新改扩建",
];

/// Verbs that name a work and stand as its indicator when no noun follows them (造林120万亩,
/// 培训8300多万人次).
pub const WORK_VERBS: &[&str] = &["造林", "植树", "培训"];

/// Verbs written after the amount they act on (赤字率拟按3%安排).
pub const VERBS_AFTER_NUMBER: &[&str] = &["安排"];

/// Words that make a clause a forecast, not a commitment (高校毕业生预计超过1170万人).
pub const FORECASTS: &[&str] = &["预计"];

/// Construction verbs that may follow another verb with no joint (新建改扩建, 新建改造).
pub const JOINED_VERBS: &[&str] = &["改扩建", "改建", "扩建", "改造", "提升"];

/// Words that open a clause before the indicator and say nothing about it.
pub const LEADING_FILLERS: &[&str] = &[
    "全年", "今年", "年内", "当年", "其中", "并且", "并", "同时", "另外", "还要", "还将", "还",
    "计划", "预计", "拟", "将", "要", "再", "共", "此外", "先", "以及", "分别", "和", "及", "与",
    "、", "或",
];

/// Words that stand between the indicator and its verb and belong to neither.
pub const TRAILING_FILLERS: &[&str] = &[
    "全部",
    "均",
    "都",
    "分别",
    "总计",
    "合计",
    "共计",
    "累计",
    "继续",
    "要",
    "将",
    "力争",
    "确保",
    "预期",
    "计划",
    "拟",
    "目标为",
    "目标是",
    "为",
    "在",
    "需",
    "可",
    "每年",
    "年均",
    "平均",
    "按",
    "再",
];

/// Determiners before a counted noun that are not part of its name (各类保障房 → 保障房).
pub const DETERMINERS: &[&str] = &["各类", "各种", "各级", "各项", "全部", "所有", "一批"];

/// Modalities: firm and stretch commitments.
pub const FIRM: &[&str] = &["确保"];
/// Words that mark a stretch goal.
pub const STRETCH: &[&str] = &["力争", "争取"];

/// Verbs that make a commitment a milestone when no target is quantified.
pub const MILESTONE_VERBS: &[&str] = &[
    "建成", "开工", "竣工", "完工", "投用", "投运", "投产", "开通", "通车", "启动", "完成", "筹建",
    "落成",
];

/// Baselines of a comparison (比上年), which make the clause a comparison, not a target.
pub const BASELINES: &[&str] = &[
    "比上年",
    "比去年",
    "比上一年",
    "比年初",
    "同比",
    "比预算",
    "比去年预算",
    "较上年",
    "较去年",
];

/// The longest entry of `list` that `text` starts with.
///
/// Words are compared on their first character before any byte comparison: the lists run to a
/// hundred entries and this is asked for every number of every report.
pub fn longest_prefix<'a>(text: &str, list: &[&'a str]) -> Option<&'a str> {
    let first = text.chars().next()?.len_utf8();
    list.iter()
        .filter(|w| opens_alike(w.as_bytes(), text.as_bytes(), first) && text.starts_with(**w))
        .max_by_key(|w| w.len())
        .copied()
}

/// Whether `word` starts with the `n`-byte character `text` starts with, by that character's
/// first and last byte: two byte comparisons, no decoding, and for CJK text (whose characters
/// share a few lead bytes) the last byte tells most words apart.
fn opens_alike(word: &[u8], text: &[u8], n: usize) -> bool {
    word.len() >= n && word[0] == text[0] && word[n - 1] == text[n - 1]
}

/// Whether `word` ends with the `n`-byte character `text` ends with (see [`opens_alike`]).
fn ends_alike(word: &[u8], text: &[u8], n: usize) -> bool {
    let (w, t) = (word.len(), text.len());
    w >= n && word[w - 1] == text[t - 1] && word[w - n] == text[t - n]
}

/// The longest entry of `list` that `text` ends with.
pub fn longest_suffix<'a>(text: &str, list: &[&'a str]) -> Option<&'a str> {
    let last = text.chars().next_back()?.len_utf8();
    list.iter()
        .filter(|w| ends_alike(w.as_bytes(), text.as_bytes(), last) && text.ends_with(**w))
        .max_by_key(|w| w.len())
        .copied()
}

/// The entry of `list` whose word `text` ends with, longest first (verbs before a number).
pub fn longest_suffix_of<T: Copy>(
    text: &str,
    list: &[(&'static str, T)],
) -> Option<(&'static str, T)> {
    let last = text.chars().next_back()?.len_utf8();
    list.iter()
        .filter(|(w, _)| ends_alike(w.as_bytes(), text.as_bytes(), last) && text.ends_with(*w))
        .max_by_key(|(w, _)| w.len())
        .copied()
}

/// The unit `text` starts with, if any.
pub fn unit_at(text: &str) -> Option<(&'static str, UnitKind)> {
    let first = text.chars().next()?.len_utf8();
    UNITS
        .iter()
        .filter(|(u, _)| opens_alike(u.as_bytes(), text.as_bytes(), first) && text.starts_with(u))
        .max_by_key(|(u, _)| u.len())
        .copied()
}
