//! What the pages show, on the demo plan (苏州市 2020, every status present on 2020-09-30):
//! each status its own colour in the badges, the reader, the stylesheet and the charts; the
//! legend's margins from the thresholds in force; amounts as the report writes them; breadcrumbs
//! and the export naming the headings; tables that carry their column labels for the phone
//! layout; the DOCX bulletin's issuing office, date and page-number footer.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use duban_core::status::Status;
use duban_server::pages::view::{status_class, status_hex};
use duban_server::{AppState, Settings, demo, router};
use duban_store::Store;
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Demo {
    state: AppState,
    _dir: tempfile::TempDir,
    report: i64,
    passwords: HashMap<String, String>,
}

async fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("ui.db").display());
    let store = Store::open(&url).await.unwrap();
    let summary = demo::load(&store, demo::default_as_of()).await.unwrap();
    let settings = Settings {
        as_of: Some(demo::default_as_of()),
        evidence_dir: Some(dir.path().join("evidence")),
        ..Settings::default()
    };
    Demo {
        state: AppState::with_secret(store, settings, b"ui test secret"),
        _dir: dir,
        report: summary.report_id,
        passwords: summary
            .accounts
            .into_iter()
            .map(|a| (a.login, a.password))
            .collect(),
    }
}

impl Demo {
    async fn cookie(&self, login: &str) -> String {
        let session = duban_server::auth::login(&self.state, login, &self.passwords[login])
            .await
            .unwrap();
        session
            .header()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    async fn get(&self, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
        let mut request = Request::get(path);
        if !cookie.is_empty() {
            request = request.header(header::COOKIE, cookie);
        }
        let response = router(self.state.clone())
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, body.to_vec())
    }

    async fn page(&self, path: &str, cookie: &str) -> String {
        let (status, body) = self.get(path, cookie).await;
        let text = String::from_utf8(body).unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        text
    }
}

const SHOWN: [Status; 7] = [
    Status::Done,
    Status::Ahead,
    Status::OnTrack,
    Status::Lagging,
    Status::SeriouslyLagging,
    Status::Overdue,
    Status::NotStarted,
];

#[tokio::test(flavor = "multi_thread")]
async fn each_status_has_its_own_colour_in_pages_stylesheet_and_charts() {
    let app = demo().await;
    // Seven classes, seven chart colours, no two alike.
    let classes: HashSet<&str> = SHOWN.iter().map(|s| status_class(*s)).collect();
    let colours: HashSet<&str> = SHOWN.iter().map(|s| status_hex(*s)).collect();
    assert_eq!((classes.len(), colours.len()), (7, 7));

    // The stylesheet gives each status class the chart's colour.
    let css = app.page("/assets/style.css", "").await;
    for s in SHOWN {
        let own = status_class(s).split(' ').nth(1).unwrap();
        let var = format!("--{own}: {};", status_hex(s));
        assert!(css.contains(&var), "{var} missing from style.css");
        assert!(
            css.contains(&format!(".{own} {{ --c: var(--{own});")),
            "{own} sets no colour"
        );
    }

    // The reader highlights each status present with its own class: 已完成, 超进度 and 达进度
    // apart, 严重滞后 apart from 逾期.
    let detail = app
        .state
        .store
        .report(duban_core::ids::ReportId(app.report))
        .await
        .unwrap();
    let present: HashSet<Status> = detail.commitments.iter().map(|c| c.status).collect();
    assert!(present.len() >= 5, "{present:?}");
    assert!(present.contains(&Status::SeriouslyLagging) && present.contains(&Status::Overdue));
    let reader = app.page(&format!("/reports/{}", app.report), "").await;
    for s in present {
        let mark = format!(
            "<a class=\"cm {}\" data-status=\"{}\"",
            status_class(s),
            s.as_str()
        );
        assert!(reader.contains(&mark), "no {mark} in the reader");
    }

    // The dashboard's charts use the same seven colours, one per status.
    let dashboard = app
        .page(&format!("/reports/{}/dashboard", app.report), "")
        .await;
    let json = dashboard
        .split("<script type=\"application/json\" id=\"chart-data\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("chart data");
    let charts: serde_json::Value = serde_json::from_str(json).unwrap();
    let series = charts[0]["series"].as_array().unwrap();
    let mut by_name = HashMap::new();
    for s in series {
        by_name.insert(
            s["name"].as_str().unwrap().to_string(),
            s["colour"].as_str().unwrap().to_string(),
        );
    }
    for s in SHOWN {
        assert_eq!(by_name[s.label_zh()], status_hex(s), "{}", s.label_zh());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_legend_states_the_margins_in_force() {
    let app = demo().await;
    let reader = app.page(&format!("/reports/{}", app.report), "").await;
    for words in [
        "超前序时进度10个百分点及以上",
        "落后序时进度10至30个百分点",
        "落后序时进度超过30个百分点",
    ] {
        assert!(reader.contains(words), "the legend lacks {words}");
    }
    app.state
        .store
        .set_setting("test", "status.lagging", "15")
        .await
        .unwrap();
    let dashboard = app
        .page(&format!("/reports/{}/dashboard", app.report), "")
        .await;
    assert!(
        dashboard.contains("落后序时进度15至30个百分点"),
        "the legend does not follow the setting"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn amounts_read_as_the_report_writes_them() {
    let app = demo().await;
    let detail = app
        .state
        .store
        .report(duban_core::ids::ReportId(app.report))
        .await
        .unwrap();
    let farmland = detail
        .commitments
        .iter()
        .find(|c| {
            c.targets
                .iter()
                .any(|t| t.unit == "亩" && t.value.to_string() == "200000")
        })
        .expect("the 20万亩 target of the seed report");
    let page = app
        .page(&format!("/commitments/{}", farmland.uid), "")
        .await;
    assert!(page.contains("20万亩"), "20万亩 not on the page");
    assert!(!page.contains("200000亩"), "200000亩 on the page");

    let cookie = app.cookie("duchashi").await;
    let (status, xlsx) = app
        .get(
            &format!("/supervisor/export.xlsx?report={}", app.report),
            &cookie,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let cells = xlsx_cells(&xlsx);
    assert!(
        cells.iter().any(|c| c.contains("目标20万亩")),
        "the export's goal is not 20万亩"
    );
    assert!(!cells.iter().any(|c| c.contains("200000亩")));
}

#[tokio::test(flavor = "multi_thread")]
async fn breadcrumbs_and_the_export_name_the_headings() {
    let app = demo().await;
    let detail = app
        .state
        .store
        .report(duban_core::ids::ReportId(app.report))
        .await
        .unwrap();
    let c = detail
        .commitments
        .iter()
        .find(|c| c.path.len() >= 2)
        .expect("a commitment two headings deep");
    let section = detail
        .sections
        .iter()
        .find(|s| Some(s.id) == c.section_id)
        .unwrap();
    let page = app.page(&format!("/commitments/{}", c.uid), "").await;
    let crumbs = page
        .split("id=\"crumbs\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .expect("breadcrumbs");
    let start: String = section.heading.chars().take(6).collect();
    assert!(
        crumbs.contains(&format!("{}{start}", section.label)),
        "the heading「{}」is not in {crumbs}",
        section.heading
    );
    assert!(
        crumbs.contains(&format!("href=\"/reports/{}#s{}\"", app.report, section.id)),
        "{crumbs}"
    );
    let text_start = c
        .text
        .chars()
        .take(8)
        .collect::<String>()
        .replace('"', "&#34;");
    assert!(crumbs.contains(&text_start), "{crumbs}");
    assert!(!crumbs.contains(&c.path.join(" › ")), "{crumbs}");
    assert!(!crumbs.contains(c.uid.as_str()), "{crumbs}");

    let cookie = app.cookie("duchashi").await;
    // The assignment form's breadcrumb names the task by its text, not its id.
    let assign = app
        .page(&format!("/supervisor/assign/{}", c.uid), &cookie)
        .await;
    let assign_crumbs = assign
        .split("class=\"crumbs\"")
        .nth(1)
        .and_then(|s| s.split("</div>").next())
        .expect("the assignment form's breadcrumbs");
    assert!(assign_crumbs.contains(&text_start), "{assign_crumbs}");
    assert!(
        !assign_crumbs.contains(&format!("任务 {}", c.uid)),
        "{assign_crumbs}"
    );
    let (_, xlsx) = app
        .get(
            &format!("/supervisor/export.xlsx?report={}", app.report),
            &cookie,
        )
        .await;
    let cells = xlsx_cells(&xlsx);
    assert!(
        cells
            .iter()
            .any(|x| x.contains(&format!("{}{start}", section.label))),
        "the export's 章节 does not name the heading"
    );
    assert!(
        !cells.contains(&c.path.join(".")),
        "bare labels in the export"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn table_cells_carry_their_column_labels() {
    let app = demo().await;
    let supervisor = app.cookie("duchashi").await;
    let overview = app.page("/supervisor", &supervisor).await;
    assert!(overview.contains("<table data-cards"), "no card table");
    assert!(
        overview.contains("<td data-label=\"单位\""),
        "no labelled cell"
    );
    let department = app.cookie("nyncj").await;
    let tasks = app.page("/tasks", &department).await;
    let labelled = tasks.matches(" data-label=\"").count();
    assert!(labelled > 10, "{labelled} labelled cells on the task list");
    let dashboard = app
        .page(&format!("/reports/{}/dashboard", app.report), "")
        .await;
    assert!(dashboard.contains(&format!(
        "<td data-label=\"{}\" class=\"num\">",
        Status::SeriouslyLagging.label_zh()
    )));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_docx_bulletin_names_the_office_date_and_pages() {
    let app = demo().await;
    let cookie = app.cookie("duchashi").await;
    let path = format!(
        "/supervisor/bulletin.docx?report={}&date=2020-09-30",
        app.report
    );
    let (status, docx) = app.get(&path, &cookie).await;
    assert_eq!(status, StatusCode::OK);
    let parts = unzip(&docx);
    let footer = &parts["word/footer1.xml"];
    for needed in [
        "苏州市人民政府督查室",
        "2020年9月30日",
        "第 </w:t>",
        "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>",
        " 页 / 共 </w:t>",
        "<w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText>",
        "w:fldCharType=\"begin\"",
        "w:fldCharType=\"end\"",
    ] {
        assert!(footer.contains(needed), "footer lacks {needed}: {footer}");
    }
    let body = &parts["word/document.xml"];
    assert!(body.contains("<w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>"));
    assert!(body.contains("<w:jc w:val=\"right\"/>"));
    assert!(body.contains(">苏州市人民政府督查室</w:t>"));
    assert!(body.contains(">2020年9月30日</w:t>"));
    assert!(parts["word/_rels/document.xml.rels"].contains("Id=\"rIdFooter1\""));
    assert!(parts["word/_rels/document.xml.rels"].contains("Target=\"footer1.xml\""));
    assert!(parts["[Content_Types].xml"].contains("/word/footer1.xml"));

    // The office's own name, when set, replaces the default.
    app.state
        .store
        .set_setting("test", "office.name", "苏州市政府督查室")
        .await
        .unwrap();
    let (_, docx) = app.get(&path, &cookie).await;
    let parts = unzip(&docx);
    assert!(parts["word/footer1.xml"].contains("苏州市政府督查室　2020年9月30日"));
    assert!(!parts["word/footer1.xml"].contains("人民政府督查室"));
    let page = app
        .page(
            &format!("/supervisor/bulletin?report={}&date=2020-09-30", app.report),
            &cookie,
        )
        .await;
    assert!(page.contains("苏州市政府督查室<br>2020年9月30日"));
}

fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = HashMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        parts.insert(file.name().to_string(), text);
    }
    parts
}

fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect()
}

/// The overview's by-department table links each department to its own task list, which holds
/// exactly the tasks that department leads in that report.
#[tokio::test(flavor = "multi_thread")]
async fn department_names_link_to_their_task_lists() {
    let app = demo().await;
    let cookie = app.cookie("duchashi").await;
    let overview = app
        .page(&format!("/supervisor?report={}", app.report), &cookie)
        .await;
    let counts = app
        .state
        .store
        .status_by_department(duban_core::ids::ReportId(app.report))
        .await
        .unwrap();
    let busiest = counts
        .iter()
        .max_by_key(|d| d.counts.total())
        .expect("departments with tasks");
    let href = format!(
        "/supervisor/departments/{}?report={}",
        busiest.department.id, app.report
    );
    assert!(
        overview.contains(&format!("href=\"{href}\">{}</a>", busiest.department.name)),
        "the overview does not link {}",
        busiest.department.name
    );
    let page = app.page(&href, &cookie).await;
    assert!(page.contains(&format!("<h1>{}的任务</h1>", busiest.department.name)));
    let led = page
        .split("id=\"led-table\"")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .expect("the led tasks' table");
    assert_eq!(
        led.matches("<tr>").count() - 1,
        usize::try_from(busiest.counts.total()).unwrap(),
        "one row a led task (after the header row)"
    );
    // A department of no government here is not found.
    let (status, _) = app
        .get(
            &format!("/supervisor/departments/999999?report={}", app.report),
            &cookie,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
