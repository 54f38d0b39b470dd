//! Roles: which stretches of a report review the past, plan this year, outline the next five-year
//! plan, or do something else; and, inside a review, which figures are the year's and which the
//! five-year period's.
//!
//! The text is cut into divisions, each opened by a heading that names what follows:
//! - a numbered part (`一、2025年工作回顾`);
//! - a bare part heading, a short line with no marker that names a year or a five-year plan and a
//!   part noun (`2024年工作回顾`, `“十五五”时期的主要目标任务`; 四川 2025, 西藏 2025, 甘肃 2026,
//!   内蒙古 2026), outside numbered parts;
//! - an annex (`附件` with its title on the next line: `2025年10件惠民实事` → plan; `名词解释`,
//!   `…名词注释` → other).
//!
//! A heading names its roles in order (`“十五五”时期目标任务和2026年工作安排` → outline, then plan):
//! a year is this year's plan or last year's review; `“十四五”` is the past plan (review) in a 2026
//! report and `“十五五”` the next (outline), and a heading that names the next plan reads its
//! 目标/任务 as the plan's, not this year's. A division with several roles switches at the
//! paragraph that opens the next one (`今年是…`, `2026年是…` open this year's plan; `根据…第十五个
//! 五年规划的建议` opens the outline); a paragraph opening this year's plan switches any outline
//! stretch to plan (福建 2026: `全力推动“十五五”开好局` is this year's plan).
//!
//! A division whose heading names no role continues the plan once the plan has begun (parts are
//! in the order review, outline, plan, other); otherwise its role is inferred from the words that
//! mark each role (过去一年, 今年, “十五五”…), and the inference is a diagnostic. Text before the
//! first division (preamble, or a text that starts mid-way with no part at all) is inferred by
//! the older wording rule, node by node and line by line.
//!
//! Review periods switch at paragraph openers: `这五年`, `五年来`, `这是…的五年`, `“十四五”时期`
//! open the five-year period; `过去一年`, `一年来`, `刚刚过去的2025年`, `2025年` open the year.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{Node, Outline, Stretch};
use crate::diagnostic::Diagnostic;
use crate::model::{Period, Role, SectionKind};
use crate::numeral;
use crate::span::CharIndex;

/// Words of a heading that mark a part as something other than review, plan or outline.
/// Each has two reports: 政府自身建设 (吉林 2025, 新疆 2025), 人民满意 (天津 2025, 湖北 2026),
/// 政府治理 (山西 2025, 重庆 2026), 党的全面领导 (内蒙古 2026, 新疆 2026).
const OTHER_HEADINGS: &[&str] = &[
    "政府自身建设",
    "自身建设",
    "政府建设",
    "人民满意",
    "政府治理",
    "党的全面领导",
    "外交",
    "和平统一",
    "祖国统一",
    "国防建设",
];

/// Words of a heading that name this year's plan (unless the heading names the next five-year
/// plan, whose 目标任务 they then are).
const PLAN_HEADINGS: &[&str] = &[
    "任务",
    "安排",
    "建议",
    "目标",
    "总体要求",
    "总体部署",
    "重点工作",
    "主要工作",
    "工作思路",
    "今年",
    "计划",
    "政策取向",
    "预算",
];

/// Words of a heading that name a review.
const REVIEW_HEADINGS: &[&str] = &["回顾", "成就", "总结", "执行情况", "过去", "取得"];

/// Words of a heading that name a five-year outline whatever its number.
const OUTLINE_HEADINGS: &[&str] = &["五年规划", "规划纲要", "规划建议"];

/// Nouns a bare part heading must hold.
const PART_NOUNS: &[&str] = &[
    "工作", "目标", "任务", "回顾", "成就", "考虑", "安排", "总结",
];

/// The first year of five-year plan number `n` (the 6th began in 1981, the 15th in 2026).
fn plan_start(n: u32) -> i32 {
    1951 + 5 * n as i32
}

/// Five-year plans named in `text`, as (byte offset, number): `“十四五”` → 14, `第十五个五年` → 15.
fn five_year_plans(text: &str) -> Vec<(usize, u32)> {
    let mut out = Vec::new();
    for (at, quote) in text.match_indices(['“', '"', '‘']) {
        let inner = &text[at + quote.len()..];
        let Some(close) = inner.find(['”', '"', '’']) else {
            continue;
        };
        let Some(name) = inner[..close].strip_suffix('五') else {
            continue;
        };
        if name.is_empty() || name.chars().count() > 3 {
            continue;
        }
        if let Some((n, read)) = numeral::read_chinese(name)
            && read == name.len()
            && (6.0..100.0).contains(&n)
        {
            out.push((at, n as u32));
        }
    }
    for (at, _) in text.match_indices("第") {
        let rest = &text[at + '第'.len_utf8()..];
        let Some(end) = rest.find("个五年") else {
            continue;
        };
        let name = &rest[..end];
        if name.is_empty() || name.chars().count() > 3 {
            continue;
        }
        if let Some((n, read)) = numeral::read_chinese(name)
            && read == name.len()
            && (6.0..100.0).contains(&n)
        {
            out.push((at, n as u32));
        }
    }
    out.sort_unstable();
    out
}

/// Whether plan `n` is still to come for a report of `year` (it starts in the plan year or later).
fn is_next_plan(n: u32, year: Option<i32>) -> bool {
    match year {
        Some(y) => plan_start(n) >= y,
        None => n >= 15,
    }
}

/// The last year of the five-year plan that contains `year`.
fn plan_end_for(year: i32) -> i32 {
    let n = (year - 1951).div_euclid(5);
    plan_start(n as u32) + 4
}

/// Years written in `text` before 年, as (byte offset, year).
fn years(text: &str) -> Vec<(usize, i32)> {
    text.match_indices('年')
        .filter_map(|(at, _)| {
            let digits: usize = text[..at]
                .chars()
                .rev()
                .take_while(|c| numeral::is_arabic_digit(*c))
                .map(char::len_utf8)
                .sum();
            let start = at - digits;
            let value: i32 = text[start..at]
                .chars()
                .filter_map(numeral::digit_value)
                .fold(0, |v, d| v * 10 + d as i32);
            (text[start..at].chars().count() == 4)
                .then_some((start, value))
                .filter(|(_, y)| (1949..=2200).contains(y))
        })
        .collect()
}

/// The roles a heading names, in the order it names them.
pub(super) fn heading_roles(heading: &str, year: Option<i32>) -> Vec<Role> {
    if OTHER_HEADINGS.iter().any(|w| heading.contains(w)) {
        return vec![Role::Other];
    }
    let mut cues: Vec<(usize, Role)> = Vec::new();
    let plans = five_year_plans(heading);
    let names_next_plan = plans.iter().any(|(_, n)| is_next_plan(*n, year))
        || OUTLINE_HEADINGS.iter().any(|w| heading.contains(w));
    for (at, n) in &plans {
        let role = if is_next_plan(*n, year) {
            Role::Outline
        } else {
            Role::Review
        };
        cues.push((*at, role));
    }
    for w in OUTLINE_HEADINGS {
        if let Some(at) = heading.find(w) {
            cues.push((at, Role::Outline));
        }
    }
    for (at, y) in years(heading) {
        match year {
            Some(plan) if y == plan => cues.push((at, Role::Plan)),
            Some(plan) if y < plan => cues.push((at, Role::Review)),
            _ => {}
        }
    }
    if let Some(at) = heading.find("今年") {
        cues.push((at, Role::Plan));
    }
    for w in REVIEW_HEADINGS {
        if let Some(at) = heading.find(w) {
            cues.push((at, Role::Review));
        }
    }
    if !names_next_plan {
        for w in PLAN_HEADINGS {
            if let Some(at) = heading.find(w) {
                cues.push((at, Role::Plan));
            }
        }
    }
    // A review heading that also says what the year holds (`回顾和今年的总体要求`) still opens
    // with the review; the order of the cues is the order of the roles.
    cues.sort_by_key(|c| c.0);
    let mut roles = Vec::new();
    for (_, role) in cues {
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles
}

/// What opens a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    /// A numbered part (`一、`).
    Part,
    /// A bare part heading with no marker.
    Bare,
    /// An annex (`附件`, `名词解释`).
    Annex,
}

/// A division of the text: a heading and what follows it up to the next division.
#[derive(Debug)]
struct Division {
    start: usize,
    /// Where its body starts (after the heading).
    body: usize,
    /// The heading text (for an annex, the 附件 line and its title line).
    heading: (usize, usize),
    opener: Opener,
}

/// A bare part heading: a short line with no marker and no sentence punctuation that names a year
/// or a five-year plan and a part noun, and names a role.
fn is_bare_heading(line: &str, year: Option<i32>) -> bool {
    let chars = line.chars().count();
    (4..=30).contains(&chars)
        && !line.contains(['。', '，', '；', '！', '？', '：', ',', ';', ':'])
        && !line.starts_with(['（', '('])
        && super::line_marker(line).is_none()
        && (!years(line).is_empty() || !five_year_plans(line).is_empty())
        && PART_NOUNS.iter().any(|w| line.contains(w))
        && !heading_roles(line, year).is_empty()
}

/// An annex line: `附件`, `附件：…`, `附件1`.
fn is_annex_line(line: &str) -> bool {
    line.starts_with("附件") && line.chars().count() <= 12 && !line.contains('。')
}

/// A glossary line: `名词解释`, `《政府工作报告》有关内容名词注释`.
fn is_glossary_line(line: &str) -> bool {
    let line = line.trim_end_matches(['：', ':']);
    line.chars().count() <= 30 && (line.ends_with("名词解释") || line.ends_with("名词注释"))
}

/// The lines of `text[from..to]` as (start, end) byte ranges, trimmed of white space.
fn lines(text: &str, from: usize, to: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = from;
    text[from..to].split('\n').map(move |line| {
        let start = at;
        at += line.len() + 1;
        let lead = line.len() - line.trim_start_matches(is_blank).len();
        let trimmed = line.trim_matches(is_blank);
        (start + lead, start + lead + trimmed.len())
    })
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '　'
}

fn divisions(text: &str, nodes: &[Node], year: Option<i32>) -> Vec<Division> {
    let parts: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.parent.is_none() && n.kind == SectionKind::Part)
        .collect();
    let mut out: Vec<Division> = parts
        .iter()
        .map(|n| Division {
            start: n.span.0,
            body: n.heading_sentence.1,
            heading: n.heading,
            opener: Opener::Part,
        })
        .collect();
    let mut part = 0;
    let mut pending_annex: Option<(usize, usize)> = None;
    for (s, e) in lines(text, 0, text.len()) {
        if s == e {
            continue;
        }
        let line = &text[s..e];
        while part < parts.len() && parts[part].span.1 <= s {
            part += 1;
        }
        let in_part = part < parts.len() && parts[part].span.0 <= s;
        if let Some((annex_start, annex_end)) = pending_annex.take() {
            // The annex's title is the line after 附件 when it is short.
            let title_end = if line.chars().count() <= 40 && !line.contains('。') {
                e
            } else {
                annex_end
            };
            out.push(Division {
                start: annex_start,
                body: title_end,
                heading: (annex_start, title_end),
                opener: Opener::Annex,
            });
            if title_end == e {
                continue;
            }
        }
        if is_annex_line(line) {
            pending_annex = Some((s, e));
        } else if is_glossary_line(line) {
            out.push(Division {
                start: s,
                body: e,
                heading: (s, e),
                opener: Opener::Annex,
            });
        } else if !in_part && is_bare_heading(line, year) {
            out.push(Division {
                start: s,
                body: e,
                heading: (s, e),
                opener: Opener::Bare,
            });
        }
    }
    if let Some((s, e)) = pending_annex {
        out.push(Division {
            start: s,
            body: e,
            heading: (s, e),
            opener: Opener::Annex,
        });
    }
    out.sort_by_key(|d| d.start);
    out
}

/// The roles an annex heading names: this year's 民生实事 are plan, a glossary is other.
fn annex_roles(heading: &str, year: Option<i32>) -> Vec<Role> {
    if heading.contains("名词") {
        vec![Role::Other]
    } else if heading.contains("实事")
        || year.is_some_and(|y| years(heading).iter().any(|(_, h)| *h == y))
    {
        vec![Role::Plan]
    } else {
        vec![Role::Other]
    }
}

/// The start of a paragraph without its lead-in (`——`, `各位代表！`), at most 60 characters.
fn opening(line: &str) -> &str {
    let mut rest = line.trim_start_matches(['—', '-', '－', '―', ' ', '　']);
    for lead in ["各位代表！", "各位代表!", "各位代表，"] {
        rest = rest.strip_prefix(lead).unwrap_or(rest);
    }
    let end = rest.char_indices().nth(60).map_or(rest.len(), |(at, _)| at);
    &rest[..end]
}

/// A paragraph that opens this year's plan: `今年是…`, `2026年是…`, `今年，`, `做好今年…`.
/// 辽宁 2026 and 内蒙古 2026 (`今年是“十五五”开局之年`), 福建 2026 (`2026年是“十五五”开局之年`).
fn opens_plan(open: &str, year: Option<i32>) -> bool {
    if [
        "今年是",
        "今年，",
        "做好今年",
        "今年经济社会发展",
        "今年政府工作",
    ]
    .iter()
    .any(|w| open.starts_with(w))
    {
        return true;
    }
    year.is_some_and(|y| {
        let y = format!("{y}年");
        open.strip_prefix(y.as_str())
            .is_some_and(|r| r.starts_with('是') || r.starts_with('，'))
    })
}

/// A paragraph that opens the five-year outline: its first clause names the next plan
/// (`根据《…关于制定…第十五个五年规划的建议》`, 广西 2026 and 内蒙古 2026; `“十五五”时期是…`).
fn opens_outline(open: &str, year: Option<i32>) -> bool {
    let first = open.split(['，', '。', '：']).next().unwrap_or(open);
    five_year_plans(first)
        .iter()
        .any(|(_, n)| is_next_plan(*n, year))
        && !opens_plan(open, year)
}

/// The period a review paragraph opens, if it opens one.
fn opens_period(open: &str, year: Option<i32>) -> Option<Period> {
    const MULTI: &[&str] = &["这五年", "五年来", "过去五年", "五年间", "五年中"];
    const YEAR: &[&str] = &["过去一年", "一年来", "刚刚过去的", "去年", "过去的一年"];
    let first = open.split(['，', '。', '：']).next().unwrap_or(open);
    if MULTI.iter().any(|w| open.starts_with(w))
        || (open.starts_with("这是") && first.ends_with("五年"))
    {
        return Some(Period::MultiYear);
    }
    if YEAR.iter().any(|w| open.starts_with(w)) {
        return Some(Period::Year);
    }
    if let Some(y) = year
        && open.starts_with(&format!("{}年", y - 1))
    {
        return Some(Period::Year);
    }
    // `“十四五”时期…`, `“十四五”以来` open the past plan's period.
    if open.starts_with(['“', '"'])
        && five_year_plans(first)
            .first()
            .is_some_and(|(at, n)| *at == 0 && !is_next_plan(*n, year))
    {
        return Some(Period::MultiYear);
    }
    None
}

/// The period of a review whose heading is all there is to go by: the past plan alone
/// (`“十四五”时期工作回顾`) is the five-year period, anything else the year.
fn heading_period(heading: &str, year: Option<i32>) -> Period {
    let past_plan = five_year_plans(heading)
        .iter()
        .any(|(_, n)| !is_next_plan(*n, year))
        || heading.contains("五年");
    let names_year = year.is_some_and(|y| years(heading).iter().any(|(_, h)| *h == y - 1))
        || heading.contains("一年");
    if past_plan && !names_year {
        Period::MultiYear
    } else {
        Period::Year
    }
}

/// The horizon of an outline heading: the last year of the next plan it names, else the last
/// year of the plan the report's year opens.
fn heading_horizon(heading: &str, year: Option<i32>) -> Option<i32> {
    five_year_plans(heading)
        .iter()
        .find(|(_, n)| is_next_plan(*n, year))
        .map(|(_, n)| plan_start(*n) + 4)
        .or_else(|| year.map(plan_end_for))
}

/// The period of one achieved figure: its own words first (年均, 五年, the past plan), then the
/// opening of its sentence, then the stretch it stands in.
pub fn figure_period(sentence: &str, source: &str, context: Period) -> Period {
    if ["年均", "五年", "十四五", "十三五"]
        .iter()
        .any(|w| source.contains(w))
    {
        return Period::MultiYear;
    }
    opens_period(opening(sentence), None).unwrap_or(context)
}

/// The horizon a goal's sentence names (`到2035年`, `2030年`), if it names one.
pub fn figure_horizon(sentence: &str) -> Option<i32> {
    years(sentence)
        .into_iter()
        .map(|(_, y)| y)
        .find(|y| *y >= 2000 && y % 5 == 0 && sentence.contains(&format!("到{y}年")))
}

/// The later year a plan sentence sets its figures for, when it sets them beyond the plan year,
/// and the byte offset where it says so: `到2027年` (after the plan year), `用3—5年时间`, `3年内`,
/// `未来三年` (counted from the plan year). The figures after that point are goals of several
/// years, not this year's targets (湖北 2025 用3—5年时间，引进培育10名战略科学家; 宁夏 2025
/// 年内完成6000套改造计划，力争3年内全部启动…1.2万套改造任务: only the second).
pub fn plan_horizon(sentence: &str, year: Option<i32>) -> Option<(i32, usize)> {
    let year = year?;
    if let Some((y, at)) = years(sentence).into_iter().find_map(|(_, y)| {
        let marker = format!("到{y}年");
        (y > year).then(|| sentence.find(&marker).map(|at| (y, at)))?
    }) {
        return Some((y, at));
    }
    let span = |marker_before: &str, marker_after: &str| -> Option<(i32, usize)> {
        let mut from = 0;
        while let Some(found) = sentence[from..].find(marker_before) {
            let at = from + found;
            let after = &sentence[at + marker_before.len()..];
            from = at + marker_before.len();
            let Some((first, len)) = small_count(after) else {
                continue;
            };
            let mut tail = &after[len..];
            let mut last = first;
            if let Some(dash) = tail.chars().next().filter(|c| "—-－～至到".contains(*c))
                && let Some((upper, upper_len)) = small_count(&tail[dash.len_utf8()..])
            {
                last = upper;
                tail = &tail[dash.len_utf8() + upper_len..];
            }
            if tail.starts_with(marker_after) && last >= 2 {
                return Some((year + last - 1, at));
            }
        }
        None
    };
    span("用", "年时间")
        .or_else(|| span("未来", "年"))
        .or_else(|| {
            // 力争3年内: a count of years right before 年内, not 今年内.
            sentence.match_indices("年内").find_map(|(at, _)| {
                let before = &sentence[..at];
                let digit = before.chars().next_back()?;
                let n = i32::try_from(numeral::digit_value(digit)?).ok()?;
                let start = at - digit.len_utf8();
                let earlier = before[..start].chars().next_back();
                (n >= 2 && earlier.is_none_or(|c| numeral::digit_value(c).is_none()))
                    .then_some((year + n - 1, start))
            })
        })
}

/// A count of one digit (3, 三) at the start of `text`, with its byte length.
fn small_count(text: &str) -> Option<(i32, usize)> {
    let c = text.chars().next()?;
    let n = i32::try_from(numeral::digit_value(c)?).ok()?;
    Some((n, c.len_utf8()))
}

/// Role words for a division whose heading names none: how often the body speaks of the past,
/// of this year, and of the next five-year plan.
fn content_role(body: &str, year: Option<i32>) -> (Option<Role>, [usize; 3]) {
    static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::new(REVIEW_WORDS.iter().chain(PLAN_WORDS).chain(OUTLINE_WORDS)).ok()
    });
    const REVIEW_WORDS: &[&str] = &[
        "过去一年",
        "一年来",
        "过去五年",
        "五年来",
        "这五年",
        "取得了",
        "实现了",
        "完成了",
        "比上年",
        "同比",
        "来之不易",
        "主要做了",
    ];
    const PLAN_WORDS: &[&str] = &[
        "今年",
        "预期目标",
        "力争",
        "确保",
        "加快建设",
        "深入实施",
        "要坚持",
        "开局之年",
    ];
    const OUTLINE_WORDS: &[&str] = &[
        "“十五五”",
        "到2030年",
        "到2035年",
        "规划纲要",
        "五年规划",
        "未来五年",
    ];
    let mut counts = [0usize; 3];
    if let Some(words) = WORDS.as_ref() {
        for found in words.find_iter(body) {
            let p = found.pattern().as_usize();
            let k = if p < REVIEW_WORDS.len() {
                0
            } else if p < REVIEW_WORDS.len() + PLAN_WORDS.len() {
                1
            } else {
                2
            };
            counts[k] += 1;
        }
    }
    if let Some(y) = year {
        counts[0] += body.matches(&format!("{}年", y - 1)).count();
        counts[1] += body.matches(&format!("{y}年")).count();
    }
    let best = (0..3).max_by_key(|&k| counts[k]).unwrap_or(0);
    let total: usize = counts.iter().sum();
    // The leader must hold clearly more than the rest together would share with it.
    let role = (total >= 3 && counts[best] * 2 > total).then_some(match best {
        0 => Role::Review,
        1 => Role::Plan,
        _ => Role::Outline,
    });
    (role, counts)
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Plan => "工作安排",
        Role::Review => "工作回顾",
        Role::Outline => "五年规划纲要",
        Role::Other => "其他",
    }
}

/// Cuts the text into stretches of one role and gives every node the role at its start.
pub(super) fn assign(
    text: &str,
    index: &CharIndex<'_>,
    year: Option<i32>,
    outline: &mut Outline,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let divisions = divisions(text, &outline.nodes, year);
    let first = divisions.first().map_or(text.len(), |d| d.start);
    let mut stretches = preamble(text, index, first, &outline.nodes, diagnostics);
    let mut previous: Option<Role> = None;
    for (i, division) in divisions.iter().enumerate() {
        let end = divisions.get(i + 1).map_or(text.len(), |d| d.start);
        let heading = &text[division.heading.0..division.heading.1];
        let mut roles = match division.opener {
            Opener::Annex => annex_roles(heading, year),
            Opener::Part | Opener::Bare => heading_roles(heading, year),
        };
        if roles.is_empty() {
            let body = &text[division.body.min(end)..end];
            let (inferred, counts) = content_role(body, year);
            let role = match (previous, inferred) {
                (Some(Role::Plan), _) => Role::Plan,
                (_, Some(role)) => role,
                (Some(role), None) => role,
                (None, None) => Role::Other,
            };
            diagnostics.push(Diagnostic {
                span: Some([index.chars(division.start), index.chars(end)]),
                ..Diagnostic::info(format!(
                    "“{heading}”未表明性质，按上下文推断为{}（回顾词{}处，今年词{}处，规划词{}处）",
                    role_name(role),
                    counts[0],
                    counts[1],
                    counts[2]
                ))
            });
            roles.push(role);
        }
        let mut role = roles[0];
        let mut period = heading_period(heading, year);
        let horizon = heading_horizon(heading, year);
        let push = |stretches: &mut Vec<Stretch>, start: usize, role: Role, period: Period| {
            stretches.push(Stretch {
                start,
                role,
                period,
                horizon: (role == Role::Outline).then_some(horizon).flatten(),
            });
        };
        push(&mut stretches, division.start, role, period);
        if division.body >= end {
            previous = Some(role);
            continue;
        }
        for (s, e) in lines(text, division.body, end) {
            if s == e {
                continue;
            }
            let open = opening(&text[s..e]);
            let next = match role {
                Role::Outline | Role::Review
                    if opens_plan(open, year)
                        && (role == Role::Outline || roles.contains(&Role::Plan)) =>
                {
                    Some(Role::Plan)
                }
                Role::Review if roles.contains(&Role::Outline) && opens_outline(open, year) => {
                    Some(Role::Outline)
                }
                _ => None,
            };
            if let Some(next) = next {
                diagnostics.push(Diagnostic {
                    span: Some([index.chars(s), index.chars(e)]),
                    ..Diagnostic::info(format!("“{heading}”中自“{open}”起为{}", role_name(next)))
                });
                role = next;
                push(&mut stretches, s, role, period);
                continue;
            }
            if role == Role::Review
                && let Some(p) = opens_period(open, year)
                && p != period
            {
                period = p;
                push(&mut stretches, s, role, period);
            }
        }
        previous = Some(role);
    }
    stretches.dedup_by(|b, a| a.role == b.role && a.period == b.period && a.horizon == b.horizon);
    for node in &mut outline.nodes {
        let i = stretches.partition_point(|s| s.start <= node.span.0);
        node.role = i
            .checked_sub(1)
            .and_then(|i| stretches.get(i))
            .map_or(Role::Other, |s| s.role);
    }
    outline.stretches = stretches;
}

/// Stretches of the text before the first division: each top-level node by the wording of its
/// body, the lines outside nodes one by one. This is what reads a report with no part headings
/// at all, or a page that starts mid-way.
fn preamble(
    text: &str,
    index: &CharIndex<'_>,
    first: usize,
    nodes: &[Node],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Stretch> {
    let mut stretches = vec![Stretch {
        start: 0,
        role: Role::Other,
        period: Period::Year,
        horizon: None,
    }];
    let push = |stretches: &mut Vec<Stretch>, start: usize, role: Role| {
        stretches.push(Stretch {
            start,
            role,
            period: Period::Year,
            horizon: None,
        });
    };
    let top: Vec<&Node> = nodes
        .iter()
        .filter(|n| n.parent.is_none() && n.span.0 < first)
        .collect();
    let mut inferred_lines = 0;
    let mut at = 0;
    for node in top {
        for (s, e) in lines(text, at, node.span.0.max(at)).filter(|(s, e)| s < e) {
            let role = inferred_role(wording(&text[s..e])).unwrap_or(Role::Other);
            if role != Role::Other {
                inferred_lines += 1;
            }
            push(&mut stretches, s, role);
        }
        let end = node.span.1.min(first);
        let heading = &text[node.heading.0..node.heading.1];
        let (future, past) = wording(&text[node.span.0..end]);
        let role = inferred_role((future, past)).unwrap_or(Role::Other);
        diagnostics.push(Diagnostic {
            span: Some([index.chars(node.span.0), index.chars(end)]),
            ..Diagnostic::info(format!(
                "“{}{}”不属于任何带标题的部分，按措辞推断为{}（将做的表述{}处，已做的表述{}处）",
                node.label,
                crate::diagnostic::quote(heading),
                role_name(role),
                future,
                past
            ))
        });
        push(&mut stretches, node.span.0, role);
        at = end;
    }
    if at < first {
        for (s, e) in lines(text, at, first).filter(|(s, e)| s < e) {
            let role = inferred_role(wording(&text[s..e])).unwrap_or(Role::Other);
            if role != Role::Other {
                inferred_lines += 1;
            }
            push(&mut stretches, s, role);
        }
    }
    if inferred_lines > 0 {
        diagnostics.push(Diagnostic::info(format!(
            "开头{inferred_lines}个段落不属于任何标题，按措辞逐段推断了性质"
        )));
    }
    stretches
}

/// Words that mark what will be done, and what was done (the older rule, for text outside any
/// division).
const FUTURE_WORDS: &[&str] = &[
    "确保",
    "力争",
    "争取",
    "将",
    "要",
    "加快",
    "推进",
    "推动",
    "着力",
    "大力",
    "深入",
    "启动",
    "开工建设",
    "实施",
    "新增",
];
const PAST_WORDS: &[&str] = &[
    "了",
    "比上年",
    "同比",
    "实现了",
    "完成了",
    "取得",
    "获得",
    "荣获",
    "累计",
    "已经",
    "圆满",
    "被评为",
    "过去",
    "去年",
    "一年来",
];

/// Counts of promise and accomplishment words in a stretch of text.
///
/// One automaton over both lists, built once: this runs over the text before the first part of
/// every report, so it must cost one pass over the text.
fn wording(text: &str) -> (usize, usize) {
    static WORDS: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(FUTURE_WORDS.iter().chain(PAST_WORDS)).ok());
    let Some(words) = WORDS.as_ref() else {
        return (0, 0);
    };
    let (mut future, mut past) = (0, 0);
    for found in words.find_overlapping_iter(text) {
        if found.pattern().as_usize() < FUTURE_WORDS.len() {
            future += 1;
        } else {
            past += 1;
        }
    }
    (future, past)
}

fn inferred_role((future, past): (usize, usize)) -> Option<Role> {
    if future + past == 0 {
        None
    } else if past * 2 > future {
        Some(Role::Review)
    } else {
        Some(Role::Plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case: a heading as written in a real report (two reports for every rule), the plan
    /// year, the roles it names.
    #[test]
    fn headings_name_their_roles() {
        use Role::*;
        let cases: &[(&str, i32, &[Role])] = &[
            // A year: the plan year is the plan, the year before the review.
            ("2024年工作回顾", 2025, &[Review]), // 四川 2025 (bare)
            ("一、2024年工作回顾", 2025, &[Review]), // 吉林 2025
            ("2025年工作安排建议", 2025, &[Plan]), // 四川 2025 (bare)
            ("关于2025年工作", 2025, &[Plan]),   // 湖南 2025
            ("关于2026年工作", 2026, &[Plan]),   // 湖南 2026
            ("2026年的重点工作", 2026, &[Plan]), // 湖北 2026
            // The past plan is review, the next one outline, and its 目标任务 are its own.
            ("“十四五”时期工作回顾", 2026, &[Review]), // 甘肃 2026 (bare)
            ("“十四五”时期经济社会发展回顾", 2026, &[Review]), // 河北 2026
            ("“十五五”时期主要目标任务", 2026, &[Outline]), // 云南 2026
            ("“十五五”时期的主要目标任务", 2026, &[Outline]), // 甘肃 2026 (bare)
            ("“十五五”发展的主要考虑", 2026, &[Outline]), // 四川 2026
            (
                "关于《上海市国民经济和社会发展第十五个五年规划纲要（草案）》的说明",
                2026,
                &[Outline],
            ), // 上海 2026
            ("2025年工作回顾和“十四五”发展主要成就", 2026, &[Review]), // 四川 2026
            ("“十四五”时期发展成就和2025年工作回顾", 2026, &[Review]), // 内蒙古 2026
            // Mixed parts, in the order they are named.
            (
                "“十四五”时期发展成就和“十五五”时期主要目标任务",
                2026,
                &[Review, Outline],
            ), // 广西 2026
            (
                "“十五五”时期目标任务和2026年工作安排",
                2026,
                &[Outline, Plan],
            ), // 辽宁 2026
            (
                "“十五五”时期主要目标和2026年重点工作",
                2026,
                &[Outline, Plan],
            ), // 内蒙古 2026 (bare)
            // Words only.
            (
                "牢记殷殷嘱托，在接续奋斗中新福建建设取得新成效",
                2025,
                &[Review],
            ), // 福建 2025
            ("一年接着一年干，新福建建设持续取得新进展", 2026, &[Review]), // 福建 2026
            ("锲而不舍加强政府自身建设", 2025, &[Other]),                  // 吉林 2025
            ("努力建设人民满意政府", 2025, &[Other]),                      // 天津 2025
            ("努力建设让人民满意的法治型服务型政府", 2026, &[Other]),      // 湖北 2026
            ("全面提升政府治理效能", 2025, &[Other]),                      // 山西 2025
            ("全面提升政府治理现代化水平", 2026, &[Other]),                // 重庆 2026
            ("把坚持党的全面领导贯穿政府工作各方面全过程", 2026, &[Other]), // 内蒙古 2026
            (
                "坚持和加强党的全面领导，全力建设让人民满意的政府",
                2026,
                &[Other],
            ), // 新疆 2026
            ("牢记历史使命，在中国式现代化建设中奋勇争先", 2025, &[]),     // 福建 2025
            ("一张蓝图绘到底，奋力谱写中国式现代化福建篇章", 2026, &[]),   // 福建 2026
        ];
        for (heading, year, roles) in cases {
            assert_eq!(
                heading_roles(heading, Some(*year)),
                roles.to_vec(),
                "{heading}"
            );
        }
    }

    #[test]
    fn bare_part_headings() {
        for line in [
            "2024年工作回顾",                       // 四川 2025, 西藏 2025
            "2025年工作安排",                       // 西藏 2025
            "“十四五”时期工作回顾",                 // 甘肃 2026
            "“十五五”时期主要目标和2026年重点工作", // 内蒙古 2026
        ] {
            assert!(
                is_bare_heading(line, Some(2025)) || is_bare_heading(line, Some(2026)),
                "{line}"
            );
        }
        for line in [
            "生态底色更加亮丽。",   // 青海 2026: a lead sentence
            "2026年自治区民生实事", // an annex title, read with its 附件 line
            "大力提振消费",         // a topic line
            "政府工作报告",
            "各位代表！",
        ] {
            assert!(!is_bare_heading(line, Some(2026)), "{line}");
        }
    }

    #[test]
    fn paragraphs_open_plan_outline_and_periods() {
        let y = Some(2026);
        assert!(opens_plan(
            opening("今年是“十五五”开局之年，必须迈好第一步"),
            y
        )); // 辽宁
        assert!(opens_plan(opening("2026年是“十五五”开局之年，也是福建"), y)); // 福建
        assert!(!opens_plan(opening("2025年是“十四五”收官之年"), y)); // 青海
        assert!(opens_outline(
            opening(
                "根据《中国共产党广西壮族自治区委员会关于制定国民经济和社会发展第十五个五年规划的建议》，我们编制了"
            ),
            y
        ));
        assert!(opens_outline(
            opening(
                "根据自治区党委《关于制定国民经济和社会发展第十五个五年规划的建议》，自治区人民政府编制了"
            ),
            y
        ));
        let cases = [
            (
                "这五年，我们完整准确全面贯彻新发展理念",
                Some(Period::MultiYear),
            ), // 云南 2026
            ("——这五年综合经济实力大幅提升。", Some(Period::MultiYear)), // 内蒙古 2026
            (
                "这是生态文明建设取得显著成效的五年。",
                Some(Period::MultiYear),
            ), // 青海 2026
            (
                "——这是追赶进位、综合实力快速跃升的五年。",
                Some(Period::MultiYear),
            ), // 甘肃 2026
            ("五年来，我们不断增进民生福祉。", Some(Period::MultiYear)), // 福建 2026
            (
                "“十四五”时期是甘肃发展极不寻常、极不平凡的五年。",
                Some(Period::MultiYear),
            ), // 甘肃 2026
            ("刚刚过去的2025年，全省上下坚决贯彻", Some(Period::Year)),  // 甘肃 2026
            (
                "各位代表！刚刚过去的2025年，是云南发展历程中",
                Some(Period::Year),
            ), // 云南 2026
            ("2025年是“十四五”收官之年", Some(Period::Year)),            // 青海 2026
            ("过去一年，我们坚持", Some(Period::Year)),                  // 上海 2025
            ("强化经济运行分析研究，出台稳增长政策32项", None),
        ];
        for (line, want) in cases {
            assert_eq!(opens_period(opening(line), y), want, "{line}");
        }
    }

    #[test]
    fn figures_carry_their_period_and_horizon() {
        assert_eq!(
            figure_period(
                "地区生产总值突破3万亿元、年均增长4.7%",
                "年均增长4.7%",
                Period::Year
            ),
            Period::MultiYear
        );
        assert_eq!(
            figure_period(
                "全省地区生产总值增长5.5%",
                "地区生产总值增长5.5%",
                Period::Year
            ),
            Period::Year
        );
        assert_eq!(
            figure_horizon("到2035年人均地区生产总值达到中等发达国家水平"),
            Some(2035)
        );
        assert_eq!(figure_horizon("地区生产总值年均增长5%左右"), None);
        assert_eq!(
            heading_horizon("“十五五”时期主要目标任务", Some(2026)),
            Some(2030)
        );
        assert_eq!(heading_horizon("一张蓝图绘到底", Some(2026)), Some(2030));
        assert_eq!(plan_end_for(2025), 2025);
    }
}
