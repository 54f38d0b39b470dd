//! Amounts in words as a report writes them: `20万亩`, `13万人`, `1.3万亿元`, never `200000亩`.
//!
//! The store keeps exact values (`200000`) and the clause a target was read from, not the
//! multiplier it was written with. [`written`] finds the form the clause uses (`20万` in
//! `新增高标准农田20万亩`) and falls back to [`by_magnitude`], which picks 万/亿/万亿 when the
//! value reaches ten thousand of it and stays exact in four decimal places. Rates (`%`,
//! `个百分点`) are never multiplied.

use crate::plan::is_rate_unit;
use crate::quantity::Quantity;

/// The multipliers a report writes, largest first, with their size in scaled units
/// (a [`Quantity`] is its value times 10 000).
const MULTIPLIERS: [(i128, &str); 3] = [
    (1_000_000_000_000, "万亿"),
    (100_000_000, "亿"),
    (10_000, "万"),
];

/// A value with 万/亿/万亿 where that reads better and is exact: 12000000 人 → `1200万`; a
/// value below ten thousand, a fraction or a rate stays as it is (`9800`, `4.5`).
pub fn by_magnitude(q: Quantity, unit: &str) -> String {
    if is_rate_unit(unit) {
        return q.to_string();
    }
    let scaled = i128::from(q.scaled());
    for (div, word) in MULTIPLIERS {
        if scaled.abs() >= div * 10_000
            && scaled % div == 0
            && let Ok(v) = i64::try_from(scaled / div)
        {
            return format!("{}{word}", Quantity::from_scaled(v));
        }
    }
    q.to_string()
}

/// The value as `source` (the clause it was read from) writes it, without the unit: `20万` for
/// 200000 in `新增高标准农田20万亩`, `200000` where the clause says `200000亩`; else
/// [`by_magnitude`]. Only an exact rendering of the same value counts, standing alone as a
/// number in the clause (not `120万` for `20万`, not `20万亿` for `20万`).
pub fn written(q: Quantity, unit: &str, source: &str) -> String {
    if is_rate_unit(unit) || source.is_empty() {
        return by_magnitude(q, unit);
    }
    let scaled = i128::from(q.scaled());
    let mut forms: Vec<String> = MULTIPLIERS
        .iter()
        .filter(|(div, _)| scaled != 0 && scaled % div == 0)
        .filter_map(|(div, word)| {
            i64::try_from(scaled / div)
                .ok()
                .map(|v| format!("{}{word}", Quantity::from_scaled(v)))
        })
        .collect();
    forms.push(q.to_string());
    forms
        .into_iter()
        .find(|form| stands_alone(source, form))
        .unwrap_or_else(|| by_magnitude(q, unit))
}

/// Whether `form` occurs in `text` as a whole number: no digit or point before it, and no
/// digit, point or further multiplier after it.
fn stands_alone(text: &str, form: &str) -> bool {
    let number_char = |c: char| c.is_ascii_digit() || c == '.';
    let mut from = 0;
    while let Some(at) = text[from..].find(form) {
        let start = from + at;
        let end = start + form.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let ends_in_multiplier = form.ends_with(['万', '亿']);
        let bad_after = after.is_some_and(|c| {
            number_char(c) || matches!(c, '万' | '亿') || (!ends_in_multiplier && c == '千')
        });
        if !before.is_some_and(number_char) && !bad_after {
            return true;
        }
        from = start + form.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse("value", s).unwrap()
    }

    #[test]
    fn the_clause_decides_the_form() {
        assert_eq!(written(q("200000"), "亩", "新增高标准农田20万亩"), "20万");
        assert_eq!(
            written(q("200000"), "亩", "新增高标准农田200000亩"),
            "200000"
        );
        assert_eq!(written(q("130000"), "人", "城镇新增就业13万人以上"), "13万");
        assert_eq!(
            written(q("1300000000000"), "元", "地区生产总值1.3万亿元"),
            "1.3万亿"
        );
        // 20万 is not in 120万, and 20万 is not the start of 20万亿.
        assert_eq!(written(q("200000"), "亩", "改造120万亩"), "20万");
        assert_eq!(written(q("200000"), "亩", "规模20万亿元，新增3亩"), "20万");
        // Unknown clause or Chinese numerals: by magnitude.
        assert_eq!(written(q("200000"), "亩", "新增二十万亩"), "20万");
        assert_eq!(written(q("200000"), "亩", ""), "20万");
    }

    #[test]
    fn magnitude_keeps_small_values_and_rates() {
        assert_eq!(by_magnitude(q("9800"), "套"), "9800");
        assert_eq!(by_magnitude(q("13000"), "套"), "1.3万");
        assert_eq!(by_magnitude(q("4.5"), "%"), "4.5");
        assert_eq!(by_magnitude(q("2500000"), "元"), "250万");
        assert_eq!(by_magnitude(q("12000000000"), "元"), "120亿");
        assert_eq!(by_magnitude(q("-30000"), "吨"), "-3万");
        assert_eq!(by_magnitude(q("0"), "个"), "0");
    }
}
