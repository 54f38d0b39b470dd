//! Extract: cut the plan parts into commitments and read the quantified targets in them; read the
//! achieved figures of the review parts the same way.
//!
//! A sentence (up to 。！？；) of a plan part is one commitment. Inside it, clauses (up to ，：and
//! brackets) hold quantities: a number with its multipliers and unit. Each quantity is read with
//! what stands around it in its clause:
//! - before it, the left context: modality (确保), fillers, then either an indicator and the verb
//!   that leads to the number (覆盖率达到70%), or a verb and its object (新增高标准农田20万亩);
//! - after it, comparators (以上, 左右) and, for counting and measuring units, the noun it counts
//!   (新建10个康居特色村).
//!
//! A quantity that is a date, an age, an ordinal (第七次), a name (5G, "12345"), a slogan in
//! quotes, a single-digit Chinese numeral (四个意识, 七大工程), or a span of time describing a noun
//! (10分钟体育休闲生活圈) is not a target. Enumerations that share a verb (、), `分别` pairs and
//! ranges (6%－6.5%) are spread over their quantities.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::lexicon::{self, Bound, UnitKind};
use crate::model::{Cmp, Commitment, CommitmentKind, Role, Target};
use crate::numeral::{self, Numeral};
use crate::outline::Outline;
use crate::span::CharIndex;

/// What extraction found.
#[derive(Debug, Default)]
pub struct Found {
    /// Commitments of plan parts.
    pub commitments: Vec<Commitment>,
    /// Achieved figures of review parts.
    pub outcomes: Vec<Target>,
}

/// Extracts commitments from the plan parts and outcomes from the review parts.
pub fn extract(text: &str, outline: &Outline, year: Option<i32>, index: &CharIndex<'_>) -> Found {
    let mut found = Found::default();
    for (start, end) in sentences(text) {
        let place = outline.place(start);
        if place.in_heading || place.role == Role::Other {
            continue;
        }
        let sentence = &text[start..end];
        let targets = targets_in(sentence, start, index, place.role);
        match place.role {
            Role::Review => found.outcomes.extend(targets),
            Role::Plan => {
                let kind = if !targets.is_empty() {
                    CommitmentKind::Quantified
                } else if is_milestone(sentence) {
                    CommitmentKind::Milestone
                } else {
                    CommitmentKind::Qualitative
                };
                found.commitments.push(Commitment {
                    id: format!("c{}", found.commitments.len() + 1),
                    path: place.path,
                    text: sentence.to_string(),
                    span: [index.chars(start), index.chars(end)],
                    kind,
                    modality: modality(sentence).map(str::to_string),
                    deadline: crate::deadline::deadline(sentence, year),
                    targets,
                });
            }
            Role::Other => {}
        }
    }
    found
}

/// Byte ranges of the sentences of `text`, without their closing punctuation and white space.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |s: usize, e: usize| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start_matches(is_blank).len();
        let trimmed = piece.trim_matches(is_blank);
        if trimmed.chars().any(|c| c.is_alphanumeric()) {
            out.push((s + lead, s + lead + trimmed.len()));
        }
    };
    const ENDS: [char; 8] = ['。', '！', '？', '；', '\n', '!', '?', ';'];
    for (at, c) in crate::span::char_positions(text, &ENDS) {
        push(start, at);
        start = at + c.len_utf8();
    }
    push(start, text.len());
    out
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '　'
}

/// Whether a sentence builds, starts or completes something (建成, 开工, 完成…): one automaton
/// over the verbs, built once, since every sentence of every plan asks.
fn is_milestone(sentence: &str) -> bool {
    static VERBS: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(lexicon::MILESTONE_VERBS).ok());
    VERBS.as_ref().is_some_and(|verbs| verbs.is_match(sentence))
}

/// 确保 or 力争 where the text marks one.
fn modality(text: &str) -> Option<&'static str> {
    if lexicon::FIRM.iter().any(|w| text.contains(w)) {
        Some("确保")
    } else if lexicon::STRETCH.iter().any(|w| text.contains(w)) {
        Some("力争")
    } else {
        None
    }
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '：' | ':' | '（' | '）' | '(' | ')' | '【' | '】' | '—'
    )
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '《')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》')
}

/// Byte ranges (relative to `sentence`) of its clauses. An ASCII comma breaks a clause unless
/// it stands between digits (1,000).
fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut chars = sentence.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ascii_comma = c == ','
            && !(prev.is_some_and(numeral::is_arabic_digit)
                && next.is_some_and(numeral::is_arabic_digit));
        if is_clause_break(c) || ascii_comma {
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

/// A quantity found in a clause, before its indicator is known.
#[derive(Debug, Clone)]
struct Quantity {
    /// Byte range of the number through its unit and comparator suffix, in the clause.
    start: usize,
    end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: &'static str,
    bound: Option<Bound>,
    /// The noun it counts when it stands before it (10个康居特色村), byte range in the clause.
    object: Option<(usize, usize)>,
    /// A verb written after it (按3%安排).
    post_verb: Option<&'static str>,
}

/// Whether a number may start at `at`: the character before it is no digit, letter or 第.
fn number_may_start(clause: &str, at: usize) -> bool {
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

fn starts_number(c: char) -> bool {
    numeral::is_arabic_digit(c) || numeral::digit_value(c).is_some() || c == '十'
}

/// Reads the quantity whose number starts at byte `at` of `clause`.
fn quantity_at(clause: &str, at: usize) -> Option<Quantity> {
    let rest = &clause[at..];
    let Numeral {
        value,
        len,
        chinese,
    } = numeral::read_number(rest, |r| lexicon::unit_at(r).is_some())?;
    let multiplied = rest[..len]
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
    }
    let after = &clause[end..];
    if after.starts_with(|c: char| c.is_ascii_alphanumeric()) || after.starts_with('/') {
        return None;
    }
    let unit = lexicon::unit_at(after);
    if unit.is_none() && lexicon::longest_prefix(after, lexicon::NOT_QUANTITY_AFTER).is_some() {
        return None;
    }
    let (unit, kind) = match unit {
        Some((u, k)) => {
            end += u.len();
            (u, Some(k))
        }
        None => ("", None),
    };
    if kind.is_none() && (chinese || !multiplied) {
        // A bare number (12345, 331) names something; it counts nothing.
        return None;
    }
    if chinese && lexicon::PROGRAMME_PARTS.contains(&unit) {
        // 十项民生实事, 十条措施: the parts of a named programme, not an amount to reach.
        return None;
    }
    // A range: 6%－6.5%, 6－6.5%.
    let mut value_max = None;
    let mut unit = unit;
    let mut kind = kind;
    if let Some(dash) = clause[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '－' | '-' | '—' | '–' | '~' | '～' | '至' | '到'))
    {
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
        }
    }
    if let Some((word, b)) = lexicon::SUFFIX_COMPARATORS
        .iter()
        .find(|(w, _)| clause[end..].starts_with(w))
    {
        end += word.len();
        bound = Some(*b);
    }
    // What follows: nothing, a break, a conjunction, or the noun it counts.
    if clause[end..].starts_with('的') {
        // 16%的税率, 90%以上的村: the amount describes the noun after it.
        return None;
    }
    let mut post_verb = None;
    if let Some(verb) = lexicon::longest_prefix(&clause[end..], lexicon::VERBS_AFTER_NUMBER) {
        post_verb = Some(verb);
        end += verb.len();
    }
    let object = if post_verb.is_some() {
        None
    } else {
        noun_after(clause, end)
    };
    if object.is_some_and(|(s, e)| s == e) {
        return None;
    }
    if let Some((s, e)) = object {
        match kind {
            Some(UnitKind::Count) | Some(UnitKind::Measure) => {
                return Some(Quantity {
                    start: at,
                    end: e.max(end),
                    value,
                    value_max,
                    unit,
                    bound,
                    object: Some((s, e)),
                    post_verb,
                });
            }
            // A share or a span of time before a noun describes it (90%的村, 10分钟生活圈).
            _ => return None,
        }
    }
    Some(Quantity {
        start: at,
        end,
        value,
        value_max,
        unit,
        bound,
        object: None,
        post_verb,
    })
}

/// The noun right after a quantity, up to 、 的 or a conjunction before another number.
fn noun_after(clause: &str, from: usize) -> Option<(usize, usize)> {
    let rest = &clause[from..];
    let first = rest.chars().next()?;
    if matches!(
        first,
        '、' | '和' | '及' | '与' | '或' | '的' | '，' | ',' | '等'
    ) || !(is_cjk(first) || is_open_quote(first) || first == '"')
    {
        return None;
    }
    let mut end = from;
    for (at, c) in rest.char_indices() {
        if matches!(c, '、' | '的' | '，' | ',' | '等')
            || (matches!(c, '和' | '及' | '与')
                && rest[at + c.len_utf8()..].starts_with(starts_number))
        {
            break;
        }
        if numeral::is_arabic_digit(c) {
            // 超10亿元企业5家: the amount describes a noun that another number counts.
            return Some((from, from));
        }
        end = from + at + c.len_utf8();
    }
    (end > from).then_some((from, end))
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Whether `text` starts with a single Chinese digit that no place or multiplier follows: a
/// word such as 一是 or 三项, never an amount of ten or more.
fn is_small_chinese_word(text: &str) -> bool {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    first.is_some_and(|c| !numeral::is_arabic_digit(c) && c != '十')
        && !second.is_some_and(|c| {
            matches!(c, '十' | '百' | '千' | '万' | '亿') || numeral::digit_value(c).is_some()
        })
}

/// All quantities of a clause, left to right, skipping numbers inside quotes.
fn quantities(clause: &str) -> Vec<Quantity> {
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
        } else if !quoted && !ascii_quoted && starts_number(c) && number_may_start(clause, at) {
            if is_small_chinese_word(&clause[at..]) {
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

/// The targets of one sentence, with spans in the clean text.
fn targets_in(
    sentence: &str,
    sentence_start: usize,
    index: &CharIndex<'_>,
    role: Role,
) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
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
        for q in &found {
            let left = &clause[cursor..q.start];
            let reading = read_left(left);
            let mut target = Target {
                indicator: String::new(),
                verb: match (reading.verb.as_str(), q.post_verb) {
                    ("", Some(after)) => after.to_string(),
                    _ => reading.verb.clone(),
                },
                value: q.value,
                unit: q.unit.to_string(),
                cmp: cmp_of(q, reading.bound),
                value_max: q.value_max,
                modality: clause_modality.clone(),
                source: String::new(),
                span: [0, 0],
            };
            let source_start;
            if let Some((s, e)) = q.object {
                target.indicator = clean_name(&clause[s..e]);
                source_start = if reading.indicator.is_empty() {
                    cursor + reading.verb_at
                } else {
                    cursor + reading.indicator_at
                };
            } else {
                target.indicator = reading.indicator.clone();
                source_start = cursor + reading.indicator_at.min(reading.verb_at);
            }
            if reading.shared_names && !target.indicator.is_empty() {
                split_names = split_parallel(&target.indicator);
            }
            let continues_list =
                reading.indicator.is_empty() && reading.verb.is_empty() && q.object.is_none();
            if continues_list && !split_names.is_empty() {
                // 分别新增A、B能力4.5万吨和3万吨: the n-th number belongs to the n-th name.
                let n = targets
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
            if target.indicator.is_empty() || reading.comparison {
                cursor = q.end;
                continue;
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
            previous = Some(target.clone());
            targets.push(target);
        }
        // A 分别 pair: the n-th name goes with the n-th number, and every target of the pair
        // cites the whole pair from 分别 on.
        if split_names.len() > 1 && targets.len() >= split_names.len() {
            let first = targets.len() - split_names.len();
            let from = clause.find("分别").unwrap_or(0);
            let pair_end = found.last().map_or(clause.len(), |q| q.end);
            let (abs_s, abs_e) = (sentence_start + cs + from, sentence_start + cs + pair_end);
            for (t, name) in targets[first..].iter_mut().zip(&split_names) {
                t.indicator = name.clone();
                t.source = clause[from..pair_end].to_string();
                t.span = [index.chars(abs_s), index.chars(abs_e)];
            }
        }
    }
    targets
}

fn cmp_of(q: &Quantity, before: Option<Bound>) -> Cmp {
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
struct LeftReading {
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
}

/// Reads modality, fillers, indicator and verb from the text before a number.
fn read_left(left: &str) -> LeftReading {
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
        if !name.is_empty() {
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
        reading.verb = left[s..s + verb_len].to_string();
        reading.verb_at = s;
        let (name, at) = trim_trailing(left, s + verb_len, e);
        reading.indicator = clean_name(name);
        reading.indicator_at = at;
        return reading;
    }
    let (name, at) = trim_trailing(left, s, e);
    reading.indicator = clean_name(name);
    reading.indicator_at = at;
    reading.verb_at = at;
    reading
}

/// Where a comparison with a baseline (比上年, 比1995年, 同比, 较去年) begins in `text`. 比重 and
/// 比例 are nouns, not comparisons.
fn baseline_start(text: &str) -> Option<usize> {
    let listed = lexicon::BASELINES.iter().filter_map(|b| text.find(b)).min();
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
fn from_value_start(text: &str) -> Option<usize> {
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
fn leading_verb(text: &str) -> Option<usize> {
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

/// Drops trailing fillers (全部, 均) from `left[s..e]`; returns the rest and its start.
fn trim_trailing(left: &str, s: usize, mut e: usize) -> (&str, usize) {
    let mut s = s;
    loop {
        let rest = &left[s..e];
        let trimmed = rest.trim_end_matches(is_blank);
        if trimmed.len() != rest.len() {
            e = s + trimmed.len();
            continue;
        }
        match lexicon::longest_suffix(rest, lexicon::TRAILING_FILLERS) {
            Some(w) if w.len() < rest.len() => e -= w.len(),
            _ => break,
        }
    }
    while let Some(d) = lexicon::longest_prefix(&left[s..e], lexicon::DETERMINERS) {
        if d.len() >= e - s {
            break;
        }
        s += d.len();
    }
    (&left[s..e], s)
}

/// A name as a reader wants it: no quotes, no bracketed notes, no determiners, no blanks.
fn clean_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            _ if is_open_quote(c) || is_close_quote(c) || c == '"' || is_blank(c) => {}
            _ => out.push(c),
        }
    }
    let mut name = out.as_str();
    while let Some(d) = lexicon::longest_prefix(name, lexicon::DETERMINERS) {
        if d.len() >= name.len() {
            break;
        }
        name = &name[d.len()..];
    }
    without_amounts(&without_years(
        name.trim_start_matches(['、', '和', '及', '与']),
    ))
}

/// A name without an amount that describes it (现行16%的税率 → 现行税率).
fn without_amounts(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if numeral::is_arabic_digit(c) {
            let amount: usize = rest
                .char_indices()
                .find(|&(_, d)| d == '的' || is_clause_break(d))
                .map_or(0, |(at, _)| at);
            if amount > 0 && rest[amount..].starts_with('的') {
                rest = &rest[amount + '的'.len_utf8()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A name without the dates written into it (2000年国家财政收入 → 国家财政收入).
fn without_years(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let digits: usize = rest
            .chars()
            .take_while(|c| numeral::is_arabic_digit(*c))
            .map(char::len_utf8)
            .sum();
        if digits > 0 && rest[digits..].starts_with('年') {
            let mut skip = digits + '年'.len_utf8();
            for tail in ["底", "末", "初"] {
                if rest[skip..].starts_with(tail) {
                    skip += tail.len();
                }
            }
            rest = &rest[skip..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if out.is_empty() {
        name.to_string()
    } else {
        out
    }
}

/// Splits parallel names that share a head (危废焚烧、工业污泥年处置能力 → 危废焚烧年处置能力,
/// 工业污泥年处置能力): modifiers written in parallel have the same length, so the head is what the
/// last name has beyond that length.
fn split_parallel(names: &str) -> Vec<String> {
    let parts: Vec<&str> = names
        .split(['、', '和', '及'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return Vec::new();
    }
    let last = parts[parts.len() - 1];
    let lead_len = parts[0].chars().count();
    let same_length = parts[..parts.len() - 1]
        .iter()
        .all(|p| p.chars().count() == lead_len);
    let last_len = last.chars().count();
    let head: String = if same_length && last_len > lead_len {
        last.chars().skip(lead_len).collect()
    } else {
        String::new()
    };
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i + 1 < parts.len() {
                format!("{p}{head}")
            } else {
                p.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (indicator, verb, value, unit, cmp) of each target of one sentence.
    fn check(sentence: &str, expected: &[(&str, &str, f64, &str, Cmp)]) {
        let index = CharIndex::new(sentence);
        let got: Vec<(String, String, f64, String, Cmp)> =
            targets_in(sentence, 0, &index, Role::Plan)
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
                ("城乡居民人均可支配收入", "增长", 6.0, "%", Cmp::Eq),
                ("城乡居民人均可支配收入", "增长", 7.0, "%", Cmp::Eq),
            ],
        );
    }
}
