//! Indicator names as a reader wants them: no fillers, quotes, notes, determiners, dates or
//! describing amounts; parallel names that share a head split apart.

use super::is_blank;
use super::quantity::{is_cjk, is_clause_break, is_close_quote, is_open_quote};
use crate::lexicon;
use crate::numeral;

/// Drops trailing fillers (全部, 均) from `left[s..e]`; returns the rest and its start.
pub(super) fn trim_trailing(left: &str, s: usize, mut e: usize) -> (&str, usize) {
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

/// A name as a reader wants it: no quotes, no bracketed notes, no determiners, no blanks, no
/// conjunction left over from a list (、和 before it).
pub(super) fn clean_name(name: &str) -> String {
    clean_noun(name.trim_start_matches(['、', '和', '及', '与']))
}

/// The noun a quantity counts, cleaned as a name; it starts right after the quantity, so a first
/// 和 is its own (1000个和美乡村).
pub(super) fn clean_noun(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0;
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let width = c.len_utf8();
        if depth == 0
            && c == '（'
            && let Some(qualifier) = short_qualifier(&rest[width..])
        {
            out.push('（');
            out.push_str(qualifier);
            out.push('）');
            rest = &rest[width + qualifier.len() + '）'.len_utf8()..];
            continue;
        }
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            _ if is_open_quote(c) || is_close_quote(c) || c == '"' || is_blank(c) => {}
            _ => out.push(c),
        }
        rest = &rest[width..];
    }
    let mut name = out.as_str();
    while let Some(d) = lexicon::longest_prefix(name, lexicon::DETERMINERS) {
        if d.len() >= name.len() {
            break;
        }
        name = &name[d.len()..];
    }
    without_amounts(&without_years(name))
}

/// The qualifier a full-width bracket holds when it belongs to the name, as in 中欧（亚）班列,
/// 中欧班列（成渝） or 县（市、区）: at most four characters of Chinese text (list marks allowed),
/// closed on the same name. Longer notes (（含…）, （不含…）) are dropped with their brackets.
fn short_qualifier(after_open: &str) -> Option<&str> {
    let close = after_open.find('）')?;
    let inner = &after_open[..close];
    let chars = inner.chars().count();
    let plain = inner.chars().all(|c| c == '、' || is_cjk(c));
    let note = ["含", "不含", "其中", "以上", "以下", "简称"]
        .iter()
        .any(|w| inner.starts_with(w));
    (chars > 0 && chars <= 4 && plain && !note).then_some(inner)
}

/// A name without an amount that describes it (现行16%的税率 → 现行税率); a size class stays
/// (人口20万以上的县, 产值过10亿元的增长点).
pub(super) fn without_amounts(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if numeral::is_arabic_digit(c) {
            let amount: usize = rest
                .char_indices()
                .find(|&(_, d)| d == '的' || is_clause_break(d))
                .map_or(0, |(at, _)| at);
            // 人口20万以上的县 and 产值过10亿元的增长点 keep their size class; 16%的税率 and
            // 95%以上的村 lose the amount.
            let share = rest[..amount].contains(['%', '％']);
            let class =
                !share && (rest[..amount].ends_with("以上") || out.ends_with(['超', '过', '近']));
            if amount > 0 && rest[amount..].starts_with('的') {
                if class {
                    out.push_str(&rest[..amount]);
                    rest = &rest[amount..];
                } else {
                    rest = &rest[amount + '的'.len_utf8()..];
                }
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A name without the dates written into it (2000年国家财政收入 → 国家财政收入).
pub(super) fn without_years(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let digits: usize = rest
            .chars()
            .take_while(|c| numeral::is_arabic_digit(*c))
            .map(char::len_utf8)
            .sum();
        let in_name = out.ends_with(|p: char| p == '.' || p.is_ascii_alphanumeric());
        if digits > 0 && !in_name && rest[digits..].starts_with('年') {
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

/// Where a 等 that ends a list stands in `text`; the 等 of a word (高等职业学校, 中等职业学校, 同等,
/// 平等, 等级) ends none.
fn etc_at(text: &str) -> Option<usize> {
    text.match_indices('等')
        .map(|(at, _)| at)
        .find(|&at| ends_list(&text[..at], &text[at + '等'.len_utf8()..]))
}

/// Whether a 等 between `before` and `after` ends a list rather than stands in a word (高等, 中等,
/// 同等, 平等, 初等, 等级, 等同).
pub(super) fn ends_list(before: &str, after: &str) -> bool {
    !(before.ends_with(['高', '中', '同', '平', '初']) || after.starts_with(['级', '同']))
}

/// Splits names listed with 、 only, where nothing (分别, 均) says they share a head: only when
/// each is a whole indicator, ending with a head noun or with 率, 额, 量 or 数 (社会消费品零售总额、
/// 固定资产投资增长4%左右; 九年义务教育巩固率、高中阶段毛入学率保持在97%以上), and no 等, quote or
/// 合计 makes the list one subject (传感器、通讯设备等智慧设施配比; 新能源汽车、光伏产品、锂电池“新三样”).
pub(super) fn split_listed(names: &str) -> Vec<String> {
    if etc_at(names).is_some() || names.contains(['“', '”', '"']) || names.contains("合计") {
        return Vec::new();
    }
    let parts: Vec<&str> = names.split('、').collect();
    let whole = |p: &&str| {
        lexicon::longest_suffix(p, lexicon::HEAD_NOUNS).is_some_and(|h| h.len() < p.len())
            || p.chars().count() >= 3 && p.ends_with(['率', '额', '量', '数'])
    };
    if parts.len() < 2 || !parts.iter().all(whole) {
        return Vec::new();
    }
    parts.iter().map(|p| p.to_string()).collect()
}

/// Splits parallel names that share a head (危废焚烧、工业污泥年处置能力 → 危废焚烧年处置能力,
/// 工业污泥年处置能力). Where the head starts in the last name is found, in order: after the
/// last occurrence of the first name's ending (六大优势产业、…、绿色低碳优势产业增加值 → 增加值);
/// beyond the common length of modifiers written alike (城镇、农村居民人均可支配收入), unless that
/// cuts one character off the last name's word before a head noun (原煤、原油、天然气产量); or as a
/// known head noun (限上新能源汽车、节能家电零售额 → 零售额), unless the first name already ends
/// with one (游客人数、旅游收入). 等 ends the list (A、B、C等绿色产品产量 → A产量 …). 城乡 before a
/// single name stands for 城镇 and 农村.
pub(super) fn split_parallel(names: &str) -> Vec<String> {
    let mut parts: Vec<&str> = names
        .split(['、', '和', '及'])
        .filter(|p| !p.is_empty())
        .collect();

    if parts.len() < 2 {
        // 城乡居民人均可支配收入, 全省城乡居民…, 金融机构人民币存贷款余额 (陕西 2025/2026, 江西 2025):
        // one word that names two subjects.
        for (both, one, other) in [("城乡", "城镇", "农村"), ("存贷款", "存款", "贷款")]
        {
            if let Some(at) = names.find(both) {
                let (before, after) = (&names[..at], &names[at + both.len()..]);
                return vec![
                    format!("{before}{one}{after}"),
                    format!("{before}{other}{after}"),
                ];
            }
        }
        return Vec::new();
    }
    let mut last = parts[parts.len() - 1];
    let mut head = String::new();
    if let Some(at) = etc_at(last) {
        let tail = &last[at + '等'.len_utf8()..];
        head = lexicon::longest_suffix(tail, lexicon::HEAD_NOUNS)
            .unwrap_or_default()
            .to_string();
        last = &last[..at];
        let n = parts.len();
        parts[n - 1] = last;
        return parts.iter().map(|p| format!("{p}{head}")).collect();
    }
    // 农村卫生户厕覆盖率、污水治理（管控）率、生活垃圾处理设施覆盖率: every name is whole.
    let last_char = last.chars().next_back();
    if parts.iter().all(|p| p.chars().next_back() == last_char) {
        return parts.iter().map(|p| p.to_string()).collect();
    }
    let first = parts[0];
    let ending: String = {
        let chars: Vec<char> = first.chars().collect();
        chars[chars.len().saturating_sub(2)..].iter().collect()
    };
    let lead_len = first.chars().count();
    let same_length = parts[..parts.len() - 1]
        .iter()
        .all(|p| p.chars().count() == lead_len);
    if ending.chars().count() == 2
        && let Some(at) = last.rfind(ending.as_str())
        && at + ending.len() < last.len()
    {
        head = last[at + ending.len()..].to_string();
    } else if same_length && last.chars().count() > lead_len {
        head = last.chars().skip(lead_len).collect();
        // One character before a known head is the end of the last name's own word (原煤、原油、
        // 天然气产量; 电子信息、有色金属、装备制造业产业规模), not part of the shared head.
        let mut chars = head.chars();
        let cut = chars.next().map_or(0, char::len_utf8);
        let rest = chars.as_str();
        if let Some(noun) = lexicon::longest_suffix(last, lexicon::HEAD_NOUNS)
            && noun.len() > head.len()
            && noun.len() < last.len()
        {
            // 肉蛋奶、蔬菜产量: the common length cuts into the head noun itself.
            head = noun.to_string();
        } else if let Some(noun) = lexicon::longest_suffix(&head, lexicon::HEAD_NOUNS)
            && head.len() - noun.len() == cut
        {
            head = noun.to_string();
        } else if lexicon::longest_prefix(rest, lexicon::HEAD_OPENERS).is_some()
            && !lexicon::HEAD_OPENERS.iter().any(|o| first.ends_with(o))
        {
            head = rest.to_string();
        } else if head.chars().count() == 1 && !head.ends_with(['率', '额', '量', '数', '值'])
        {
            // 接待游客、旅游总花费: one character left over is the end of a word, not a head.
            head.clear();
        }
    } else if lexicon::longest_suffix(first, lexicon::HEAD_NOUNS).is_none()
        && let Some(h) = lexicon::longest_suffix(last, lexicon::HEAD_NOUNS)
        && h.len() < last.len()
    {
        head = h.to_string();
    }
    // 新一代信息技术、新能源、输变电装备产业产值: the opener before a head noun is shared too.
    if lexicon::HEAD_NOUNS.contains(&head.as_str()) {
        let stem = &last[..last.len() - head.len()];
        if let Some(opener) = lexicon::longest_suffix(stem, lexicon::HEAD_OPENERS)
            && opener.len() < stem.len()
            && !parts.iter().any(|p| p.ends_with(opener))
        {
            head = format!("{opener}{head}");
        }
    }
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
