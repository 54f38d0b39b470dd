//! The table tests of the clause reader: one sentence, the targets it holds.

use super::clause::targets_in;
use crate::model::{Cmp, Role};
use crate::span::CharIndex;

/// (indicator, verb, value, unit, cmp) of each target of one sentence.
fn check(sentence: &str, expected: &[(&str, &str, f64, &str, Cmp)]) {
    let index = CharIndex::new(sentence);
    let got: Vec<(String, String, f64, String, Cmp)> = targets_in(sentence, 0, &index, Role::Plan)
        .into_iter()
        .map(|t| (t.indicator, t.verb, t.value, t.unit, t.cmp))
        .collect();
    let want: Vec<(String, String, f64, String, Cmp)> = expected
        .iter()
        .map(|(i, v, n, u, c)| (i.to_string(), v.to_string(), *n, u.to_string(), *c))
        .collect();
    assert_eq!(got, want, "{sentence}");
}

#[test]
fn verb_object_number() {
    check(
        "抓好设施农业、高效农业建设,新增高标准农田20万亩",
        &[("高标准农田", "新增", 200_000.0, "亩", Cmp::Eq)],
    );
    check(
        "开工建设各类保障房1.3万套",
        &[("保障房", "开工建设", 13_000.0, "套", Cmp::Eq)],
    );
    check(
        "新建、改扩建中小学幼儿园40所",
        &[("中小学幼儿园", "新建、改扩建", 40.0, "所", Cmp::Eq)],
    );
}

#[test]
fn indicator_verb_number() {
    check(
        "发展智慧农业,农业信息化覆盖率达到70%",
        &[("农业信息化覆盖率", "达到", 70.0, "%", Cmp::Eq)],
    );
    check(
        "确保年稳定性收入全部达到250万元以上",
        &[("年稳定性收入", "达到", 2_500_000.0, "元", Cmp::Ge)],
    );
    check(
        "居民消费价格总水平涨幅控制在4.8%左右",
        &[("居民消费价格总水平涨幅", "控制在", 4.8, "%", Cmp::Le)],
    );
    check(
        "新增造林面积不低于8880万亩",
        &[("新增造林面积", "", 88_800_000.0, "亩", Cmp::Ge)],
    );
}

#[test]
fn number_before_its_noun() {
    check(
        "新建10个康居特色村、350个三星级康居乡村",
        &[
            ("康居特色村", "新建", 10.0, "个", Cmp::Eq),
            ("三星级康居乡村", "新建", 350.0, "个", Cmp::Eq),
        ],
    );
    check(
        "升级改造28家农贸市场(邻里中心)",
        &[("农贸市场", "升级改造", 28.0, "家", Cmp::Eq)],
    );
    check(
        "建设80个\"智慧菜篮子工程\"网点",
        &[("智慧菜篮子工程网点", "建设", 80.0, "个", Cmp::Eq)],
    );
}

#[test]
fn enumerations_share_the_verb() {
    check(
        "新建养老机构床位1000张、日间照料中心50个、助餐点60个",
        &[
            ("养老机构床位", "新建", 1000.0, "张", Cmp::Eq),
            ("日间照料中心", "新建", 50.0, "个", Cmp::Eq),
            ("助餐点", "新建", 60.0, "个", Cmp::Eq),
        ],
    );
}

#[test]
fn pairs_with_fenbie() {
    check(
        "分别新增危废焚烧、工业污泥年处置能力4.5万吨和3万吨",
        &[
            ("危废焚烧年处置能力", "新增", 45_000.0, "吨", Cmp::Eq),
            ("工业污泥年处置能力", "新增", 30_000.0, "吨", Cmp::Eq),
        ],
    );
    check(
        "城镇、农村居民人均可支配收入分别增长5%和7%",
        &[
            ("城镇居民人均可支配收入", "增长", 5.0, "%", Cmp::Eq),
            ("农村居民人均可支配收入", "增长", 7.0, "%", Cmp::Eq),
        ],
    );
}

#[test]
fn national_rate_targets() {
    check(
        "国内生产总值增长5%左右",
        &[("国内生产总值", "增长", 5.0, "%", Cmp::Approx)],
    );
    check(
        "城镇新增就业1200万人以上",
        &[("城镇新增就业", "", 12_000_000.0, "人", Cmp::Ge)],
    );
    check(
        "城镇登记失业率4.5%以内",
        &[("城镇登记失业率", "", 4.5, "%", Cmp::Le)],
    );
    check(
        "农村贫困人口减少1000万以上",
        &[("农村贫困人口", "减少", 10_000_000.0, "", Cmp::Ge)],
    );
    check(
        "粮食产量1.3万亿斤以上",
        &[("粮食产量", "", 1_300_000_000_000.0, "斤", Cmp::Ge)],
    );
    check(
        "国内生产总值增长6%－6.5%",
        &[("国内生产总值", "增长", 6.0, "%", Cmp::Range)],
    );
    check(
        "财政赤字2.76万亿元，其中中央财政赤字1.83万亿元，地方财政赤字9300亿元",
        &[
            ("财政赤字", "", 2_760_000_000_000.0, "元", Cmp::Eq),
            ("中央财政赤字", "", 1_830_000_000_000.0, "元", Cmp::Eq),
            ("地方财政赤字", "", 930_000_000_000.0, "元", Cmp::Eq),
        ],
    );
}

#[test]
fn distractors_are_not_targets() {
    for sentence in [
        "大力实施\"两湖一江\"生态修复等七大工程",
        "全面落实第四轮生态补偿政策",
        "精心办好第二届江南文化艺术·国际旅游节和第九届文化创意博览会",
        "提质10分钟体育休闲生活圈",
        "精心组织开展第七次全国人口普查",
        "深入推进\"331\"专项行动",
        "增强\"四个意识\"",
        "搭好\"12345\"大数据平台",
        "认真做好为期一年国务院督导的安全生产专项整治工作",
        "启动实施率先基本实现农业农村现代化三年行动计划",
        "力争实现全国双拥模范城\"七连冠\"",
        "比去年预算高0.2个百分点",
        "加快5G网络建设",
        "2020年底前完成",
    ] {
        check(sentence, &[]);
    }
}

#[test]
fn baselines_years_and_starting_values_stay_out_of_names() {
    check(
        "常住人口城镇化率由60%提高到65%",
        &[("常住人口城镇化率", "提高到", 65.0, "%", Cmp::Eq)],
    );
    check(
        "我国关税总水平已由１５．３％降到１２％",
        &[("我国关税总水平", "降到", 12.0, "％", Cmp::Eq)],
    );
    check(
        "服务业增加值比重提高到50%",
        &[("服务业增加值比重", "提高到", 50.0, "%", Cmp::Eq)],
    );
    check(
        "2000年国家财政收入达13380亿元",
        &[("国家财政收入", "达", 1_338_000_000_000.0, "元", Cmp::Eq)],
    );
    check(
        "出口比1995年增长69％",
        &[("出口", "增长", 69.0, "％", Cmp::Eq)],
    );
    check(
        "出口比１９８０年增长6％",
        &[("出口", "增长", 6.0, "％", Cmp::Eq)],
    );
}

#[test]
fn local_report_wording() {
    check(
        "PM2.5平均浓度控制在33微克/立方米以下",
        &[("PM2.5平均浓度", "控制在", 33.0, "微克/立方米", Cmp::Le)],
    );
    check(
        "稳定粮食播种面积120万亩",
        &[("粮食播种面积", "稳定", 1_200_000.0, "亩", Cmp::Eq)],
    );
    check(
        "新建改扩建中小学、幼儿园30所",
        &[("中小学、幼儿园", "新建改扩建", 30.0, "所", Cmp::Eq)],
    );
    check(
        "实现旅游总收入1800亿元",
        &[("旅游总收入", "实现", 180_000_000_000.0, "元", Cmp::Eq)],
    );
    for sentence in [
        "推动形成1小时通勤圈和15分钟生活圈",
        "打造营商环境4.0版",
        "实现政务服务7×24小时不打烊",
        "支持企业进入世界500强",
        "关爱3岁以下婴幼儿和60周岁以上老年人",
        "创建5A级景区",
        "落实“1+N”政策体系",
    ] {
        check(sentence, &[]);
    }
}

#[test]
fn budget_wording() {
    check(
        "今年赤字率拟按3%安排",
        &[("赤字率", "安排", 3.0, "%", Cmp::Eq)],
    );
    check(
        "今年中央预算内投资拟安排7000亿元",
        &[("中央预算内投资", "安排", 700_000_000_000.0, "元", Cmp::Eq)],
    );
    check("今年高校毕业生预计超过1170万人", &[]);
    check(
        "财政支出超过23万亿元，增长6.5%",
        &[
            ("财政支出", "", 23_000_000_000_000.0, "元", Cmp::Ge),
            ("财政支出", "增长", 6.5, "%", Cmp::Eq),
        ],
    );
    check(
        "将制造业等行业现行16%的税率降至13%",
        &[("制造业等行业现行税率", "降至", 13.0, "%", Cmp::Eq)],
    );
    check(
        "全年减轻企业税收和社保缴费负担近2万亿元",
        &[(
            "减轻企业税收和社保缴费负担",
            "",
            2_000_000_000_000.0,
            "元",
            Cmp::Approx,
        )],
    );
    check(
        "“三公”经费再压减3%左右",
        &[("三公经费", "压减", 3.0, "%", Cmp::Approx)],
    );
    check(
        "培育年营收超10亿元企业5家",
        &[("年营收超10亿元企业", "培育", 5.0, "家", Cmp::Eq)],
    );
    check("扎实办好十项民生实事", &[]);
    check(
        "城乡居民人均可支配收入分别增长6%和7%",
        &[
            ("城镇居民人均可支配收入", "增长", 6.0, "%", Cmp::Eq),
            ("农村居民人均可支配收入", "增长", 7.0, "%", Cmp::Eq),
        ],
    );
}

// The classes below come from whole provincial reports (../shared/corpus/provinces); each rule
// cites two real examples, named by report.

#[test]
fn counted_nouns_and_compound_units() {
    // 四川 2026 举办促消费活动3万余场次; 另一省 2026 促消费活动500余场次.
    check(
        "举办促消费活动3万余场次",
        &[("促消费活动", "举办", 30_000.0, "场次", Cmp::Ge)],
    );
    check(
        "开展文旅消费等促消费活动500余场次",
        &[("文旅消费等促消费活动", "开展", 500.0, "场次", Cmp::Ge)],
    );
    // 山东 2026 服务群众1500万次; 江苏 2026 发现物种数增至9266种.
    check(
        "医疗机构检查结果互认平台服务群众1500万次",
        &[(
            "医疗机构检查结果互认平台服务群众",
            "",
            15_000_000.0,
            "次",
            Cmp::Eq,
        )],
    );
    check(
        "生物多样性本底调查发现物种数增至9266种",
        &[(
            "生物多样性本底调查发现物种数",
            "增至",
            9266.0,
            "种",
            Cmp::Eq,
        )],
    );
    // 四川 2026 国际友城和友好合作关系达到567对; 另一省 国际友城达到67对.
    check(
        "国际友城达到67对",
        &[("国际友城", "达到", 67.0, "对", Cmp::Eq)],
    );
    // 四川 2026 PM2.5平均浓度降至28.5微克每立方米 (the unit spelt out).
    check(
        "PM2.5平均浓度降至28.5微克每立方米",
        &[("PM2.5平均浓度", "降至", 28.5, "微克每立方米", Cmp::Eq)],
    );
    // 四川 2026 城市危旧房3.1万套（间）; 幸福河湖8条（个） / 100条（个）: the bracket narrows the unit.
    check(
        "改造城市危旧房3.1万套（间）",
        &[("城市危旧房", "改造", 31_000.0, "套（间）", Cmp::Eq)],
    );
    check(
        "打造幸福河湖100条（个）",
        &[("幸福河湖", "打造", 100.0, "条（个）", Cmp::Eq)],
    );
    // 实施保护性耕作1.19亿亩次 (2026 text).
    check(
        "实施保护性耕作1.19亿亩次",
        &[("保护性耕作", "实施", 119_000_000.0, "亩次", Cmp::Eq)],
    );
}

#[test]
fn bare_multipliers_after_more_than() {
    // 江苏 2026 新增减税降费超万亿元, 中欧（亚）班列开行超万列; 山东 2026 财政民生支出突破万亿元.
    check(
        "新增减税降费超万亿元",
        &[("新增减税降费", "", 1e12, "元", Cmp::Ge)],
    );
    check(
        "中欧（亚）班列开行超万列",
        &[("中欧（亚）班列开行", "", 1e4, "列", Cmp::Ge)],
    );
    check(
        "财政民生支出突破万亿元、占比稳定在80%左右",
        &[
            ("财政民生支出", "", 1e12, "元", Cmp::Ge),
            ("占比", "稳定在", 80.0, "%", Cmp::Approx),
        ],
    );
}

#[test]
fn levels_that_look_like_ages_or_names() {
    // 四川 2026 人均预期寿命提高到78.8岁; 山东 2026 人均预期寿命增至80.5岁.
    check(
        "人均预期寿命提高到78.8岁",
        &[("人均预期寿命", "提高到", 78.8, "岁", Cmp::Eq)],
    );
    check(
        "人均预期寿命增至80.5岁",
        &[("人均预期寿命", "增至", 80.5, "岁", Cmp::Eq)],
    );
    // 四川 2026 城乡居民收入比降至2.2; 山东 2026 城乡收入比缩小至2.12: a ratio has no unit.
    check(
        "城乡居民收入比降至2.2",
        &[("城乡居民收入比", "降至", 2.2, "", Cmp::Eq)],
    );
    check(
        "城乡收入比缩小至2.12",
        &[("城乡收入比", "缩小至", 2.12, "", Cmp::Eq)],
    );
    // 江苏 2026: PM2.5 keeps its 5 before 年均.
    check(
        "PM2.5年均浓度较“十三五”末改善16.5%",
        &[("PM2.5年均浓度", "改善", 16.5, "%", Cmp::Eq)],
    );
}

#[test]
fn thresholds_classes_and_gaps_are_not_counts() {
    // 广西 2025 防城港30万吨级进港航道, 北海铁山港20万吨级航道.
    check("建设防城港30万吨级进港航道", &[]);
    check("推进北海铁山港20万吨级航道建设", &[]);
    // 江苏 2026 连续迈上4个万亿元台阶; 山东 2026 连续跨过3个万亿元大关.
    check("地区生产总值连续迈上4个万亿元台阶", &[]);
    check("经济总量连续跨过3个万亿元大关", &[]);
    // 四川 2026 服务业增加值跨上3万亿元台阶: the threshold is the indicator's level.
    check(
        "服务业增加值跨上3万亿元台阶",
        &[("服务业增加值", "", 3e12, "元", Cmp::Ge)],
    );
    // 山东 2026 高于全国1.7个百分点; 四川 2026 高于全国8.5个百分点: a gap to the nation.
    check("高于全国1.7个百分点", &[]);
    check("高于全国8.5个百分点", &[]);
}

#[test]
fn brackets_without_numbers_stay_in_the_clause() {
    // 四川 2026 通高速公路的县（市、区）达到152个; 中欧班列（成渝）累计开行超2.6万列.
    check(
        "通高速公路的县（市、区）达到152个",
        &[("通高速公路的县（市、区）", "达到", 152.0, "个", Cmp::Eq)],
    );
    check(
        "中欧班列（成渝）累计开行超2.6万列",
        &[("中欧班列（成渝）累计开行", "", 26_000.0, "列", Cmp::Ge)],
    );
}

#[test]
fn beneficiaries_take_what_they_are_given() {
    // 四川 2026 为138万残疾人发放生活补贴和护理补贴; 妥善安置1.6万山洪泥石流灾害受灾群众.
    check(
        "为138万残疾人发放生活补贴和护理补贴",
        &[("残疾人发放生活补贴和护理补贴", "", 1_380_000.0, "", Cmp::Eq)],
    );
    check(
        "妥善安置1.6万山洪泥石流灾害受灾群众",
        &[("山洪泥石流灾害受灾群众", "", 16_000.0, "", Cmp::Eq)],
    );
}

#[test]
fn shared_numbers_and_pairs() {
    // 山东 2026 游客人数、旅游收入均增长10%以上; 非化石能源发电量、用电量占比均超过30%.
    check(
        "游客人数、旅游收入均增长10%以上",
        &[
            ("游客人数", "增长", 10.0, "%", Cmp::Ge),
            ("旅游收入", "增长", 10.0, "%", Cmp::Ge),
        ],
    );
    check(
        "非化石能源发电量、用电量占比均超过30%",
        &[
            ("非化石能源发电量占比", "", 30.0, "%", Cmp::Ge),
            ("用电量占比", "", 30.0, "%", Cmp::Ge),
        ],
    );
    // 江苏 2026: A、B、C等绿色产品产量均增长20%以上.
    check(
        "锂离子动力电池、新能源汽车、风力发电机组等绿色产品产量均增长20%以上",
        &[
            ("锂离子动力电池产量", "增长", 20.0, "%", Cmp::Ge),
            ("新能源汽车产量", "增长", 20.0, "%", Cmp::Ge),
            ("风力发电机组产量", "增长", 20.0, "%", Cmp::Ge),
        ],
    );
    // 四川 2026 六大优势产业、高技术制造业、绿色低碳优势产业增加值分别增长…;
    // 江苏 2026 工业战略性新兴产业、高新技术产业产值占规上工业比重分别达….
    check(
        "六大优势产业、高技术制造业、绿色低碳优势产业增加值分别增长6.8%、12.3%、7.8%",
        &[
            ("六大优势产业增加值", "增长", 6.8, "%", Cmp::Eq),
            ("高技术制造业增加值", "增长", 12.3, "%", Cmp::Eq),
            ("绿色低碳优势产业增加值", "增长", 7.8, "%", Cmp::Eq),
        ],
    );
    check(
        "工业战略性新兴产业、高新技术产业产值占规上工业比重分别达42.1%、52.1%",
        &[
            (
                "工业战略性新兴产业产值占规上工业比重",
                "达",
                42.1,
                "%",
                Cmp::Eq,
            ),
            ("高新技术产业产值占规上工业比重", "达", 52.1, "%", Cmp::Eq),
        ],
    );
    // 江苏 2026 限上新能源汽车、节能家电零售额分别增长21.2%、39.5% (a known head noun).
    check(
        "限上新能源汽车、节能家电零售额分别增长21.2%、39.5%",
        &[
            ("限上新能源汽车零售额", "增长", 21.2, "%", Cmp::Eq),
            ("节能家电零售额", "增长", 39.5, "%", Cmp::Eq),
        ],
    );
    // 江苏 2026: the pair goes on into the next clause of bare verbs.
    check(
        "城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%",
        &[
            ("城镇居民人均可支配收入", "达", 69_000.0, "元", Cmp::Eq),
            ("农村居民人均可支配收入", "达", 34_000.0, "元", Cmp::Eq),
            ("城镇居民人均可支配收入", "增长", 4.2, "%", Cmp::Eq),
            ("农村居民人均可支配收入", "增长", 5.3, "%", Cmp::Eq),
        ],
    );
    // 甘肃 2026 原煤、原油、天然气产量分别达到…: one character before the head noun is the last
    // name's own; national 2013 化学需氧量、二氧化硫排放总量分别下降…: names that end alike are whole.
    check(
        "原煤、原油、天然气产量分别达到7000万吨、1280万吨、10亿立方米",
        &[
            ("原煤产量", "达到", 70_000_000.0, "吨", Cmp::Eq),
            ("原油产量", "达到", 12_800_000.0, "吨", Cmp::Eq),
            ("天然气产量", "达到", 1_000_000_000.0, "立方米", Cmp::Eq),
        ],
    );
    check(
        "化学需氧量、二氧化硫排放总量分别下降2.9%和2.2%",
        &[
            ("化学需氧量", "下降", 2.9, "%", Cmp::Eq),
            ("二氧化硫排放总量", "下降", 2.2, "%", Cmp::Eq),
        ],
    );
    // 宁夏 2026 一产、二产、三产增加值 and 甘肃 2026 城市、县城建成区面积 keep the modifiers' length.
    check(
        "城市、县城建成区面积分别达到100平方公里、50平方公里",
        &[
            ("城市建成区面积", "达到", 100.0, "平方公里", Cmp::Eq),
            ("县城建成区面积", "达到", 50.0, "平方公里", Cmp::Eq),
        ],
    );
    // 山东 2026: 分别 with one number gives it to each name.
    check(
        "国家现代农业产业园、优势特色产业集群、地理标志保护示范区分别增加2个",
        &[
            ("国家现代农业产业园", "增加", 2.0, "个", Cmp::Eq),
            ("优势特色产业集群", "增加", 2.0, "个", Cmp::Eq),
            ("地理标志保护示范区", "增加", 2.0, "个", Cmp::Eq),
        ],
    );
}

#[test]
fn a_period_is_no_indicator() {
    // 江苏 2026 达14.2万亿元、年均增长5.7%; 云南 2026 突破3万亿元、年均增长4.7%.
    check(
        "地区生产总值达14.2万亿元、年均增长5.7%",
        &[
            ("地区生产总值", "达", 14.2e12, "元", Cmp::Eq),
            ("地区生产总值", "增长", 5.7, "%", Cmp::Eq),
        ],
    );
    check(
        "地区生产总值突破3万亿元、年均增长4.7%",
        &[
            ("地区生产总值", "", 3e12, "元", Cmp::Ge),
            ("地区生产总值", "增长", 4.7, "%", Cmp::Eq),
        ],
    );
}

#[test]
fn the_reports_own_parts_and_phrases_are_not_counts() {
    // 山东 2025 重点抓好以下十个方面; 河南 2026 重点做好十个方面工作.
    check("重点抓好以下十个方面", &[]);
    check("重点做好十个方面工作", &[]);
    // 河南 2026 省委十一届九次、十次全会: a session, not a count.
    check("省委十一届九次、十次全会和省委经济工作会议部署", &[]);
    // The outline's own indicators, counted (2026: 广西, 新疆, 福建, 辽宁).
    check("细化提出25项主要指标", &[]);
    check(
        "提出五大类21个主要指标，包括13个预期性指标、8个约束性指标",
        &[],
    );
    check("碳排放强度、优良水体比例等8个约束性指标", &[]);
    check("以上共计28项指标，其中预期性指标19项、约束性指标9项", &[]);
    // 江苏 2025 汇聚8500万江苏人民: a bare count inside a phrase names no target.
    check("只要我们勠力同心汇聚8500万江苏人民", &[]);
    // 河南 2026 开行4000班次.
    check("开行4000班次", &[("开行", "", 4000.0, "班次", Cmp::Eq)]);
}

#[test]
fn compound_units_of_provincial_plans() {
    // 上海 2026 全员劳动生产率提高到42万元/人以上; 重庆 2026 全员劳动生产率达到25万元/人.
    check(
        "全员劳动生产率提高到42万元/人以上",
        &[("全员劳动生产率", "提高到", 420_000.0, "元/人", Cmp::Ge)],
    );
    check(
        "全员劳动生产率达到25万元/人",
        &[("全员劳动生产率", "达到", 250_000.0, "元/人", Cmp::Eq)],
    );
    // 甘肃 2026 算力规模突破15万P; 内蒙古 2026 新增智能算力1.7万P: computing power in P.
    check(
        "算力规模突破15万P",
        &[("算力规模", "", 150_000.0, "P", Cmp::Ge)],
    );
    check(
        "新增智能算力1.7万P",
        &[("智能算力", "新增", 17_000.0, "P", Cmp::Eq)],
    );
}

#[test]
fn ratings_and_class_bounds_name_a_class() {
    // 甘肃 2026 加快建设750千伏河西走廊北通道工程; 安徽 2026 建成20个500千伏输变电工程.
    check("加快建设750千伏河西走廊北通道工程", &[]);
    check(
        "建成20个500千伏输变电工程",
        &[("500千伏输变电工程", "建成", 20.0, "个", Cmp::Eq)],
    );
    // 河南 2026 关停淘汰10万千瓦及以下燃煤机组; 江西 2025 建立年综合能耗5000吨标准煤及以上重点
    // 用能单位节能管理档案.
    check("关停淘汰10万千瓦及以下燃煤机组", &[]);
    check(
        "建立年综合能耗5000吨标准煤及以上重点用能单位节能管理档案",
        &[],
    );
}

#[test]
fn small_ranges_and_ranges_with_one_unit() {
    // 山西 2026 新增1个国家级优势特色产业集群、1—2个现代农业产业园; 甘肃 2025 新建2—3家省级制造业
    // 创新中心和25—30家省级及以上企业技术中心.
    check(
        "新增1个国家级优势特色产业集群、1—2个现代农业产业园",
        &[
            ("国家级优势特色产业集群", "新增", 1.0, "个", Cmp::Eq),
            ("现代农业产业园", "新增", 1.0, "个", Cmp::Range),
        ],
    );
    check(
        "新建2—3家省级制造业创新中心",
        &[("省级制造业创新中心", "新建", 2.0, "家", Cmp::Range)],
    );
    // The lower bound without its unit: 6－6.5% (the national 2019 wording) and 4.5-5%.
    check(
        "国内生产总值增长6－6.5%",
        &[("国内生产总值", "增长", 6.0, "%", Cmp::Range)],
    );
}

#[test]
fn sums_per_head_are_standards() {
    // 甘肃 2026 录取到本科院校的一次性补助1万元; 内蒙古 2026 “两癌”患病妇女给予每人1万元救助.
    check("录取到本科院校的一次性补助1万元", &[]);
    check("“两癌”患病妇女给予每人1万元救助", &[]);
}

#[test]
fn shares_before_their_subject() {
    // 山东 2025 60%的城市污水处理厂完成提标改造 (山东 2026: 61%); 河南 2026 推动60%以上的县级特困
    // 供养机构三级达标.
    check(
        "60%的城市污水处理厂完成提标改造",
        &[("城市污水处理厂完成提标改造", "", 60.0, "%", Cmp::Eq)],
    );
    check(
        "推动60%以上的县级特困供养机构三级达标",
        &[("县级特困供养机构三级达标", "", 60.0, "%", Cmp::Ge)],
    );
    // A share inside a phrase still describes its noun.
    check(
        "现行16%的税率降至13%",
        &[("现行税率", "降至", 13.0, "%", Cmp::Eq)],
    );
}

#[test]
fn pairs_that_share_a_verb_and_its_object() {
    // 山东 2025 今年力争交通、水利分别完成投资2500亿元、800亿元; 湖北 2026 中小企业商业价值信用贷款、
    // 农村信用贷款与抵押贷款改革试点分别发放贷款671亿元、86亿元.
    check(
        "今年力争交通、水利分别完成投资2500亿元、800亿元",
        &[
            ("交通投资", "完成", 2.5e11, "元", Cmp::Eq),
            ("水利投资", "完成", 8e10, "元", Cmp::Eq),
        ],
    );
    check(
        "中小企业商业价值信用贷款、农村信用贷款与抵押贷款改革试点分别发放贷款671亿元、86亿元",
        &[
            (
                "中小企业商业价值信用贷款改革试点贷款",
                "发放",
                6.71e10,
                "元",
                Cmp::Eq,
            ),
            (
                "农村信用贷款与抵押贷款改革试点贷款",
                "发放",
                8.6e9,
                "元",
                Cmp::Eq,
            ),
        ],
    );
}

#[test]
fn nouns_that_start_like_a_conjunction() {
    // 河南 2026 建成35个先导区、1000个和美乡村; 青海 2026 150个和美乡村.
    check(
        "建成35个先导区、1000个和美乡村",
        &[
            ("先导区", "建成", 35.0, "个", Cmp::Eq),
            ("和美乡村", "建成", 1000.0, "个", Cmp::Eq),
        ],
    );
    check(
        "打造150个和美乡村",
        &[("和美乡村", "打造", 150.0, "个", Cmp::Eq)],
    );
}

#[test]
fn more_than_before_a_multiplier() {
    // 山东 2026 新争取国家政策性资金4700多亿元; 宁夏 2026 完成林草生态治理1000多万亩.
    check(
        "新争取国家政策性资金4700多亿元",
        &[("新争取国家政策性资金", "", 4.7e11, "元", Cmp::Ge)],
    );
    check(
        "完成林草生态治理1000多万亩",
        &[("林草生态治理", "完成", 1e7, "亩", Cmp::Ge)],
    );
}

#[test]
fn a_count_whose_noun_goes_on_to_an_amount() {
    // 四川 2026 810个省重点项目完成投资10428.6亿元; 山东 2026 3920个新投产项目增加产值5100多亿元,
    // 211个涉海重点项目完成投资超800亿元.
    check(
        "810个省重点项目完成投资10428.6亿元",
        &[
            ("省重点项目", "", 810.0, "个", Cmp::Eq),
            ("省重点项目完成投资", "完成", 1.04286e12, "元", Cmp::Eq),
        ],
    );
    check(
        "3920个新投产项目增加产值5100多亿元",
        &[
            ("新投产项目", "", 3920.0, "个", Cmp::Eq),
            ("新投产项目增加产值", "增加", 5.1e11, "元", Cmp::Ge),
        ],
    );
    check(
        "211个涉海重点项目完成投资超800亿元",
        &[
            ("涉海重点项目", "", 211.0, "个", Cmp::Eq),
            ("涉海重点项目完成投资", "", 8e10, "元", Cmp::Ge),
        ],
    );
    // 超10亿元企业5家: an amount before a noun that another number counts still describes it.
    check(
        "超10亿元企业5家",
        &[("超10亿元企业", "", 5.0, "家", Cmp::Eq)],
    );
}

/// Text with no sentence end for far longer than any real sentence (a pasted table, a file whose
/// 。 were lost) is read in bounded pieces cut after a clause mark, covering the text in order;
/// real sentences are untouched.
#[test]
fn sentences_without_an_end_are_cut_at_clause_marks() {
    use super::{MAX_SENTENCE_BYTES, sentences};
    let clause = "城镇新增就业13万人，";
    let text = clause.repeat(3 * MAX_SENTENCE_BYTES / clause.len());
    let found = sentences(&text);
    assert!(found.len() >= 3, "{} pieces", found.len());
    let mut next = 0;
    for &(start, end) in &found {
        assert!(end - start <= MAX_SENTENCE_BYTES, "{start}..{end}");
        assert!(
            text[next..start].chars().all(|c| c == '，'),
            "gap before {start}"
        );
        assert!(
            text[start..].starts_with("城镇"),
            "piece at {start} starts mid-clause"
        );
        next = end;
    }
    assert_eq!(next, text.len());

    // No clause mark at all: cut at a character boundary, still bounded.
    let plain = "城".repeat(MAX_SENTENCE_BYTES);
    let pieces = sentences(&plain);
    assert!(pieces.iter().all(|&(s, e)| e - s <= MAX_SENTENCE_BYTES));
    assert!(pieces.windows(2).all(|w| w[0].1 == w[1].0), "{pieces:?}");
    assert_eq!((pieces[0].0, pieces[pieces.len() - 1].1), (0, plain.len()));

    // The longest real sentence (福建 2026, 1,500 bytes) is far under the bound; a seed sentence stays whole.
    let seed = "全年新增城镇就业13万人，城镇登记失业率控制在3%以内。";
    assert_eq!(sentences(seed), vec![(0, seed.len() - "。".len())]);
}

#[test]
fn a_reviews_count_of_indicators_is_an_outcome() {
    // 宁夏 2026: what the indicators achieved, not the structure of a plan.
    for sentence in [
        "全区5G用户渗透率、电信业务收入增幅等5项指标居全国第一",
        "生态环境9项约束性指标全部完成",
    ] {
        let index = CharIndex::new(sentence);
        let got = targets_in(sentence, 0, &index, Role::Review);
        assert_eq!(got.len(), 1, "{sentence}: {got:?}");
        assert_eq!(got[0].unit, "项", "{sentence}");
    }
}

#[test]
fn short_bracketed_qualifiers_stay_in_names() {
    // 河南 2026 中欧（亚）班列, 四川 2025 中欧班列（成渝）, 云南 2025 农村生活污水治理（管控）率.
    check(
        "中欧（亚）班列开行4000列",
        &[("中欧（亚）班列开行", "", 4000.0, "列", Cmp::Eq)],
    );
    check(
        "农村生活污水治理（管控）率达到60%",
        &[("农村生活污水治理（管控）率", "达到", 60.0, "%", Cmp::Eq)],
    );
    // A note in brackets is not part of the name (安徽 2025 （含…）).
    check(
        "新建城市道路（含改扩建）100公里",
        &[("城市道路", "新建", 100.0, "公里", Cmp::Eq)],
    );
}

#[test]
fn parallel_heads_that_open_with_a_known_word() {
    // 江西 2026 and 甘肃 2026 (新材料、生物医药产业产值): the last name is whole before 产业.
    check(
        "电子信息、有色金属、装备制造业产业规模分别达1.28万亿、1.18万亿、8200亿元",
        &[
            ("电子信息产业规模", "达", 1.28e12, "元", Cmp::Eq),
            ("有色金属产业规模", "达", 1.18e12, "元", Cmp::Eq),
            ("装备制造业产业规模", "达", 8.2e11, "元", Cmp::Eq),
        ],
    );
    // 吉林 2026 人参、食用菌全产业链产值; 云南 2026 蔬菜、小浆果设施产量占比.
    check(
        "人参、食用菌全产业链产值分别达到1230亿元、120亿元",
        &[
            ("人参全产业链产值", "达到", 1.23e11, "元", Cmp::Eq),
            ("食用菌全产业链产值", "达到", 1.2e10, "元", Cmp::Eq),
        ],
    );
    // 湖南 2026: the opener before a head noun is shared too.
    check(
        "新一代信息技术、新能源、输变电装备产业产值分别增长9.2%、8.2%、12%",
        &[
            ("新一代信息技术产业产值", "增长", 9.2, "%", Cmp::Eq),
            ("新能源产业产值", "增长", 8.2, "%", Cmp::Eq),
            ("输变电装备产业产值", "增长", 12.0, "%", Cmp::Eq),
        ],
    );
    // Names that each end alike are whole (生产安全事故起数、死亡人数, in most reviews).
    check(
        "生产安全事故起数、死亡人数分别下降10.9%、7%",
        &[
            ("生产安全事故起数", "下降", 10.9, "%", Cmp::Eq),
            ("死亡人数", "下降", 7.0, "%", Cmp::Eq),
        ],
    );
}

#[test]
fn a_list_writes_its_unit_once() {
    // 云南 2026 分别提高15、22个百分点 (and 江西 2026 above).
    check(
        "蔬菜、小浆果设施产量占比分别提高15、22个百分点",
        &[
            ("蔬菜设施产量占比", "提高", 15.0, "个百分点", Cmp::Eq),
            ("小浆果设施产量占比", "提高", 22.0, "个百分点", Cmp::Eq),
        ],
    );
    // Without 分别, a bare number before 、 stays no amount.
    check("完成15、22号地块整治", &[]);
}

#[test]
fn named_sets_and_projects_are_not_amounts() {
    // 吉林 2026, 甘肃 2026, 青海 2026: the size of a named project before 等项目.
    check("推动吉林梅花60万吨赖氨酸等项目释放产能", &[]);
    check("加快白银集团7万吨锌基合金等项目建设", &[]);
    // 江西 2026, 山东 2026: a verb that keeps up a set, its members listed before the count.
    check("加快发展茶叶、中药材、脐橙、赣莲等20个百亿级产业", &[]);
    check(
        "做大做强稻米、油料、果蔬、生猪、家禽、水产和林下经济7个千亿级产业",
        &[],
    );
    // 吉林 2026, 内蒙古 2025: a count of exactly the names listed before it.
    check("支持长白山、三江、吉光3个省实验室高效运营", &[]);
    check("推动肉羊、玉米2个千亿级产业链提质增效", &[]);
    // ... unless the clause makes or finishes them (新疆 2025).
    check(
        "加快设置新疆工业职业技术大学、新疆铁道与能源职业技术大学2所职业本科院校",
        &[("职业本科院校", "", 2.0, "所", Cmp::Eq)],
    );
    // A list closed by 等 names only some: the count stays (河南 2026).
    check(
        "新建城市艺术综合体、城乡书房等300个以上",
        &[("城市艺术综合体、城乡书房等", "新建", 300.0, "个", Cmp::Ge)],
    );
    // Two counts in a row are no list of names (山西 2025).
    check(
        "新建2个省实验室、2个基础学科研究中心",
        &[
            ("省实验室", "新建", 2.0, "个", Cmp::Eq),
            ("基础学科研究中心", "新建", 2.0, "个", Cmp::Eq),
        ],
    );
}

#[test]
fn near_and_cubic_metres_and_monthly_standards() {
    // 湖南 2026 总量接近800万户; 江西 2026 规模以上工业企业接近2万家.
    check(
        "经营主体总量接近800万户",
        &[("经营主体总量", "", 8e6, "户", Cmp::Approx)],
    );
    // 陕西 2026 10亿方; 宁夏 2026 22亿方; 千方百计 is no amount.
    check(
        "天然气产能达到22亿方",
        &[("天然气产能", "达到", 2.2e9, "方", Cmp::Eq)],
    );
    check("千方百计稳就业", &[]);
    // 湖南 2025 740元/月; 安徽 2026 842元/月.
    check(
        "城市低保标准提高至842元/月",
        &[("城市低保标准", "提高至", 842.0, "元/月", Cmp::Eq)],
    );
}

#[test]
fn labels_in_counted_nouns() {
    // 湖南 2025 农村4G/5G基站; 江西 2025 国家级5G工厂; 重庆 2026 quoted 15分钟….
    check(
        "新建7000个农村4G/5G基站",
        &[("农村4G/5G基站", "新建", 7000.0, "个", Cmp::Eq)],
    );
    check(
        "新增22家国家级5G工厂",
        &[("国家级5G工厂", "新增", 22.0, "家", Cmp::Eq)],
    );
    check(
        "新建100个“15分钟高品质生活服务圈”",
        &[("15分钟高品质生活服务圈", "新建", 100.0, "个", Cmp::Eq)],
    );
    // 重庆 2026 亿元级; 辽宁 2025 亿元以上: the size class opens the noun.
    check(
        "推进6000个亿元以上项目建设",
        &[("亿元以上项目建设", "推进", 6000.0, "个", Cmp::Eq)],
    );
}
