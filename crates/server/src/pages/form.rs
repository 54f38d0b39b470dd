//! Reading submitted forms field by field, so that every missing or malformed field is named in
//! a zh-CN message, and checking their CSRF token.
//!
//! [`Fields`] accepts both `application/x-www-form-urlencoded` and `multipart/form-data` (with
//! files), so a handler has one way to read any form.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use duban_core::date::{Date, parse_date};

use super::error::PageError;
use crate::api::v1::extract::media_type_is;
use crate::auth::Session;
use crate::csrf::{CSRF_FIELD, verify_csrf};
use crate::error::AppError;
use crate::state::AppState;

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The file name the browser sent.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A submitted form: its text fields in order, and its files.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    values: Vec<(String, String)>,
    /// Files uploaded (multipart forms only); empty file inputs are left out.
    pub files: Vec<Upload>,
}

fn unreadable(why: impl std::fmt::Display) -> PageError {
    PageError::bad(
        "form",
        format!("表单内容无法读取（{why}）；上传文件可能超过了大小上限"),
    )
}

impl FromRequest<AppState> for Fields {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if media_type_is(&content_type, "multipart/form-data") {
            let mut multipart = Multipart::from_request(request, state)
                .await
                .map_err(unreadable)?;
            let mut fields = Fields::default();
            while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
                let name = field.name().unwrap_or("").to_string();
                match field.file_name().map(str::to_string) {
                    Some(file_name) => {
                        let bytes = field.bytes().await.map_err(unreadable)?;
                        if !file_name.is_empty() || !bytes.is_empty() {
                            fields.files.push(Upload {
                                field: name,
                                name: file_name,
                                bytes: bytes.to_vec(),
                            });
                        }
                    }
                    None => {
                        let text = field.text().await.map_err(unreadable)?;
                        fields.values.push((name, text));
                    }
                }
            }
            boundary_check(fields)
        } else if media_type_is(&content_type, "application/x-www-form-urlencoded") {
            let axum::Form(values) =
                axum::Form::<Vec<(String, String)>>::from_request(request, state)
                    .await
                    .map_err(unreadable)?;
            boundary_check(Fields {
                values,
                files: Vec::new(),
            })
        } else {
            Err(PageError::bad(
                "form",
                "请通过页面上的表单提交（应为 application/x-www-form-urlencoded 或 multipart/form-data）",
            ))
        }
    }
}

/// Refuses a form whose text fields hold a character no text may hold (NUL, control
/// characters other than tab and line breaks, bidi controls), naming the field.
fn boundary_check(fields: Fields) -> Result<Fields, PageError> {
    for (name, value) in &fields.values {
        if let Some(c) = duban_core::text::find_forbidden(value) {
            return Err(PageError::bad(
                name,
                format!(
                    "「{}」{}",
                    duban_core::labels::field(name),
                    duban_core::text::describe_forbidden(c)
                ),
            ));
        }
    }
    Ok(fields)
}

impl Fields {
    /// A text field checked by its rule ([`duban_core::text::Field`], the same the API uses),
    /// under its name on this form; `None` when blank.
    ///
    /// # Errors
    /// A 422 page naming the field when the rule refuses it.
    pub fn text(
        &self,
        name: &str,
        rule: &duban_core::text::Field,
    ) -> Result<Option<String>, PageError> {
        rule.check_optional(self.raw(name))
            .map_err(|e| PageError::bad(name, e.to_string()))
    }

    /// A required text field checked by its rule.
    ///
    /// # Errors
    /// A 422 page naming the field when it is blank or the rule refuses it.
    pub fn required_text(
        &self,
        name: &str,
        rule: &duban_core::text::Field,
    ) -> Result<String, PageError> {
        self.text(name, rule)?
            .ok_or_else(|| PageError::bad(name, format!("请填写「{}」", rule.label)))
    }

    /// Fields from pairs (tests and internal callers).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Fields {
        Fields {
            values: pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            files: Vec::new(),
        }
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Every non-blank value of `name`, trimmed, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The value of `name` as typed (untrimmed), or empty.
    pub fn raw(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A required text field; `label` is the field's name on the form.
    ///
    /// # Errors
    /// A 422 page naming the field when it is missing or blank.
    pub fn required(&self, name: &str, label: &str) -> Result<&str, PageError> {
        self.get(name)
            .ok_or_else(|| PageError::bad(name, format!("请填写「{label}」")))
    }

    /// A required date field in `YYYY-MM-DD`.
    ///
    /// # Errors
    /// A 422 page naming the field when it is missing or not a date.
    pub fn date(&self, name: &str, label: &str) -> Result<Date, PageError> {
        let raw = self.required(name, label)?;
        parse_date(name, raw).map_err(|_| {
            PageError::bad(
                name,
                format!("「{label}」应为日期，格式如 2020-06-30，填写的是「{raw}」"),
            )
        })
    }

    /// An optional date field.
    ///
    /// # Errors
    /// A 422 page when it is present but not a date.
    pub fn optional_date(&self, name: &str, label: &str) -> Result<Option<Date>, PageError> {
        match self.get(name) {
            None => Ok(None),
            Some(_) => self.date(name, label).map(Some),
        }
    }

    /// A required whole number.
    ///
    /// # Errors
    /// A 422 page naming the field when it is missing or not a whole number.
    pub fn int(&self, name: &str, label: &str) -> Result<i64, PageError> {
        let raw = self.required(name, label)?;
        raw.parse::<i64>()
            .map_err(|_| PageError::bad(name, format!("「{label}」应为整数，填写的是「{raw}」")))
    }

    /// Checks the CSRF token against the session; without a session, sends to the login page.
    ///
    /// # Errors
    /// A login redirect without a session, 403 for a wrong or missing token.
    pub fn check_csrf(
        &self,
        session: Result<Session, AppError>,
        back_to: &str,
    ) -> Result<Session, PageError> {
        let session = session.map_err(|_| PageError::login(back_to))?;
        verify_csrf(&session, self.get(CSRF_FIELD).unwrap_or(""))?;
        Ok(session)
    }
}
