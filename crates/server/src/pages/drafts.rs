//! `/drafts…`: the supervision office's path for a new report. Upload the files of a report
//! (`/drafts/new`), check what the engine read on the draft page (the text with every
//! commitment and target highlighted in place beside the list of what was extracted, the
//! engine's diagnostics on top), correct it (each correction a form post: edit or delete a
//! target, add a target or a commitment from a text selection, mark a sentence as not to be
//! tracked, change a part's role, merge, split), then publish. Only supervisors and admins
//! ([`Action::ImportReport`]) see any of it; the public pages never show a draft.
//!
//! The page works without JavaScript (the selection's start and end are plain number fields);
//! `/assets/drafts.js` fills them from the mouse selection.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::response::{Html, Response};
use duban_core::auth::Action;
use duban_core::ids::ReportId;
use duban_core::plan::Level;
use duban_store::DraftListing;
use duban_store::drafts::DraftDetail;

use super::error::PageError;
use super::form::Fields;
use super::reports::parse_report_id;
use super::tasks::see_other;
use super::view::{Chrome, render};
use crate::auth::Session;
use crate::error::AppError;
use crate::intake::{self, CorrectionInput};
use crate::state::AppState;

type QueryMap = Query<HashMap<String, String>>;

#[derive(Template)]
#[template(path = "drafts.html")]
struct ListPage {
    chrome: Chrome,
    drafts: Vec<DraftListing>,
    levels: Vec<(&'static str, &'static str)>,
    max_mb: usize,
    error: String,
    government: String,
    year: String,
}

fn levels() -> Vec<(&'static str, &'static str)> {
    Level::ALL
        .iter()
        .map(|l| (l.as_str(), l.label_zh()))
        .collect()
}

/// `GET /drafts`: the drafts and the upload form.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ImportReport)?;
    let drafts = state.store.drafts().await?;
    render(&ListPage {
        chrome,
        drafts,
        levels: levels(),
        max_mb: intake::MAX_REPORT_BYTES / 1_048_576,
        error: String::new(),
        government: String::new(),
        year: String::new(),
    })
}

/// `POST /drafts`: upload the files of one report; on success, to its draft page. The body
/// is read by [`intake::read_upload`] (the API's reader: limits checked while reading).
pub async fn upload(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    request: Request,
) -> Result<Response, PageError> {
    let session = session.map_err(|_| PageError::login("/drafts"))?;
    let user = chrome.require(&Action::ImportReport)?.clone();
    let read = intake::read_upload(request, &state).await;
    let header = read
        .as_ref()
        .map(intake::Upload::header)
        .unwrap_or_default();
    if let Ok(upload) = &read {
        let pairs: Vec<(&str, &str)> = upload
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Fields::from_pairs(&pairs).check_csrf(Ok(session), "/drafts")?;
    }
    let outcome = match read.and_then(|u| intake::read_report(&u.files, &header)) {
        Ok(read) => crate::api::v1::drafts::import(&state, &user.login, &read, false)
            .await
            .map(|s| s.report_id),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(id) => Ok(see_other(&format!("/drafts/{id}?done=import"))),
        Err(
            error @ (AppError::BadRequest { .. }
            | AppError::Conflict(_)
            | AppError::TooLarge { .. }),
        ) => {
            let drafts = state.store.drafts().await?;
            let page = ListPage {
                chrome,
                drafts,
                levels: levels(),
                max_mb: intake::MAX_REPORT_BYTES / 1_048_576,
                error: error.message(),
                government: header.government.unwrap_or_default(),
                year: header.year.unwrap_or_default(),
            };
            let html = render(&page)?;
            Ok(axum::response::IntoResponse::into_response((
                error.status(),
                html,
            )))
        }
        Err(other) => Err(other.into()),
    }
}

/// A run of the text with one look, with its character offset (what the selection script and
/// the span fields read).
#[derive(Debug, Clone)]
pub struct Run {
    /// Its text.
    pub text: String,
    /// Character offset of its first character.
    pub start: usize,
    /// The commitment it is part of, as its index in the list + 1 (0 for none).
    pub commitment: usize,
    /// Whether it is part of a target's clause.
    pub target: bool,
}

/// One target in the list.
#[derive(Debug, Clone)]
pub struct TargetView {
    /// Span start and end (identify it in corrections).
    pub start: i64,
    /// Span end.
    pub end: i64,
    /// 指标.
    pub indicator: String,
    /// 数值.
    pub value: String,
    /// 上限.
    pub value_max: String,
    /// 单位.
    pub unit: String,
    /// Comparator code.
    pub cmp: String,
    /// The clause.
    pub source: String,
}

/// One commitment in the list.
#[derive(Debug, Clone)]
pub struct CommitmentView {
    /// 1-based number in the list.
    pub n: usize,
    /// Its id.
    pub uid: String,
    /// The sentence.
    pub text: String,
    /// Its span.
    pub start: i64,
    /// Span end.
    pub end: i64,
    /// Kind in zh-CN.
    pub kind: &'static str,
    /// Its deadline.
    pub deadline: String,
    /// Its targets.
    pub targets: Vec<TargetView>,
    /// The next commitment's id (to merge with), or empty.
    pub next: String,
    /// Proposed lead and why, or empty.
    pub suggestion: String,
    /// The reason.
    pub reason: String,
    /// The proposed department's id when it is one of the government's own (one-click confirm).
    pub suggested_id: i64,
    /// The lead assigned, or empty.
    pub lead: String,
}

/// A part and its role.
#[derive(Debug, Clone)]
pub struct PartView {
    /// Heading path key.
    pub path: String,
    /// Marker and heading.
    pub title: String,
    /// Role code.
    pub role: String,
}

/// A correction in the log.
#[derive(Debug, Clone)]
pub struct LogLine {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What, in zh-CN.
    pub label: String,
    /// Details (JSON).
    pub detail: String,
    /// Why it no longer applies, or empty.
    pub stale: String,
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    chrome: Chrome,
    id: i64,
    title: String,
    government: String,
    year: i32,
    published: bool,
    published_at: String,
    previous_report_id: i64,
    diagnostics: Vec<(String, String)>,
    paragraphs: Vec<Vec<Run>>,
    commitments: Vec<CommitmentView>,
    parts: Vec<PartView>,
    log: Vec<LogLine>,
    targets: usize,
    notice: String,
    error: String,
    cmps: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
}

fn cmps() -> Vec<(&'static str, &'static str)> {
    vec![
        ("eq", "等于"),
        ("ge", "不低于（以上）"),
        ("le", "不高于（以内）"),
        ("approx", "左右"),
        ("range", "区间"),
    ]
}

fn notice_of(done: Option<&String>) -> String {
    match done.map(String::as_str) {
        Some("import") => "已导入为草稿：请核对识别结果，更正后发布。",
        Some("correct") => "已更正。",
        Some("publish") => "已发布：报告已公开，可以分解任务。",
        Some("unpublish") => "已撤回发布，报告回到草稿。",
        Some("reextract") => "已用当前引擎重新识别，并重放了全部更正。",
        Some("assign") => "已确认牵头单位。",
        _ => "",
    }
    .to_string()
}

/// Lays the text out in paragraphs of runs, marking commitments and targets by their spans.
fn layout(d: &DraftDetail) -> Vec<Vec<Run>> {
    let chars: Vec<char> = d.detail.text.chars().collect();
    let n = chars.len();
    let clamp = |v: i64| usize::try_from(v).unwrap_or(0).min(n);
    let mut commitment = vec![0usize; n];
    let mut target = vec![false; n];
    for (i, c) in d.detail.commitments.iter().enumerate() {
        for slot in &mut commitment[clamp(c.span[0])..clamp(c.span[1]).max(clamp(c.span[0]))] {
            *slot = i + 1;
        }
        for t in &c.targets {
            for slot in &mut target[clamp(t.span[0])..clamp(t.span[1]).max(clamp(t.span[0]))] {
                *slot = true;
            }
        }
    }
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in d.detail.text.split('\n') {
        let len = line.chars().count();
        let end = start + len;
        let mut runs = Vec::new();
        let mut i = start;
        while i < end {
            let mut j = i + 1;
            while j < end && commitment[j] == commitment[i] && target[j] == target[i] {
                j += 1;
            }
            runs.push(Run {
                text: chars[i..j].iter().collect(),
                start: i,
                commitment: commitment[i],
                target: target[i],
            });
            i = j;
        }
        if !line.trim().is_empty() {
            paragraphs.push(runs);
        }
        start = end + 1;
    }
    paragraphs
}

async fn draft_page(
    state: &AppState,
    chrome: Chrome,
    id: ReportId,
    notice: String,
    error: String,
) -> Result<Html<String>, PageError> {
    let d = state.store.draft(id).await?;
    let suggestions: HashMap<String, duban_core::suggest::Suggestion> = state
        .store
        .lead_suggestions(id)
        .await?
        .into_iter()
        .map(|(uid, s)| (uid.to_string(), s))
        .collect();
    let departments = state
        .store
        .departments(d.detail.summary.government_id)
        .await?;
    let published = d.published_at.is_some();
    let mut leads: HashMap<String, String> = HashMap::new();
    if published {
        for c in &d.detail.commitments {
            if let Some(a) = state.store.assignment(&c.uid).await? {
                let name = departments
                    .iter()
                    .find(|x| x.id == a.lead)
                    .map_or_else(String::new, |x| x.name.clone());
                leads.insert(c.uid.to_string(), name);
            }
        }
    }
    let commitments: Vec<CommitmentView> = d
        .detail
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let uid = c.uid.to_string();
            let s = suggestions.get(&uid);
            CommitmentView {
                n: i + 1,
                uid: uid.clone(),
                text: c.text.clone(),
                start: c.span[0],
                end: c.span[1],
                kind: match c.kind {
                    duban_report::model::CommitmentKind::Quantified => "量化",
                    duban_report::model::CommitmentKind::Milestone => "节点",
                    duban_report::model::CommitmentKind::Qualitative => "定性",
                },
                deadline: c
                    .deadline
                    .map(duban_core::date::format_date)
                    .unwrap_or_default(),
                targets: c
                    .targets
                    .iter()
                    .map(|t| TargetView {
                        start: t.span[0],
                        end: t.span[1],
                        indicator: t.indicator.clone(),
                        value: t.value.to_string(),
                        value_max: t.value_max.map(|v| v.to_string()).unwrap_or_default(),
                        unit: t.unit.clone(),
                        cmp: serde_json::to_value(t.cmp)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        source: t.source.clone(),
                    })
                    .collect(),
                next: d
                    .detail
                    .commitments
                    .get(i + 1)
                    .map(|n| n.uid.to_string())
                    .unwrap_or_default(),
                suggestion: s.map(|s| s.department.clone()).unwrap_or_default(),
                reason: s.map(|s| s.reason_zh()).unwrap_or_default(),
                suggested_id: s
                    .filter(|s| s.existing)
                    .and_then(|s| departments.iter().find(|x| x.name == s.department))
                    .map_or(0, |x| x.id.0),
                lead: leads.get(&uid).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let parts = d
        .detail
        .sections
        .iter()
        .filter(|s| s.parent.is_none())
        .map(|s| PartView {
            path: duban_report::outline::path_key(&s.label),
            title: format!("{}{}", s.label, s.heading),
            role: s.role.clone(),
        })
        .collect();
    let log = d
        .corrections
        .iter()
        .map(|c| LogLine {
            at: c.at.replace('T', " ").chars().take(19).collect(),
            actor: c.actor.clone(),
            label: c.correction.label_zh().to_string(),
            detail: serde_json::to_string(&c.correction).unwrap_or_default(),
            stale: c.stale.clone().unwrap_or_default(),
        })
        .collect();
    let targets = d.detail.commitments.iter().map(|c| c.targets.len()).sum();
    render(&DraftPage {
        chrome,
        id: id.0,
        title: d.detail.summary.title.clone(),
        government: d.detail.summary.government.clone(),
        year: d.detail.summary.year,
        published,
        published_at: d
            .published_at
            .clone()
            .unwrap_or_default()
            .chars()
            .take(10)
            .collect(),
        previous_report_id: d.previous_report_id.unwrap_or(0),
        diagnostics: d
            .diagnostics
            .iter()
            .map(|x| {
                (
                    if x.severity == "warning" {
                        "警告"
                    } else {
                        "提示"
                    }
                    .to_string(),
                    x.message.clone(),
                )
            })
            .collect(),
        paragraphs: layout(&d),
        commitments,
        parts,
        log,
        targets,
        notice,
        error,
        cmps: cmps(),
        roles: vec![
            ("plan", "工作安排"),
            ("review", "工作回顾"),
            ("other", "其他"),
        ],
    })
}

/// `GET /drafts/{id}`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    Query(query): QueryMap,
) -> Result<Html<String>, PageError> {
    chrome.require(&Action::ImportReport)?;
    let id = parse_report_id(&id)?;
    draft_page(
        &state,
        chrome,
        id,
        notice_of(query.get("done")),
        String::new(),
    )
    .await
}

/// Re-renders the draft page with an error, answering with the error's status.
async fn refused(
    state: &AppState,
    chrome: Chrome,
    id: ReportId,
    error: AppError,
) -> Result<Response, PageError> {
    if !matches!(error, AppError::BadRequest { .. } | AppError::Conflict(_)) {
        return Err(error.into());
    }
    let html = draft_page(state, chrome, id, String::new(), error.message()).await?;
    Ok(axum::response::IntoResponse::into_response((
        error.status(),
        html,
    )))
}

fn input_of(fields: &Fields) -> CorrectionInput {
    let text = |k: &str| fields.get(k).map(str::to_string);
    let int = |k: &str| -> Option<i64> { fields.get(k).and_then(|v| v.parse().ok()) };
    CorrectionInput {
        kind: fields.get("kind").unwrap_or("").to_string(),
        commitment: text("commitment"),
        other: text("other"),
        start: int("start"),
        end: int("end"),
        at: int("at"),
        indicator: text("indicator"),
        value: text("value"),
        value_max: text("value_max"),
        unit: fields.get("unit").map(str::to_string).or_else(|| {
            // An emptied unit field clears the unit.
            (fields.raw("unit_present") == "1").then(String::new)
        }),
        cmp: text("cmp"),
        deadline: text("deadline"),
        path: text("path"),
        role: text("role"),
    }
}

/// Checks that number fields hold numbers, naming the field (the correction reader sees only
/// what parsed).
fn check_offsets(fields: &Fields) -> Result<(), AppError> {
    for (name, label) in [
        ("start", "起始位置"),
        ("end", "结束位置"),
        ("at", "拆分位置"),
    ] {
        if let Some(raw) = fields.get(name)
            && raw.parse::<i64>().is_err()
        {
            return Err(AppError::bad_request(
                name,
                format!("「{label}」应为整数，填写的是「{raw}」"),
            ));
        }
    }
    Ok(())
}

/// `POST /drafts/{id}/corrections`: one correction from the page's forms.
pub async fn correct(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path(id): Path<String>,
    fields: Fields,
) -> Result<Response, PageError> {
    let id = parse_report_id(&id)?;
    fields.check_csrf(session, &format!("/drafts/{}", id.0))?;
    let user = chrome.require(&Action::ImportReport)?.clone();
    let result =
        match check_offsets(&fields).and_then(|()| intake::correction_from(&input_of(&fields))) {
            Ok(correction) => state
                .store
                .correct_report(&user.login, id, correction)
                .await
                .map_err(AppError::from),
            Err(e) => Err(e),
        };
    match result {
        Ok(_) => Ok(see_other(&format!("/drafts/{}?done=correct#list", id.0))),
        Err(e) => refused(&state, chrome, id, e).await,
    }
}

/// `POST /drafts/{id}/publish`, `/unpublish`, `/reextract`.
pub async fn act(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Result<Session, AppError>,
    Path((id, what)): Path<(String, String)>,
    fields: Fields,
) -> Result<Response, PageError> {
    let id = parse_report_id(&id)?;
    fields.check_csrf(session, &format!("/drafts/{}", id.0))?;
    let user = chrome.require(&Action::ImportReport)?.clone();
    let result = match what.as_str() {
        "publish" => state
            .store
            .publish_report(&user.login, id)
            .await
            .map(|_| ())
            .map_err(AppError::from),
        "unpublish" => state
            .store
            .unpublish_report(&user.login, id)
            .await
            .map_err(AppError::from),
        "reextract" => crate::api::v1::drafts::reread(&state, &user.login, id)
            .await
            .map(|_| ()),
        "assign" => confirm_lead(&state, &chrome, &fields).await,
        _ => return Err(AppError::NotFound(format!("操作 {what}")).into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/drafts/{}?done={what}", id.0))),
        Err(e) => refused(&state, chrome, id, e).await,
    }
}

/// One-click confirmation of a proposed lead: assigns the commitment to it (deadline: the
/// commitment's own).
async fn confirm_lead(state: &AppState, chrome: &Chrome, fields: &Fields) -> Result<(), AppError> {
    chrome
        .require(&Action::Assign)
        .map_err(|_| AppError::Forbidden("无权分解任务".into()))?;
    let user = chrome.user.clone().ok_or(AppError::Unauthorized)?;
    let raw = fields.get("commitment").unwrap_or("");
    let uid = duban_core::plan::CommitmentId::parse(raw)
        .map_err(|_| AppError::bad_request("commitment", format!("「任务」编号无效：「{raw}」")))?;
    let lead = fields
        .get("lead")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::bad_request("lead", "请指明「牵头单位」"))?;
    state
        .store
        .assign(
            &user.login,
            &uid,
            duban_core::ids::DepartmentId(lead),
            Vec::new(),
            None,
            state.today(),
        )
        .await?;
    Ok(())
}
