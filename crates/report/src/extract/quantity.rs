//! Quantities of a clause: a number with its multipliers and unit, the comparator after it, and the
//! noun it counts when it stands before one (10个康居特色村). Dates, ages, ordinals, names and
//! descriptors are refused here.

use super::name::ends_list;
use crate::lexicon::{self, Bound, UnitKind};
use crate::numeral::{self, Numeral};

pub(super) fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '：' | ':' | '（' | '）' | '(' | ')' | '【' | '】' | '—'
    )
}

pub(super) fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '《')
}

pub(super) fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》')
}

/// A quantity found in a clause, before its indicator is known.
#[derive(Debug, Clone)]
pub(super) struct Quantity {
    /// Byte range of the number through its unit and comparator suffix, in the clause.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: f64,
    pub(super) value_max: Option<f64>,
    pub(super) unit: &'static str,
    /// A note that narrows the unit, written in brackets after it (3.1万套（间）), byte range.
    pub(super) unit_note: Option<(usize, usize)>,
    pub(super) bound: Option<Bound>,
    /// The noun it counts when it stands before it (10个康居特色村), byte range in the clause.
    pub(super) object: Option<(usize, usize)>,
    /// A verb written after it (按3%安排).
    pub(super) post_verb: Option<&'static str>,
}

/// Whether a number may start at `at`: the character before it is no digit, letter or 第.
pub(super) fn number_may_start(clause: &str, at: usize) -> bool {
    match clause[..at].chars().next_back() {
        None => true,
        Some(p) => {
            !(numeral::is_arabic_digit(p)
                || numeral::digit_value(p).is_some()
                || p.is_ascii_alphabetic()
                || matches!(
                    p,
                    '第' | '.'
                        | '．'
                        | '/'
                        | '+'
                        | '-'
                        | '－'
                        | '前'
                        | '十'
                        | '百'
                        | '千'
                        | '万'
                        | '亿'
                ))
        }
    }
}

pub(super) fn starts_number(c: char) -> bool {
    numeral::is_arabic_digit(c) || numeral::digit_value(c).is_some() || c == '十'
}

/// Whether a bare multiplier (万, 亿, 百万, 千万) at `at` stands for one of it: right after 超,
/// 突破, 达, 稳定在, 新增 (超万亿元, 开行超万列, 稳定在百万吨以上, 新增千万吨产能).
pub(super) fn bare_multiplier_at(clause: &str, at: usize) -> bool {
    let rest = &clause[at..];
    (rest.starts_with(['万', '亿'])
        || rest.starts_with(['百', '千']) && rest[3..].starts_with(['万', '亿']))
        && lexicon::BEFORE_BARE_MULTIPLIER
            .iter()
            .any(|w| clause[..at].ends_with(w))
}

/// Whether the text before a bare number is a ratio reaching it (城乡居民收入比降至2.2): the
/// indicator ends with 比 and a verb leads to the number.
fn ratio_before(before: &str) -> bool {
    lexicon::longest_suffix_of(before, lexicon::VERBS_BEFORE_NUMBER)
        .is_some_and(|(verb, _)| before[..before.len() - verb.len()].ends_with('比'))
}

/// Whether the text before a bare multiplied count lets it count people or things: nothing, 为,
/// or a verb before its object (为138万残疾人, 安置1.6万受灾群众).
fn beneficiary_before(before: &str) -> bool {
    let before = before.trim_end();
    before.is_empty()
        || before.ends_with('为')
        || lexicon::longest_suffix(before, lexicon::VERBS_BEFORE_OBJECT).is_some()
}

/// A bracketed note right after a unit that names another unit (套（间）, 条（个）): its byte range,
/// brackets included.
fn unit_note(after: &str) -> Option<usize> {
    let inner = after.strip_prefix('（')?;
    let close = inner.find('）')?;
    let note = &inner[..close];
    (note.chars().count() <= 2 && lexicon::unit_at(note).is_some_and(|(u, _)| u == note))
        .then(|| '（'.len_utf8() + close + '）'.len_utf8())
}

/// Reads the quantity whose number starts at byte `at` of `clause`.
pub(super) fn quantity_at(clause: &str, at: usize) -> Option<Quantity> {
    if lexicon::longest_suffix(&clause[..at], lexicon::RATING_LEADS).is_some() {
        // 时速250公里城际市域列车: the rating of a kind of thing.
        return None;
    }
    let rest = &clause[at..];
    let Numeral {
        mut value,
        len,
        chinese,
    } = numeral::read_number(rest, |r| lexicon::unit_at(r).is_some()).or_else(|| {
        bare_multiplier_at(clause, at)
            .then(|| numeral::read_bare_multiplier(rest))
            .flatten()
    })?;
    let mut multiplied = rest[..len]
        .chars()
        .any(|c| numeral::multiplier_exponent(c).is_some() || c == '千' && !chinese);
    if chinese && value < 10.0 {
        return None;
    }
    let mut end = at + len;
    let mut bound = None;
    // 100多万, 100余个: more than.
    if let Some(c) = clause[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '多' | '余'))
    {
        bound = Some(Bound::AtLeast);
        end += c.len_utf8();
        // 5100多亿元, 90余万亩: the multipliers come after the 多.
        let mut exponent = 0;
        while let Some(m) = clause[end..].chars().next()
            && let Some(exp) = numeral::multiplier_exponent(m)
        {
            exponent += exp;
            end += m.len_utf8();
        }
        if exponent > 0 {
            value = format!("{value}e{exponent}").parse().unwrap_or(value);
            multiplied = true;
        }
    }
    let after = &clause[end..];
    let mut unit = lexicon::unit_at(after);
    if unit.is_some_and(|(u, _)| u == "方") && !clause[at..end].contains(['万', '亿']) {
        // 方 is cubic metres only after 万 or 亿 (10亿方天然气); 千方百计 is no amount.
        unit = None;
    }
    if unit.is_some_and(|(u, _)| u.starts_with(|c: char| c.is_ascii_alphabetic()))
        && after[unit.map_or(0, |(u, _)| u.len())..]
            .starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        // A word that merely starts like a unit (5Gbps is no 5 G).
        unit = None;
    }
    // 分别达1.28万亿、1.18万亿、8200亿元; 分别提高15、22个百分点: the list writes its unit once,
    // after the last amount, and every amount of the pair has it.
    let mut borrowed = false;
    if unit.is_none()
        && clause[..at].contains("分别")
        && let Some(last) = unit_after_list(after)
    {
        unit = Some(last);
        borrowed = true;
    }
    if unit.is_none()
        && (after.starts_with(|c: char| c.is_ascii_alphanumeric()) || after.starts_with('/'))
    {
        return None;
    }
    if unit.is_none() && after.starts_with('岁') && clause[..at].contains("寿命") {
        // 人均预期寿命提高到78.8岁: the one age that is an indicator's level.
        unit = Some(("岁", UnitKind::Measure));
    }
    if unit.is_none() && lexicon::longest_prefix(after, lexicon::NOT_QUANTITY_AFTER).is_some() {
        return None;
    }
    if !borrowed && unit.is_some_and(|(u, _)| after[u.len()..].starts_with('级')) {
        // 30万吨级航道, 千吨级船舶: the size of a class of things, not an amount.
        return None;
    }
    if unit.is_some_and(|(u, _)| lexicon::RATINGS.contains(&u)) {
        // 750千伏河西走廊北通道工程: the rating of a line, not an amount.
        return None;
    }
    let (unit, kind) = match unit {
        Some((u, k)) => {
            if !borrowed {
                end += u.len();
            }
            (u, Some(k))
        }
        None => ("", None),
    };
    if kind.is_none() && rest.starts_with(['百', '千']) {
        // 打造一批超百亿、超千亿产业链: a placed bare multiplier with no unit is a size class.
        return None;
    }
    let ratio = kind.is_none()
        && !chinese
        && rest[..len].contains(['.', '．'])
        && ratio_before(&clause[..at]);
    // 增长4.5-5%, 1—2个: a lower bound written without the unit of the upper one.
    let bare_lower = kind.is_none()
        && !chinese
        && clause[end..]
            .strip_prefix(is_range_dash)
            .is_some_and(|r| r.starts_with(|c: char| numeral::is_arabic_digit(c)));
    if kind.is_none() && (chinese || !multiplied) && !ratio && !bare_lower {
        // A bare number (12345, 331) names something; it counts nothing.
        return None;
    }
    if chinese && lexicon::PROGRAMME_PARTS.contains(&unit) {
        // 十项民生实事, 十条措施: the parts of a named programme, not an amount to reach.
        return None;
    }
    // A range: 6%－6.5%, 6－6.5%.
    let mut value_max = None;
    let mut upper_object = None;
    let mut unit = unit;
    let mut kind = kind;
    if let Some(dash) = clause[end..].chars().next().filter(|&c| is_range_dash(c)) {
        let from = end + dash.len_utf8();
        if clause[from..].starts_with(|c: char| numeral::is_arabic_digit(c))
            && let Some(upper) = quantity_at(clause, from)
            && (unit.is_empty() || upper.unit == unit)
        {
            value_max = Some(upper.value);
            unit = upper.unit;
            kind = lexicon::unit_at(unit).map(|(_, k)| k);
            end = upper.end;
            bound = upper.bound.or(bound);
            upper_object = upper.object;
        }
    }
    if bare_lower && value_max.is_none() {
        return None;
    }
    let mut note = None;
    if kind.is_some()
        && let Some(n) = unit_note(&clause[end..])
    {
        note = Some((end, end + n));
        end += n;
    }
    if let Some(rest) = lexicon::CLASS_BOUNDS
        .iter()
        .find_map(|w| clause[end..].strip_prefix(w))
        && rest.starts_with(is_cjk)
    {
        // 10万千瓦及以下燃煤机组, 220千伏及以上输电线路: a class of things.
        return None;
    }
    if let Some((word, b)) = lexicon::SUFFIX_COMPARATORS
        .iter()
        .find(|(w, _)| clause[end..].starts_with(w))
    {
        end += word.len();
        bound = Some(*b);
    }
    // What follows: nothing, a break, a conjunction, or the noun it counts.
    if let Some(after) = clause[end..].strip_prefix('的') {
        // 60%的城市污水处理厂完成提标改造: a share that opens its clause, of a subject that the
        // rest of the clause says what happens to, is a target on that subject.
        if kind == Some(UnitKind::Share)
            && bound != Some(Bound::About)
            && share_leads_subject(&clause[..at], after)
        {
            let from = end + '的'.len_utf8();
            return Some(Quantity {
                start: at,
                end: clause.len(),
                value,
                value_max,
                unit,
                unit_note: note,
                bound,
                object: Some((from, clause.len())),
                post_verb: None,
            });
        }
        // 16%的税率, 90%以上的村: the amount describes the noun after it.
        return None;
    }
    let mut post_verb = None;
    if let Some(verb) = lexicon::longest_prefix(&clause[end..], lexicon::VERBS_AFTER_NUMBER) {
        post_verb = Some(verb);
        end += verb.len();
    }
    if let Some(word) = lexicon::longest_prefix(&clause[end..], lexicon::THRESHOLDS) {
        // 跨上3万亿元台阶: the threshold passed is the indicator's level.
        end += word.len();
        post_verb = post_verb.or(Some(""));
    }
    let object = if post_verb.is_some() {
        None
    } else {
        upper_object.or_else(|| noun_after(clause, end, kind == Some(UnitKind::Count)))
    }
    // 储能60万千瓦目标: the word closes a list of amounts; it is counted by none of them.
    .filter(|&(s, _)| lexicon::longest_prefix(&clause[s..], lexicon::NOT_OBJECTS).is_none());
    if object.is_some_and(|(s, e)| {
        s == e || (clause[s..].starts_with(['万', '亿']) && !describes_size(&clause[s..e]))
    }) {
        // 迈上4个万亿元台阶: a count of thresholds, not of things.
        return None;
    }
    let post_verb = post_verb.filter(|v| !v.is_empty());
    if kind == Some(UnitKind::Measure)
        && object.is_some_and(|(_, e)| clause[e..].starts_with("等项目"))
    {
        // 推动吉林梅花60万吨赖氨酸等项目释放产能: the size of a named project, not an amount.
        return None;
    }
    if lexicon::CAPACITY_UNITS.contains(&unit) && object.is_some() && names_a_project(&clause[..at])
    {
        // 推动国达化工60万吨钾肥复合造粒, 兰州石化120万吨乙烯改造项目: the size of a project that
        // the words before it name.
        return None;
    }
    if let Some((s, e)) = object {
        let (counted, reach) = match kind {
            // 以下十个方面, 十个方面工作: the parts of the report itself.
            _ if clause[s..].starts_with("方面") => return None,
            // 58条改革举措, 稳经济30项举措, 9条路径: a policy named by its count.
            Some(UnitKind::Count) if names_a_policy(unit, &clause[s..e]) => return None,
            // A bare multiplied count names people or things (为138万残疾人发放生活补贴), after
            // 为 or a verb, never in a phrase (汇聚8500万江苏人民).
            None if multiplied && !beneficiary_before(&clause[..at]) => return None,
            Some(UnitKind::Count) | Some(UnitKind::Measure) | None
                if kind.is_some() || multiplied =>
            {
                (Some((s, e)), e.max(end))
            }
            // 优质公办幼儿园覆盖92%乡镇: the share of the places a service reaches is its level.
            Some(UnitKind::Share) if clause[..at].ends_with("覆盖") => (None, e.max(end)),
            // 新建数据中心100%使用绿电, 新增专业布点数60%以上服务于重点产业: a share before what
            // its subject does is the subject's level; what it does is not part of the amount.
            Some(UnitKind::Share)
                if lexicon::longest_prefix(&clause[s..], lexicon::SHARE_PREDICATES).is_some() =>
            {
                (None, end)
            }
            // A share or a span of time before a noun describes it (90%的村, 10分钟生活圈).
            _ => return None,
        };
        return Some(Quantity {
            start: at,
            end: reach,
            value,
            value_max,
            unit,
            unit_note: note,
            bound,
            object: counted,
            post_verb,
        });
    }
    Some(Quantity {
        start: at,
        end,
        value,
        value_max,
        unit,
        unit_note: note,
        bound,
        object: None,
        post_verb,
    })
}

/// Whether a count in `unit` of the noun `noun` names a policy by the number of its items (新一轮
/// 优化营商环境58条改革举措, 100项提升举措, 12条举措落地见效, 9条路径): the policy word opens the noun or
/// follows a modifier of at most two characters.
fn names_a_policy(unit: &str, noun: &str) -> bool {
    matches!(unit, "条" | "项")
        && lexicon::POLICY_NOUNS.iter().any(|w| {
            noun.find(w)
                .is_some_and(|at| noun[..at].chars().count() <= 2)
        })
}

/// Whether the words right before a capacity that stands before its noun name what it sizes: a
/// company or a place (国达化工60万吨钾肥复合造粒), a count (3座35万千瓦光热电站) or a product
/// (2×66万千瓦煤电一体化), not a verb, a filler, a modality or the 等 of a list.
fn names_a_project(before: &str) -> bool {
    let Some(last) = before.chars().next_back() else {
        return false;
    };
    if last == '×' {
        return true;
    }
    if !is_cjk(last) || last == '等' {
        return false;
    }
    let word_lists = [
        lexicon::VERBS_BEFORE_OBJECT,
        lexicon::VERBS_BEFORE_CAPACITY,
        lexicon::SUSTAINING_VERBS,
        lexicon::MILESTONE_VERBS,
        lexicon::LEADING_FILLERS,
        lexicon::TRAILING_FILLERS,
        lexicon::DETERMINERS,
        lexicon::FIRM,
        lexicon::STRETCH,
    ];
    !word_lists
        .iter()
        .any(|list| lexicon::longest_suffix(before, list).is_some())
        && lexicon::longest_suffix_of(before, lexicon::VERBS_BEFORE_NUMBER).is_none()
}

/// The unit written after the last amount of a list that `after` continues (、1.18万亿、8200亿元):
/// only numbers, 、 and that unit between.
fn unit_after_list(after: &str) -> Option<(&'static str, UnitKind)> {
    let mut rest = after;
    loop {
        rest = rest.strip_prefix('、')?;
        if !rest.starts_with(|c: char| numeral::is_arabic_digit(c)) {
            return None;
        }
        let number = numeral::read_number(rest, |r| lexicon::unit_at(r).is_some())?;
        rest = rest[number.len..].trim_start_matches(['多', '余']);
        if let Some(unit) = lexicon::unit_at(rest) {
            return Some(unit);
        }
    }
}

/// Whether a noun opens with the size class of the things it names (亿元级工业项目,
/// 亿元以上项目): the count is of those things, not of thresholds (迈上4个万亿元台阶).
fn describes_size(noun: &str) -> bool {
    let rest = noun.trim_start_matches(['千', '百', '十', '万', '亿']);
    ["元级", "元以上"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))
        .is_some_and(|r| r.starts_with(is_cjk))
}

/// Dashes and words between the two bounds of a range (6－6.5%, 1—2个, 4.5-5%).
fn is_range_dash(c: char) -> bool {
    matches!(c, '－' | '-' | '—' | '–' | '~' | '～' | '至' | '到')
}

/// Whether a share written before `的` leads the subject of its clause: nothing or only a
/// leading verb (推动, 实现) before it, and after 的 a subject and what happens to it, with no
/// other number (60%的城市污水处理厂完成提标改造, 推动60%以上的县级特困供养机构三级达标).
fn share_leads_subject(before: &str, after: &str) -> bool {
    let mut lead = before.trim();
    for list in [lexicon::FIRM, lexicon::STRETCH, lexicon::LEADING_FILLERS] {
        if let Some(w) = lexicon::longest_prefix(lead, list) {
            lead = &lead[w.len()..];
        }
    }
    (lead.is_empty() || lexicon::SHARE_SUBJECT_LEADS.contains(&lead))
        && after.chars().count() >= 4
        && after
            .chars()
            .all(|c| is_cjk(c) || is_open_quote(c) || is_close_quote(c) || "（）、".contains(c))
}

/// The noun right after a quantity, up to 、 的 or a conjunction before another number; after a
/// count (`counted`), through a 的-clause of size or rank that opens it.
fn noun_after(clause: &str, from: usize, counted: bool) -> Option<(usize, usize)> {
    let rest = &clause[from..];
    let first = rest.chars().next()?;
    // 和 or 及 first is a conjunction only before another number (10个和20个), else a word's
    // first character (1000个和美乡村).
    let conjunction = matches!(first, '和' | '及' | '与' | '或')
        && rest[first.len_utf8()..].starts_with(starts_number);
    if conjunction
        || matches!(first, '、' | '的' | '，' | ',' | '等')
        || !(is_cjk(first)
            || is_open_quote(first)
            || first == '"'
            || rating_len(rest).is_some()
            || label_len(rest).is_some())
    {
        return None;
    }
    let mut end = from;
    // 70个具有Ⅰ级及以上水平的县级儿童急救点: a 的-clause of size or rank is part of the noun.
    let mut skip_to = if counted {
        modifier_len(rest).unwrap_or(0)
    } else {
        0
    };
    let mut quoted = false;
    for (at, c) in rest.char_indices() {
        if is_open_quote(c) {
            quoted = true;
        } else if is_close_quote(c) {
            quoted = false;
        }
        if at < skip_to {
            end = from + at + c.len_utf8();
            continue;
        }
        if !quoted
            && (matches!(c, '、' | '的' | '，' | ',')
                || c == '等' && ends_list(&rest[..at], &rest[at + c.len_utf8()..])
                || (matches!(c, '和' | '及' | '与')
                    && rest[at + c.len_utf8()..].starts_with(starts_number)))
        {
            break;
        }
        if at < skip_to || quoted {
            // A number inside quotes is part of a name (100个“15分钟高品质生活服务圈”).
            end = from + at + c.len_utf8();
            continue;
        }
        if numeral::is_arabic_digit(c) {
            if let Some(len) = label_len(&rest[at..]) {
                // 7000个农村4G/5G基站, 22家国家级5G工厂, 3家5A级景区: a label of the noun.
                skip_to = at + len;
                end = from + at + c.len_utf8();
                continue;
            }
            if let Some(len) = rating_len(&rest[at..]) {
                // 20个500千伏输变电工程: the rating is part of the noun.
                skip_to = at + len;
                end = from + at + c.len_utf8();
                continue;
            }
            // 810个省重点项目完成投资10428.6亿元: the count's noun ends where a verb leads to
            // the next amount.
            if let Some(cut) = verb_before_amount(&rest[..at]) {
                return Some((from, from + cut));
            }
            // 超10亿元企业5家: the amount describes a noun that another number counts.
            return Some((from, from));
        }
        end = from + at + c.len_utf8();
    }
    (end > from).then_some((from, end))
}

/// The byte length, through its 的, of a clause of size or rank that opens the noun after a count
/// (营业收入超千亿元的先进制造业集群, 人口20万以上的县, 具有Ⅱ级水平的学科), when a noun follows it:
/// it opens with 具有, or holds 超, 过 or 近 before an amount, or an amount before 以上.
fn modifier_len(noun: &str) -> Option<usize> {
    let de = noun.find(['的', '、', '，', ',', '。', '；', '等'])?;
    if !noun[de..].starts_with('的') || !noun[de + '的'.len_utf8()..].starts_with(is_cjk) {
        return None;
    }
    let clause = &noun[..de];
    let threshold = ["超", "过", "近"].iter().any(|w| {
        clause.match_indices(w).any(|(at, _)| {
            clause[at + w.len()..]
                .starts_with(|c: char| starts_number(c) || matches!(c, '百' | '千' | '万' | '亿'))
        })
    });
    let floor = clause.ends_with("以上") && clause.contains(numeral::is_arabic_digit);
    // 11个百亿级投资规模的现代煤化工项目: a size class of investment.
    let class = clause.contains("亿级") || clause.contains("万级");
    (clause.starts_with("具有") || threshold || floor || class).then_some(de + '的'.len_utf8())
}

/// Where, in the noun after a count, a verb starts that leads to the next amount (省重点项目
/// 完成投资, 新投产项目增加产值): at least two characters of noun before it, at most six after.
fn verb_before_amount(noun: &str) -> Option<usize> {
    lexicon::AMOUNT_LEADS
        .iter()
        .filter_map(|w| noun.rfind(w))
        .filter(|&at| noun[..at].chars().count() >= 2 && noun[at..].chars().count() <= 6)
        .max()
}

/// Whether a quantity's noun was cut at a verb that leads to the next amount of its clause.
pub(super) fn noun_ends_at_verb(clause: &str, q: &Quantity) -> bool {
    q.object.is_some_and(|(_, e)| {
        lexicon::AMOUNT_LEADS
            .iter()
            .any(|w| clause[e..].starts_with(w))
    })
}

/// The byte length of a label of digits and Latin letters at the start of `text` (5G, 5A,
/// 4G/5G), when the letters are no unit (5P is five petaflops, not a label), or of a rank list
/// (500强).
fn label_len(text: &str) -> Option<usize> {
    // 中国企业500强: a rank list's name.
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && text[digits..].starts_with('强') {
        return Some(digits + '强'.len_utf8());
    }
    // 1个400亿级、3个100亿级产业名镇: a size class.
    if digits > 0
        && let Some(class) = ["亿级", "万级"]
            .iter()
            .find(|w| text[digits..].starts_with(**w))
    {
        return Some(digits + class.len());
    }
    let mut len = 0;
    loop {
        let part = &text[len..];
        let digits = part.len() - part.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after_digits = &part[digits..];
        let letters = after_digits.len()
            - after_digits
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        if digits == 0 || letters == 0 || lexicon::unit_at(after_digits).is_some() {
            break;
        }
        len += digits + letters;
        if !text[len..].starts_with('/') {
            break;
        }
        len += 1;
    }
    let len = text[..len].trim_end_matches('/').len();
    (len > 0).then_some(len)
}

/// The byte length of a rating at the start of `text` (500千伏), digits and word.
fn rating_len(text: &str) -> Option<usize> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let word = lexicon::longest_prefix(&text[digits..], lexicon::RATINGS)?;
    Some(digits + word.len())
}

pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `text` starts with a single Chinese digit that no place or multiplier follows: a
/// word such as 一是 or 三项, never an amount of ten or more.
pub(super) fn is_small_chinese_word(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    first.is_some_and(|c| !numeral::is_arabic_digit(c) && c != '十')
        && !second.is_some_and(|c| {
            matches!(c, '十' | '百' | '千' | '万' | '亿') || numeral::digit_value(c).is_some()
        })
}

/// All quantities of a clause, left to right, skipping numbers inside quotes.
pub(super) fn quantities(clause: &str) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::new();
    let mut quoted = false;
    let mut ascii_quoted = false;
    let mut at = 0;
    while at < clause.len() {
        let Some(c) = clause[at..].chars().next() else {
            break;
        };
        if is_open_quote(c) {
            quoted = true;
        } else if is_close_quote(c) {
            quoted = false;
        } else if c == '"' {
            ascii_quoted = !ascii_quoted;
        } else if !quoted
            && !ascii_quoted
            && ((starts_number(c) && number_may_start(clause, at))
                || bare_multiplier_at(clause, at))
        {
            if starts_number(c) && is_small_chinese_word(&clause[at..]) {
                // 一是, 统一, 进一步, 三项: the commonest case, rejected before any lookup.
                at += c.len_utf8();
                continue;
            }
            if let Some(q) = quantity_at(clause, at) {
                at = q.end.max(at + c.len_utf8());
                out.push(q);
                continue;
            }
            // Skip the rest of this numeral so its tail is not read as another number.
            let skip = numeral::read_number(&clause[at..], |_| false)
                .map_or(c.len_utf8(), |n| n.len.max(c.len_utf8()));
            at += skip;
            continue;
        }
        at += c.len_utf8();
    }
    out
}
