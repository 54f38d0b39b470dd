//! `/reports/{id}/fulfilment`: the public 兑现 page of one government's plan of year N. Every
//! target with its verdict read from the review of year N+1 (the office's override beside the
//! computed verdict), the evidence sentence of N+1 with the matched clause marked and a link
//! into the reader of N+1 that highlights that clause (`?span=S-E#evidence`), counts by verdict and by section, and the
//! journalist's lists: promised and not kept, promised and never mentioned again; year over
//! year, the headline targets of N beside N+1 and what recurs in the government's consecutive
//! plans (the same canonical indicator, indicator name or wording). Before the
//! next year's report is published the page shows progress, not a verdict.
//!
//! The office's forms (`/reports/{id}/fulfilment/override`, `…/recompute`) apply the same
//! rule as the API ([`crate::api::v1::fulfilment::apply_override`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use duban_core::auth::Action;
use duban_core::fulfilment::EvidenceKind;
use duban_core::ids::ReportId;
use duban_core::plan::Target;
use duban_core::verdict::VerdictKind;
use duban_core::yoy::Change;
use duban_store::StoredVerdict;
use duban_store::model::ReportDetail;
use serde_json::json;

use super::error::PageError;
use super::form::Fields;
use super::reports::parse_report_id;
use super::tasks::see_other;
use super::view::{Badge, Chrome, STATUS_ORDER, render, script_json};
use crate::auth::Session;
use crate::error::AppError;
use crate::state::AppState;

/// The verdicts in the order the page lists them.
const VERDICTS: [VerdictKind; 4] = [
    VerdictKind::Kept,
    VerdictKind::PartlyKept,
    VerdictKind::NotKept,
    VerdictKind::NotReported,
];

/// The CSS colour class of a verdict.
pub fn verdict_class(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Kept => "c-green",
        VerdictKind::PartlyKept => "c-yellow",
        VerdictKind::NotKept => "c-red",
        VerdictKind::NotReported => "c-grey",
    }
}

fn verdict_hex(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Kept => "#2e8b57",
        VerdictKind::PartlyKept => "#c98a00",
        VerdictKind::NotKept => "#cc3b33",
        VerdictKind::NotReported => "#8a9099",
    }
}

/// A verdict as a badge: class, label, code.
#[derive(Debug, Clone)]
pub struct VerdictBadge {
    /// CSS class.
    pub class: &'static str,
    /// zh-CN label.
    pub label: &'static str,
    /// Code name.
    pub code: &'static str,
}

impl From<VerdictKind> for VerdictBadge {
    fn from(kind: VerdictKind) -> Self {
        VerdictBadge {
            class: verdict_class(kind),
            label: kind.label_zh(),
            code: kind.as_str(),
        }
    }
}

/// The evidence sentence of year N+1 cut around the matched clause.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    /// Text before the clause.
    pub before: String,
    /// The clause (marked).
    pub mark: String,
    /// Text after it.
    pub after: String,
    /// Link into the reader of N+1 at the clause's section.
    pub href: String,
}

/// One target of the plan with its verdict.
#[derive(Debug, Clone)]
pub struct Line {
    /// The commitment's id (for the link and the form).
    pub uid: String,
    /// The target's index.
    pub index: usize,
    /// The plan section.
    pub section: String,
    /// The target's clause in year N.
    pub source: String,
    /// The target in words (城镇新增就业 1200万人以上).
    pub goal: String,
    /// The public verdict.
    pub verdict: VerdictBadge,
    /// The computed verdict, shown beside an override.
    pub computed: VerdictBadge,
    /// The override: (reason, who, date), when there is one.
    pub overridden: Option<(String, String, String)>,
    /// The evidence kind in words.
    pub evidence_kind: &'static str,
    /// Whether the evidence is weaker (blanket).
    pub weak: bool,
    /// The evidence sentence, when there is one.
    pub sentence: Option<Sentence>,
    /// The reason in words.
    pub reason: String,
}

/// Counts of one section (or the whole plan) by verdict.
#[derive(Debug, Clone)]
pub struct Tally {
    /// The section's heading.
    pub label: String,
    /// Counts in [`VERDICTS`] order.
    pub counts: Vec<usize>,
    /// All targets.
    pub total: usize,
}

#[derive(Template)]
#[template(path = "fulfilment.html")]
struct FulfilmentPage {
    chrome: Chrome,
    report_id: i64,
    government: String,
    year: i32,
    next_year: i32,
    review: Option<(i64, String)>,
    legend: Vec<VerdictBadge>,
    tiles: Vec<(VerdictBadge, usize)>,
    total: Tally,
    sections: Vec<Tally>,
    lines: Vec<Line>,
    not_kept: Vec<Line>,
    never_mentioned: Vec<Line>,
    progress: Vec<(Badge, i64)>,
    can_override: bool,
    charts: String,
    notice: String,
    yoy: Vec<YoyLine>,
    /// Indicators raised, lowered, unchanged, dropped, new (and restated) between the years.
    yoy_counts: Vec<(&'static str, usize)>,
    /// The years of the government's consecutive plans read for what recurs.
    recurring_years: Vec<i32>,
    /// What recurs in both N and N+1, longest runs first.
    recurring: Vec<RecurringLine>,
    /// The thresholds of 部分兑现 the verdicts were computed with, in one sentence.
    thresholds: String,
}

/// One row of the recurring table: what recurs, and each year's figure or commitment.
#[derive(Debug, Clone)]
pub struct RecurringLine {
    /// What recurs in words.
    pub label: String,
    /// How it was recognised (zh-CN).
    pub basis: &'static str,
    /// Its code (`indicator`, `name`, `wording`).
    pub code: &'static str,
    /// Whether it stands in every plan read.
    pub every_year: bool,
    /// One cell a year of the chain: (the figure in words or 提出, the commitment id), empty
    /// where that year's plan does not have it.
    pub cells: Vec<(String, String)>,
}

fn recurring_line(years: &[i32], r: &duban_core::yoy::Recurring) -> RecurringLine {
    RecurringLine {
        label: r.label.clone(),
        basis: r.basis.label_zh(),
        code: r.basis.as_str(),
        every_year: r.occurrences.len() == years.len(),
        cells: years
            .iter()
            .map(|y| {
                r.occurrences
                    .iter()
                    .find(|o| o.year == *y)
                    .map(|o| {
                        (
                            o.target
                                .as_ref()
                                .map_or_else(|| "提出".to_string(), figure_words),
                            o.commitment.to_string(),
                        )
                    })
                    .unwrap_or_default()
            })
            .collect(),
    }
}

/// A target's figure in words: `1200万人以上`, `5%左右`, `3%以内`, `4.5-5%`.
pub fn figure_words(t: &Target) -> String {
    let v = duban_core::fulfilment::words(t.value, &t.unit);
    let u = &t.unit;
    match t.cmp {
        duban_core::Cmp::Eq => format!("{v}{u}"),
        duban_core::Cmp::Ge => format!("{v}{u}以上"),
        duban_core::Cmp::Le => format!("{v}{u}以内"),
        duban_core::Cmp::Approx => format!("{v}{u}左右"),
        duban_core::Cmp::Range => match t.value_max {
            Some(m) => format!("{v}-{}{u}", duban_core::fulfilment::words(m, u)),
            None => format!("{v}{u}以上"),
        },
    }
}

/// One row of the year over year table.
#[derive(Debug, Clone)]
pub struct YoyLine {
    /// The canonical indicator with its measure (地区生产总值增长).
    pub indicator: String,
    /// The target of year N in words, or empty.
    pub before: String,
    /// The target of year N+1 in words, or empty.
    pub after: String,
    /// The change's label.
    pub change: &'static str,
    /// The change's code.
    pub code: &'static str,
}

fn yoy_line(r: &duban_core::yoy::Row) -> YoyLine {
    YoyLine {
        indicator: format!("{}{}", r.indicator, r.measure.word_zh()),
        before: r.before.as_ref().map(figure_words).unwrap_or_default(),
        after: r.after.as_ref().map(figure_words).unwrap_or_default(),
        change: r.change.label_zh(),
        code: r.change.as_str(),
    }
}

/// The sentence around a character span of `text` (to the previous and next 。！？；, at most
/// 120 characters either side), the span marked; `None` for a span outside the text.
pub fn sentence_around(chars: &[char], span: [usize; 2]) -> Option<(String, String, String)> {
    let [s, e] = span;
    if s >= e || e > chars.len() {
        return None;
    }
    let stop = |c: char| matches!(c, '。' | '！' | '？' | '；' | '\n');
    let mut start = s;
    while start > 0 && s - start < 120 && !stop(chars[start - 1]) {
        start -= 1;
    }
    let mut end = e;
    while end < chars.len() && end - e < 120 && chars[end] != '\n' {
        end += 1;
        if stop(chars[end - 1]) {
            break;
        }
    }
    let cut = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    Some((cut(start, s), cut(s, e), cut(e, end)))
}

/// The reader's anchor of the innermost section holding character `at`.
fn anchor_at(review: &ReportDetail, at: usize) -> String {
    let at = i64::try_from(at).unwrap_or(i64::MAX);
    review
        .sections
        .iter()
        .filter(|s| s.span[0] <= at && at < s.span[1])
        .min_by_key(|s| s.span[1] - s.span[0])
        .map(|s| format!("#s{}", s.id))
        .unwrap_or_default()
}

/// The link into the reader of N+1 for an evidence span: the span highlighted and scrolled
/// to (`?span=S-E#evidence`) when the reader takes it, else the innermost section's anchor.
fn evidence_href(review: &ReportDetail, text_chars: usize, span: [usize; 2]) -> String {
    let id = review.summary.id.0;
    let query = format!("span={}-{}", span[0], span[1]);
    match super::reports::hit_span(Some(&query), text_chars) {
        Some(span) => super::reports::hit_href(id, span),
        None => format!("/reports/{id}{}", anchor_at(review, span[0])),
    }
}

fn line(v: &StoredVerdict, review: Option<&(ReportDetail, Vec<char>)>) -> Line {
    let sentence = match (review, v.span) {
        (Some((detail, chars)), Some(span)) => {
            sentence_around(chars, span).map(|(before, mark, after)| Sentence {
                before,
                mark,
                after,
                href: evidence_href(detail, chars.len(), span),
            })
        }
        _ => None,
    };
    Line {
        uid: v.commitment.to_string(),
        index: v.target_index,
        section: v.section.clone(),
        source: v.target.source.clone(),
        goal: format!("{} {}", v.target.indicator, figure_words(&v.target)),
        verdict: VerdictBadge::from(v.public()),
        computed: VerdictBadge::from(v.computed),
        overridden: v.overridden.as_ref().map(|o| {
            (
                o.reason.clone(),
                o.actor.clone(),
                o.at.chars().take(10).collect(),
            )
        }),
        evidence_kind: v.evidence_kind.label_zh(),
        weak: v.evidence_kind == EvidenceKind::Blanket,
        sentence,
        reason: v.reason.clone(),
    }
}

fn tally(label: &str, verdicts: &[&StoredVerdict]) -> Tally {
    let counts: Vec<usize> = VERDICTS
        .iter()
        .map(|k| verdicts.iter().filter(|v| v.public() == *k).count())
        .collect();
    Tally {
        label: label.to_string(),
        total: verdicts.len(),
        counts,
    }
}

/// `GET /reports/{id}/fulfilment`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let id = parse_report_id(&id)?;
    let summary = state.store.report_summary(id).await?;
    let verdicts = state.store.verdicts(id).await?;
    let review = match verdicts.first() {
        Some(v) => {
            let detail = state.store.report(v.review_report_id).await?;
            let chars: Vec<char> = detail.text.chars().collect();
            Some((detail, chars))
        }
        None => None,
    };
    let lines: Vec<Line> = verdicts.iter().map(|v| line(v, review.as_ref())).collect();
    let mut section_names: Vec<&str> = Vec::new();
    for v in &verdicts {
        if !section_names.contains(&v.section.as_str()) {
            section_names.push(&v.section);
        }
    }
    let sections: Vec<Tally> = section_names
        .iter()
        .map(|name| {
            let of: Vec<&StoredVerdict> = verdicts.iter().filter(|v| v.section == *name).collect();
            tally(
                if name.is_empty() {
                    "（未分章节）"
                } else {
                    name
                },
                &of,
            )
        })
        .collect();
    let all: Vec<&StoredVerdict> = verdicts.iter().collect();
    let total = tally("合计", &all);
    let pick = |kind: VerdictKind| -> Vec<Line> {
        verdicts
            .iter()
            .zip(&lines)
            .filter(|(v, _)| v.public() == kind)
            .map(|(_, l)| l.clone())
            .collect()
    };
    let progress = if review.is_none() {
        let counts = state.store.status_of_report(id).await?;
        STATUS_ORDER
            .iter()
            .map(|s| (Badge::from(*s), counts.get(*s)))
            .filter(|(_, n)| *n > 0)
            .collect()
    } else {
        Vec::new()
    };
    let charts = json!([{
        "el": "chart-sections", "kind": "bar", "stack": true, "horizontal": true,
        "categories": sections.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
        "series": VERDICTS.iter().enumerate().map(|(i, k)| json!({
            "name": k.label_zh(), "colour": verdict_hex(*k),
            "data": sections.iter().map(|s| s.counts[i]).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }]);
    let yoy: Vec<YoyLine> = match state.store.year_over_year(id).await? {
        Some((_, rows)) => rows.iter().map(yoy_line).collect(),
        None => Vec::new(),
    };
    let yoy_counts = [
        Change::Raised,
        Change::Lowered,
        Change::Unchanged,
        Change::Restated,
        Change::Dropped,
        Change::New,
    ]
    .iter()
    .map(|c| {
        (
            c.label_zh(),
            yoy.iter().filter(|l| l.code == c.as_str()).count(),
        )
    })
    .filter(|(_, n)| *n > 0)
    .collect();
    let (recurring_years, recurring) = match state.store.recurring(id).await? {
        Some((years, items)) => {
            let lines = items.iter().map(|r| recurring_line(&years, r)).collect();
            (years, lines)
        }
        None => (Vec::new(), Vec::new()),
    };
    let notice = match query.get("done").map(String::as_str) {
        Some("override") => "已改判，并记入审计日志。".to_string(),
        Some("recompute") => "已依据下一年度报告重新评定。".to_string(),
        _ => String::new(),
    };
    render(&FulfilmentPage {
        can_override: chrome.can(&Action::OverrideVerdict),
        chrome,
        report_id: id.0,
        government: summary.government.clone(),
        year: summary.year,
        next_year: summary.year + 1,
        review: review
            .as_ref()
            .map(|(d, _)| (d.summary.id.0, d.summary.title.clone())),
        legend: VERDICTS.iter().map(|k| VerdictBadge::from(*k)).collect(),
        tiles: VERDICTS
            .iter()
            .zip(&total.counts)
            .map(|(k, n)| (VerdictBadge::from(*k), *n))
            .collect(),
        total,
        sections,
        not_kept: pick(VerdictKind::NotKept),
        never_mentioned: pick(VerdictKind::NotReported),
        lines,
        progress,
        charts: script_json(&charts),
        notice,
        yoy,
        yoy_counts,
        recurring_years,
        recurring,
        thresholds: state.store.fulfilment_settings().await?.partly_zh(),
    })
}

/// `POST /reports/{id}/fulfilment/override`: the office's override of one target's verdict
/// (fields `commitment`, `target`, `verdict`, `reason`, `_csrf`).
pub async fn override_verdict(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let id = parse_report_id(&id)?;
    let back = format!("/reports/{}/fulfilment", id.0);
    fields.check_csrf(session, &back)?;
    let user = chrome.require(&Action::OverrideVerdict)?.clone();
    let raw = fields.raw("commitment");
    let uid = duban_core::plan::CommitmentId::parse(raw)
        .map_err(|_| PageError::bad("commitment", format!("「任务」编号无效：「{raw}」")))?;
    let target = usize::try_from(fields.int("target", "指标序号")?)
        .map_err(|_| PageError::bad("target", "「指标序号」不能为负数"))?;
    let reason = fields.required_text("reason", &duban_core::text::OVERRIDE_REASON)?;
    crate::api::v1::fulfilment::apply_override(
        &state,
        &user.login,
        &uid,
        target,
        fields.raw("verdict"),
        &reason,
    )
    .await?;
    Ok(see_other(&format!("{back}?done=override")))
}

/// `POST /reports/{id}/fulfilment/recompute`: computes the verdicts again (the office).
pub async fn recompute(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let id: ReportId = parse_report_id(&id)?;
    let back = format!("/reports/{}/fulfilment", id.0);
    fields.check_csrf(session, &back)?;
    let user = chrome.require(&Action::OverrideVerdict)?.clone();
    state.store.recompute_verdicts(&user.login, id).await?;
    Ok(see_other(&format!("{back}?done=recompute")))
}

#[cfg(test)]
mod tests {
    use super::sentence_around;

    #[test]
    fn the_sentence_is_cut_at_its_stops_and_the_clause_marked() {
        let text: Vec<char> =
            "过去一年。国内生产总值达到134.9万亿元、增长5%；城镇新增就业1256万人。"
                .chars()
                .collect();
        let start = 5 + "国内生产总值达到134.9万亿元、".chars().count();
        let (before, mark, after) = sentence_around(&text, [start, start + 4]).unwrap();
        assert_eq!(before, "国内生产总值达到134.9万亿元、");
        assert_eq!(mark, "增长5%");
        assert_eq!(after, "；");
        assert_eq!(sentence_around(&text, [3, 2]), None);
        assert_eq!(sentence_around(&text, [0, text.len() + 1]), None);
    }
}
