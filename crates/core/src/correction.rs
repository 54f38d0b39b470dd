//! Corrections the supervision office makes to the engine's reading of a draft report, and their
//! replay over a [`Plan`].
//!
//! The store keeps corrections as an append-only log and rebuilds a draft by replaying the whole
//! log over the plan the engine produced ([`replay`]). That gives two things at once: every
//! correction is an event (who, when, what), and a re-import by a better engine keeps the
//! corrections that still apply and names those that no longer do.
//!
//! Corrections refer to what they change by what is stable across engines: a commitment by its
//! [`CommitmentId`] (from its heading path and ordinal) and a target by its character span.
//! A commitment the office adds (or the second half of a split) gets the ordinal
//! [`ADDED_ORDINAL_BASE`] + its start offset, so its id is stable too and never collides with
//! the engine's ordinals (which count from 1 under each path).

use crate::date::Date;
use crate::plan::{Commitment, CommitmentId, CommitmentKey, Plan, Target};
use crate::quantity::Quantity;
use duban_report::model::{Cmp, CommitmentKind, Role, Section};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Ordinals from here up name commitments the office added: base + the start offset.
pub const ADDED_ORDINAL_BASE: u32 = 100_000;

/// One correction to a draft's reading. Spans are character offsets into the clean text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Correction {
    /// Change a target's fields (and its commitment's deadline); `None` keeps a field.
    EditTarget {
        /// The commitment holding the target.
        commitment: CommitmentId,
        /// The target's span.
        target: [usize; 2],
        /// New indicator.
        indicator: Option<String>,
        /// New value.
        value: Option<Quantity>,
        /// New upper bound (for `range`).
        value_max: Option<Quantity>,
        /// New unit.
        unit: Option<String>,
        /// New comparator.
        cmp: Option<Cmp>,
        /// New deadline of the commitment.
        deadline: Option<Date>,
    },
    /// Add a target read from a selection inside a commitment's sentence.
    AddTarget {
        /// The selection.
        span: [usize; 2],
        /// What is counted.
        indicator: String,
        /// The value.
        value: Quantity,
        /// The upper bound of a `range`.
        value_max: Option<Quantity>,
        /// The unit; may be empty.
        unit: String,
        /// How the value bounds the goal.
        cmp: Cmp,
    },
    /// Delete a false target.
    DeleteTarget {
        /// The commitment holding it.
        commitment: CommitmentId,
        /// The target's span.
        target: [usize; 2],
    },
    /// Add a commitment from a selection the engine missed.
    AddCommitment {
        /// The selection.
        span: [usize; 2],
    },
    /// A sentence not to be tracked: every commitment overlapping it goes (a heading line read
    /// as a task, a false commitment).
    Ignore {
        /// The sentence.
        span: [usize; 2],
    },
    /// Change the role of a part (and everything under it); commitments follow.
    SetRole {
        /// The heading path (`三`, `5.二是`) as commitment paths write it, joined by `.`.
        path: String,
        /// The new role.
        role: Role,
    },
    /// Merge the second commitment into the first (which keeps its id).
    Merge {
        /// The one that stays.
        first: CommitmentId,
        /// The one merged into it.
        second: CommitmentId,
    },
    /// Split a commitment at a character offset; the first half keeps the id.
    Split {
        /// The commitment.
        commitment: CommitmentId,
        /// Where the second half starts.
        at: usize,
    },
}

impl Correction {
    /// A short code name (`edit_target`, `add_target`, …) for audit events and lists.
    pub fn code(&self) -> &'static str {
        match self {
            Correction::EditTarget { .. } => "edit_target",
            Correction::AddTarget { .. } => "add_target",
            Correction::DeleteTarget { .. } => "delete_target",
            Correction::AddCommitment { .. } => "add_commitment",
            Correction::Ignore { .. } => "ignore",
            Correction::SetRole { .. } => "set_role",
            Correction::Merge { .. } => "merge",
            Correction::Split { .. } => "split",
        }
    }

    /// The zh-CN name of the kind of correction.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Correction::EditTarget { .. } => "修改指标",
            Correction::AddTarget { .. } => "添加指标",
            Correction::DeleteTarget { .. } => "删除指标",
            Correction::AddCommitment { .. } => "添加任务",
            Correction::Ignore { .. } => "不予跟踪",
            Correction::SetRole { .. } => "更改部分性质",
            Correction::Merge { .. } => "合并任务",
            Correction::Split { .. } => "拆分任务",
        }
    }
}

/// Why a correction cannot be applied (now, or any more after a re-import). Every message names
/// the field at fault by its Chinese label.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CorrectionError {
    /// A span reaches past the text or is reversed.
    #[error("{field}：位置 {start}–{end} 超出报告全文（共 {len} 字）")]
    SpanOutside {
        /// The field's label.
        field: &'static str,
        /// Start given.
        start: usize,
        /// End given.
        end: usize,
        /// Characters in the text.
        len: usize,
    },
    /// A span that selects nothing but white space.
    #[error("{field}：未选中任何文字")]
    EmptySpan {
        /// The field's label.
        field: &'static str,
    },
    /// The commitment is not in the plan.
    #[error("任务：{id} 不存在（或已被删除、合并）")]
    NoCommitment {
        /// Its id.
        id: String,
    },
    /// The commitment holds no target at that span.
    #[error("指标：任务 {id} 在位置 {start}–{end} 没有指标")]
    NoTarget {
        /// The commitment.
        id: String,
        /// Span start.
        start: usize,
        /// Span end.
        end: usize,
    },
    /// A target selection outside every commitment.
    #[error("所选文字：不在任何任务句内，请先把这句添加为任务")]
    NotInCommitment,
    /// A target with that span exists already.
    #[error("所选文字：任务 {id} 已有这一指标")]
    TargetExists {
        /// The commitment.
        id: String,
    },
    /// A new commitment overlapping an existing one.
    #[error("所选文字：与已有任务 {id} 重叠")]
    Overlaps {
        /// The commitment overlapped.
        id: String,
    },
    /// Nothing tracked at the selection.
    #[error("所选文字：此处没有任务")]
    NothingThere,
    /// No heading with that path.
    #[error("部分：报告中没有标题「{path}」")]
    NoSection {
        /// The path given.
        path: String,
    },
    /// A merge of a commitment with itself.
    #[error("合并：不能把任务与自身合并")]
    MergeSelf,
    /// A split point not strictly inside the commitment, or leaving a blank half.
    #[error("拆分位置：{at} 不在任务 {id} 的句子中间（{start}–{end}）")]
    SplitOutside {
        /// The commitment.
        id: String,
        /// The offset given.
        at: usize,
        /// Its span start.
        start: usize,
        /// Its span end.
        end: usize,
    },
    /// A text field left empty.
    #[error("{field}：不能为空")]
    Empty {
        /// The field's label.
        field: &'static str,
    },
    /// A `range` without an upper bound above its value.
    #[error("上限：区间指标需要大于数值的上限")]
    RangeBound,
}

impl CorrectionError {
    /// The request field at fault, by its API name (`start`, `commitment`, `other`, `path`,
    /// `at`, `indicator`, `value_max`), for the error's `field`; the message names its label.
    pub fn api_field(&self) -> &'static str {
        match self {
            CorrectionError::SpanOutside { .. }
            | CorrectionError::EmptySpan { .. }
            | CorrectionError::NoTarget { .. }
            | CorrectionError::NotInCommitment
            | CorrectionError::TargetExists { .. }
            | CorrectionError::Overlaps { .. }
            | CorrectionError::NothingThere => "start",
            CorrectionError::NoCommitment { .. } => "commitment",
            CorrectionError::NoSection { .. } => "path",
            CorrectionError::MergeSelf => "other",
            CorrectionError::SplitOutside { .. } => "at",
            CorrectionError::Empty { .. } => "indicator",
            CorrectionError::RangeBound => "value_max",
        }
    }
}

/// What a replay needs besides the plan: who delivered the report, its year and its text.
#[derive(Debug, Clone)]
pub struct Context {
    government: String,
    year: i32,
    chars: Vec<char>,
}

impl Context {
    /// The context of one report.
    pub fn new(government: &str, year: i32, text: &str) -> Context {
        Context {
            government: government.to_owned(),
            year,
            chars: text.chars().collect(),
        }
    }

    /// Characters in the text.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The text of a checked span.
    pub fn slice(&self, span: [usize; 2]) -> String {
        self.chars[span[0]..span[1]].iter().collect()
    }

    /// Checks that `span` lies in the text, in order, and selects more than white space.
    ///
    /// # Errors
    /// [`CorrectionError::SpanOutside`], [`CorrectionError::EmptySpan`].
    pub fn check_span(&self, field: &'static str, span: [usize; 2]) -> Result<(), CorrectionError> {
        let [start, end] = span;
        if start > end || end > self.chars.len() {
            return Err(CorrectionError::SpanOutside {
                field,
                start,
                end,
                len: self.chars.len(),
            });
        }
        if self.chars[start..end].iter().all(|c| c.is_whitespace()) {
            return Err(CorrectionError::EmptySpan { field });
        }
        Ok(())
    }

    fn year_end(&self) -> Option<Date> {
        Date::from_calendar_date(self.year, time::Month::December, 31).ok()
    }
}

/// The result of replaying a log: the corrected plan and, for each correction in order, `None`
/// when it applied or the reason it no longer does.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The plan with every applicable correction made.
    pub plan: Plan,
    /// One entry per correction of the log.
    pub outcomes: Vec<Option<CorrectionError>>,
}

/// Replays a log of corrections over the engine's plan, in order; a correction that no longer
/// applies is skipped and its reason recorded.
pub fn replay(mut plan: Plan, context: &Context, log: &[Correction]) -> Replay {
    let outcomes = log
        .iter()
        .map(|c| apply(&mut plan, context, c).err())
        .collect();
    Replay { plan, outcomes }
}

/// Applies one correction to a plan; on error the plan is unchanged.
///
/// # Errors
/// [`CorrectionError`] naming why it does not apply.
pub fn apply(
    plan: &mut Plan,
    context: &Context,
    correction: &Correction,
) -> Result<(), CorrectionError> {
    match correction {
        Correction::EditTarget {
            commitment,
            target,
            indicator,
            value,
            value_max,
            unit,
            cmp,
            deadline,
        } => {
            let c = find(plan, commitment)?;
            let t = find_target(&mut plan.commitments[c], *target)?;
            let mut edited = plan.commitments[c].targets[t].clone();
            if let Some(indicator) = indicator {
                edited.indicator = non_empty("指标", indicator)?;
            }
            if let Some(value) = value {
                edited.value = *value;
            }
            if let Some(unit) = unit {
                edited.unit = unit.trim().to_owned();
            }
            if let Some(cmp) = cmp {
                edited.cmp = *cmp;
            }
            if value_max.is_some() {
                edited.value_max = *value_max;
            }
            if edited.cmp != Cmp::Range {
                edited.value_max = None;
            }
            check_range(&edited)?;
            let commitment = &mut plan.commitments[c];
            commitment.targets[t] = edited;
            if let Some(deadline) = deadline {
                commitment.deadline = Some(*deadline);
            }
            Ok(())
        }
        Correction::AddTarget {
            span,
            indicator,
            value,
            value_max,
            unit,
            cmp,
        } => {
            context.check_span("所选文字", *span)?;
            let c = plan
                .commitments
                .iter()
                .position(|c| c.span[0] <= span[0] && span[1] <= c.span[1])
                .ok_or(CorrectionError::NotInCommitment)?;
            let commitment = &plan.commitments[c];
            if commitment.targets.iter().any(|t| t.span == *span) {
                return Err(CorrectionError::TargetExists {
                    id: commitment.id.to_string(),
                });
            }
            let target = Target {
                indicator: non_empty("指标", indicator)?,
                verb: String::new(),
                value: *value,
                unit: unit.trim().to_owned(),
                cmp: *cmp,
                value_max: if *cmp == Cmp::Range { *value_max } else { None },
                modality: None,
                source: context.slice(*span),
                span: *span,
            };
            check_range(&target)?;
            let commitment = &mut plan.commitments[c];
            commitment.targets.push(target);
            commitment.targets.sort_by_key(|t| t.span);
            commitment.kind = CommitmentKind::Quantified;
            Ok(())
        }
        Correction::DeleteTarget { commitment, target } => {
            let c = find(plan, commitment)?;
            let t = find_target(&mut plan.commitments[c], *target)?;
            let commitment = &mut plan.commitments[c];
            commitment.targets.remove(t);
            if commitment.targets.is_empty() && commitment.kind == CommitmentKind::Quantified {
                commitment.kind = CommitmentKind::Qualitative;
            }
            Ok(())
        }
        Correction::AddCommitment { span } => {
            context.check_span("所选文字", *span)?;
            if let Some(other) = plan
                .commitments
                .iter()
                .find(|c| c.span[0] < span[1] && span[0] < c.span[1])
            {
                return Err(CorrectionError::Overlaps {
                    id: other.id.to_string(),
                });
            }
            let key = CommitmentKey {
                government: context.government.clone(),
                year: context.year,
                path: path_at(&plan.sections, span[0]),
                ordinal: added_ordinal(span[0]),
            };
            plan.commitments.push(Commitment {
                id: key.id(),
                key,
                text: context.slice(*span),
                span: *span,
                kind: CommitmentKind::Qualitative,
                modality: None,
                deadline: context.year_end(),
                targets: Vec::new(),
            });
            plan.commitments.sort_by_key(|c| c.span[0]);
            Ok(())
        }
        Correction::Ignore { span } => {
            context.check_span("所选文字", *span)?;
            let before = plan.commitments.len();
            plan.commitments
                .retain(|c| !(c.span[0] < span[1] && span[0] < c.span[1]));
            if plan.commitments.len() == before {
                return Err(CorrectionError::NothingThere);
            }
            Ok(())
        }
        Correction::SetRole { path, role } => {
            let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
            if !set_role(&mut plan.sections, &keys, *role) {
                return Err(CorrectionError::NoSection { path: path.clone() });
            }
            if *role != Role::Plan {
                plan.commitments.retain(|c| !c.key.path.starts_with(&keys));
            }
            Ok(())
        }
        Correction::Merge { first, second } => {
            if first == second {
                return Err(CorrectionError::MergeSelf);
            }
            let a = find(plan, first)?;
            let b = find(plan, second)?;
            let merged = plan.commitments[b].clone();
            let keep = &mut plan.commitments[a];
            let span = [
                keep.span[0].min(merged.span[0]),
                keep.span[1].max(merged.span[1]),
            ];
            keep.span = span;
            keep.text = context.slice(span);
            keep.targets.extend(merged.targets);
            keep.targets.sort_by_key(|t| t.span);
            if !keep.targets.is_empty() {
                keep.kind = CommitmentKind::Quantified;
            }
            keep.deadline = keep.deadline.max(merged.deadline);
            plan.commitments.remove(b);
            Ok(())
        }
        Correction::Split { commitment, at } => {
            let c = find(plan, commitment)?;
            let original = &plan.commitments[c];
            let [start, end] = original.span;
            let outside = || CorrectionError::SplitOutside {
                id: original.id.to_string(),
                at: *at,
                start,
                end,
            };
            if *at <= start || *at >= end || end > context.len() {
                return Err(outside());
            }
            if context.check_span("拆分位置", [start, *at]).is_err()
                || context.check_span("拆分位置", [*at, end]).is_err()
            {
                return Err(outside());
            }
            let mut second = original.clone();
            second.key.ordinal = added_ordinal(*at);
            second.id = second.key.id();
            second.span = [*at, end];
            second.text = context.slice(second.span);
            second.targets.retain(|t| t.span[0] >= *at);
            let first = &mut plan.commitments[c];
            first.span = [start, *at];
            first.text = context.slice(first.span);
            first.targets.retain(|t| t.span[0] < *at);
            for part in [&mut *first, &mut second] {
                if part.targets.is_empty() && part.kind == CommitmentKind::Quantified {
                    part.kind = CommitmentKind::Qualitative;
                } else if !part.targets.is_empty() {
                    part.kind = CommitmentKind::Quantified;
                }
            }
            plan.commitments.insert(c + 1, second);
            Ok(())
        }
    }
}

fn added_ordinal(start: usize) -> u32 {
    ADDED_ORDINAL_BASE.saturating_add(u32::try_from(start).unwrap_or(u32::MAX - ADDED_ORDINAL_BASE))
}

fn find(plan: &Plan, id: &CommitmentId) -> Result<usize, CorrectionError> {
    plan.commitments
        .iter()
        .position(|c| c.id == *id)
        .ok_or_else(|| CorrectionError::NoCommitment { id: id.to_string() })
}

fn find_target(commitment: &mut Commitment, span: [usize; 2]) -> Result<usize, CorrectionError> {
    commitment
        .targets
        .iter()
        .position(|t| t.span == span)
        .ok_or_else(|| CorrectionError::NoTarget {
            id: commitment.id.to_string(),
            start: span[0],
            end: span[1],
        })
}

fn non_empty(field: &'static str, text: &str) -> Result<String, CorrectionError> {
    let text = text.trim();
    if text.is_empty() {
        Err(CorrectionError::Empty { field })
    } else {
        Ok(text.to_owned())
    }
}

fn check_range(target: &Target) -> Result<(), CorrectionError> {
    if target.cmp == Cmp::Range && target.value_max.is_none_or(|max| max <= target.value) {
        Err(CorrectionError::RangeBound)
    } else {
        Ok(())
    }
}

/// The heading path (keys) of the innermost section containing character `at`.
pub fn path_at(sections: &[Section], at: usize) -> Vec<String> {
    let mut path = Vec::new();
    let mut level = sections;
    while let Some(s) = level.iter().find(|s| s.span[0] <= at && at < s.span[1]) {
        path.push(duban_report::outline::path_key(&s.label));
        level = &s.children;
    }
    path
}

/// Sets the role of the section at `keys` and of everything under it; whether it was found.
fn set_role(sections: &mut [Section], keys: &[String], role: Role) -> bool {
    let Some((first, rest)) = keys.split_first() else {
        return false;
    };
    let Some(section) = sections
        .iter_mut()
        .find(|s| duban_report::outline::path_key(&s.label) == *first)
    else {
        return false;
    };
    if rest.is_empty() {
        set_all(section, role);
        true
    } else {
        set_role(&mut section.children, rest, role)
    }
}

fn set_all(section: &mut Section, role: Role) {
    section.role = role;
    for child in &mut section.children {
        set_all(child, role);
    }
}

/// The role overrides of a log, last one per path winning, for the engine to read the report
/// again with them (so that a part turned into a plan part yields its commitments).
pub fn role_overrides(log: &[Correction]) -> Vec<(String, Role)> {
    let mut out: Vec<(String, Role)> = Vec::new();
    for c in log {
        if let Correction::SetRole { path, role } = c {
            out.retain(|(p, _)| p != path);
            out.push((path.clone(), *role));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;
    use duban_report::extract_text;

    const TEXT: &str = "二、2021年工作安排\n重点抓好以下工作：\n新增城镇就业15万人，城镇调查失业率控制在5%以内。建成一批重大项目。\n完善社会保障体系。\n";

    fn plan() -> (Plan, Context) {
        let (extraction, _) = extract_text(TEXT);
        let plan = Plan::from_extraction("苏州市", 2021, &extraction).unwrap();
        (plan, Context::new("苏州市", 2021, TEXT))
    }

    fn span_of(needle: &str) -> [usize; 2] {
        let byte = TEXT.find(needle).unwrap();
        let start = TEXT[..byte].chars().count();
        [start, start + needle.chars().count()]
    }

    #[test]
    fn add_edit_delete_targets_and_ids_stay() {
        let (mut plan, cx) = plan();
        let ids: Vec<_> = plan.commitments.iter().map(|c| c.id.clone()).collect();
        let job = plan
            .commitments
            .iter()
            .find(|c| c.text.contains("就业"))
            .unwrap()
            .clone();
        let first = job.targets[0].span;
        apply(
            &mut plan,
            &cx,
            &Correction::EditTarget {
                commitment: job.id.clone(),
                target: first,
                indicator: Some("城镇新增就业".into()),
                value: Some(Quantity::from_int(16_0000).unwrap()),
                value_max: None,
                unit: None,
                cmp: Some(Cmp::Ge),
                deadline: None,
            },
        )
        .unwrap();
        let edited = &plan
            .commitments
            .iter()
            .find(|c| c.id == job.id)
            .unwrap()
            .targets[0];
        assert_eq!(edited.indicator, "城镇新增就业");
        assert_eq!(edited.cmp, Cmp::Ge);
        assert_eq!(plan.commitments.len(), ids.len());
        let err = apply(
            &mut plan,
            &cx,
            &Correction::DeleteTarget {
                commitment: job.id.clone(),
                target: [0, 1],
            },
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("指标："), "{err}");
        let outside = apply(
            &mut plan,
            &cx,
            &Correction::AddCommitment { span: [0, 10_000] },
        )
        .unwrap_err();
        assert!(matches!(outside, CorrectionError::SpanOutside { .. }));
        let blank = apply(&mut plan, &cx, &Correction::AddCommitment { span: [3, 3] });
        assert!(matches!(blank, Err(CorrectionError::EmptySpan { .. })));
    }

    #[test]
    fn ignore_add_split_merge_and_replay_lists_stale() {
        let (plan0, cx) = plan();
        let heading = span_of("重点抓好以下工作：");
        let social = span_of("完善社会保障体系。");
        let mut plan = plan0.clone();
        let had_heading = plan.commitments.iter().any(|c| c.span[0] == heading[0]);
        if had_heading {
            apply(&mut plan, &cx, &Correction::Ignore { span: heading }).unwrap();
        }
        assert!(!plan.commitments.iter().any(|c| c.text.contains("重点抓好")));
        // The social-security sentence may already be a commitment; ignore it, then add it back.
        let _ = apply(&mut plan, &cx, &Correction::Ignore { span: social });
        let add = Correction::AddCommitment { span: social };
        apply(&mut plan, &cx, &add).unwrap();
        let added = plan.commitments.iter().find(|c| c.span == social).unwrap();
        assert_eq!(added.key.ordinal, ADDED_ORDINAL_BASE + social[0] as u32);
        let added_id = added.id.clone();
        // Same correction again: refused, plan unchanged.
        let before = plan.clone();
        assert!(matches!(
            apply(&mut plan, &cx, &add),
            Err(CorrectionError::Overlaps { .. })
        ));
        assert_eq!(plan, before);
        // Split it and merge it back.
        let at = social[0] + 4;
        apply(
            &mut plan,
            &cx,
            &Correction::Split {
                commitment: added_id.clone(),
                at,
            },
        )
        .unwrap();
        let second = plan
            .commitments
            .iter()
            .find(|c| c.span[0] == at)
            .unwrap()
            .id
            .clone();
        apply(
            &mut plan,
            &cx,
            &Correction::Merge {
                first: added_id.clone(),
                second,
            },
        )
        .unwrap();
        let merged = plan.commitments.iter().find(|c| c.id == added_id).unwrap();
        assert_eq!(merged.span, social);
        // Replay over a plan that lost the commitment the edit names: listed as stale.
        let log = vec![
            Correction::DeleteTarget {
                commitment: CommitmentId::parse("000000000000").unwrap(),
                target: [1, 2],
            },
            add.clone(),
        ];
        let engine_had_it = plan0
            .commitments
            .iter()
            .any(|c| c.span[0] < social[1] && social[0] < c.span[1]);
        let replayed = replay(plan0, &cx, &log);
        assert!(matches!(
            replayed.outcomes[0],
            Some(CorrectionError::NoCommitment { .. })
        ));
        assert_eq!(replayed.outcomes[1].is_some(), engine_had_it);
        assert!(
            replayed
                .plan
                .commitments
                .iter()
                .any(|c| c.span[0] < social[1] && social[0] < c.span[1])
        );
    }

    #[test]
    fn set_role_drops_commitments_and_is_named_when_missing() {
        let (mut plan, cx) = plan();
        assert!(!plan.commitments.is_empty());
        let part = duban_report::outline::path_key(&plan.sections[0].label);
        apply(
            &mut plan,
            &cx,
            &Correction::SetRole {
                path: part.clone(),
                role: Role::Other,
            },
        )
        .unwrap();
        assert!(plan.commitments.is_empty());
        assert_eq!(plan.sections[0].role, Role::Other);
        let err = apply(
            &mut plan,
            &cx,
            &Correction::SetRole {
                path: "九十九".into(),
                role: Role::Plan,
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "部分：报告中没有标题「九十九」");
        assert_eq!(
            role_overrides(&[
                Correction::SetRole {
                    path: part.clone(),
                    role: Role::Other
                },
                Correction::SetRole {
                    path: part.clone(),
                    role: Role::Plan
                },
            ]),
            vec![(part, Role::Plan)]
        );
    }
}
