//! Numerals: Arabic, full-width and Chinese numbers with their multipliers (万, 亿, 千).
//!
//! The reader works on characters, not tokens: `2025年` is the number 2025 followed by 年, and
//! `1.3万亿斤` is 1.3 × 10¹² followed by 斤. Values are built from the decimal digits as written and
//! parsed once by the standard library, so `4.5万` is exactly 45000 and `1.3万亿` exactly
//! 1300000000000 (no accumulated floating-point error).

/// A number read from text, with where it ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numeral {
    /// The value with multipliers applied.
    pub value: f64,
    /// Byte length of the numeral in the text it was read from (digits and multipliers).
    pub len: usize,
    /// Whether it was written in Chinese characters (三千, 一万二) rather than digits.
    pub chinese: bool,
}

/// The value of a digit character: ASCII `0-9`, full-width `０-９`, or a Chinese digit.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => chinese_digit(c),
    }
}

/// Whether `c` is an Arabic digit, ASCII or full-width.
pub fn is_arabic_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(1),
        '百' => Some(2),
        '千' => Some(3),
        _ => None,
    }
}

/// The power of ten of a large multiplier character.
pub fn multiplier_exponent(c: char) -> Option<i32> {
    match c {
        '万' => Some(4),
        '亿' => Some(8),
        _ => None,
    }
}

/// Reads an Arabic numeral (ASCII or full-width digits, `.`/`．` decimal point, `,` thousands
/// separators between digit groups) at the start of `text`, without multipliers.
///
/// Returns the digits as an ASCII decimal string and the byte length consumed.
pub fn read_arabic(text: &str) -> Option<(String, usize)> {
    let mut digits = String::new();
    let mut len = 0;
    let mut seen_point = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_arabic_digit(c) {
            digits.push(char::from_digit(digit_value(c)?, 10)?);
            len = at + c.len_utf8();
            continue;
        }
        let next_is_digit = chars.peek().is_some_and(|&(_, n)| is_arabic_digit(n));
        if (c == '.' || c == '．') && !seen_point && !digits.is_empty() && next_is_digit {
            seen_point = true;
            digits.push('.');
            continue;
        }
        // A thousands separator: exactly three digits must follow.
        if c == ',' && !seen_point && !digits.is_empty() && next_is_digit {
            let rest = &text[at + 1..];
            let group: Vec<char> = rest.chars().take(4).collect();
            if group.len() >= 3
                && group[..3].iter().all(|d| is_arabic_digit(*d))
                && group.get(3).is_none_or(|d| !is_arabic_digit(*d))
            {
                continue;
            }
        }
        break;
    }
    if digits.is_empty() {
        None
    } else {
        Some((digits, len))
    }
}

/// Reads a Chinese numeral (三千, 一万二, 十五, 二〇二〇 is not one) at the start of `text`.
///
/// A numeral must start with a digit or 十; a lone 百, 千 or 万 is a word, not a number.
/// Returns the value and byte length.
pub fn read_chinese(text: &str) -> Option<(f64, usize)> {
    let mut chars = text.char_indices().peekable();
    let first = chars.peek()?.1;
    if chinese_digit(first).is_none() && first != '十' {
        return None;
    }
    // total: completed 亿 groups; group: completed 万 groups below 亿; section: below 万.
    let mut total: u128 = 0;
    let mut group: u128 = 0;
    let mut section: u128 = 0;
    let mut digit: Option<u128> = None;
    let mut last_unit_exp: u32 = 0;
    let mut digits_in_row = 0;
    let mut len = 0;
    for (at, c) in chars {
        if let Some(d) = chinese_digit(c) {
            digits_in_row += 1;
            if digits_in_row > 1 && d != 0 && digit.is_some_and(|p| p != 0) {
                // 一二 is not a numeral.
                break;
            }
            digit = Some(d as u128);
        } else if let Some(exp) = chinese_unit(c) {
            let d = digit.take().unwrap_or(1);
            section += d * 10u128.pow(exp);
            last_unit_exp = exp;
            digits_in_row = 0;
        } else if c == '万' || c == '亿' {
            let below = section + digit.take().unwrap_or(0);
            if below == 0 && group == 0 && total == 0 {
                break;
            }
            if c == '万' {
                group += below * 10_000;
                last_unit_exp = 4;
            } else {
                total = (total + group + below) * 100_000_000;
                group = 0;
                last_unit_exp = 8;
            }
            section = 0;
            digits_in_row = 0;
        } else {
            break;
        }
        len = at + c.len_utf8();
    }
    if len == 0 {
        return None;
    }
    // A trailing digit after a unit is the abbreviation of the next lower place: 一万二 = 12000.
    let tail = match digit {
        Some(d) if last_unit_exp > 0 && digits_in_row == 1 => d * 10u128.pow(last_unit_exp - 1),
        Some(d) => d,
        None => 0,
    };
    let value = total + group + section + tail;
    Some((value as f64, len))
}

/// Reads a number at the start of `text`: Arabic or Chinese digits followed by any multipliers
/// (万, 亿; 千 and 百 after Arabic digits only when `unit_follows` says the rest is no unit).
///
/// `is_unit_at` is asked, before each multiplier, whether a unit starts there (so that `5000万千瓦`
/// reads 5000万 then the unit 千瓦).
pub fn read_number(text: &str, is_unit_at: impl Fn(&str) -> bool) -> Option<Numeral> {
    let (mut mantissa, mut len, chinese) = match read_arabic(text) {
        Some((digits, len)) => (digits, len, false),
        None => {
            let (value, len) = read_chinese(text)?;
            (format_integer(value), len, true)
        }
    };
    let mut exponent = 0i32;
    loop {
        let rest = &text[len..];
        let Some(c) = rest.chars().next() else { break };
        let exp = match c {
            '万' | '亿' => multiplier_exponent(c),
            '千' if !chinese => Some(3),
            '百' if !chinese && !rest.starts_with("百分") => Some(2),
            _ => None,
        };
        // Only a multiplier character can be the start of a unit here (千瓦 after 5000万).
        let Some(exp) = exp.filter(|_| !is_unit_at(rest)) else {
            break;
        };
        exponent += exp;
        len += c.len_utf8();
    }
    if mantissa.len() > 40 {
        mantissa.truncate(40);
    }
    // Most amounts have no multiplier (6.5%, 300个): their digits parse as they are.
    let value: f64 = if exponent == 0 {
        mantissa.parse().ok()?
    } else {
        format!("{mantissa}e{exponent}").parse().ok()?
    };
    if !value.is_finite() {
        return None;
    }
    Some(Numeral {
        value,
        len,
        chinese,
    })
}

/// Reads a multiplier written without a digit (万, 亿, 万亿) as one of it: 超万亿元 is more than
/// 10¹², 开行超万列 more than 10⁴. Only the caller knows the word before it that allows this.
pub fn read_bare_multiplier(text: &str) -> Option<Numeral> {
    let mut exponent = 0i32;
    let mut len = 0;
    // 百万吨, 千万人次: a place before the multiplier scales it.
    let place = [('百', 2), ('千', 3)]
        .into_iter()
        .find(|&(p, _)| text.starts_with(p) && text[p.len_utf8()..].starts_with(['万', '亿']));
    if let Some((p, exp)) = place {
        exponent += exp;
        len += p.len_utf8();
    }
    for c in text[len..].chars() {
        match multiplier_exponent(c) {
            Some(exp) => {
                exponent += exp;
                len += c.len_utf8();
            }
            None => break,
        }
    }
    (len > 0).then(|| Numeral {
        value: 10f64.powi(exponent),
        len,
        chinese: false,
    })
}

fn format_integer(value: f64) -> String {
    format!("{value:.0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Option<(f64, usize)> {
        read_number(text, |rest| {
            rest.starts_with("千瓦") || rest.starts_with('个')
        })
        .map(|n| (n.value, n.len))
    }

    #[test]
    fn reads_numbers_as_written() {
        let cases: &[(&str, f64, &str)] = &[
            ("20万亩", 200_000.0, "20万"),
            ("4.5万吨", 45_000.0, "4.5万"),
            ("1.3万亿斤", 1_300_000_000_000.0, "1.3万亿"),
            ("9300亿元", 930_000_000_000.0, "9300亿"),
            ("2.76万亿元", 2_760_000_000_000.0, "2.76万亿"),
            ("5000万千瓦", 50_000_000.0, "5000万"),
            ("１２０万人", 1_200_000.0, "１２０万"),
            ("1,200万", 12_000_000.0, "1,200万"),
            ("3千", 3000.0, "3千"),
            ("三千", 3000.0, "三千"),
            ("一万二", 12_000.0, "一万二"),
            ("三千五百", 3500.0, "三千五百"),
            ("十五", 15.0, "十五"),
            ("二十", 20.0, "二十"),
            ("两百万", 2_000_000.0, "两百万"),
            ("一千零五", 1005.0, "一千零五"),
            ("五千三百万", 53_000_000.0, "五千三百万"),
            ("6.5%", 6.5, "6.5"),
            ("4.8万个", 48_000.0, "4.8万"),
        ];
        for (text, value, read) in cases {
            assert_eq!(num(text), Some((*value, read.len())), "{text}");
        }
    }

    #[test]
    fn bare_multipliers_are_one_of_them() {
        let read = |t: &str| read_bare_multiplier(t).map(|n| (n.value, n.len));
        assert_eq!(read("万亿元"), Some((1e12, "万亿".len())));
        assert_eq!(read("万列"), Some((1e4, "万".len())));
        assert_eq!(read("亿人次"), Some((1e8, "亿".len())));
        assert_eq!(read("元"), None);
        // 西藏 2026 稳定在百万吨以上; 宁夏 2026 新增千万吨产能.
        assert_eq!(read("百万吨"), Some((1e6, "百万".len())));
        assert_eq!(read("千万人次"), Some((1e7, "千万".len())));
        assert_eq!(read("千方百计"), None);
    }

    #[test]
    fn refuses_words_that_are_not_numbers() {
        for text in ["百姓", "千方百计", "万众一心", "亿万", "abc", "", ".5"] {
            assert_eq!(num(text), None, "{text}");
        }
    }

    #[test]
    fn trailing_point_is_not_part_of_the_number() {
        assert_eq!(num("5.深入推进"), Some((5.0, 1)));
        assert_eq!(num("12,3"), Some((12.0, 2)));
    }

    proptest::proptest! {
        #[test]
        fn arabic_round_trip(n in 0u64..10_000_000_000_000, scale in 0u32..4) {
            let value = n as f64 / 10f64.powi(scale as i32);
            let written = format!("{value}");
            let read = read_number(&written, |_| false).map(|r| r.value);
            proptest::prop_assert_eq!(read, Some(value));
        }

        #[test]
        fn chinese_round_trip(n in 0u64..100_000_000_000) {
            let written = to_chinese(n);
            let read = read_chinese(&written);
            proptest::prop_assert_eq!(read, Some((n as f64, written.len())), "{}", written);
        }

        #[test]
        fn never_panics(text in "\\PC{0,12}") {
            let _ = read_number(&text, |rest| rest.starts_with('个'));
        }
    }

    /// Formats `n` the way reports write Chinese numerals (with 零 for gaps), for round trips.
    fn to_chinese(n: u64) -> String {
        const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        const PLACES: [&str; 4] = ["", "十", "百", "千"];
        fn below_10000(n: u64, out: &mut String, pad: bool) {
            let mut zero = false;
            let mut started = pad;
            for place in (0..4).rev() {
                let d = (n / 10u64.pow(place)) % 10;
                if d == 0 {
                    zero = started;
                    continue;
                }
                if zero {
                    out.push('零');
                    zero = false;
                }
                out.push(DIGITS[d as usize]);
                out.push_str(PLACES[place as usize]);
                started = true;
            }
        }
        if n == 0 {
            return "零".to_string();
        }
        let groups = [
            (n / 100_000_000, "亿"),
            ((n / 10_000) % 10_000, "万"),
            (n % 10_000, ""),
        ];
        let mut out = String::new();
        let mut pad = false;
        for (group, name) in groups {
            if group == 0 {
                continue;
            }
            if pad && group < 1000 {
                out.push('零');
            }
            below_10000(group, &mut out, false);
            out.push_str(name);
            pad = true;
        }
        out
    }
}
