//! The supervision bulletin (督查通报) of a report for a chosen date: counts by status, the
//! lagging and overdue tasks grouped by lead department, and the notices still outstanding on
//! that date. Statuses are judged as of that date with the domain's rules, so a bulletin for
//! an earlier date shows the plan as it stood then. Rendered as an HTML page, as Markdown and as
//! a DOCX built by hand (three XML parts in a zip; no Word library needed).

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use askama::Template;
use duban_core::date::{Date, format_date};
use duban_core::status::Status;
use duban_store::Store;

use super::plan::{PlanView, assess_on};
use super::view::{Badge, STATUS_ORDER};
use crate::error::AppError;
use crate::settings::OFFICE_SETTING;

/// A lagging task in a bulletin.
#[derive(Debug, Clone)]
pub struct LagItem {
    /// Its id.
    pub uid: String,
    /// Its text.
    pub text: String,
    /// Its status on the date.
    pub badge: Badge,
    /// The status's reason.
    pub reason: String,
    /// The department's lag reason, or empty.
    pub lag_reason: String,
    /// The deadline.
    pub deadline: String,
}

/// One department's lagging tasks.
#[derive(Debug, Clone)]
pub struct DepartmentBlock {
    /// The department.
    pub name: String,
    /// Its lagging tasks, worst first.
    pub items: Vec<LagItem>,
}

/// A notice outstanding on the date.
#[derive(Debug, Clone)]
pub struct OutstandingNotice {
    /// Its id.
    pub id: i64,
    /// The department addressed.
    pub department: String,
    /// The task's text.
    pub task: String,
    /// Issued on.
    pub issued_on: String,
    /// Due.
    pub due: String,
    /// Past due on the date.
    pub overdue: bool,
}

/// A bulletin.
#[derive(Debug, Clone)]
pub struct Bulletin {
    /// The report's id.
    pub report_id: i64,
    /// The government.
    pub government: String,
    /// The plan year.
    pub year: i32,
    /// The date it is for.
    pub date: String,
    /// Commitments in the report.
    pub total: usize,
    /// Commitments assigned to departments.
    pub assigned: usize,
    /// Counts per status on the date (assigned tasks), in page order.
    pub counts: Vec<(Badge, usize)>,
    /// Share of assigned tasks done or on schedule, in whole percent.
    pub green_percent: usize,
    /// Lagging tasks by lead department.
    pub departments: Vec<DepartmentBlock>,
    /// Notices outstanding.
    pub notices: Vec<OutstandingNotice>,
    /// The issuing office: the `office.name` setting, else the government's 人民政府督查室.
    pub office: String,
    /// The signed checkpoint of the audit chain written when the bulletin was made (count,
    /// head hash, signature), so that a later cut or rewrite of the record shows against it.
    pub audit: String,
}

impl Bulletin {
    /// Builds the bulletin of a report for `date`.
    ///
    /// # Errors
    /// Store failures.
    pub async fn build(store: &Store, plan: &PlanView, date: Date) -> Result<Bulletin, AppError> {
        let judged = assess_on(store, plan, &[date]).await?;
        let mut counts = vec![0usize; STATUS_ORDER.len()];
        let mut by_department: BTreeMap<String, Vec<LagItem>> = BTreeMap::new();
        let mut assigned = 0;
        for (task, judged) in plan.tasks.iter().zip(&judged) {
            let (Some(a), Some(per_date)) = (&task.assignment, judged) else {
                continue;
            };
            let Some(assessment) = per_date.first() else {
                continue;
            };
            assigned += 1;
            if let Some(k) = STATUS_ORDER.iter().position(|s| *s == assessment.status) {
                counts[k] += 1;
            }
            if matches!(
                assessment.status,
                Status::Lagging | Status::SeriouslyLagging | Status::Overdue
            ) {
                by_department
                    .entry(plan.department(a.lead))
                    .or_default()
                    .push(LagItem {
                        uid: task.commitment.uid.to_string(),
                        text: task.commitment.text.clone(),
                        badge: Badge::from(assessment.status),
                        reason: assessment.reason.clone(),
                        lag_reason: assessment
                            .lag_reason
                            .as_ref()
                            .map(|r| format!("{}：{}", r.code.label_zh(), r.text))
                            .unwrap_or_default(),
                        deadline: format_date(a.deadline),
                    });
            }
        }
        let mut departments: Vec<DepartmentBlock> = by_department
            .into_iter()
            .map(|(name, mut items)| {
                items.sort_by_key(|i| std::cmp::Reverse(i.badge.status.severity()));
                DepartmentBlock { name, items }
            })
            .collect();
        departments.sort_by_key(|d| std::cmp::Reverse(d.items.len()));

        let texts: std::collections::HashMap<String, String> = plan
            .tasks
            .iter()
            .map(|t| (t.commitment.uid.to_string(), t.commitment.text.clone()))
            .collect();
        let mut notices = Vec::new();
        for n in store.notices(None, None).await? {
            let Some(task) = texts.get(n.commitment.as_str()) else {
                continue;
            };
            // 未办结 on the bulletin's date: issued by then and not closed by then, whether
            // answered or not.
            let closed = n.closed_on.is_some_and(|d| d <= date);
            if n.issued_on <= date && !closed {
                notices.push(OutstandingNotice {
                    id: n.id.0,
                    department: plan.department(n.department),
                    task: task.clone(),
                    issued_on: format_date(n.issued_on),
                    due: format_date(n.due),
                    // As of the date: answered after the due date by then, or still
                    // unanswered by then and past due.
                    overdue: n.answers.iter().any(|a| a.on <= date && a.on > n.due)
                        || (date > n.due && !n.answers.iter().any(|a| a.on <= date)),
                });
            }
        }
        notices.sort_by_key(|n| n.id);
        let green: usize = counts[..3].iter().sum();
        let audit = store.checkpoint().await?.line();
        let government = &plan.report.summary.government;
        let office = match store.setting(OFFICE_SETTING).await? {
            Some(name) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => format!("{government}人民政府督查室"),
        };
        Ok(Bulletin {
            report_id: plan.report.summary.id.0,
            government: plan.report.summary.government.clone(),
            year: plan.report.summary.year,
            date: format_date(date),
            total: plan.tasks.len(),
            assigned,
            green_percent: (green * 100).checked_div(assigned).unwrap_or(0),
            counts: STATUS_ORDER
                .iter()
                .zip(counts)
                .map(|(s, n)| (Badge::from(*s), n))
                .collect(),
            departments,
            notices,
            office,
            audit,
        })
    }

    /// The bulletin's title.
    pub fn title(&self) -> String {
        format!(
            "{}{}年政府工作报告重点任务督查通报",
            self.government, self.year
        )
    }

    /// The date as a 公文 writes it under the office's name: `2020年6月30日`.
    pub fn date_zh(&self) -> String {
        let mut parts = self.date.split('-').map(|p| p.trim_start_matches('0'));
        match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) => format!("{y}年{m}月{d}日"),
            _ => self.date.clone(),
        }
    }

    /// How many tasks lag on the date.
    pub fn lagging(&self) -> usize {
        self.departments.iter().map(|d| d.items.len()).sum()
    }

    /// The bulletin as Markdown.
    ///
    /// # Errors
    /// [`AppError::Internal`] when the template fails.
    pub fn markdown(&self) -> Result<String, AppError> {
        MarkdownBulletin { b: self }
            .render()
            .map_err(|e| AppError::Internal(format!("template: {e}")))
    }

    /// The bulletin as a DOCX file.
    ///
    /// # Errors
    /// [`AppError::Internal`] when the template or the zip fails.
    pub fn docx(&self) -> Result<Vec<u8>, AppError> {
        let mut paragraphs = vec![
            DocParagraph::title(&self.title()),
            DocParagraph::centered(&format!("（截至{}）", self.date)),
            DocParagraph::heading("一、总体情况"),
            DocParagraph::body(&format!(
                "报告共有任务{}项，已分解到责任单位{}项。截至{}，按序时进度评定：{}。完成或达到序时进度的占{}%。",
                self.total,
                self.assigned,
                self.date,
                self.counts
                    .iter()
                    .map(|(b, n)| format!("{}{}项", b.label, n))
                    .collect::<Vec<_>>()
                    .join("，"),
                self.green_percent
            )),
            DocParagraph::heading(&format!(
                "二、滞后和逾期任务（{}项，按牵头单位）",
                self.lagging()
            )),
        ];
        if self.departments.is_empty() {
            paragraphs.push(DocParagraph::body("无滞后或逾期任务。"));
        }
        for d in &self.departments {
            paragraphs.push(DocParagraph::subheading(&format!(
                "{}（{}项）",
                d.name,
                d.items.len()
            )));
            for (i, item) in d.items.iter().enumerate() {
                let mut line = format!(
                    "{}. 【{}】{}（完成时限{}；{}",
                    i + 1,
                    item.badge.label,
                    item.text,
                    item.deadline,
                    item.reason
                );
                if !item.lag_reason.is_empty() {
                    line.push_str(&format!("；滞后原因：{}", item.lag_reason));
                }
                line.push('）');
                paragraphs.push(DocParagraph::body(&line));
            }
        }
        paragraphs.push(DocParagraph::heading(&format!(
            "三、未办结的督办单（{}份）",
            self.notices.len()
        )));
        if self.notices.is_empty() {
            paragraphs.push(DocParagraph::body("无未办结的督办单。"));
        }
        for n in &self.notices {
            paragraphs.push(DocParagraph::body(&format!(
                "第{}号 {}：{}（{}下发，{}前答复{}）",
                n.id,
                n.department,
                n.task,
                n.issued_on,
                n.due,
                if n.overdue { "，已超期" } else { "" }
            )));
        }
        paragraphs.push(DocParagraph::signature(&self.office));
        paragraphs.push(DocParagraph::signature(&self.date_zh()));
        paragraphs.push(DocParagraph::body(&self.audit));
        let template = |e: askama::Error| AppError::Internal(format!("template: {e}"));
        let document = DocxDocument { paragraphs }.render().map_err(template)?;
        let footer = DocxFooter {
            office: xml_text(&self.office),
            date: self.date_zh(),
        }
        .render()
        .map_err(template)?;
        let zipped = |e: zip::result::ZipError| AppError::Internal(format!("docx: {e}"));
        let io = |e: std::io::Error| AppError::Internal(format!("docx: {e}"));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in [
            (
                "[Content_Types].xml",
                include_str!("../../templates/docx/content_types.xml"),
            ),
            ("_rels/.rels", include_str!("../../templates/docx/rels.xml")),
            ("word/document.xml", document.as_str()),
            (
                "word/_rels/document.xml.rels",
                include_str!("../../templates/docx/document_rels.xml"),
            ),
            ("word/footer1.xml", footer.as_str()),
        ] {
            zip.start_file(name, options).map_err(zipped)?;
            zip.write_all(body.as_bytes()).map_err(io)?;
        }
        Ok(zip.finish().map_err(zipped)?.into_inner())
    }
}

/// The Markdown bulletin escapes every value as HTML (`<script>` becomes `&lt;script&gt;`), so
/// whatever renders it shows the text and runs nothing.
#[derive(Template)]
#[template(path = "bulletin.md", escape = "html")]
struct MarkdownBulletin<'a> {
    b: &'a Bulletin,
}

/// Text as XML 1.0 may hold it: characters XML forbids (C0 controls other than tab and line
/// breaks, U+FFFE, U+FFFF) are dropped, so no stored text can make the document unreadable
/// (the template escapes `<`, `>` and `&`).
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect()
}

/// One paragraph of the DOCX.
struct DocParagraph {
    text: String,
    bold: bool,
    center: bool,
    /// Right-aligned (the office's name and the date under the text).
    right: bool,
    /// Font size in half-points.
    size: u32,
    /// The East Asian font.
    font: &'static str,
}

impl DocParagraph {
    fn title(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: true,
            center: true,
            right: false,
            size: 36,
            font: "方正小标宋简体",
        }
    }
    fn centered(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: false,
            center: true,
            right: false,
            size: 32,
            font: "楷体",
        }
    }
    fn heading(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: false,
            center: false,
            right: false,
            size: 32,
            font: "黑体",
        }
    }
    fn subheading(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: true,
            center: false,
            right: false,
            size: 32,
            font: "楷体",
        }
    }
    fn signature(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: false,
            center: false,
            right: true,
            size: 32,
            font: "仿宋",
        }
    }
    fn body(text: &str) -> Self {
        DocParagraph {
            text: xml_text(text),
            bold: false,
            center: false,
            right: false,
            size: 32,
            font: "仿宋",
        }
    }
}

#[derive(Template)]
#[template(path = "docx/document.xml")]
struct DocxDocument {
    paragraphs: Vec<DocParagraph>,
}

/// The footer of every page: the office, the date and 第 N 页 / 共 M 页 (Word's PAGE and
/// NUMPAGES fields, which Word and WPS fill in when they lay the document out).
#[derive(Template)]
#[template(path = "docx/footer.xml")]
struct DocxFooter {
    office: String,
    date: String,
}
