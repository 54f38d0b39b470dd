//! The 兑现 page, the API and the commitment page with the real national reports of 2024 and
//! 2025 (`testdata/research/national-2024-2025.jsonl`), through the router: before the 2025
//! report is published the pages show progress and no verdict; publishing it (through the
//! API) stores the verdicts; the page shows them with the evidence sentence of 2025 marked
//! and the journalist's lists; the office's override (API and form) is audited, checked by one
//! rule and shown beside the computed verdict; others are refused and write nothing.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{Fixture, Who, send};
use duban_core::plan::Level;
use serde_json::{Value, json};

const PAIR: &str = include_str!("../../../testdata/research/national-2024-2025.jsonl");

/// One report's text read by the engine and imported as `government`'s report of `year`.
async fn import_text(
    fixture: &Fixture,
    (government, level): (&str, Level),
    year: i32,
    text: &str,
    publish: bool,
) -> i64 {
    let name = format!("{government}{year}.txt");
    let source = duban_report::Source {
        name: &name,
        bytes: text.as_bytes(),
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, diagnostics) =
        duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    fixture
        .store
        .import_draft(
            "test",
            duban_store::ImportRequest {
                government,
                level,
                year,
                text: &ingested.text,
                source: &name,
                extraction: &extraction,
            },
            &diagnostics,
            publish,
        )
        .await
        .unwrap()
        .report_id
}

async fn import(fixture: &Fixture, year: i32, publish: bool) -> i64 {
    let text = PAIR
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["year"].as_str().and_then(|y| y.parse::<i32>().ok()) == Some(year))
        .and_then(|v| v["content"].as_str().map(str::to_string))
        .unwrap();
    import_text(fixture, ("国务院", Level::National), year, &text, publish).await
}

/// Imports and publishes the 宁夏 excerpts of 2025 and 2026 (quoted from the real reports,
/// `crates/core/tests/fixtures/fulfilment/`); returns the 2025 plan.
async fn import_ningxia(fixture: &Fixture) -> i64 {
    let government = ("宁夏回族自治区", Level::Province);
    let plan = include_str!("../../core/tests/fixtures/fulfilment/ningxia-2025-plan.txt");
    let review = include_str!("../../core/tests/fixtures/fulfilment/ningxia-2026-review.txt");
    let id = import_text(fixture, government, 2025, plan, true).await;
    import_text(fixture, government, 2026, review, true).await;
    id
}

async fn page(fixture: &Fixture, uri: &str) -> String {
    let (status, body) = fixture.call(Who::Anonymous, "GET", uri, None).await;
    assert!(status.is_success(), "{uri}: {status}");
    body.as_str().unwrap_or_default().to_string()
}

/// `GET /api/v1/reports/{plan}/fulfilment` as an anonymous reader.
async fn fulfilment(fixture: &Fixture, plan: i64) -> Value {
    let uri = format!("/api/v1/reports/{plan}/fulfilment");
    let (status, info) = fixture.call(Who::Anonymous, "GET", &uri, None).await;
    assert!(status.is_success(), "{uri}: {status} {info}");
    info
}

fn gdp(info: &Value) -> &Value {
    info["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["target"]["indicator"]
                .as_str()
                .unwrap()
                .contains("国内生产总值")
                && v["target"]["unit"] == "%"
        })
        .expect("GDP growth target")
}

#[tokio::test(flavor = "multi_thread")]
async fn verdicts_from_the_next_report_on_the_page_and_the_api() {
    let fixture = Fixture::new().await;
    let plan = import(&fixture, 2024, true).await;
    let review = import(&fixture, 2025, false).await;

    // Before the 2025 report is published: progress, no verdict.
    let before = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(before.contains("2025 年政府工作报告尚未发布"), "{before}");
    assert!(!before.contains("未兑现"));
    let info = fulfilment(&fixture, plan).await;
    assert_eq!(info["review_report_id"], Value::Null);
    assert_eq!(info["verdicts"], json!([]));
    assert_eq!(info["recurring"], Value::Null, "nothing recurs before N+1");
    let (_, detail) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/reports/{plan}"),
            None,
        )
        .await;
    let gdp_uid = detail["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["text"]
                .as_str()
                .unwrap()
                .contains("国内生产总值增长5%左右")
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .expect("the GDP commitment");
    let commitment = page(&fixture, &format!("/commitments/{gdp_uid}")).await;
    assert!(
        commitment.contains("尚未评定"),
        "no verdict before the next report"
    );
    assert!(!commitment.contains(">未兑现<"));

    // Publishing 2025 (the office, through the API) computes the verdicts on 2024.
    let (status, published) = fixture
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/drafts/{review}/publish"),
            None,
        )
        .await;
    assert!(status.is_success(), "{published}");
    let info = fulfilment(&fixture, plan).await;
    assert_eq!(info["review_report_id"], review);
    let total = info["counts"]["total"].as_u64().unwrap();
    assert!(total >= 10, "{info}");
    assert_eq!(info["verdicts"].as_array().unwrap().len() as u64, total);
    let g = gdp(&info);
    assert_eq!(g["verdict"], "kept", "{g}");
    assert_eq!(g["evidence"]["kind"], "figure");
    let evidence = g["evidence"]["text"].as_str().unwrap();
    assert!(evidence.contains("增长5%"), "{evidence}");

    // The page: counts, the evidence marked in its sentence, a link into the 2025 reader, the
    // journalist's lists.
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(
        html.contains(&format!("<mark>{evidence}</mark>")),
        "evidence marked"
    );
    let span = g["evidence"]["span"].as_array().unwrap();
    assert!(
        html.contains(&format!(
            "href=\"/reports/{review}?span={}-{}#evidence\"",
            span[0], span[1]
        )),
        "the link carries the evidence span"
    );
    assert!(html.contains("承诺了、没有做到"));
    assert!(html.contains("承诺了、次年报告未再提及"));
    assert!(html.contains(&format!(
        "<div class=\"n\">{}</div><div class=\"l\">兑现</div>",
        info["counts"]["kept"]
    )));
    let not_reported = info["counts"]["not_reported"].as_u64().unwrap();
    assert!(html.contains(&format!("未见报告 {not_reported} 项")));
    assert!(!html.contains("改判理由"), "anonymous readers get no form");
    // Year over year: 居民消费价格涨幅 3%左右 (2024) → 2%左右 (2025) is lowered.
    assert!(html.contains("id=\"yoy-table\""));
    assert!(
        html.contains(
            "<td data-label=\"2024 年目标\">3%左右</td><td data-label=\"2025 年目标\">2%左右</td>\
             <td data-label=\"变化\" class=\"nowrap\">调低</td>"
        ),
        "CPI lowered"
    );
    // What recurs: the API and the page's table, from the real 2024 and 2025 plans.
    let recurring = &info["recurring"];
    assert_eq!(recurring["years"], json!([2024, 2025]));
    let items = recurring["items"].as_array().unwrap();
    let item = |key: &str| {
        items
            .iter()
            .find(|i| i["key"] == key)
            .unwrap_or_else(|| panic!("{key}: {recurring}"))
    };
    let g_item = item("indicator:gdp:increase");
    assert_eq!(g_item["every_year"], true);
    assert_eq!(g_item["occurrences"][0]["commitment"], gdp_uid.as_str());
    assert_eq!(g_item["occurrences"][1]["year"], 2025);
    assert_eq!(g_item["occurrences"][1]["target"]["value"], "5");
    let w = item("wording:积极扩大有效投资");
    assert_eq!(w["basis"], "wording");
    assert_eq!(w["occurrences"][0]["target"], Value::Null);
    assert!(
        items.iter().any(
            |i| i["basis"] == "name" && i["label"].as_str().unwrap().contains("中央预算内投资")
        ),
        "{recurring}"
    );
    assert!(html.contains("id=\"recurring-table\""));
    assert!(html.contains(
        "<td data-label=\"目标或任务\">积极扩大有效投资 <span class=\"badge c-green\">每年</span></td>"
    ));
    assert!(html.contains(&format!(
        "连续 2 年的报告中，2024 年和 2025 年都提出的 {} 项",
        items.len()
    )));
    let commitment = page(&fixture, &format!("/commitments/{gdp_uid}")).await;
    assert!(commitment.contains("依据 2025 年政府工作报告的工作回顾评定"));
    assert!(commitment.contains(&format!("/reports/{plan}/fulfilment")));
    let (_, c) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/commitments/{gdp_uid}"),
            None,
        )
        .await;
    assert_eq!(c["verdict"]["code"], "kept", "{c}");

    // Overrides: only the office, one rule for the fields, audited, shown beside the computed.
    let uri = format!("/api/v1/commitments/{gdp_uid}/verdicts");
    let index = g["target_index"].clone();
    let good =
        json!({"target": index, "verdict": "partly", "reason": "统计口径调整，改判部分兑现"});
    let audit = fixture.audit_len().await;
    for who in [Who::Anonymous, Who::Viewer, Who::Own] {
        let (status, _) = fixture.call(who, "POST", &uri, Some(good.clone())).await;
        assert_eq!(
            status.as_u16(),
            if who == Who::Anonymous { 401 } else { 403 }
        );
    }
    for (body, field) in [
        (
            json!({"target": index, "verdict": "done", "reason": "理由"}),
            "verdict",
        ),
        (
            json!({"target": index, "verdict": "kept", "reason": ""}),
            "reason",
        ),
        (
            json!({"target": index, "verdict": "kept", "reason": "长".repeat(1001)}),
            "reason",
        ),
        (
            json!({"target": index, "verdict": "kept", "reason": "a\u{202E}b"}),
            "reason",
        ),
    ] {
        let (status, answer) = fixture
            .call(Who::Supervisor, "POST", &uri, Some(body))
            .await;
        assert_eq!(status.as_u16(), 422, "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    assert_eq!(fixture.audit_len().await, audit, "refusals write nothing");
    let (status, answer) = fixture
        .call(Who::Supervisor, "POST", &uri, Some(good))
        .await;
    assert!(status.is_success(), "{answer}");
    assert_eq!(answer["verdict"], "partly");
    assert_eq!(fixture.audit_len().await, audit + 1);
    let info = fulfilment(&fixture, plan).await;
    let g = gdp(&info);
    assert_eq!(
        (g["verdict"].as_str(), g["computed"].as_str()),
        (Some("partly"), Some("kept"))
    );
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(html.contains("系统评定：兑现"));
    assert!(html.contains("督查室改判为「部分兑现」"));
    assert!(html.contains("统计口径调整，改判部分兑现"));

    // The form: same rule, CSRF required, the office only.
    let (cookie, csrf) = fixture.session(Who::Supervisor).await;
    let form = |csrf: &str, reason: &str| {
        format!(
            "_csrf={csrf}&commitment={gdp_uid}&target={index}&verdict=not_kept&reason={}",
            urlencode(reason)
        )
    };
    let post = |body: String, cookie: String| {
        Request::post(format!("/reports/{plan}/fulfilment/override"))
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let audit = fixture.audit_len().await;
    let (status, _) = send(fixture.app(), post(form("wrong", "理由"), cookie.clone())).await;
    assert_eq!(status.as_u16(), 403);
    let (status, body) = send(fixture.app(), post(form(&csrf, ""), cookie.clone())).await;
    assert_eq!(status.as_u16(), 422);
    assert!(
        body.as_str().unwrap().contains("改判理由"),
        "the field is named"
    );
    let (viewer_cookie, viewer_csrf) = fixture.session(Who::Viewer).await;
    let (status, _) = send(
        fixture.app(),
        post(form(&viewer_csrf, "理由"), viewer_cookie),
    )
    .await;
    assert_eq!(status.as_u16(), 403);
    assert_eq!(fixture.audit_len().await, audit);
    let (status, _) = send(fixture.app(), post(form(&csrf, "复核：未达预期"), cookie)).await;
    assert_eq!(status.as_u16(), 303);
    assert_eq!(fixture.audit_len().await, audit + 1);
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(html.contains("复核：未达预期"));
    assert!(html.contains("督查室改判为「未兑现」"));

    // Recompute keeps the override.
    let (status, answer) = fixture
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/reports/{plan}/fulfilment/recompute"),
            None,
        )
        .await;
    assert!(status.is_success(), "{answer}");
    assert_eq!(answer["total"], total);
    let info = fulfilment(&fixture, plan).await;
    assert_eq!(gdp(&info)["verdict"], "not_kept");
}

/// The public verdict of the 宁夏 2025 GDP target (5.5%左右 → 5.3%).
async fn ningxia_gdp(fixture: &Fixture, plan: i64) -> String {
    let info = fulfilment(fixture, plan).await;
    info["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["target"]["indicator"] == "地区生产总值")
        .map(|v| v["verdict"].as_str().unwrap().to_string())
        .expect("地区生产总值")
}

#[tokio::test(flavor = "multi_thread")]
async fn thresholds_are_office_settings_and_saving_recomputes() {
    let fixture = Fixture::new().await;
    let plan = import_ningxia(&fixture).await;
    let default = "部分兑现：增速低于目标不超过0.5个百分点，或总量达到目标的90%以上";
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(
        html.contains(&format!("判定标准：{default}")),
        "the page states the thresholds"
    );
    assert_eq!(ningxia_gdp(&fixture, plan).await, "partly");
    let info = fulfilment(&fixture, plan).await;
    assert_eq!(info["thresholds"]["partly_zh"], default);
    let (_, now) = fixture
        .call(Who::Anonymous, "GET", "/api/v1/settings/fulfilment", None)
        .await;
    assert_eq!(now["partly_rate_points"], "0.5");
    assert_eq!(now["partly_amount_percent"], 90);

    // Only an admin changes them; refusals and bad values write nothing.
    let uri = "/api/v1/settings/fulfilment";
    let good = json!({"partly_rate_points": "0.1", "partly_amount_percent": 80});
    let audit = fixture.audit_len().await;
    for who in [Who::Anonymous, Who::Viewer, Who::Own, Who::Supervisor] {
        let (status, _) = fixture.call(who, "PUT", uri, Some(good.clone())).await;
        assert_eq!(
            status.as_u16(),
            if who == Who::Anonymous { 401 } else { 403 },
            "{who:?}"
        );
    }
    for (body, field, words) in [
        (
            json!({"partly_rate_points": "7", "partly_amount_percent": "90"}),
            "partly_rate_points",
            "「部分兑现增速差距」应在0.1至5个百分点之间，填写的是「7」",
        ),
        (
            json!({"partly_rate_points": 0.05, "partly_amount_percent": 90}),
            "partly_rate_points",
            "「部分兑现增速差距」应在0.1至5个百分点之间",
        ),
        (
            json!({"partly_rate_points": "0.5", "partly_amount_percent": 100}),
            "partly_amount_percent",
            "「部分兑现总量比例」应在50至99%之间，填写的是「100」",
        ),
        (
            json!({"partly_rate_points": "0.5", "partly_amount_percent": "九成"}),
            "partly_amount_percent",
            "「部分兑现总量比例」应为整数",
        ),
        (
            json!({"partly_rate_points": "0.5"}),
            "partly_amount_percent",
            "",
        ),
    ] {
        let (status, answer) = fixture.call(Who::Admin, "PUT", uri, Some(body)).await;
        assert_eq!(status.as_u16(), 422, "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{message}");
        assert!(
            !message.contains(field),
            "the label, not the code: {message}"
        );
    }
    assert_eq!(fixture.audit_len().await, audit, "refusals write nothing");
    assert_eq!(ningxia_gdp(&fixture, plan).await, "partly");

    // Saving recomputes: the 0.2-point miss is not kept at 0.1 point, and the page says so.
    let (status, saved) = fixture.call(Who::Admin, "PUT", uri, Some(good)).await;
    assert!(status.is_success(), "{saved}");
    assert_eq!(saved["before"]["partly_rate_points"], "0.5");
    assert_eq!(saved["thresholds"]["partly_rate_points"], "0.1");
    assert_eq!(saved["recomputed"], json!([plan]));
    assert_eq!(ningxia_gdp(&fixture, plan).await, "not_kept");
    let strict = "部分兑现：增速低于目标不超过0.1个百分点，或总量达到目标的80%以上";
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(html.contains(&format!("判定标准：{strict}")));
    assert!(!html.contains(default));
    let actions: Vec<String> = fixture.store.audit_events(0, 1_000_000).await.unwrap()[audit..]
        .iter()
        .map(|e| e.action.clone())
        .collect();
    assert_eq!(actions, ["fulfilment.settings", "verdicts.compute"]);

    // The settings page: admins only; the form applies the same rule.
    let (status, _) = fixture
        .call(Who::Supervisor, "GET", "/admin/fulfilment", None)
        .await;
    assert_eq!(status.as_u16(), 403);
    let (status, body) = fixture
        .call(Who::Admin, "GET", "/admin/fulfilment", None)
        .await;
    assert!(status.is_success());
    let body = body.as_str().unwrap();
    assert!(body.contains(&format!("现行标准：{strict}")), "{body}");
    assert!(body.contains("name=\"partly_rate_points\" required maxlength=\"16\" value=\"0.1\""));
    let (cookie, csrf) = fixture.session(Who::Admin).await;
    let form = |csrf: &str, rate: &str, amount: &str| {
        Request::post("/admin/fulfilment")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={csrf}&partly_rate_points={}&partly_amount_percent={}",
                urlencode(rate),
                urlencode(amount)
            )))
            .unwrap()
    };
    let audit = fixture.audit_len().await;
    let (status, _) = send(fixture.app(), form("wrong", "0.5", "90")).await;
    assert_eq!(status.as_u16(), 403);
    let (status, body) = send(fixture.app(), form(&csrf, "0.5", "120")).await;
    assert_eq!(status.as_u16(), 422);
    assert!(
        body.as_str()
            .unwrap()
            .contains("「部分兑现总量比例」应在50至99%之间，填写的是「120」"),
        "the field is named by its label"
    );
    let (status, body) = send(fixture.app(), form(&csrf, "半个点", "90")).await;
    assert_eq!(status.as_u16(), 422);
    assert!(body.as_str().unwrap().contains("「部分兑现增速差距」应为"));
    assert_eq!(fixture.audit_len().await, audit);
    assert_eq!(ningxia_gdp(&fixture, plan).await, "not_kept");
    let (status, _) = send(fixture.app(), form(&csrf, "0.5", "90")).await;
    assert_eq!(status.as_u16(), 303);
    assert_eq!(ningxia_gdp(&fixture, plan).await, "partly");
    let html = page(&fixture, &format!("/reports/{plan}/fulfilment")).await;
    assert!(html.contains(&format!("判定标准：{default}")));
}

/// The text of the reader's highlighted runs (`<mark class="hit">`), tags inside stripped and
/// entities decoded, in order.
fn highlighted(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<mark class=\"hit\"") {
        let open = &rest[at..];
        let body_start = open.find('>').unwrap() + 1;
        let body_end = open.find("</mark>").unwrap();
        let mut inside = false;
        for c in open[body_start..body_end].chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        rest = &open[body_end..];
    }
    out.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reader_highlights_exactly_the_span_the_link_carries() {
    let fixture = Fixture::new().await;
    let plan = import(&fixture, 2024, true).await;
    let review = import(&fixture, 2025, true).await;
    let info = fulfilment(&fixture, plan).await;
    let g = gdp(&info);
    let span: Vec<usize> = g["evidence"]["span"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let evidence = g["evidence"]["text"].as_str().unwrap();
    let (_, detail) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/reports/{review}"),
            None,
        )
        .await;
    let text: Vec<char> = detail["text"].as_str().unwrap().chars().collect();
    let cut = |s: usize, e: usize| text[s..e].iter().collect::<String>();
    assert_eq!(
        cut(span[0], span[1]),
        evidence,
        "spans are character offsets"
    );

    // The link of the 兑现 page: exactly the evidence marked, the first run named for #evidence.
    let html = page(
        &fixture,
        &format!("/reports/{review}?span={}-{}", span[0], span[1]),
    )
    .await;
    assert_eq!(highlighted(&html), evidence);
    assert_eq!(html.matches("id=\"evidence\"").count(), 1);
    assert!(html.contains(&format!("第 {}–{} 字", span[0] + 1, span[1])));

    // A span across a commitment's start and a heading (runs of several kinds): every
    // character of it marked, nothing else, one id.
    let first = detail["commitments"].as_array().unwrap()[0]["span"][0]
        .as_u64()
        .unwrap() as usize;
    let (s, e) = (first.saturating_sub(30), (first + 30).min(text.len()));
    let html = page(&fixture, &format!("/reports/{review}?span={s}-{e}")).await;
    assert_eq!(
        highlighted(&html),
        cut(s, e).replace('\n', ""),
        "the span, across runs"
    );
    assert_eq!(html.matches("id=\"evidence\"").count(), 1);
    // Multi-byte text: the last characters of the text, cut on characters.
    let n = text.len();
    let html = page(&fixture, &format!("/reports/{review}?span={}-{n}", n - 5)).await;
    assert_eq!(highlighted(&html), cut(n - 5, n).replace('\n', ""));

    // Anything else: the plain reader, never an error.
    for bad in [
        format!("span={}-{}", span[1], span[0]),
        format!("span={}-{}", span[0], span[0]),
        format!("span=0-{}", n + 1),
        format!("span={}-{}", n, n + 3),
        "span=0-2001".to_string(),
        "span=abc".to_string(),
        "span=1-%E5%A2%9E".to_string(),
        "span=%FF%FE".to_string(),
        "span=99999999999999999999-99999999999999999999".to_string(),
        "span=-5-3".to_string(),
        "span=".to_string(),
    ] {
        let uri = format!("/reports/{review}?{bad}");
        let (status, body) = fixture.call(Who::Anonymous, "GET", &uri, None).await;
        assert_eq!(status.as_u16(), 200, "{uri}");
        let body = body.as_str().unwrap();
        assert!(
            !body.contains("<mark class=\"hit\""),
            "{uri}: nothing marked"
        );
        assert!(body.contains("id=\"report-text\""), "{uri}: the reader");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
