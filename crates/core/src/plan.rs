//! What a report promises, as the domain keeps it: governments, reports, commitments with stable
//! ids, and targets with exact values.
//!
//! The engine's [`duban_report::Extraction`] is turned into a [`Plan`] here, once: floats become
//! [`Quantity`]s, deadline text becomes [`Date`]s and each commitment gets its [`CommitmentKey`].

use crate::date::{Date, DateError, parse_date};
use crate::ids::{GovernmentId, ReportId};
use crate::quantity::{Quantity, QuantityError};
use duban_report::model::{self, Cmp, CommitmentKind, Section};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

/// The conversions of a string newtype whose `parse` checks its form: `as_str`, `Display`, and
/// serde through `String` (so deserializing checks the form too).
macro_rules! checked_text {
    ($name:ident, $err:ident) => {
        impl $name {
            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// The tier of a government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国务院.
    National,
    /// 省、自治区、直辖市.
    Province,
    /// 地级市、自治州.
    City,
    /// 市辖区.
    District,
    /// 县、县级市.
    County,
}

impl Level {
    /// Every level, top down.
    pub const ALL: [Level; 5] = [
        Level::National,
        Level::Province,
        Level::City,
        Level::District,
        Level::County,
    ];

    /// The zh-CN label (国家, 省级, 市级, 区级, 县级).
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::National => "国家",
            Level::Province => "省级",
            Level::City => "市级",
            Level::District => "区级",
            Level::County => "县级",
        }
    }

    /// The code name used in URLs, settings and the database (`national`, `province`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::City => "city",
            Level::District => "district",
            Level::County => "county",
        }
    }

    /// The inverse of [`Level::as_str`].
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == code)
    }
}

/// Why an administrative division code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AdminCodeError {
    /// Not 6 or 12 ASCII digits.
    #[error("行政区划代码「{input}」应为6位或12位数字")]
    Malformed {
        /// What was given.
        input: String,
    },
}

/// An administrative division code (行政区划代码, GB/T 2260): six digits (`320500` 苏州市), or the
/// twelve-digit statistical form. The national government uses `000000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AdminCode(String);

impl AdminCode {
    /// Checks the form.
    ///
    /// # Errors
    /// [`AdminCodeError::Malformed`] unless `input` is 6 or 12 ASCII digits.
    pub fn parse(input: &str) -> Result<AdminCode, AdminCodeError> {
        let s = input.trim();
        if matches!(s.len(), 6 | 12) && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AdminCode(s.to_owned()))
        } else {
            Err(AdminCodeError::Malformed {
                input: input.to_owned(),
            })
        }
    }
}

checked_text!(AdminCode, AdminCodeError);

/// A government that delivers work reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Government {
    /// Its row id.
    pub id: GovernmentId,
    /// Its name as the reports write it (苏州市, 国务院).
    pub name: String,
    /// Its tier.
    pub level: Level,
    /// Its administrative division code.
    pub code: AdminCode,
}

/// One government work report of one year, with its clean text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkReport {
    /// Its row id.
    pub id: ReportId,
    /// Who delivered it.
    pub government: GovernmentId,
    /// The plan year (a report delivered in early 2020 plans 2020).
    pub year: i32,
    /// Its title.
    pub title: String,
    /// Where it came from: a URL or a file name.
    pub source: String,
    /// The clean text that all spans index into, by character.
    pub text: String,
    /// [`checksum`] of `text`.
    pub checksum: String,
    /// The heading tree, as the engine recovered it.
    pub sections: Vec<Section>,
}

/// SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits: how a re-import recognises a
/// report it already holds.
pub fn checksum(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// Where a commitment stands: government, year, heading path and its ordinal under that path.
///
/// Displays as the readable, citable key `苏州市/2020/5.二是/3` (`-` for an empty path). Two
/// commitments are the same across re-imports exactly when their keys are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CommitmentKey {
    /// The government's name.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// Labels of the enclosing headings, outermost first (`["5", "二是"]`).
    pub path: Vec<String>,
    /// 1-based position among the commitments under the same path, in text order.
    pub ordinal: u32,
}

impl CommitmentKey {
    /// The short id for URLs: the first 12 hex digits of a SHA-256 over the key's parts, each
    /// length-prefixed so that `["5.1"]` and `["5", "1"]` differ.
    pub fn id(&self) -> CommitmentId {
        let mut h = Sha256::new();
        let mut part = |s: &[u8]| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s);
        };
        part(self.government.as_bytes());
        part(&self.year.to_le_bytes());
        part(&(self.path.len() as u64).to_le_bytes());
        for label in &self.path {
            part(label.as_bytes());
        }
        part(&self.ordinal.to_le_bytes());
        let digest = h.finalize();
        CommitmentId(hex(&digest[..6]))
    }
}

impl fmt::Display for CommitmentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "-".to_owned()
        } else {
            self.path.join(".")
        };
        write!(
            f,
            "{}/{}/{}/{}",
            self.government, self.year, path, self.ordinal
        )
    }
}

/// Why text is not a commitment id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommitmentIdError {
    /// Not 12 lowercase hex digits.
    #[error("「{input}」不是任务编号（应为12位十六进制）")]
    Malformed {
        /// What was given.
        input: String,
    },
}

/// The stable short id of a commitment (12 lowercase hex digits), derived from its
/// [`CommitmentKey`]; what URLs and outside citations use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommitmentId(String);

impl CommitmentId {
    /// Checks the form of an id read from a URL or a file.
    ///
    /// # Errors
    /// [`CommitmentIdError::Malformed`] unless `input` is 12 lowercase hex digits.
    pub fn parse(input: &str) -> Result<CommitmentId, CommitmentIdError> {
        if input.len() == 12
            && input
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            Ok(CommitmentId(input.to_owned()))
        } else {
            Err(CommitmentIdError::Malformed {
                input: input.to_owned(),
            })
        }
    }
}

checked_text!(CommitmentId, CommitmentIdError);

/// A quantified target (指标) with an exact value; in [`Plan::outcomes`], an achieved figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// What is counted (高标准农田).
    pub indicator: String,
    /// The action (新增, 达到); may be empty.
    pub verb: String,
    /// The value, with 万/亿 multiplied out; percentages as written (70 for 70%).
    pub value: Quantity,
    /// The unit (亩, %, 个百分点); may be empty.
    pub unit: String,
    /// How the value bounds the goal.
    pub cmp: Cmp,
    /// The upper bound of a `range`.
    pub value_max: Option<Quantity>,
    /// 确保 or 力争 where written.
    pub modality: Option<String>,
    /// The clause it was read from.
    pub source: String,
    /// Character span of `source` in the report's clean text.
    pub span: [usize; 2],
}

/// An achieved figure read from a review part: the same fields as a target.
pub type Outcome = Target;

impl Target {
    /// Converts the engine's target, rounding its floats to four places.
    ///
    /// # Errors
    /// [`QuantityError::OutOfRange`] (field `value` or `value_max`) for a value that is not finite
    /// or too large.
    pub fn from_engine(t: &model::Target) -> Result<Target, QuantityError> {
        let q = |field: &str, x: f64| {
            Quantity::from_f64(x).ok_or_else(|| QuantityError::OutOfRange {
                field: field.to_owned(),
                input: x.to_string(),
            })
        };
        Ok(Target {
            indicator: t.indicator.clone(),
            verb: t.verb.clone(),
            value: q("value", t.value)?,
            unit: t.unit.clone(),
            cmp: t.cmp,
            value_max: t.value_max.map(|x| q("value_max", x)).transpose()?,
            modality: t.modality.clone(),
            source: t.source.clone(),
            span: t.span,
        })
    }

    /// Whether the unit is a rate (`%`, `‰`, `个百分点`): such targets are levels to hold or
    /// reach, not amounts that accumulate over the period.
    pub fn is_rate(&self) -> bool {
        is_rate_unit(&self.unit)
    }
}

/// Whether a unit is a rate (`%`, `％`, `‰`, `个百分点`, `百分点`).
pub fn is_rate_unit(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "％" | "‰" | "个百分点" | "百分点")
}

/// One commitment of a plan, with its stable identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// The stable short id ([`CommitmentKey::id`] of `key`).
    pub id: CommitmentId,
    /// Where it stands.
    pub key: CommitmentKey,
    /// The sentence or clause.
    pub text: String,
    /// Character span of `text` in the clean text.
    pub span: [usize; 2],
    /// Quantified, milestone or qualitative.
    pub kind: CommitmentKind,
    /// 确保 or 力争 where written.
    pub modality: Option<String>,
    /// When it is due, where the report or the plan year says.
    pub deadline: Option<Date>,
    /// Its quantified targets.
    pub targets: Vec<Target>,
}

/// Why an extraction could not become a plan.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// A target's value could not be held exactly.
    #[error("任务{commitment}：{source}")]
    Value {
        /// The engine's commitment id (`c17`), or `outcome N` for an outcome.
        commitment: String,
        /// What was wrong.
        source: QuantityError,
    },
    /// A deadline is not an ISO date.
    #[error("任务{commitment}：{source}")]
    Deadline {
        /// The engine's commitment id.
        commitment: String,
        /// What was wrong.
        source: DateError,
    },
}

/// A report's plan as the domain keeps it: ready for the store to import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The heading tree.
    pub sections: Vec<Section>,
    /// Commitments in text order, each with its stable id.
    pub commitments: Vec<Commitment>,
    /// Achieved figures of the review part (last year's results).
    pub outcomes: Vec<Outcome>,
}

impl Plan {
    /// Converts an extraction for `government` and `year` (given explicitly: the extraction may
    /// not know them). Ordinals count commitments under the same path in text order, so
    /// re-importing the same text yields the same ids.
    ///
    /// # Errors
    /// [`ImportError`] naming the commitment whose value or deadline is unusable.
    pub fn from_extraction(
        government: &str,
        year: i32,
        extraction: &model::Extraction,
    ) -> Result<Plan, ImportError> {
        let mut ordinals: HashMap<&[String], u32> = HashMap::new();
        let mut commitments = Vec::with_capacity(extraction.commitments.len());
        for c in &extraction.commitments {
            let ordinal = ordinals.entry(c.path.as_slice()).or_insert(0);
            *ordinal += 1;
            let key = CommitmentKey {
                government: government.to_owned(),
                year,
                path: c.path.clone(),
                ordinal: *ordinal,
            };
            let targets = c
                .targets
                .iter()
                .map(Target::from_engine)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|source| ImportError::Value {
                    commitment: c.id.clone(),
                    source,
                })?;
            let deadline = c
                .deadline
                .as_deref()
                .map(|d| parse_date("deadline", d))
                .transpose()
                .map_err(|source| ImportError::Deadline {
                    commitment: c.id.clone(),
                    source,
                })?;
            commitments.push(Commitment {
                id: key.id(),
                key,
                text: c.text.clone(),
                span: c.span,
                kind: c.kind,
                modality: c.modality.clone(),
                deadline,
                targets,
            });
        }
        let outcomes = extraction
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| {
                Target::from_engine(&o.target).map_err(|source| ImportError::Value {
                    commitment: format!("outcome {}", i + 1),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Plan {
            sections: extraction.sections.clone(),
            commitments,
            outcomes,
        })
    }
}

/// A heading label without its punctuation (`5.` → `5`, `（一）` → `一`, `三、` → `三`), the form
/// heading paths and commitment paths use.
pub fn label_key(label: &str) -> String {
    let punct: &[char] = &[
        '.', '．', '、', '，', ',', ':', '：', '(', ')', '（', '）', ' ', '　',
    ];
    label.trim_matches(punct).to_string()
}

/// A heading path as stored and cited: the labels' [`label_key`]s joined by `.` (`三.1`).
pub fn join_path(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| label_key(l))
        .collect::<Vec<_>>()
        .join(".")
}

/// The extraction without the figures no exact [`Quantity`] can hold (3650000000000000 元 and
/// beyond), and the clauses left out, so that one odd figure never fails a whole report.
pub fn representable(extraction: &model::Extraction) -> (model::Extraction, Vec<String>) {
    let mut left_out = Vec::new();
    let mut fits = |t: &model::Target| {
        let ok = Quantity::from_f64(t.value).is_some()
            && t.value_max.is_none_or(|m| Quantity::from_f64(m).is_some());
        if !ok {
            left_out.push(t.source.clone());
        }
        ok
    };
    let mut e = extraction.clone();
    for c in &mut e.commitments {
        c.targets.retain(&mut fits);
    }
    e.outcomes.retain(|o| fits(&o.target));
    e.goals.retain(|g| fits(&g.target));
    (e, left_out)
}
