//! A fresh application per test: a temporary SQLite store holding the seed report, two
//! departments (A and B), one user and one API token per role, task X led by A, task Y led by
//! B, and one open notice on X.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use duban_core::auth::{Role, User};
use duban_core::date::Date;
use duban_core::plan::CommitmentId;
use duban_report::model::CommitmentKind;
use duban_server::{AppState, Settings, router};
use duban_store::Store;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Viewer,
    /// The department that leads task X.
    Own,
    /// The department that leads task Y only.
    Other,
    Supervisor,
    Admin,
}

impl Who {
    pub const ALL: [Who; 6] = [
        Who::Anonymous,
        Who::Viewer,
        Who::Other,
        Who::Own,
        Who::Supervisor,
        Who::Admin,
    ];
}

/// The day the tests live on.
pub fn today() -> Date {
    Date::from_calendar_date(2020, time::Month::September, 30).unwrap()
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    /// The PostgreSQL database the store is on, when it is (its drop ends the store's connections).
    pub _postgres: Option<PgDatabase>,
    pub store: Store,
    pub state: AppState,
    pub report: i64,
    /// An unpublished draft: the demo's made-up 苏州市 2021 report.
    pub draft: i64,
    pub government: i64,
    pub dept_a: i64,
    pub dept_b: i64,
    /// A quantified task led by A.
    pub x: CommitmentId,
    /// A task led by B.
    pub y: CommitmentId,
    /// An open notice on X.
    pub notice: i64,
    /// A monthly round (as of 2020-08-31, due 2020-09-10) of the report.
    pub round: i64,
    /// (role, user, bearer token, a spare token id to revoke).
    pub users: Vec<(Who, User, String, i64)>,
}

/// A fresh SQLite store in a temporary directory (kept alive by the returned guard) with the
/// seed report imported as 苏州市 2020.
pub async fn seeded_store(file: &str) -> (tempfile::TempDir, Store, duban_store::ImportSummary) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join(file).display());
    let store = Store::open(&url).await.unwrap();
    let summary = import_seed(&store).await;
    (dir, store, summary)
}

/// The seed report imported into `store` as 苏州市 2020.
pub async fn import_seed(store: &Store) -> duban_store::ImportSummary {
    let source = duban_report::Source {
        name: "seed.txt",
        bytes: duban_server::demo::SEED,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, _) = duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    store
        .import_report(
            "test",
            duban_store::ImportRequest {
                government: "苏州市",
                level: duban_core::plan::Level::City,
                year: 2020,
                text: &ingested.text,
                source: "seed.txt",
                extraction: &extraction,
            },
        )
        .await
        .unwrap()
}

/// A database of its own on the PostgreSQL server (`DUBAN_TEST_POSTGRES_URL`, default the
/// local server) for one test, dropped when the guard is.
pub struct PgDatabase {
    admin: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl PgDatabase {
    /// Creates it; panics (fails the test) when the server is unreachable.
    pub async fn create() -> PgDatabase {
        use sqlx::Connection;
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let admin = std::env::var("DUBAN_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!(
            "duban_server_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is unreachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.ok();
        let url = match admin.rfind('/') {
            Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
            _ => format!("{admin}/{name}"),
        };
        PgDatabase { admin, name, url }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop runs inside the test's runtime: drop the database from a thread of its own.
        std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                use sqlx::Connection;
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join()
        .ok();
    }
}

impl Fixture {
    /// The fixture on a SQLite file.
    pub async fn new() -> Fixture {
        let (dir, store, summary) = seeded_store("t.db").await;
        Fixture::with_store(dir, None, store, summary).await
    }

    /// The same fixture on a fresh PostgreSQL database.
    pub async fn postgres() -> Fixture {
        let database = PgDatabase::create().await;
        let store = Store::open_with(&database.url, None).await.unwrap();
        let summary = import_seed(&store).await;
        let dir = tempfile::tempdir().unwrap();
        Fixture::with_store(dir, Some(database), store, summary).await
    }

    async fn with_store(
        dir: tempfile::TempDir,
        postgres: Option<PgDatabase>,
        store: Store,
        summary: duban_store::ImportSummary,
    ) -> Fixture {
        let draft = import_demo_draft(&store).await;
        let a = store
            .add_department("test", "苏州市", "甲局")
            .await
            .unwrap();
        let b = store
            .add_department("test", "苏州市", "乙局")
            .await
            .unwrap();
        let report = store
            .report(duban_core::ids::ReportId(summary.report_id))
            .await
            .unwrap();
        let x = report
            .commitments
            .iter()
            .find(|c| {
                c.kind == CommitmentKind::Quantified
                    && !c.targets.is_empty()
                    && c.targets[0].cmp == duban_report::model::Cmp::Ge
            })
            .or_else(|| report.commitments.iter().find(|c| !c.targets.is_empty()))
            .unwrap()
            .uid
            .clone();
        let y = report
            .commitments
            .iter()
            .find(|c| c.uid != x)
            .unwrap()
            .uid
            .clone();
        let day = Date::from_calendar_date(2020, time::Month::January, 10).unwrap();
        store
            .assign("test", &x, a.id, vec![], None, day)
            .await
            .unwrap();
        store
            .assign("test", &y, b.id, vec![], None, day)
            .await
            .unwrap();
        let roles = [
            (Who::Viewer, "viewer", Role::Viewer),
            (Who::Own, "dept_a", Role::Department(a.id)),
            (Who::Other, "dept_b", Role::Department(b.id)),
            (Who::Supervisor, "sup", Role::Supervisor),
            (Who::Admin, "admin", Role::Admin),
        ];
        let mut users = Vec::new();
        for (who, login, role) in roles {
            // Tokens authenticate these users; the password hash is never checked.
            let user = store
                .add_user("test", login, login, role, "not-a-hash")
                .await
                .unwrap();
            let (_, token) = store.create_token("test", user.id, "test").await.unwrap();
            let (spare, _) = store.create_token("test", user.id, "spare").await.unwrap();
            users.push((who, user, token, spare.id));
        }
        let supervisor = users[3].1.clone();
        let notice = store
            .issue_notice(&supervisor, &x, today(), "请说明进度", day)
            .await
            .unwrap();
        let round = store
            .open_round(
                &supervisor,
                duban_core::ids::ReportId(summary.report_id),
                duban_core::round::RoundPeriod::Monthly,
                Date::from_calendar_date(2020, time::Month::August, 31).unwrap(),
                Date::from_calendar_date(2020, time::Month::September, 10).unwrap(),
            )
            .await
            .unwrap();
        let settings = Settings {
            as_of: Some(today()),
            ..Settings::default()
        };
        let state = AppState::with_secret(store.clone(), settings, b"test secret");
        Fixture {
            _dir: dir,
            _postgres: postgres,
            store,
            state,
            report: summary.report_id,
            draft,
            government: summary.government_id,
            dept_a: a.id.0,
            dept_b: b.id.0,
            x,
            y,
            notice: notice.id.0,
            round: round.id,
            users,
        }
    }

    pub fn app(&self) -> Router {
        router(self.state.clone())
    }

    pub fn token(&self, who: Who) -> Option<&str> {
        self.users
            .iter()
            .find(|(w, ..)| *w == who)
            .map(|(_, _, t, _)| t.as_str())
    }

    pub fn user(&self, who: Who) -> &User {
        &self.users.iter().find(|(w, ..)| *w == who).unwrap().1
    }

    pub fn spare_token(&self, who: Who) -> i64 {
        self.users
            .iter()
            .find(|(w, ..)| *w == who)
            .map_or(0, |(.., s)| *s)
    }

    /// Replaces `{report}`, `{gov}`, `{a}`, `{b}`, `{x}`, `{y}`, `{notice}`, `{round}`,
    /// `{spare}`, `{spare_user}` (the viewer's id).
    pub fn fill(&self, template: &str, who: Who) -> String {
        template
            .replace("{report}", &self.report.to_string())
            .replace("{draft}", &self.draft.to_string())
            .replace("{gov}", &self.government.to_string())
            .replace("{a}", &self.dept_a.to_string())
            .replace("{b}", &self.dept_b.to_string())
            .replace("{x}", self.x.as_str())
            .replace("{y}", self.y.as_str())
            .replace("{notice}", &self.notice.to_string())
            .replace("{round}", &self.round.to_string())
            .replace("{spare}", &self.spare_token(who).to_string())
            .replace("{spare_user}", &self.user(Who::Viewer).id.0.to_string())
    }

    /// Calls the router as `who`; a JSON body when given.
    pub async fn call(
        &self,
        who: Who,
        method: &str,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = self.token(who) {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        send(self.app(), request).await
    }

    /// Calls with a raw body and content type.
    pub async fn call_raw(
        &self,
        who: Who,
        method: &str,
        uri: &str,
        content_type: &str,
        body: &str,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", content_type);
        if let Some(token) = self.token(who) {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        send(
            self.app(),
            request.body(Body::from(body.to_string())).unwrap(),
        )
        .await
    }

    /// A cookie session for `who` (started in the store, as a sign-in would): the `Cookie`
    /// header value and the session's CSRF token (read back from `GET /api/v1/me`).
    pub async fn session(&self, who: Who) -> (String, String) {
        let user = self.user(who).id;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let secret = self
            .store
            .create_session(user, now, now + 3600)
            .await
            .unwrap();
        let cookie = format!("duban_session={secret}");
        let response = self
            .app()
            .oneshot(
                Request::get("/api/v1/me")
                    .header("cookie", &cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let csrf = response.headers()["x-csrf-token"]
            .to_str()
            .unwrap()
            .to_string();
        (cookie, csrf)
    }

    /// Calls the router with a cookie session, as a browser on this site would: `Host`, a
    /// same-site `Origin` and, when given, the CSRF header.
    pub async fn call_cookie(
        &self,
        cookie: &str,
        csrf: Option<&str>,
        origin: Option<&str>,
        method: &str,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "localhost")
            .header("cookie", cookie);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        send(self.app(), request).await
    }

    /// Every audit event: a failed request must add none.
    pub async fn audit_len(&self) -> usize {
        self.store.audit_events(0, 1_000_000).await.unwrap().len()
    }
}

/// The demo's made-up 2021 report retitled to `year`: a report no fixture holds.
pub fn retitled_draft(year: i32) -> Vec<u8> {
    String::from_utf8(duban_server::demo::DRAFT.to_vec())
        .unwrap()
        .replace(
            "2021年苏州市政府工作报告",
            &format!("{year}年苏州市政府工作报告"),
        )
        .replace("2021年1月", &format!("{year}年1月"))
        .replace("2021年工作安排", &format!("{year}年工作安排"))
        .into_bytes()
}

/// Imports the demo's made-up 2021 report as a draft; its id.
pub async fn import_demo_draft(store: &Store) -> i64 {
    let source = duban_report::Source {
        name: "suzhou-2021-draft.txt",
        bytes: duban_server::demo::DRAFT,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, diagnostics) =
        duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    store
        .import_draft(
            "test",
            duban_store::ImportRequest {
                government: "苏州市",
                level: duban_core::plan::Level::City,
                year: 2021,
                text: &ingested.text,
                source: "suzhou-2021-draft.txt",
                extraction: &extraction,
            },
            &diagnostics,
            false,
        )
        .await
        .unwrap()
        .report_id
}

/// A `multipart/form-data` body of text fields and files (field, file name, bytes): its
/// content type and bytes.
pub fn multipart_body(pairs: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----dubanTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in pairs {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A page as a signed-in browser gets it: status and HTML (or a redirect's `Location`).
pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub html: String,
}

impl Fixture {
    /// `GET path` with a session cookie (empty: anonymous), as a browser.
    pub async fn page(&self, cookie: &str, path: &str) -> Page {
        let mut request = Request::get(path);
        if !cookie.is_empty() {
            request = request.header("cookie", cookie);
        }
        page_of(self.app(), request.body(Body::empty()).unwrap()).await
    }

    /// Posts a form (`multipart/form-data`, with files) with the session's CSRF token, from this
    /// site, as a browser.
    pub async fn submit(
        &self,
        (cookie, csrf): &(String, String),
        path: &str,
        pairs: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Page {
        let mut pairs = pairs.to_vec();
        pairs.push(("_csrf", csrf));
        let (content_type, body) = multipart_body(&pairs, files);
        let request = Request::post(path)
            .header("content-type", content_type)
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", cookie)
            .body(Body::from(body))
            .unwrap();
        page_of(self.app(), request).await
    }
}

async fn page_of(app: Router, request: Request<Body>) -> Page {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        location,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Sends one request; the body as JSON (or a JSON string of the text when it is not JSON).
pub async fn send(app: Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

/// Asserts that a message a person reads is Chinese and holds no machine code: no field code
/// (`reason_code`, the `field` given, any snake_case word), no entity, role or action code
/// (`report`, `department`, `viewer`, `assign`) and no English error words (`not found`,
/// `exists`). What the user typed or may type is quoted in 「」 and left out of the check.
pub fn assert_no_codes(message: &str, field: Option<&str>) {
    const CODES: &[&str] = &[
        "report",
        "reports",
        "department",
        "departments",
        "user",
        "users",
        "commitment",
        "government",
        "notice",
        "assignment",
        "answer",
        "round",
        "token",
        "evidence",
        "viewer",
        "supervisor",
        "admin",
        "assign",
        "read",
        "manage",
        "exists",
        "not",
        "found",
        "conflict",
        "invalid",
        "forbidden",
        "empty",
        "file",
        "files",
        "name",
        "field",
        "value",
        "values",
        "line",
        "row",
        "body",
        "of",
    ];
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in message.chars() {
        match c {
            '「' => depth += 1,
            '」' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    assert!(
        plain
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "not Chinese: {message}"
    );
    let lower = plain.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    let field_words: Vec<String> = field
        .unwrap_or_default()
        .split(['.', '[', ']'])
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        .map(str::to_lowercase)
        .collect();
    for w in words {
        assert!(!w.contains('_'), "a code «{w}» in: {message}");
        assert!(!CODES.contains(&w), "a code «{w}» in: {message}");
        assert!(
            !field_words.iter().any(|f| f == w),
            "the field's code «{w}» in: {message}"
        );
    }
}

/// The password of the accounts [`person`] adds.
pub const PASSWORD: &str = "正确的密码123";

/// Adds a department user `login` of A with [`PASSWORD`]; returns its id.
pub async fn person(f: &Fixture, login: &str) -> i64 {
    let hash = duban_store::password::hash_password(PASSWORD).unwrap();
    f.store
        .add_user(
            "test",
            login,
            "联络员",
            Role::Department(duban_core::ids::DepartmentId(f.dept_a)),
            &hash,
        )
        .await
        .unwrap()
        .id
        .0
}

/// The status of `GET /api/v1/me` with this cookie: 200 while the session lives, else 401.
pub async fn me(f: &Fixture, cookie: &str) -> u16 {
    f.call_cookie(cookie, None, None, "GET", "/api/v1/me", None)
        .await
        .0
        .as_u16()
}

/// A browser that opened the login form: its `duban_login` cookie (the `Cookie` value) and the
/// form's `_csrf` token.
pub async fn login_form(app: Router) -> (String, String) {
    let response = app
        .oneshot(Request::get("/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let page = String::from_utf8_lossy(&bytes).into_owned();
    let marker = "name=\"_csrf\" value=\"";
    let at = page.find(marker).expect("a token in the login form") + marker.len();
    (cookie, page[at..].split('"').next().unwrap().to_string())
}
