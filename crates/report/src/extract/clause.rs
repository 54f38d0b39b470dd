//! One sentence's targets: its clauses, and for each quantity the left context (modality, fillers,
//! indicator and verb, baseline, starting value), enumerations and `分别` pairs.

use super::name::{clean_name, clean_noun, split_listed, split_parallel, trim_trailing};
use super::quantity::{Quantity, is_clause_break, noun_ends_at_verb, quantities};
use super::{is_blank, modality};
use crate::lexicon::{self, Bound};
use crate::model::{Cmp, Role, Target};
use crate::numeral;
use crate::span::CharIndex;
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::LazyLock;

/// The byte length of a bracketed note at the start of `text` (（市、区）, （成渝）, (邻里中心)): at most
/// eight characters, no digit, no clause break inside.
fn short_note(text: &str) -> Option<usize> {
    let open = text.chars().next()?;
    let close = if open == '（' { '）' } else { ')' };
    for (i, (at, c)) in text.char_indices().skip(1).enumerate() {
        if c == close {
            return (i > 0).then_some(at + c.len_utf8());
        }
        if i >= 8
            || numeral::digit_value(c).is_some()
            || matches!(c, '，' | '：' | '（' | '(' | '“' | '”')
        {
            return None;
        }
    }
    None
}

/// Byte ranges (relative to `sentence`) of its clauses. An ASCII comma breaks a clause unless
/// it stands between digits (1,000).
pub(super) fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut chars = sentence.char_indices().peekable();
    let mut note_end = 0;
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if at < note_end {
            prev = Some(c);
            continue;
        }
        if matches!(c, '（' | '(')
            && let Some(len) = short_note(&sentence[at..])
        {
            // 通高速公路的县（市、区）达到152个: a short note without numbers stays in its clause.
            note_end = at + len;
            prev = Some(c);
            continue;
        }
        let next_digit = next.is_some_and(numeral::is_arabic_digit);
        let between_digits = prev.is_some_and(numeral::is_arabic_digit) && next_digit;
        let ascii_comma = c == ',' && !between_digits;
        // 1—2个, 5%—5.5%: a dash between a number (or its percent sign) and a digit joins the
        // bounds of a range.
        let joins_range = c == '—'
            && next_digit
            && prev.is_some_and(|p| numeral::is_arabic_digit(p) || matches!(p, '%' | '％'));
        if (is_clause_break(c) && !joins_range) || ascii_comma {
            if at > start {
                out.push((start, at));
            }
            start = at + c.len_utf8();
        }
        prev = Some(c);
    }
    if sentence.len() > start {
        out.push((start, sentence.len()));
    }
    out
}

/// The targets of one sentence, with spans in the clean text.
pub(super) fn targets_in(
    sentence: &str,
    sentence_start: usize,
    index: &CharIndex<'_>,
    role: Role,
) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    if !may_hold_amount(sentence) {
        // Most sentences hold no number at all: skip the clause cutting and the quantity scan.
        return targets;
    }
    // The names of the last 分别 pair, which a next clause of bare verbs continues
    // (城乡居民人均可支配收入分别达6.9万元、3.4万元，增长4.2%、5.3%).
    let mut carried: Vec<String> = Vec::new();
    for (cs, ce) in clauses(sentence) {
        let clause = &sentence[cs..ce];
        let found = quantities(clause);
        if found.is_empty() {
            continue;
        }
        if role == Role::Plan && lexicon::FORECASTS.iter().any(|w| clause.contains(w)) {
            continue;
        }
        let clause_modality = modality(clause).map(str::to_string);
        let mut previous: Option<Target> = None;
        let mut cursor = 0;
        let mut split_names: Vec<String> = Vec::new();
        let clause_first = targets.len();
        let mut all_inherited = true;
        let mut shared: Option<Vec<String>> = None;
        // The noun of a count that a verb after it continues (810个省重点项目 | 完成投资…).
        let mut counted_noun: Option<String> = None;
        // Whether the last count named an existing set (壮大6大特色产业集群和18条…产业链).
        let mut sustained = false;
        for q in &found {
            let left = &clause[cursor..q.start];
            if per_head(&clause[..q.start], q.unit) {
                // 一次性补助1万元, 给予每人1万元救助: a benefit standard, not an amount to reach.
                cursor = q.end;
                continue;
            }
            if q.object.is_some()
                && (keeps_up(left)
                    || sustained && is_conjunction(left)
                    || role == Role::Plan
                        && counts_the_names_before(left, q.value)
                        && (lexicon::PROGRAMME_PARTS.contains(&q.unit)
                            || !lexicon::MAKING_WORDS.iter().any(|w| clause.contains(w))))
            {
                // 加快发展5个国家先进制造业集群和3个…集群: the sets a policy keeps up.
                sustained = true;
                cursor = q.end;
                continue;
            }
            sustained = false;
            let reading = read_left(left);
            let mut target = Target {
                indicator: String::new(),
                verb: match (reading.verb.as_str(), q.post_verb) {
                    ("", Some(after)) => after.to_string(),
                    _ => reading.verb.clone(),
                },
                value: q.value,
                unit: match q.unit_note {
                    Some((s, e)) => format!("{}{}", q.unit, &clause[s..e]),
                    None => q.unit.to_string(),
                },
                cmp: cmp_of(q, reading.bound),
                value_max: q.value_max,
                modality: clause_modality.clone(),
                source: String::new(),
                span: [0, 0],
            };
            let source_start;
            if let Some((s, e)) = q.object {
                target.indicator = clean_noun(&clause[s..e]);
                source_start = if reading.indicator.is_empty() {
                    cursor + reading.verb_at
                } else {
                    cursor + reading.indicator_at
                };
            } else {
                target.indicator = reading.indicator.clone();
                source_start = cursor + reading.indicator_at.min(reading.verb_at);
            }
            if let Some((names, object)) = &reading.names_and_object {
                split_names = split_parallel(names)
                    .into_iter()
                    .map(|n| format!("{n}{object}"))
                    .collect();
            } else if reading.shared_names && !target.indicator.is_empty() {
                split_names = split_parallel(&target.indicator);
            }
            let continues_list =
                reading.indicator.is_empty() && reading.verb.is_empty() && q.object.is_none();
            if continues_list && !split_names.is_empty() {
                // 分别新增A、B能力4.5万吨和3万吨: the n-th number belongs to the n-th name.
                let n = targets[clause_first..]
                    .iter()
                    .rev()
                    .take_while(|t: &&Target| t.source.contains("分别"))
                    .count();
                if let Some(name) = split_names.get(n) {
                    target.indicator = name.clone();
                }
            }
            if let Some(prev) = &previous {
                if target.verb.is_empty() && (reading.in_list || continues_list) {
                    target.verb = prev.verb.clone();
                }
                if continues_list && split_names.is_empty() {
                    target.indicator = prev.indicator.clone();
                }
            }
            if reading.bare_verb && q.object.is_none() {
                // 财政支出超过23万亿元，增长6.5%: the growth is the spending's.
                if let Some(last) = targets.last() {
                    target.indicator = last.indicator.clone();
                }
            }
            if let Some(noun) = counted_noun.take()
                && q.object.is_none()
                && q.start >= cursor
            {
                // 810个省重点项目完成投资10428.6亿元: the amount is the counted projects'.
                let name = lexicon::longest_suffix_of(left, lexicon::VERBS_BEFORE_NUMBER)
                    .filter(|(_, bound)| bound.is_some())
                    .map_or(left, |(verb, _)| &left[..left.len() - verb.len()]);
                target.indicator = format!("{noun}{}", clean_name(name));
            }
            if target.indicator.is_empty() || reading.comparison {
                cursor = q.end;
                continue;
            }
            all_inherited &= (reading.bare_verb || continues_list) && q.object.is_none();
            if reading.shared_by_all && found.len() == 1 {
                // 游客人数、旅游收入均增长10%以上: one number for each name.
                let names = split_parallel(&target.indicator);
                if names.len() > 1 {
                    shared = Some(names);
                }
            } else if found.len() == 1
                && matches!(q.unit, "%" | "％")
                && q.object.is_none()
                && !reading.shared_names
                && target.indicator.contains('、')
            {
                // 社会消费品零售总额、固定资产投资增长4%左右: a rate of listed subjects is each one's.
                let names = split_listed(&target.indicator);
                if names.len() > 1 {
                    shared = Some(names);
                }
            }
            let src_from = if continues_list && !split_names.is_empty() {
                previous.as_ref().map_or(source_start, |_| 0)
            } else {
                source_start
            };
            let (abs_s, abs_e) = (sentence_start + cs + src_from, sentence_start + cs + q.end);
            target.source = sentence[cs + src_from..cs + q.end].to_string();
            target.span = [index.chars(abs_s), index.chars(abs_e)];
            cursor = q.end;
            if noun_ends_at_verb(clause, q) {
                counted_noun = Some(target.indicator.clone());
            }
            previous = Some(target.clone());
            targets.push(target);
        }
        pass_level_nouns_back(&mut targets[clause_first..]);
        if split_names.is_empty() && shared.is_none() {
            pair_a_bare_list(clause, &found, &mut targets[clause_first..], |s, e| {
                [
                    index.chars(sentence_start + cs + s),
                    index.chars(sentence_start + cs + e),
                ]
            });
        }
        if split_names.len() > 1 && found.len() == 1 && targets.len() == clause_first + 1 {
            // A、B、C分别增加2个: one number for each name.
            shared = Some(std::mem::take(&mut split_names));
        }
        if let Some(names) = shared
            && let Some(one) = targets.pop()
        {
            for name in names {
                targets.push(Target {
                    indicator: name,
                    ..one.clone()
                });
            }
        }
        let in_clause = targets.len() - clause_first;
        if split_names.is_empty() && all_inherited && in_clause > 0 && in_clause == carried.len() {
            for (t, name) in targets[clause_first..].iter_mut().zip(&carried) {
                t.indicator = name.clone();
            }
        }
        carried = Vec::new();
        // A 分别 pair: the n-th name goes with the n-th number, and every target of the pair
        // cites the whole pair from 分别 on.
        if split_names.len() > 1 && targets.len() - clause_first >= split_names.len() {
            let first = targets.len() - split_names.len();
            let from = clause.find("分别").unwrap_or(0);
            let pair_end = found.last().map_or(clause.len(), |q| q.end);
            let (abs_s, abs_e) = (sentence_start + cs + from, sentence_start + cs + pair_end);
            for (t, name) in targets[first..].iter_mut().zip(&split_names) {
                t.indicator = name.clone();
                t.source = clause[from..pair_end].to_string();
                t.span = [index.chars(abs_s), index.chars(abs_e)];
            }
            carried = split_names;
        }
    }
    if role == Role::Plan {
        targets.retain(|t| !counts_own_indicators(t));
    }
    targets
}

/// A count of a plan's or outline's own indicators (细化提出25项主要指标, 8个约束性指标,
/// 预期性指标19项): the structure of the part, not a figure of it. A review's count of indicators
/// (5项指标居全国第一) is an outcome and stays.
fn counts_own_indicators(t: &Target) -> bool {
    matches!(t.unit.as_str(), "项" | "个") && t.indicator.ends_with("指标")
}

/// Whether a peer baseline (高于全国) ends at most two characters before the end of `left`.
fn ends_near_peer(left: &str) -> bool {
    let mut tail = left;
    for _ in 0..3 {
        if lexicon::longest_suffix(tail, lexicon::PEER_BASELINES).is_some() {
            return true;
        }
        let Some(last) = tail.chars().next_back() else {
            return false;
        };
        tail = &tail[..tail.len() - last.len_utf8()];
    }
    false
}

/// Whether `sentence` can hold an amount: an Arabic digit, a multiplier or a place of a Chinese
/// numeral (十, 百, 千, 万, 亿, 〇, 零), or two Chinese digits in a row. A lone Chinese digit (一是,
/// 进一步, 三项) is no amount of ten or more, and only those count, so a sentence with none of
/// these holds none.
fn may_hold_amount(sentence: &str) -> bool {
    if sentence.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let mut previous_digit = false;
    for c in sentence.chars() {
        if c.is_ascii() {
            previous_digit = false;
            continue;
        }
        if matches!(
            c,
            '十' | '百' | '千' | '万' | '亿' | '〇' | '零' | '０'..='９'
        ) {
            return true;
        }
        let digit = crate::numeral::digit_value(c).is_some();
        if digit && previous_digit {
            return true;
        }
        previous_digit = digit;
    }
    false
}

/// 改造老旧供热、燃气、排水管网800公里、600公里、300公里: as many listed names as amounts written
/// one after another (only 、 or 和 between them), each amount inheriting the first's name, pair
/// in order as under 分别 (天津 2026; 河北 2025 新一代信息技术、高端装备产业增加值增长13.6%、9.8%).
/// `span` turns the list's byte range in the clause into the text's character span.
fn pair_a_bare_list(
    clause: &str,
    found: &[Quantity],
    targets: &mut [Target],
    span: impl Fn(usize, usize) -> [usize; 2],
) {
    if targets.len() < 2
        || found.len() != targets.len()
        || clause.contains("分别")
        || clause.contains('均')
    {
        return;
    }
    let adjacent = found
        .windows(2)
        .all(|w| matches!(&clause[w[0].end..w[1].start], "、" | "和" | "及"));
    let first = &targets[0];
    let alike = targets
        .iter()
        .all(|t| t.indicator == first.indicator && t.unit == first.unit);
    if !adjacent || !alike || found.iter().any(|q| q.object.is_some()) {
        return;
    }
    let names = split_parallel(&first.indicator);
    // Without 分别 the list's form alone says the names pair: only a shared head that is none, a
    // head noun or an opener and a head noun is taken (not 总部机构、大企业开放创新中心 → …放创新中心).
    let head = common_suffix(&names);
    let known_head = head.is_empty()
        || lexicon::HEAD_NOUNS.contains(&head)
        || lexicon::longest_prefix(head, lexicon::HEAD_OPENERS)
            .is_some_and(|o| lexicon::HEAD_NOUNS.contains(&&head[o.len()..]));
    if names.len() != targets.len() || !known_head {
        return;
    }
    let Some(from) = clause.find(first.source.as_str()) else {
        return;
    };
    let to = found.last().map_or(clause.len(), |q| q.end);
    let whole = clause[from..to].to_string();
    let whole_span = span(from, to);
    for (t, name) in targets.iter_mut().zip(names) {
        t.indicator = name;
        t.source = whole.clone();
        t.span = whole_span;
    }
}

/// The longest ending all `names` share, on character boundaries.
fn common_suffix(names: &[String]) -> &str {
    let Some(first) = names.first() else {
        return "";
    };
    let mut len = 0;
    for (at, _) in first.char_indices().rev() {
        let tail = &first[at..];
        if names.iter().all(|n| n.ends_with(tail)) {
            len = tail.len();
        } else {
            break;
        }
    }
    &first[first.len() - len..]
}

/// 新建6个国家级、20个省级临床重点专科: a count whose noun is only a level (国家级) counts the
/// noun the next count of its clause names after its own level.
fn pass_level_nouns_back(targets: &mut [Target]) {
    for i in 1..targets.len() {
        let (before, after) = targets.split_at_mut(i);
        let (t, next) = (&mut before[i - 1], &after[0]);
        if is_level(&t.indicator)
            && let Some(at) = next.indicator.find('级')
            && is_level(&next.indicator[..at + '级'.len_utf8()])
            && at + '级'.len_utf8() < next.indicator.len()
        {
            t.indicator = format!("{}{}", t.indicator, &next.indicator[at + '级'.len_utf8()..]);
        }
    }
}

/// Whether a name is only a level: 国家级, 省级, 世界级, 自治区级 (at most four characters, 级 last),
/// or a size class (千亿级, 400亿级).
fn is_level(name: &str) -> bool {
    let chars = name.chars().count();
    let size_class = name
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_suffix('级')
        .is_some_and(|m| matches!(m, "万" | "亿"));
    size_class
        || name.ends_with('级')
            && (2..=4).contains(&chars)
            && name.chars().all(super::quantity::is_cjk)
}

/// Whether the text before a count ends with a verb that keeps up an existing set, or with such
/// a verb and the set's members listed (做大做强稻米、油料…和林下经济7个千亿级产业) or named up to
/// 等 (做强生物医药等3个国家级战略性新兴产业集群).
fn keeps_up(left: &str) -> bool {
    let left = left.trim_end();
    lexicon::longest_suffix(left, lexicon::SUSTAINING_VERBS).is_some()
        || lexicon::SUSTAINING_VERBS.iter().any(|verb| {
            left.find(verb).is_some_and(|at| {
                let members = &left[at + verb.len()..];
                members.contains('、') || members.ends_with('等')
            })
        })
}

/// Whether a count only counts the names listed right before it (支持长白山、三江、吉光3个省实验室;
/// 构建…、降碳路径、支撑保障3个体系): a plan's words about those named things, not an amount, unless
/// the clause makes or finishes them (the caller asks [`lexicon::MAKING_WORDS`]). A list closed by
/// 等 (巩义、永城、林州等10个) names only some of them and stays a count.
fn counts_the_names_before(left: &str, value: f64) -> bool {
    let names: Vec<&str> = left.split('、').collect();
    // …、化工老旧装置改造和矿山全面排查整治3件事: a last 和 may join one more name.
    let joined = names.last().is_some_and(|n| n.contains(['和', '及']));
    names.len() >= 2
        && names.iter().all(|n| !n.trim().is_empty())
        && !left.contains('等')
        && (value == names.len() as f64 || joined && value == names.len() as f64 + 1.0)
}

/// Whether the text between two counts only joins them (和, 、, 及).
fn is_conjunction(left: &str) -> bool {
    matches!(left.trim(), "和" | "、" | "及" | "以及" | "与")
}

/// Whether an amount of money is a sum per head (each person, household, or once): the text
/// before it in its clause says so.
fn per_head(before: &str, unit: &str) -> bool {
    unit.ends_with('元') && lexicon::PER_HEAD.iter().any(|w| before.contains(w))
}

pub(super) fn cmp_of(q: &Quantity, before: Option<Bound>) -> Cmp {
    if q.value_max.is_some() {
        return Cmp::Range;
    }
    // Written bounds after the number (以上, 以内) say most; a bound before it (控制在) outranks 左右.
    let bound = match (q.bound, before) {
        (Some(Bound::About), Some(b)) => Some(b),
        (Some(b), _) => Some(b),
        (None, b) => b,
    };
    match bound {
        Some(Bound::AtLeast) => Cmp::Ge,
        Some(Bound::AtMost) => Cmp::Le,
        Some(Bound::About) => Cmp::Approx,
        None => Cmp::Eq,
    }
}

/// What the text before a number says about it.
#[derive(Debug, Default)]
pub(super) struct LeftReading {
    indicator: String,
    /// Byte offset of the indicator in the left context.
    indicator_at: usize,
    verb: String,
    verb_at: usize,
    bound: Option<Bound>,
    /// The left context continued an enumeration (started with 、).
    in_list: bool,
    /// The left context holds 分别: its names pair with the numbers that follow.
    shared_names: bool,
    /// The left context is only a verb (增长6.5%): the indicator is the sentence's previous one.
    bare_verb: bool,
    /// The left context compares with a baseline (比上年) and names nothing else.
    comparison: bool,
    /// 均 before the verb: the number holds for each of the listed names (A、B均增长20%).
    shared_by_all: bool,
    /// Names before 分别 and the object after its verb (交通、水利分别完成投资): each name with
    /// the object is one indicator.
    names_and_object: Option<(String, String)>,
}

/// Reads modality, fillers, indicator and verb from the text before a number.
pub(super) fn read_left(left: &str) -> LeftReading {
    let mut reading = LeftReading {
        in_list: left.starts_with('、'),
        shared_names: left.contains("分别"),
        ..LeftReading::default()
    };
    let mut s = 0;
    let mut e = left.len();
    // Leading words: modality, fillers, again until none applies.
    loop {
        let rest = &left[s..e];
        let word = lexicon::longest_prefix(rest, lexicon::FIRM)
            .or_else(|| lexicon::longest_prefix(rest, lexicon::STRETCH))
            .or_else(|| lexicon::longest_prefix(rest, lexicon::LEADING_FILLERS))
            .or_else(|| {
                rest.strip_prefix(is_blank)
                    .map(|r| &rest[..rest.len() - r.len()])
            });
        match word {
            Some(w) if !w.is_empty() => s += w.len(),
            _ => break,
        }
    }
    // 交通、水利分别完成投资2500亿元、800亿元: the names share the verb and its object, each
    // name with the object is one indicator (交通投资, 水利投资).
    if let Some(p) = left[s..e].find("分别") {
        let names = &left[s..s + p];
        let after = &left[s + p + "分别".len()..e];
        if names.contains(['、', '和', '及'])
            && let Some(verb_len) = leading_verb(after)
            && verb_len < after.len()
            && after[verb_len..].chars().count() <= 6
            && !after[verb_len..].contains('的')
        {
            reading.verb = after[..verb_len].to_string();
            reading.verb_at = s + p + "分别".len();
            let object = clean_name(&after[verb_len..]);
            reading.indicator = clean_name(&format!("{names}{object}"));
            reading.indicator_at = s;
            reading.names_and_object = Some((clean_name(names), object));
            return reading;
        }
    }
    // A gap to a peer (高于全国1.7个百分点, 比全国高0.5个百分点): no target.
    if ends_near_peer(&left[s..e]) {
        reading.comparison = true;
        return reading;
    }
    // A comparison with a baseline: the indicator stands before 比.
    if let Some(at) = baseline_start(&left[s..e]) {
        let before = &left[s..s + at];
        if before.trim().is_empty() {
            reading.comparison = true;
            return reading;
        }
        let after = &left[s + at..e];
        let verb = lexicon::longest_suffix_of(after, lexicon::VERBS_BEFORE_NUMBER);
        reading.verb = verb.map(|(v, _)| v.to_string()).unwrap_or_default();
        reading.verb_at = e - reading.verb.len();
        e = s + at;
        let (name, at) = trim_trailing(left, s, e);
        reading.indicator = clean_name(name);
        reading.indicator_at = at;
        return reading;
    }
    // Verb right before the number: indicator, verb, number.
    if let Some((verb, bound)) =
        lexicon::longest_suffix_of(&left[s..e], lexicon::VERBS_BEFORE_NUMBER)
    {
        let verb_start = e - verb.len();
        // 城镇化率由60%提高到65%: the starting value is not part of the name.
        let name_end = from_value_start(&left[s..verb_start]).map_or(verb_start, |at| s + at);
        let (name, at) = trim_trailing(left, s, name_end);
        if !name.is_empty() && !is_period_word(name) {
            reading.shared_by_all = shared_by_all(&left[s..name_end]);
            reading.verb = if bound.is_some() && verb != "控制在" {
                String::new()
            } else {
                verb.to_string()
            };
            reading.verb_at = verb_start;
            reading.bound = bound;
            reading.indicator = clean_name(name);
            reading.indicator_at = at;
            return reading;
        }
        // Only a verb before the number: it leads the noun after it (新增10个…), or, with no such
        // noun, a bare verb (增长5%) whose indicator is the sentence's previous one.
        reading.bound = bound;
        if leading_verb(&left[s..e]).is_none_or(|len| len < e - s) {
            reading.verb = verb.to_string();
            reading.verb_at = verb_start;
            reading.indicator_at = verb_start;
            reading.bare_verb = true;
            return reading;
        }
    }
    // Verb before its object: verb, indicator, number.
    if let Some(verb_len) = leading_verb(&left[s..e]) {
        let (name, at) = trim_trailing(left, s + verb_len, e);
        if name.is_empty() && lexicon::WORK_VERBS.contains(&&left[s..s + verb_len]) {
            // 造林120万亩 (新疆 2025; the national 2015 report 造林600万公顷): the work is the
            // indicator.
            reading.indicator = left[s..s + verb_len].to_string();
            reading.indicator_at = s;
            reading.verb_at = s;
            return reading;
        }
        reading.verb = left[s..s + verb_len].to_string();
        reading.verb_at = s;
        (reading.indicator, reading.shared_by_all) = names_each_or_whole(name);
        reading.indicator_at = at;
        return reading;
    }
    let (name, at) = trim_trailing(left, s, e);
    (reading.indicator, reading.shared_by_all) = names_each_or_whole(name);
    reading.indicator_at = at;
    reading.verb_at = at;
    reading
}

/// The indicator of a name, and whether it is a list of names that 各 gives one number each
/// (职业技术大学、高等职业学校各2所: the names without the 各, shared).
fn names_each_or_whole(name: &str) -> (String, bool) {
    match name.strip_suffix('各').filter(|names| names.contains('、')) {
        Some(names) => (clean_name(names), true),
        None => (clean_name(name), false),
    }
}

/// Whether a name is only a span of time or an averaging word (年均, 5年, 五年来): the indicator
/// is then the one before it in the sentence (地区生产总值达14.2万亿元、年均增长5.7%).
fn is_period_word(name: &str) -> bool {
    name.chars()
        .all(|c| numeral::digit_value(c).is_some() || "年来均累计共总十".contains(c))
}

/// Whether `before` (the text up to the verb) ends with a 均 that shares the number among the
/// names before it; 年均, 人均, 平均, 户均 and 亩均 are averages, not this.
fn shared_by_all(before: &str) -> bool {
    let mut chars = before.trim_end_matches(is_blank).chars().rev();
    chars.next() == Some('均') && chars.next().is_some_and(|c| !"年人平户亩日月".contains(c))
}

/// Where a comparison with a baseline (比上年, 比1995年, 同比, 较去年) begins in `text`. 比重 and
/// 比例 are nouns, not comparisons.
pub(super) fn baseline_start(text: &str) -> Option<usize> {
    // One automaton over the baselines, built once: every number of every report asks.
    static BASELINES: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(lexicon::BASELINES)
            .ok()
    });
    let listed = match BASELINES.as_ref() {
        Some(automaton) => automaton.find(text).map(|m| m.start()),
        None => lexicon::BASELINES.iter().filter_map(|b| text.find(b)).min(),
    };
    let dated = text
        .match_indices(['比', '较'])
        .map(|(at, _)| at)
        .find(|&at| {
            let after = &text[at + '比'.len_utf8()..];
            let digits: Vec<char> = after
                .chars()
                .take_while(|c| numeral::is_arabic_digit(*c))
                .collect();
            let digit_bytes: usize = digits.iter().map(|c| c.len_utf8()).sum();
            digits.len() == 4 && after[digit_bytes..].starts_with('年')
                || after.starts_with('“') && after.contains('”')
        });
    match (listed, dated) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where a starting value (由60%, 从15.3%) begins in `text`, if it holds one.
pub(super) fn from_value_start(text: &str) -> Option<usize> {
    for marker in ["已由", "已从", "由", "从"] {
        if let Some(at) = text.rfind(marker) {
            let after = &text[at + marker.len()..];
            if after.starts_with(|c: char| numeral::is_arabic_digit(c)) {
                return Some(at);
            }
        }
    }
    None
}

/// Byte length of a leading verb, joined verbs included (新建、改扩建; 新增及改造).
pub(super) fn leading_verb(text: &str) -> Option<usize> {
    let first = lexicon::longest_prefix(text, lexicon::VERBS_BEFORE_OBJECT)?;
    let mut len = first.len();
    if let Some(second) = lexicon::longest_prefix(&text[len..], lexicon::JOINED_VERBS) {
        return Some(len + second.len());
    }
    for joint in ["、", "及", "和", "或"] {
        if let Some(rest) = text[len..].strip_prefix(joint)
            && let Some(second) = lexicon::longest_prefix(rest, lexicon::VERBS_BEFORE_OBJECT)
        {
            len += joint.len() + second.len();
            break;
        }
    }
    Some(len)
}
