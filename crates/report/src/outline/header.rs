//! The header of a report: its title, the government that delivered it and the plan year.
//!
//! Three places say them, tried in order: the title (`2020年苏州市政府工作报告`,
//! `陕西省2026年政府工作报告`), and the dateline under it (`——2026年1月28日在云南省第十四届人民代表大会
//! 第四次会议上`, also with the year in Chinese numerals: `——二〇二六年一月二十七日在甘肃省十四届…`).
//! A title that names no government (`政府工作报告`, `2026年政府工作报告`) leaves it to the dateline.

use crate::numeral;

/// Title, government and year of a report.
#[derive(Debug, Default, PartialEq)]
pub struct Header {
    /// The title, as given by the page or the first line.
    pub title: String,
    /// The government that delivered it.
    pub government: Option<String>,
    /// The plan year.
    pub year: Option<i32>,
}

/// How far into the text the title and dateline are looked for, in characters. Scraped pages
/// put site furniture and a photo caption before the dateline (云南 2026: the 14th line).
const HEAD_CHARS: usize = 800;

/// Reads title, government and year from the page title, the opening lines and the dateline.
pub fn header(title: Option<&str>, text: &str) -> Header {
    let head_end = text
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..head_end];
    let title = title
        .map(str::to_string)
        .or_else(|| {
            head.lines()
                .map(str::trim)
                .find(|l| is_title_line(l))
                .map(str::to_string)
        })
        .unwrap_or_default();
    let dateline = head.lines().find(|l| is_dateline(l));
    let year = year_in(&title)
        .or_else(|| dateline.and_then(year_in))
        .or_else(|| {
            head.lines()
                .find(|l| is_title_line(l.trim()))
                .and_then(year_in)
        });
    let government = government_of(&title)
        .or_else(|| dateline.and_then(government_of_dateline))
        .or_else(|| {
            (head.contains("国务院总理") || head.contains("代表国务院"))
                .then(|| "国务院".to_string())
        });
    Header {
        title,
        government,
        year,
    }
}

/// A line that can be a title: names the report, is short, and is no sentence.
fn is_title_line(line: &str) -> bool {
    line.contains("政府工作报告")
        && line.chars().count() <= 40
        && !line.contains(['，', '。', ',', '：'])
}

/// A delivery line: `——2024年3月5日在第十四届全国人民代表大会第二次会议上`.
fn is_dateline(line: &str) -> bool {
    line.contains("人民代表大会") || line.contains("会议上") || line.contains("大会上")
}

/// The first year written before 年 in `text`, in Arabic (2026年) or Chinese (二〇二六年)
/// digits, between 1949 and 2200.
fn year_in(text: &str) -> Option<i32> {
    text.match_indices('年')
        .find_map(|(at, _)| year_before(&text[..at]))
}

/// The four digits that end `text`, as a year.
fn year_before(text: &str) -> Option<i32> {
    let digits: Vec<u32> = text
        .chars()
        .rev()
        .map_while(|c| {
            if numeral::is_arabic_digit(c) {
                numeral::digit_value(c)
            } else {
                chinese_digit(c)
            }
        })
        .take(5)
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let year = digits.iter().rev().fold(0i32, |y, d| y * 10 + *d as i32);
    (1949..=2200).contains(&year).then_some(year)
}

/// A Chinese digit as written in years (二〇二六).
fn chinese_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .or_else(|| (c == '零' || c == 'О').then_some(0))
        .map(|d| d as u32)
}

/// The government named in a title such as `2020年苏州市政府工作报告`, `苏州市人民政府工作报告` or
/// `陕西省2026年政府工作报告`.
fn government_of(title: &str) -> Option<String> {
    let end = title.find("政府工作报告")?;
    let name = without_years(&title[..end]);
    let name = name.trim_end_matches("人民").trim();
    let name = name.trim_start_matches(|c: char| !is_cjk(c));
    if name.contains("国务院") {
        return Some("国务院".to_string());
    }
    (!name.is_empty()).then(|| name.to_string())
}

/// `text` without the years written in it (2026年).
fn without_years(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('年') {
        let before = &rest[..at];
        match year_before(before) {
            Some(_) => {
                let digits: usize = before.chars().rev().take(4).map(char::len_utf8).sum();
                out.push_str(&before[..before.len() - digits]);
            }
            None => {
                out.push_str(before);
                out.push('年');
            }
        }
        rest = &rest[at + '年'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The government of a dateline: the name between 在 and the congress (`在云南省第十四届人民代表大会`,
/// `在甘肃省十四届人民代表大会`, `龚正市长在上海市第十六届…`); the national congress is the State
/// Council's.
fn government_of_dateline(line: &str) -> Option<String> {
    let congress = line.find("人民代表大会")?;
    let before = &line[..congress];
    if before.ends_with("全国") {
        return Some("国务院".to_string());
    }
    let from = before.rfind('在').map_or(0, |at| at + '在'.len_utf8());
    let name = &before[from..];
    // Drop the session: 第十四届, 十四届, 第14届.
    let name = match name.rfind('届') {
        Some(at) => {
            let head = &name[..at];
            head.trim_end_matches(|c: char| {
                numeral::is_arabic_digit(c) || chinese_digit(c).is_some() || c == '十' || c == '第'
            })
        }
        None => name,
    };
    let name = name.trim();
    (name.chars().count() >= 2 && name.chars().all(is_cjk)).then(|| name.to_string())
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(title: Option<&str>, text: &str, government: Option<&str>, year: Option<i32>) {
        let h = header(title, text);
        assert_eq!(
            (h.government.as_deref(), h.year),
            (government, year),
            "{title:?} / {text}"
        );
    }

    #[test]
    fn from_the_title() {
        check(
            Some("2020年苏州市政府工作报告"),
            "",
            Some("苏州市"),
            Some(2020),
        );
        check(
            Some("2019年杭州市人民政府工作报告"),
            "",
            Some("杭州市"),
            Some(2019),
        );
        // The year after the name (陕西 2026) and the short names of regions (宁夏 2025).
        check(
            Some("陕西省2026年政府工作报告"),
            "",
            Some("陕西省"),
            Some(2026),
        );
        check(Some("2025年宁夏政府工作报告"), "", Some("宁夏"), Some(2025));
    }

    #[test]
    fn from_the_dateline() {
        check(
            None,
            "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强\n",
            Some("国务院"),
            Some(2024),
        );
        // 云南 2026: the title names no government.
        check(
            Some("2026年政府工作报告"),
            "2026年政府工作报告\n来源：云南日报\n——2026年1月28日在云南省第十四届人民代表大会第四次会议上\n省长　王予波",
            Some("云南省"),
            Some(2026),
        );
        // 青海 2026: neither does the first line, and the dash is a box-drawing one.
        check(
            None,
            "政府工作报告\n――2026年1月27日在青海省第十四届人民代表大会第四次会议上\n省长 罗东川",
            Some("青海省"),
            Some(2026),
        );
        // 甘肃 2026: the year in Chinese numerals, the session without 第.
        check(
            None,
            "政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上",
            Some("甘肃省"),
            Some(2026),
        );
        // 上海 2025: the speaker before 在.
        check(
            None,
            "----2025年1月15日龚正市长在上海市第十六届人民代表大会第三次会议的政府工作报告",
            Some("上海市"),
            Some(2025),
        );
    }
}
