//! The server-rendered pages driven through `router(state).oneshot(..)` on a temporary SQLite
//! store holding the seed report (苏州市 2020) with two departments and their users. Every
//! form's bad input (missing fields, wrong types, oversized or mistyped files, a spreadsheet
//! with a missing column, another department's task, a missing CSRF token) answers with a
//! zh-CN message and changes nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use duban_core::auth::Role;
use duban_core::date::{Date, parse_date};
use duban_core::ids::ReportId;
use duban_core::plan::{CommitmentId, Level};
use duban_core::status::Status;
use duban_report::CommitmentKind;
use duban_server::pages::error::encode_query_value;
use duban_server::{AppState, Settings, router};
use duban_store::model::DepartmentRow;
use duban_store::{ImportRequest, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod common;
use common::assert_no_codes;

const SEED: &str = include_str!("../../../testdata/seed/suzhou-2020-report-page2.txt");
const PASSWORD: &str = "correct horse battery";

fn day(s: &str) -> Date {
    parse_date("test", s).expect("date")
}

struct App {
    state: AppState,
    _dir: tempfile::TempDir,
    report: ReportId,
    /// A quantified commitment led by 农业农村局.
    quantified: CommitmentId,
    /// A quantified commitment led by 民政局.
    other: CommitmentId,
    /// A milestone led by 农业农村局.
    milestone: CommitmentId,
    /// An unassigned commitment.
    unassigned: CommitmentId,
    agri: DepartmentRow,
    civil: DepartmentRow,
}

async fn app() -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("pages.db").display());
    let store = Store::open(&url).await.expect("store");
    let sources = [duban_report::Source {
        name: "suzhou-2020-report-page2.txt",
        bytes: SEED.as_bytes(),
    }];
    let ingested = duban_report::ingest::ingest(&sources).expect("ingest");
    let (extraction, _) = duban_report::extract_sources(&sources).expect("extract");
    let summary = store
        .import_report(
            "test",
            ImportRequest {
                government: "苏州市",
                level: Level::City,
                year: 2020,
                text: &ingested.text,
                source: "seed",
                extraction: &extraction,
            },
        )
        .await
        .expect("import");
    let report = ReportId(summary.report_id);
    let agri = store
        .add_department("test", "苏州市", "市农业农村局")
        .await
        .unwrap();
    let civil = store
        .add_department("test", "苏州市", "市民政局")
        .await
        .unwrap();
    let hash = duban_store::password::hash_password(PASSWORD).unwrap();
    for (login, name, role) in [
        ("admin", "管理员", Role::Admin),
        ("dc", "督查室", Role::Supervisor),
        ("viewer", "领导", Role::Viewer),
        ("nyj", "农业农村局联络员", Role::Department(agri.id)),
        ("mzj", "民政局联络员", Role::Department(civil.id)),
    ] {
        store
            .add_user("test", login, name, role, &hash)
            .await
            .unwrap();
    }
    let detail = store.report(report).await.unwrap();
    let mut quantified = detail.commitments.iter().filter(|c| {
        !c.targets.is_empty() && c.targets.iter().all(|t| t.cmp != duban_report::Cmp::Le)
    });
    let q = quantified
        .next()
        .expect("a quantified commitment")
        .uid
        .clone();
    let q2 = quantified.next().expect("two quantified").uid.clone();
    let milestone = detail
        .commitments
        .iter()
        .find(|c| c.kind == CommitmentKind::Milestone && c.targets.is_empty())
        .expect("a milestone")
        .uid
        .clone();
    let unassigned = detail
        .commitments
        .iter()
        .rev()
        .find(|c| ![&q, &q2, &milestone].contains(&&c.uid))
        .unwrap()
        .uid
        .clone();
    let today = day("2020-06-30");
    let deadline = Some(day("2020-12-31"));
    store
        .assign("test", &q, agri.id, vec![civil.id], deadline, today)
        .await
        .unwrap();
    store
        .assign("test", &q2, civil.id, vec![], deadline, today)
        .await
        .unwrap();
    store
        .assign("test", &milestone, agri.id, vec![], deadline, today)
        .await
        .unwrap();
    let settings = Settings {
        as_of: Some(today),
        evidence_dir: Some(dir.path().join("evidence")),
        ..Settings::default()
    };
    App {
        state: AppState::with_secret(store, settings, b"pages test secret"),
        _dir: dir,
        report,
        quantified: q,
        other: q2,
        milestone,
        unassigned,
        agri,
        civil,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

/// A signed-in browser: its session cookie and the CSRF token of its forms.
#[derive(Clone, Default)]
struct Agent {
    cookie: String,
    csrf: String,
}

impl App {
    async fn send(&self, request: Request<Body>) -> Reply {
        let response = router(self.state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str, agent: &Agent) -> Reply {
        let mut request = Request::get(path);
        if !agent.cookie.is_empty() {
            request = request.header(header::COOKIE, &agent.cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, agent: &Agent, pairs: &[(&str, &str)]) -> Reply {
        let mut body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_query_value(k), encode_query_value(v)))
            .collect();
        if !agent.csrf.is_empty() && !pairs.iter().any(|(k, _)| *k == "_csrf") {
            body.push(format!("_csrf={}", agent.csrf));
        }
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if !agent.cookie.is_empty() {
            request = request.header(header::COOKIE, &agent.cookie);
        }
        self.send(request.body(Body::from(body.join("&"))).unwrap())
            .await
    }

    async fn multipart(
        &self,
        path: &str,
        agent: &Agent,
        pairs: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Reply {
        let mut pairs: Vec<(&str, &str)> = pairs.to_vec();
        if !agent.csrf.is_empty() {
            pairs.push(("_csrf", &agent.csrf));
        }
        let (content_type, body) = common::multipart_body(&pairs, files);
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if !agent.cookie.is_empty() {
            request = request.header(header::COOKIE, &agent.cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// A browser that opened the login form: its `duban_login` cookie and the form's token.
    async fn login_form(&self) -> Agent {
        let (cookie, csrf) = common::login_form(router(self.state.clone())).await;
        Agent { cookie, csrf }
    }

    async fn login(&self, login: &str) -> Agent {
        let form = self.login_form().await;
        let reply = self
            .post("/login", &form, &[("login", login), ("password", PASSWORD)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .expect("a session cookie")
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut agent = Agent {
            cookie,
            csrf: String::new(),
        };
        let page = self.get("/", &agent).await.text();
        let marker = "name=\"_csrf\" value=\"";
        let at = page.find(marker).expect("a CSRF field on the page") + marker.len();
        agent.csrf = page[at..].split('"').next().unwrap().to_string();
        agent
    }

    async fn history_len(&self, uid: &CommitmentId) -> usize {
        self.state.store.progress_history(uid).await.unwrap().len()
    }
}

fn anonymous() -> Agent {
    Agent::default()
}

#[tokio::test]
async fn public_pages_render_for_anonymous_visitors() {
    let app = app().await;
    let portal = app.get("/", &anonymous()).await;
    assert_eq!(portal.status, StatusCode::OK);
    let html = portal.text();
    assert!(
        html.contains("苏州市") && html.contains("2020 年"),
        "{html}"
    );
    assert!(html.contains(&format!("/reports/{}", app.report.0)));

    let reader = app
        .get(&format!("/reports/{}", app.report.0), &anonymous())
        .await;
    assert_eq!(reader.status, StatusCode::OK);
    let html = reader.text();
    let detail = app.state.store.report(app.report).await.unwrap();
    let marks = html.matches("<a class=\"cm ").count();
    assert_eq!(
        marks,
        detail.commitments.len(),
        "one highlight per commitment"
    );
    assert!(html.contains(&format!("href=\"/commitments/{}\"", app.quantified)));
    assert!(html.contains("class=\"toc\""));
    assert!(html.contains("深入推进乡村振兴"));

    let dashboard = app
        .get(
            &format!("/reports/{}/dashboard", app.report.0),
            &anonymous(),
        )
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let html = dashboard.text();
    assert!(html.contains("id=\"chart-data\""));
    assert!(html.contains("/assets/vendor/echarts/echarts.min.js"));
    assert!(html.contains("市农业农村局"), "department counts");

    let page = app
        .get(&format!("/commitments/{}", app.quantified), &anonymous())
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("市农业农村局") && html.contains("市民政局"));
    assert!(html.contains("公开评定"));
    assert!(
        !html.contains("notice-form"),
        "no notice form for the public"
    );

    let asset = app
        .get("/assets/vendor/echarts/echarts.min.js", &anonymous())
        .await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(asset.body.len() > 100_000);
    assert_eq!(
        app.get("/assets/nope.js", &anonymous()).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn unknown_things_answer_404_as_html() {
    let app = app().await;
    for path in [
        "/commitments/zzz",
        "/commitments/000000000000",
        "/reports/999",
        "/reports/abc/dashboard",
    ] {
        let reply = app.get(path, &anonymous()).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        let ct = reply
            .headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(reply.text().contains("未找到"), "{path}");
    }
}

#[tokio::test]
async fn search_finds_two_character_words() {
    let app = app().await;
    let reply = app.get("/search?q=%E5%85%BB%E8%80%81", &anonymous()).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("<mark>养老</mark>"), "{html}");
    let long = "养".repeat(60);
    let reply = app
        .get(
            &format!("/search?q={}", encode_query_value(&long)),
            &anonymous(),
        )
        .await;
    assert!(reply.text().contains("不超过 50 个字"), "{}", reply.text());
}

#[tokio::test]
async fn internal_pages_send_anonymous_visitors_to_login_and_check_roles() {
    let app = app().await;
    for path in [
        "/tasks",
        "/notices",
        "/supervisor",
        "/admin",
        "/supervisor/import",
    ] {
        let reply = app.get(path, &anonymous()).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location(), format!("/login?next={path}"));
    }
    let department = app.login("nyj").await;
    for path in [
        "/supervisor",
        "/admin",
        "/supervisor/export.xlsx",
        "/supervisor/bulletin",
    ] {
        let reply = app.get(path, &department).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(reply.text().contains("无权"), "{path}");
    }
    let viewer = app.login("viewer").await;
    assert_eq!(app.get("/supervisor", &viewer).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/tasks", &viewer).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/supervisor/import", &viewer).await.status,
        StatusCode::FORBIDDEN
    );
    let supervisor = app.login("dc").await;
    assert_eq!(app.get("/admin", &supervisor).await.status, StatusCode::OK);
    let wrong = app
        .post(
            "/login",
            &app.login_form().await,
            &[("login", "dc"), ("password", "wrong")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text().contains("用户名或密码错误"));
}

#[tokio::test]
async fn department_signs_off_and_reports_progress() {
    let app = app().await;
    let agent = app.login("nyj").await;
    let tasks = app.get("/tasks", &agent).await;
    assert_eq!(tasks.status, StatusCode::OK);
    let html = tasks.text();
    assert!(html.contains(&format!("/tasks/{}/sign-off", app.quantified)));
    assert!(
        !html.contains(&app.other.to_string()),
        "not another department's lead task"
    );

    let signed = app
        .post(&format!("/tasks/{}/sign-off", app.quantified), &agent, &[])
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    let again = app
        .post(&format!("/tasks/{}/sign-off", app.quantified), &agent, &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let form = app
        .get(&format!("/tasks/{}/progress", app.quantified), &agent)
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("name=\"value_0\""));

    let c = app.state.store.commitment(&app.quantified).await.unwrap();
    let goal = c.targets[0].value.to_string();
    let path = format!("/tasks/{}/progress", app.quantified);
    let preview = app
        .multipart(
            &path,
            &agent,
            &[
                ("as_of", "2020-06-30"),
                ("value_0", &goal),
                ("narrative", "已完成全年目标"),
                ("intent", "preview"),
            ],
            &[],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    assert!(preview.text().contains("保存后状态"), "{}", preview.text());
    assert!(preview.text().contains("已完成"));
    assert_eq!(
        app.history_len(&app.quantified).await,
        0,
        "a preview writes nothing"
    );

    let saved = app
        .multipart(
            &path,
            &agent,
            &[
                ("as_of", "2020-06-30"),
                ("value_0", &goal),
                ("narrative", "已完成全年目标"),
                ("intent", "save"),
            ],
            &[("evidence", "验收报告.pdf", b"%PDF-1.4 test")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert_eq!(app.history_len(&app.quantified).await, 1);
    let c = app.state.store.commitment(&app.quantified).await.unwrap();
    assert_eq!(c.status, Status::Done);
    let page = app
        .get(&format!("/commitments/{}", app.quantified), &anonymous())
        .await
        .text();
    assert!(page.contains("验收报告.pdf"), "evidence listed");
    // The file itself is kept under its hash and served to signed-in users only.
    let hash: String = <sha2::Sha256 as sha2::Digest>::digest(b"%PDF-1.4 test")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        page.contains(&format!("/evidence/{hash}")),
        "evidence linked"
    );
    let file = app.get(&format!("/evidence/{hash}"), &agent).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.text(), "%PDF-1.4 test");
    let outsider = app.get(&format!("/evidence/{hash}"), &anonymous()).await;
    assert_ne!(
        outsider.status,
        StatusCode::OK,
        "anonymous readers get no file"
    );
    let escape = app.get("/evidence/..%2F..%2Fetc%2Fpasswd", &agent).await;
    assert_eq!(escape.status, StatusCode::NOT_FOUND);
    assert!(page.contains("data-status=\"done\""));
}

/// Form fields of one case.
type Pairs<'a> = Vec<(&'a str, &'a str)>;
/// Files of one case: (field, name, bytes).
type Files<'a> = Vec<(&'a str, &'a str, Vec<u8>)>;

#[tokio::test]
async fn bad_progress_input_is_named_and_changes_nothing() {
    let app = app().await;
    let agent = app.login("nyj").await;
    let path = format!("/tasks/{}/progress", app.quantified);
    let cases: Vec<(Pairs, Files, &str)> = vec![
        (
            vec![
                ("as_of", "2020-06-30"),
                ("value_0", "很多"),
                ("intent", "save"),
            ],
            vec![],
            "value",
        ),
        (
            vec![("as_of", "昨天"), ("value_0", "1"), ("intent", "save")],
            vec![],
            "截至日期",
        ),
        (
            vec![("value_0", "1"), ("intent", "save")],
            vec![],
            "截至日期",
        ),
        (
            vec![
                ("as_of", "2020-07-30"),
                ("value_0", "1"),
                ("intent", "save"),
            ],
            vec![],
            "晚于今天",
        ),
        (
            vec![("as_of", "2020-06-30"), ("intent", "save")],
            vec![],
            "narrative",
        ),
        (
            vec![
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("narrative", "x"),
                ("reason_code", "funding"),
                ("intent", "save"),
            ],
            vec![("evidence", "big.pdf", {
                let mut v = b"%PDF-".to_vec();
                v.resize(6 * 1024 * 1024, b'0');
                v
            })],
            "超过 5 MB",
        ),
        (
            vec![
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("narrative", "x"),
                ("reason_code", "funding"),
                ("intent", "save"),
            ],
            vec![("evidence", "run.exe", b"MZ\x90\x00".to_vec())],
            "类型不支持",
        ),
        (
            vec![
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("narrative", "x"),
                ("reason_code", "bribes"),
                ("intent", "save"),
            ],
            vec![],
            "滞后原因",
        ),
        (
            vec![
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("narrative", "x"),
                ("intent", "save"),
            ],
            vec![],
            "请选择滞后原因",
        ),
    ];
    for (pairs, files, needle) in cases {
        let files: Vec<(&str, &str, &[u8])> = files
            .iter()
            .map(|(f, n, b)| (*f, *n, b.as_slice()))
            .collect();
        let reply = app.multipart(&path, &agent, &pairs, &files).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{pairs:?}: {}",
            reply.text()
        );
        let html = reply.text();
        assert!(
            html.contains("未保存") && html.contains(needle),
            "{pairs:?} → {needle}: {html}"
        );
        assert_eq!(
            app.history_len(&app.quantified).await,
            0,
            "{pairs:?} wrote nothing"
        );
    }

    // Another department's task: refused, nothing written.
    let other = format!("/tasks/{}/progress", app.other);
    assert_eq!(app.get(&other, &agent).await.status, StatusCode::FORBIDDEN);
    let reply = app
        .multipart(
            &other,
            &agent,
            &[
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.text().contains("不是本单位牵头的任务"));
    assert_eq!(app.history_len(&app.other).await, 0);

    // A form without its CSRF token: refused, nothing written.
    let no_csrf = Agent {
        cookie: agent.cookie.clone(),
        csrf: String::new(),
    };
    let reply = app
        .multipart(
            &path,
            &no_csrf,
            &[
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("narrative", "x"),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.text().contains("CSRF"));
    assert_eq!(app.history_len(&app.quantified).await, 0);

    // A supporting department cannot report either.
    let civil = app.login("mzj").await;
    let reply = app
        .multipart(
            &path,
            &civil,
            &[
                ("as_of", "2020-06-30"),
                ("value_0", "1"),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(app.history_len(&app.quantified).await, 0);
}

#[tokio::test]
async fn milestone_progress_by_stage_and_share() {
    let app = app().await;
    let agent = app.login("nyj").await;
    let path = format!("/tasks/{}/progress", app.milestone);
    let form = app.get(&path, &agent).await.text();
    assert!(form.contains("name=\"stage\"") && form.contains("name=\"percent\""));
    let bad = app
        .multipart(
            &path,
            &agent,
            &[
                ("as_of", "2020-06-30"),
                ("percent", "150"),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("0到100"), "{}", bad.text());
    let ok = app
        .multipart(
            &path,
            &agent,
            &[
                ("as_of", "2020-06-30"),
                ("stage", "building"),
                ("percent", "60"),
                ("narrative", "主体施工"),
                ("intent", "save"),
            ],
            &[],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    assert_eq!(app.history_len(&app.milestone).await, 1);
    // The next form is pre-filled from this report.
    let form = app.get(&path, &agent).await.text();
    assert!(form.contains("value=\"60\"") && form.contains("主体施工"));
}

#[tokio::test]
async fn notices_are_issued_and_answered() {
    let app = app().await;
    let supervisor = app.login("dc").await;
    let department = app.login("nyj").await;
    let civil = app.login("mzj").await;
    let uid = app.quantified.to_string();

    for (pairs, needle) in [
        (
            vec![("commitment", uid.as_str()), ("message", "请说明进展")],
            "答复期限",
        ),
        (
            vec![
                ("commitment", uid.as_str()),
                ("due", "下周"),
                ("message", "请说明进展"),
            ],
            "应为日期",
        ),
        (
            vec![("commitment", uid.as_str()), ("due", "2020-07-10")],
            "督办内容",
        ),
        (
            vec![
                ("commitment", uid.as_str()),
                ("due", "2020-06-01"),
                ("message", "x"),
            ],
            "早于",
        ),
        (
            vec![
                ("commitment", "nope"),
                ("due", "2020-07-10"),
                ("message", "x"),
            ],
            "无效",
        ),
    ] {
        let reply = app.post("/supervisor/notices", &supervisor, &pairs).await;
        assert!(reply.status.is_client_error(), "{pairs:?}");
        assert!(reply.text().contains(needle), "{pairs:?}: {}", reply.text());
    }
    assert!(
        app.state
            .store
            .notices(None, None)
            .await
            .unwrap()
            .is_empty()
    );

    let denied = app
        .post(
            "/supervisor/notices",
            &department,
            &[
                ("commitment", &uid),
                ("due", "2020-07-10"),
                ("message", "x"),
            ],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    let issued = app
        .post(
            "/supervisor/notices",
            &supervisor,
            &[
                ("commitment", &uid),
                ("due", "2020-07-10"),
                ("message", "请说明农田建设进展"),
            ],
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.text());
    let notice = app.state.store.notices(None, None).await.unwrap().remove(0);
    let answer_path = format!("/notices/{}/answer", notice.id.0);

    let listed = app.get("/notices", &department).await.text();
    assert!(
        listed.contains("请说明农田建设进展")
            && listed.contains(&format!("/notices/{}#answer-form", notice.id.0))
    );
    assert!(
        !app.get("/notices", &civil)
            .await
            .text()
            .contains("请说明农田建设进展")
    );

    let empty = app
        .post(&answer_path, &department, &[("answer", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("答复内容"));
    let stranger = app
        .post(&answer_path, &civil, &[("answer", "不是我们的")])
        .await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    assert!(
        app.state
            .store
            .notice(notice.id)
            .await
            .unwrap()
            .answers
            .is_empty()
    );

    let answered = app
        .post(
            &answer_path,
            &department,
            &[("answer", "已完成年度目标的60%")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let twice = app
        .post(&answer_path, &department, &[("answer", "再答一次")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let all = app.get("/supervisor/notices", &supervisor).await.text();
    assert!(all.contains("已完成年度目标的60%"));
}

fn table(header: &[&str], rows: &[[&str; 5]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "2020年政府工作报告重点任务分解表")
        .unwrap();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if c < header.len() {
                sheet.write_string(r as u32 + 2, c as u16, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn decomposition_table_import_is_all_or_nothing() {
    let app = app().await;
    let supervisor = app.login("dc").await;
    let report = app.report.0.to_string();
    let c = app.state.store.commitment(&app.unassigned).await.unwrap();
    let header = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"];
    let good = [
        "1",
        c.text.as_str(),
        "市民政局",
        "市农业农村局",
        "2020年9月底",
    ];
    let import = async |bytes: Vec<u8>, name: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![("report", report.as_str())];
        pairs.extend_from_slice(extra);
        app.multipart(
            "/supervisor/import",
            &supervisor,
            &pairs,
            &[("file", name, &bytes)],
        )
        .await
    };

    // A missing column.
    let reply = import(table(&header[..4], &[good]), "分解表.xlsx", &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.text().contains("缺少列") && reply.text().contains("完成时限"),
        "{}",
        reply.text()
    );

    // One bad row among good ones: row by row report, nothing imported.
    let bad = [
        "2",
        "这句话不在报告里出现过的一项任务",
        "市民政局",
        "",
        "年底",
    ];
    let bad_department = ["3", c.text.as_str(), "市不存在局", "", "2020-12-31"];
    let bad_deadline = ["4", c.text.as_str(), "市民政局", "", "明年"];
    let reply = import(
        table(&header, &[good, bad, bad_department, bad_deadline]),
        "分解表.xlsx",
        &[],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.text();
    assert!(
        html.contains("第 4 行：「工作任务」在报告中找不到"),
        "{html}"
    );
    assert!(
        html.contains("第 5 行：") && html.contains("市不存在局"),
        "{html}"
    );
    assert!(
        html.contains("第 6 行：") && html.contains("明年"),
        "{html}"
    );
    assert!(html.contains("未导入任何内容"));
    assert!(
        app.state
            .store
            .assignment(&app.unassigned)
            .await
            .unwrap()
            .is_none()
    );

    // Not a workbook; too large; no file.
    let reply = import(b"just text".to_vec(), "分解表.xlsx", &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.text().contains("不是 Excel 工作簿"));
    let reply = import(b"a,b".to_vec(), "分解表.csv", &[]).await;
    assert!(reply.text().contains("不是 .xlsx 文件"));
    let reply = import(vec![b'P'; 6 * 1024 * 1024], "大表.xlsx", &[]).await;
    assert!(reply.text().contains("超过 5 MB"), "{}", reply.text());
    let reply = app
        .multipart(
            "/supervisor/import",
            &supervisor,
            &[("report", &report)],
            &[],
        )
        .await;
    assert!(reply.text().contains("请选择要导入的任务分解表"));
    assert!(
        app.state
            .store
            .assignment(&app.unassigned)
            .await
            .unwrap()
            .is_none()
    );

    // A department may not import.
    let department = app.login("nyj").await;
    let reply = app
        .multipart(
            "/supervisor/import",
            &department,
            &[("report", &report)],
            &[("file", "t.xlsx", &table(&header, &[good]))],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // All good: imported, with a new department created on request.
    let new_department = ["2", c.text.as_str(), "市新设局", "", "年底"];
    let reply = import(table(&header, &[good]), "分解表.xlsx", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.text().contains("已导入 1 项"));
    let a = app
        .state
        .store
        .assignment(&app.unassigned)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.lead, app.civil.id);
    assert_eq!(a.support, vec![app.agri.id]);
    assert_eq!(a.deadline, day("2020-09-30"));
    let reply = import(
        table(&header, &[new_department]),
        "分解表.xlsx",
        &[("create_departments", "on")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.text().contains("新增单位：市新设局"));
}

#[tokio::test]
async fn excel_export_and_bulletins() {
    let app = app().await;
    let supervisor = app.login("dc").await;
    let report = app.report.0;
    let reply = app
        .get(
            &format!("/supervisor/export.xlsx?report={report}"),
            &supervisor,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.starts_with(b"PK\x03\x04"));
    let disposition = reply
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(disposition.contains("attachment"));
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(reply.body.clone())).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let rows: Vec<_> = range.rows().collect();
        assert_eq!(rows[0][1].to_string(), "工作任务");
        let detail = app.state.store.report(app.report).await.unwrap();
        assert_eq!(rows.len(), detail.commitments.len() + 1);
        assert!(rows.iter().any(|r| r[2] == "市农业农村局"));
        // The proposed lead of each commitment, pre-filled beside the status columns.
        assert_eq!(rows[0][10].to_string(), "建议牵头单位");
        assert_eq!(rows[0][11].to_string(), "建议依据");
        let proposed = rows[1..]
            .iter()
            .filter(|r| !r[10].to_string().is_empty())
            .count();
        assert!(proposed * 2 > rows.len(), "{proposed} of {}", rows.len());
        let jobs = rows[1..]
            .iter()
            .find(|r| r[1].to_string().contains("就业"))
            .expect("a jobs task");
        assert!(
            jobs[10].to_string().contains("人力资源社会保障"),
            "{:?}",
            jobs[10]
        );
    }
    // The export imports again unchanged.
    let again = app
        .multipart(
            "/supervisor/import",
            &supervisor,
            &[("report", &report.to_string())],
            &[("file", "导出.xlsx", &reply.body)],
        )
        .await;
    assert!(again.status == StatusCode::UNPROCESSABLE_ENTITY || again.status == StatusCode::OK);

    let page = app
        .get(
            &format!("/supervisor/bulletin?report={report}&date=2020-06-30"),
            &supervisor,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("苏州市2020年政府工作报告重点任务督查通报")
    );
    let bad = app
        .get(
            &format!("/supervisor/bulletin?report={report}&date=六月"),
            &supervisor,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("通报日期"));

    let md = app
        .get(
            &format!("/supervisor/bulletin.md?report={report}&date=2020-06-30"),
            &supervisor,
        )
        .await;
    assert_eq!(md.status, StatusCode::OK);
    let text = md.text();
    assert!(
        text.starts_with("# 苏州市2020年政府工作报告重点任务督查通报"),
        "{text}"
    );
    assert!(text.contains("## 三、未办结的督办单"));

    let docx = app
        .get(
            &format!("/supervisor/bulletin.docx?report={report}&date=2020-06-30"),
            &supervisor,
        )
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.body)).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    assert!(document.contains("督查通报") && document.contains("一、总体情况"));
    assert!(zip.by_name("[Content_Types].xml").is_ok());
}

#[tokio::test]
async fn assignment_editing_and_admin_forms() {
    let app = app().await;
    let supervisor = app.login("dc").await;
    let path = format!("/supervisor/assign/{}", app.unassigned);
    assert_eq!(app.get(&path, &supervisor).await.status, StatusCode::OK);
    let missing = app
        .post(&path, &supervisor, &[("deadline", "2020-10-31")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.text().contains("牵头单位"));
    let lead = app.agri.id.0.to_string();
    let wrong = app
        .post(
            &path,
            &supervisor,
            &[("lead", "农业局"), ("deadline", "2020-10-31")],
        )
        .await;
    assert!(wrong.text().contains("应为整数"));
    let bad_date = app
        .post(&path, &supervisor, &[("lead", &lead), ("deadline", "十月")])
        .await;
    assert!(bad_date.text().contains("完成时限"));
    assert!(
        app.state
            .store
            .assignment(&app.unassigned)
            .await
            .unwrap()
            .is_none()
    );
    let ok = app
        .post(
            &path,
            &supervisor,
            &[
                ("lead", &lead),
                ("support", &app.civil.id.0.to_string()),
                ("deadline", "2020-10-31"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    let a = app
        .state
        .store
        .assignment(&app.unassigned)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.lead, a.support.clone()),
        (app.agri.id, vec![app.civil.id])
    );

    let admin = app.login("admin").await;
    let missing = app
        .post("/admin/departments", &admin, &[("government", "苏州市")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.text().contains("单位名称"));
    let added = app
        .post(
            "/admin/departments",
            &admin,
            &[("government", "苏州市"), ("name", "市卫健委")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let dup = app
        .post(
            "/admin/departments",
            &admin,
            &[("government", "苏州市"), ("name", "市卫健委")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);

    let users_before = app.state.store.users().await.unwrap().len();
    for (pairs, needle) in [
        (
            vec![
                ("login", "wjw"),
                ("name", "卫健委"),
                ("role", "department"),
                ("password", "long enough pw"),
            ],
            "所属单位",
        ),
        (
            vec![
                ("login", "wjw"),
                ("name", "卫健委"),
                ("role", "king"),
                ("password", "long enough pw"),
            ],
            "角色",
        ),
        (
            vec![
                ("login", "wjw"),
                ("name", "卫健委"),
                ("role", "viewer"),
                ("password", "short"),
            ],
            "至少 8 个字符",
        ),
        (
            vec![
                ("name", "卫健委"),
                ("role", "viewer"),
                ("password", "long enough pw"),
            ],
            "用户名",
        ),
    ] {
        let reply = app.post("/admin/users", &admin, &pairs).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
        assert!(reply.text().contains(needle), "{pairs:?}: {}", reply.text());
    }
    let by_supervisor = app
        .post(
            "/admin/users",
            &supervisor,
            &[
                ("login", "x"),
                ("name", "x"),
                ("role", "viewer"),
                ("password", "long enough pw"),
            ],
        )
        .await;
    assert_eq!(by_supervisor.status, StatusCode::FORBIDDEN);
    assert_eq!(app.state.store.users().await.unwrap().len(), users_before);
    let ok = app
        .post(
            "/admin/users",
            &admin,
            &[
                ("login", "wjw"),
                ("name", "卫健委"),
                ("role", "viewer"),
                ("password", "long enough pw"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert!(app.get("/admin", &admin).await.text().contains("wjw"));

    // Logging out ends the session's pages.
    let out = app.post("/logout", &admin, &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

/// The messages a page shows: the error page's, and each line of a form's error list.
fn messages_of(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(at) = html.find("id=\"error-message\">") {
        let rest = &html[at + "id=\"error-message\">".len()..];
        out.push(rest.split("</div>").next().unwrap().to_string());
    }
    for marker in ["id=\"form-errors\"", "id=\"import-errors\""] {
        if let Some(at) = html.find(marker) {
            let list = html[at..].split("</div>").next().unwrap();
            for item in list.split("<li>").skip(1) {
                out.push(item.split("</li>").next().unwrap().to_string());
            }
        }
    }
    out
}

/// Issue 10, defect 4 on the pages: the forms' and error pages' messages are Chinese and name
/// fields, things, roles and actions in words (no `reason_code：…`, `file：…`, `name：…`,
/// `冲突：department … exists`, `无权操作：viewer无权执行assign`, `未找到：report 999`).
#[tokio::test]
async fn page_messages_are_chinese_with_labels() {
    let app = app().await;
    let nyj = app.login("nyj").await;
    let dc = app.login("dc").await;
    let admin = app.login("admin").await;
    let viewer = app.login("viewer").await;
    let progress = format!("/tasks/{}/progress", app.quantified);
    let lagging: Pairs = vec![
        ("as_of", "2020-06-30"),
        ("value_0", "1"),
        ("narrative", "推进中"),
        ("intent", "save"),
    ];
    let replies = vec![
        (
            app.multipart(&progress, &nyj, &lagging, &[]).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "滞后原因",
        ),
        (
            app.multipart(
                "/supervisor/import",
                &dc,
                &[("report", &app.report.0.to_string())],
                &[],
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "任务分解表",
        ),
        (
            app.post("/admin/departments", &admin, &[("government", "苏州市")])
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "单位名称",
        ),
        (
            app.post(
                "/admin/departments",
                &admin,
                &[("government", "苏州市"), ("name", "市农业农村局")],
            )
            .await,
            StatusCode::CONFLICT,
            "苏州市已有单位「市农业农村局」",
        ),
        (
            app.post(
                &format!("/supervisor/assign/{}", app.unassigned),
                &viewer,
                &[("lead", "1")],
            )
            .await,
            StatusCode::FORBIDDEN,
            "只读用户无权分配任务",
        ),
        (
            app.get("/supervisor?report=999", &dc).await,
            StatusCode::NOT_FOUND,
            "报告 999",
        ),
    ];
    for (i, (reply, status, says)) in replies.into_iter().enumerate() {
        let html = reply.text();
        assert_eq!(reply.status, status, "case {i}: {html}");
        let messages = messages_of(&html);
        assert!(
            messages.iter().any(|m| m.contains(says)),
            "case {i}: {says} not in {messages:?}"
        );
        for m in &messages {
            assert_no_codes(m, None);
        }
    }
}
