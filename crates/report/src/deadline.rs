//! Deadlines: the date by which a commitment is due, as its sentence writes it.
//!
//! `年底前` and `年内` mean the plan year's end, `6月底前` the end of June, `上半年` the end of
//! June, `三季度末` the end of September. A sentence that names no date is due at the end of the
//! plan year. An explicit year (2021年底前) overrides the plan year.

use crate::numeral;

/// The ISO date by which `sentence` is due, or `None` when neither it nor the plan year says.
pub fn deadline(sentence: &str, plan_year: Option<i32>) -> Option<String> {
    // Most sentences name no date: one scan for the characters every dated phrase holds.
    let dated = sentence.contains(['底', '末', '内', '季', '半', '月']);
    let year = if dated { explicit_year(sentence) } else { None }.or(plan_year)?;
    let (month, day) = if dated { month_in(sentence) } else { None }.unwrap_or((12, 31));
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// A year written as `2021年底` or `2021年6月`.
fn explicit_year(sentence: &str) -> Option<i32> {
    for (at, _) in sentence.match_indices("年") {
        let after = &sentence[at + "年".len()..];
        if !(after.starts_with("底")
            || after.starts_with("末")
            || after.starts_with("内")
            || after.starts_with(|c: char| numeral::is_arabic_digit(c)))
        {
            continue;
        }
        let digits: Vec<u32> = sentence[..at]
            .chars()
            .rev()
            .take_while(|c| numeral::is_arabic_digit(*c))
            .filter_map(numeral::digit_value)
            .collect();
        if digits.len() == 4 {
            let year = digits
                .iter()
                .rev()
                .fold(0i32, |acc, d| acc * 10 + *d as i32);
            return Some(year);
        }
    }
    None
}

fn last_day(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Month and day of the first dated phrase of the sentence.
fn month_in(sentence: &str) -> Option<(u32, u32)> {
    const HALVES_AND_QUARTERS: &[(&str, u32)] = &[
        ("上半年", 6),
        ("一季度", 3),
        ("第一季度", 3),
        ("二季度", 6),
        ("第二季度", 6),
        ("三季度", 9),
        ("第三季度", 9),
        ("四季度", 12),
        ("年底", 12),
        ("年末", 12),
        ("年内", 12),
    ];
    let mut best: Option<(usize, u32, u32)> = None;
    for (word, month) in HALVES_AND_QUARTERS {
        if let Some(at) = sentence.find(word)
            && best.is_none_or(|b| at < b.0)
        {
            best = Some((at, *month, last_day(*month)));
        }
    }
    for (at, _) in sentence.match_indices("月") {
        let after = &sentence[at + "月".len()..];
        if !(after.starts_with("底")
            || after.starts_with("末")
            || after.starts_with("前")
            || after.starts_with("份前"))
        {
            continue;
        }
        let head = &sentence[..at];
        let digits: Vec<u32> = head
            .chars()
            .rev()
            .take_while(|c| numeral::digit_value(*c).is_some() || *c == '十')
            .collect::<Vec<char>>()
            .into_iter()
            .rev()
            .filter_map(|c| {
                if c == '十' {
                    Some(10)
                } else {
                    numeral::digit_value(c)
                }
            })
            .collect();
        let month = match digits.as_slice() {
            [m] => *m,
            [1, m]
                if head.ends_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) =>
            {
                10 + m
            }
            [10, m] => 10 + m,
            _ => continue,
        };
        if !(1..=12).contains(&month) {
            continue;
        }
        // 6月前 means before June: the end of May.
        let month_due = if after.starts_with("前") || after.starts_with("份前") {
            month.saturating_sub(1).max(1)
        } else {
            month
        };
        if best.is_none_or(|b| at < b.0) {
            best = Some((at, month_due, last_day(month_due)));
        }
    }
    best.map(|(_, m, d)| (m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_written_deadlines() {
        let cases = [
            ("新增就业13万人", "2020-12-31"),
            ("6月底前完成平江生态净水工程", "2020-06-30"),
            ("上半年建成市第二工人文化宫", "2020-06-30"),
            ("三季度末前开工", "2020-09-30"),
            ("2021年底前全面完成", "2021-12-31"),
            ("10月底前完成", "2020-10-31"),
            ("十一月底前完成", "2020-11-30"),
        ];
        for (sentence, want) in cases {
            assert_eq!(
                deadline(sentence, Some(2020)).as_deref(),
                Some(want),
                "{sentence}"
            );
        }
        assert_eq!(deadline("新增就业13万人", None), None);
    }
}
