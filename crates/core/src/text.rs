//! The one rule for text that people type, applied once at the boundary (the API and the forms
//! call the same [`Field::check`]): control characters and NUL refused, bidi controls refused,
//! names normalised (NFKC; zero-width characters refused; logins folded to lower case and kept
//! to ASCII), and every field capped in length. Each [`Field`] carries its API name, its
//! Chinese label (every message names it) and its limit, which the OpenAPI document and the
//! forms state.

use unicode_normalization::UnicodeNormalization;

/// What kind of text a field holds, which decides how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A sign-in name: NFKC, lower case, ASCII letters, digits and `. _ -` only.
    Login,
    /// A name shown to others (a person, a department, a government): NFKC, one line, no
    /// zero-width or bidi control characters.
    Name,
    /// One line of free text (a search, a file name, a token's purpose).
    Line,
    /// Free text of several lines (a narrative, a notice): tabs and line breaks allowed.
    Text,
    /// A password: kept as typed (not trimmed or normalised); NUL and control characters
    /// refused.
    Secret,
}

/// A text field: its name in the API, its label on the form, its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name in the API and the form (`narrative`, `lag_reason.text`).
    pub name: &'static str,
    /// The field's label in zh-CN, as the form shows it.
    pub label: &'static str,
    /// The most characters (Unicode scalar values) it may hold.
    pub max_chars: usize,
    /// How it is checked.
    pub kind: Kind,
}

/// A refused text, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("「{label}」{reason}")]
pub struct TextError {
    /// The field's API name.
    pub field: &'static str,
    /// The field's label.
    pub label: &'static str,
    /// What is wrong, in zh-CN.
    pub reason: String,
}

/// Sign-in name.
pub const LOGIN: Field = Field::new("login", "用户名", 64, Kind::Login);
/// Password.
pub const PASSWORD: Field = Field::new("password", "密码", 256, Kind::Secret);
/// A person's (or an account's) name shown to others.
pub const USER_NAME: Field = Field::new("name", "姓名或单位名称", 64, Kind::Name);
/// A department's name.
pub const DEPARTMENT_NAME: Field = Field::new("name", "单位名称", 64, Kind::Name);
/// A department's short name (发改委), shown where space is short.
pub const DEPARTMENT_SHORT_NAME: Field = Field::new("short_name", "单位简称", 20, Kind::Name);
/// A government's name.
pub const GOVERNMENT_NAME: Field = Field::new("government", "所属政府", 64, Kind::Name);
/// What an API token is for.
pub const TOKEN_NAME: Field = Field::new("name", "令牌用途", 100, Kind::Line);
/// The narrative of a progress report.
pub const NARRATIVE: Field = Field::new("narrative", "工作进展", 4000, Kind::Text);
/// The free text explaining a lag.
pub const REASON_TEXT: Field = Field::new("lag_reason.text", "原因说明", 1000, Kind::Text);
/// Why the office overrides a computed fulfilment verdict.
pub const OVERRIDE_REASON: Field = Field::new("reason", "改判理由", 1000, Kind::Text);
/// A supervision notice's message.
pub const NOTICE_MESSAGE: Field = Field::new("message", "督办内容", 2000, Kind::Text);
/// A department's answer to a notice.
pub const ANSWER_TEXT: Field = Field::new("text", "答复内容", 4000, Kind::Text);
/// Why the office returns an answer for rework.
pub const RETURN_REASON: Field = Field::new("reason", "退回理由", 1000, Kind::Text);
/// A supporting department's note on its part of a task.
pub const SUPPORT_NOTE: Field = Field::new("note", "配合情况", 1000, Kind::Text);
/// The file name of a piece of evidence.
pub const EVIDENCE_NAME: Field = Field::new("evidence.name", "佐证材料文件名", 200, Kind::Line);
/// A search query.
pub const SEARCH_QUERY: Field = Field::new("q", "检索词", 50, Kind::Line);
/// A reported value as typed (`1.3万`).
pub const VALUE: Field = Field::new("value", "数值", 40, Kind::Line);
/// A target's indicator as the office corrects it (`城镇新增就业`).
pub const INDICATOR: Field = Field::new("indicator", "指标", 100, Kind::Line);
/// A target's unit (`万人`, `%`).
pub const UNIT: Field = Field::new("unit", "单位", 20, Kind::Line);
/// The upper bound of a range target.
pub const VALUE_MAX: Field = Field::new("value_max", "上限", 40, Kind::Line);
/// A heading path of a report (`三`, `5.二是`), naming a part whose role is corrected.
pub const SECTION_PATH: Field = Field::new("path", "部分", 100, Kind::Line);
/// A short code chosen from a list (a correction's kind, a comparator, a role, a level).
pub const CODE: Field = Field::new("code", "选项", 20, Kind::Line);
/// A commitment's id as written (`3f2a…`, 12 hex digits).
pub const COMMITMENT_REF: Field = Field::new("commitment", "任务", 40, Kind::Line);
/// A date as typed (`2021-12-31`).
pub const DATE: Field = Field::new("deadline", "完成时限", 20, Kind::Line);
/// The year of a report as typed.
pub const YEAR: Field = Field::new("year", "年份", 10, Kind::Line);
/// The file name of one page of an uploaded report.
pub const REPORT_FILE_NAME: Field = Field::new("files", "报告文件名", 200, Kind::Line);

/// Every field, for the OpenAPI document and the tests.
pub const FIELDS: &[Field] = &[
    LOGIN,
    PASSWORD,
    USER_NAME,
    DEPARTMENT_NAME,
    DEPARTMENT_SHORT_NAME,
    GOVERNMENT_NAME,
    TOKEN_NAME,
    NARRATIVE,
    REASON_TEXT,
    OVERRIDE_REASON,
    NOTICE_MESSAGE,
    ANSWER_TEXT,
    RETURN_REASON,
    SUPPORT_NOTE,
    EVIDENCE_NAME,
    SEARCH_QUERY,
    VALUE,
    INDICATOR,
    UNIT,
    VALUE_MAX,
    SECTION_PATH,
    CODE,
    COMMITMENT_REF,
    DATE,
    YEAR,
    REPORT_FILE_NAME,
];

/// Bidirectional controls (they reorder what is shown: `Trojan Source`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show as nothing and let one name pose as another.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{FFA0}'
    )
}

fn code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The first character no text may hold anywhere (NUL, control characters other than tab and
/// line breaks, bidi controls): the check every form field and every JSON string passes before
/// any field's own rule.
pub fn find_forbidden(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c))
}

/// Why a character is refused, in zh-CN (`含有空字符（U+0000），请删除后重试`).
pub fn describe_forbidden(c: char) -> String {
    if c == '\0' {
        "含有空字符（U+0000），请删除后重试".to_string()
    } else if matches!(c, '\n' | '\r') {
        "不能换行".to_string()
    } else if is_bidi_control(c) {
        format!("含有文字方向控制字符（{}），请删除后重试", code(c))
    } else if is_invisible(c) {
        format!("含有不可见字符（{}），请删除后重试", code(c))
    } else {
        format!("含有控制字符（{}），请删除后重试", code(c))
    }
}

impl Field {
    /// The same rule under another name and label (a code field `kind` labelled 更正类型).
    pub const fn named(self, name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            ..self
        }
    }

    /// A field (used for the constants of this module and by other crates for their own).
    pub const fn new(
        name: &'static str,
        label: &'static str,
        max_chars: usize,
        kind: Kind,
    ) -> Field {
        Field {
            name,
            label,
            max_chars,
            kind,
        }
    }

    fn error(&self, reason: impl Into<String>) -> TextError {
        TextError {
            field: self.name,
            label: self.label,
            reason: reason.into(),
        }
    }

    /// Checks and normalises a required value: the text to keep.
    ///
    /// # Errors
    /// [`TextError`] naming the field when it is blank, too long, or holds a character it may
    /// not (NUL, a control character, a bidi control, for names a zero-width character, for
    /// logins anything but ASCII letters, digits and `. _ -`).
    pub fn check(&self, input: &str) -> Result<String, TextError> {
        self.check_optional(input)?
            .ok_or_else(|| self.error("不能为空"))
    }

    /// Checks and normalises an optional value: `None` when it is blank.
    ///
    /// # Errors
    /// As [`Field::check`], except that a blank value is `None`.
    pub fn check_optional(&self, input: &str) -> Result<Option<String>, TextError> {
        // Bound the work before anything else: a value many times the limit is refused unread.
        if input.len() > self.max_chars.saturating_mul(4).saturating_add(64) {
            return Err(self.too_long(input.chars().count()));
        }
        let multiline = self.kind == Kind::Text;
        let names = matches!(self.kind, Kind::Login | Kind::Name);
        if let Some(c) = input.chars().find(|&c| {
            (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
                || is_bidi_control(c)
                || (names && is_invisible(c))
        }) {
            return Err(self.error(describe_forbidden(c)));
        }
        let text = match self.kind {
            Kind::Secret => input.to_string(),
            Kind::Text => input
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .trim()
                .to_string(),
            Kind::Line => input.trim().to_string(),
            Kind::Name => input.nfkc().collect::<String>().trim().to_string(),
            Kind::Login => input.nfkc().collect::<String>().trim().to_lowercase(),
        };
        if text.is_empty() {
            return Ok(None);
        }
        let n = text.chars().count();
        if n > self.max_chars {
            return Err(self.too_long(n));
        }
        if self.kind == Kind::Login
            && let Some(c) = text
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(self.error(format!(
                "只能使用英文字母、数字和 . _ -（「{c}」{} 不可用）",
                code(c)
            )));
        }
        Ok(Some(text))
    }

    fn too_long(&self, n: usize) -> TextError {
        self.error(format!(
            "过长：不超过 {} 个字（现有 {n} 个）",
            self.max_chars
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_cannot_pose_as_others() {
        assert_eq!(LOGIN.check("admin").unwrap(), "admin");
        assert_eq!(LOGIN.check(" ADMIN ").unwrap(), "admin");
        assert_eq!(LOGIN.check("ａｄｍｉｎ").unwrap(), "admin");
        let cyrillic = LOGIN.check("\u{0430}dmin").unwrap_err();
        assert!(cyrillic.to_string().contains("用户名"), "{cyrillic}");
        assert!(LOGIN.check("admin\u{200b}").is_err());
        assert!(LOGIN.check("ad\u{202e}nim").is_err());
        assert!(LOGIN.check(&"a".repeat(65)).is_err());
        assert!(LOGIN.check("").is_err());
    }

    #[test]
    fn controls_and_lengths() {
        let nul = NARRATIVE.check("进展\0良好").unwrap_err();
        assert_eq!(nul.field, "narrative");
        assert!(
            nul.to_string().starts_with("「工作进展」含有空字符"),
            "{nul}"
        );
        assert!(NARRATIVE.check("第一段\r\n\t第二段").unwrap() == "第一段\n\t第二段");
        assert!(NARRATIVE.check("响铃\u{7}").is_err());
        assert!(NARRATIVE.check("反向\u{202e}文字").is_err());
        assert!(SEARCH_QUERY.check("一\n二").is_err());
        assert!(NARRATIVE.check(&"字".repeat(4000)).is_ok());
        let long = NARRATIVE.check(&"字".repeat(4001)).unwrap_err();
        assert!(long.to_string().contains("不超过 4000 个字"), "{long}");
        assert!(NARRATIVE.check(&"x".repeat(9_000_000)).is_err());
        assert_eq!(NARRATIVE.check_optional("  ").unwrap(), None);
    }

    #[test]
    fn names_are_normalised_and_passwords_kept() {
        assert_eq!(DEPARTMENT_NAME.check("ＡＢ局").unwrap(), "AB局");
        assert!(DEPARTMENT_NAME.check("甲\u{200d}局").is_err());
        assert!(USER_NAME.check("张\u{feff}三").is_err());
        assert_eq!(PASSWORD.check(" 密 码 ").unwrap(), " 密 码 ");
        assert!(PASSWORD.check("pass\0word").is_err());
        // Zero-width joiners are fine in free text (emoji sequences), bidi controls are not.
        assert!(NARRATIVE.check("👨\u{200d}👩").is_ok());
    }
}
