//! Open data through the router on SQLite: the paged API, the downloads in every format, the
//! columns of the research dataset, the store's ids, paging edges, drafts left out.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, Who};
use duban_core::ids::ReportId;
use duban_research::Table;
use duban_research::parquet_io::{all_columns, read_columns};
use duban_research::rows::{Report, rows};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A raw GET: status, content type and body bytes.
async fn get_bytes(f: &Fixture, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let response = f.app().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, content_type, bytes.to_vec())
}

fn column_names(t: Table) -> Vec<&'static str> {
    t.columns().iter().map(|c| c.name).collect()
}

/// Every row of a table through the paged API, following `next`.
async fn all_pages(f: &Fixture, first: &str) -> (i64, Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut uri = first.to_owned();
    let mut pages = 0;
    let total = loop {
        let (status, page) = f.call(Who::Anonymous, "GET", &uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {page}");
        pages += 1;
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => uri = next.to_owned(),
            None => break page["total"].as_i64().unwrap(),
        }
        assert!(pages < 1000, "next never ends");
    };
    (total, items, pages)
}

#[tokio::test(flavor = "multi_thread")]
async fn commitments_are_the_stores_published_ones_with_the_dataset_columns() {
    let f = Fixture::new().await;
    let report = f.store.report(ReportId(f.report)).await.unwrap();
    let draft = f.store.draft(ReportId(f.draft)).await.unwrap();
    assert!(
        !draft.detail.commitments.is_empty(),
        "the draft has commitments to leave out"
    );

    let (total, items, pages) = all_pages(&f, "/api/v1/open/commitments?per_page=7").await;
    assert_eq!(total as usize, report.commitments.len());
    assert_eq!(items.len(), report.commitments.len());
    assert_eq!(pages, report.commitments.len().div_ceil(7));
    // The store's ids, in document order, each the id of its portal URL.
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["commitment_id"].as_str().unwrap())
        .collect();
    let store_ids: Vec<String> = report
        .commitments
        .iter()
        .map(|c| c.uid.to_string())
        .collect();
    assert_eq!(ids, store_ids);
    let (status, _) = f
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/commitments/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Exactly the dataset's columns, in the datapackage's order.
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = column_names(Table::Commitments);
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    // No row of the draft (苏州市 2021), neither here nor in any table.
    for t in Table::DATASET {
        let (_, rows, _) = all_pages(&f, &format!("/api/v1/open/{}?per_page=1000", t.name())).await;
        assert!(
            rows.iter().all(|r| r["year"] == 2020),
            "{}: a row not of the published 2020 report",
            t.name()
        );
    }
    let draft_ids: Vec<String> = draft
        .detail
        .commitments
        .iter()
        .map(|c| c.uid.to_string())
        .collect();
    assert!(ids.iter().all(|id| !draft_ids.iter().any(|d| d == id)));
    let (status, err) = f
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/open/commitments?report={}", f.draft),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    let (status, _, _) = get_bytes(
        &f,
        &format!("/open-data/commitments.csv?report={}", f.draft),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn store_rows_equal_the_corpus_rows_of_the_same_report() {
    let f = Fixture::new().await;
    // What `duban corpus extract` writes for the seed report, read by the engine.
    let source = duban_report::Source {
        name: "seed.txt",
        bytes: duban_server::demo::SEED,
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, _) = duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    let corpus = rows(&Report {
        government: "苏州市",
        level: Some("city"),
        year: 2020,
        title: "t",
        source: None,
        input_sha256: "x",
        text: &ingested.text,
        extraction: &extraction,
    })
    .unwrap();
    for t in [Table::Sections, Table::Commitments, Table::Targets] {
        let (total, items, _) =
            all_pages(&f, &format!("/api/v1/open/{}?per_page=1000", t.name())).await;
        let expected: Vec<Value> = corpus
            .rows(t)
            .iter()
            .map(|r| Value::Object(duban_research::export::row_object(t, r)))
            .collect();
        assert_eq!(total as usize, expected.len(), "{}", t.name());
        assert_eq!(items, expected, "{}", t.name());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_edges_are_clear() {
    let f = Fixture::new().await;
    let (_, first) = f
        .call(
            Who::Anonymous,
            "GET",
            "/api/v1/open/targets?per_page=5",
            None,
        )
        .await;
    let total = first["total"].as_i64().unwrap();
    assert!(total > 5, "the seed has more than five targets");
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    assert_eq!(first["next"], "/api/v1/open/targets?page=2&per_page=5");
    // The last page is short and has no next; beyond the end is an empty page.
    let last = (total + 4) / 5;
    let (_, page) = f
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/open/targets?per_page=5&page={last}"),
            None,
        )
        .await;
    assert_eq!(
        page["items"].as_array().unwrap().len() as i64,
        total - (last - 1) * 5
    );
    assert!(page["next"].is_null());
    let (status, page) = f
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/open/targets?per_page=5&page={}", last + 3),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], total);
    assert!(page["items"].as_array().unwrap().is_empty());
    assert!(page["next"].is_null());
    for (uri, field, words) in [
        ("/api/v1/open/targets?per_page=1001", "per_page", "每页条数"),
        ("/api/v1/open/targets?per_page=0", "per_page", "每页条数"),
        ("/api/v1/open/targets?per_page=abc", "per_page", "不是整数"),
        ("/api/v1/open/targets?page=0", "page", "页码"),
        ("/api/v1/open/targets?report=x", "report", "不是整数"),
    ] {
        let (status, err) = f.call(Who::Anonymous, "GET", uri, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(err["error"]["field"], field, "{uri}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{uri}: {message}");
    }
    let (status, _) = f
        .call(Who::Anonymous, "GET", "/api/v1/open/panel", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = f
        .call(
            Who::Anonymous,
            "GET",
            "/api/v1/open/targets?government=999999",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_hold_the_same_rows_in_every_format() {
    let f = Fixture::new().await;
    for t in Table::DATASET {
        let (total, items, _) =
            all_pages(&f, &format!("/api/v1/open/{}?per_page=1000", t.name())).await;
        let scopes = [
            String::new(),
            format!("?government={}", f.government),
            format!("?report={}", f.report),
        ];
        for scope in &scopes {
            let base = format!("/open-data/{}", t.name());
            // JSON: the API's rows, all of them.
            let (status, ct, json) = get_bytes(&f, &format!("{base}.json{scope}")).await;
            assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/json"));
            let json: Vec<Value> = serde_json::from_slice(&json).unwrap();
            assert_eq!(json, items, "{base}.json{scope}");
            // CSV: BOM, the column names, a line a row.
            let (status, ct, csv) = get_bytes(&f, &format!("{base}.csv{scope}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(ct.starts_with("text/csv"));
            assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
            let text = String::from_utf8(csv[3..].to_vec()).unwrap();
            let header = text.split("\r\n").next().unwrap();
            assert_eq!(header, column_names(t).join(","));
            if t == Table::Commitments && total > 0 {
                assert!(text.contains(items[0]["commitment_id"].as_str().unwrap()));
            }
            // XLSX: a workbook (a zip).
            let (status, _, xlsx) = get_bytes(&f, &format!("{base}.xlsx{scope}")).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(&xlsx[..2], b"PK");
            // Parquet: read back with the parquet crate; the same rows as the JSON.
            let (status, _, parquet) = get_bytes(&f, &format!("{base}.parquet{scope}")).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(&parquet[..4], b"PAR1");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("t.parquet");
            std::fs::write(&path, &parquet).unwrap();
            let back = read_columns(&path, &all_columns(t)).unwrap();
            assert_eq!(back.len() as i64, total, "{base}.parquet{scope}");
            let back_json: Vec<Value> = back
                .iter()
                .map(|r| Value::Object(duban_research::export::row_object(t, r)))
                .collect();
            assert_eq!(back_json, items, "{base}.parquet{scope}");
        }
    }
    // A table the open data has not, a format it has not.
    for uri in [
        "/open-data/panel.csv",
        "/open-data/commitments.txt",
        "/open-data/commitments",
    ] {
        let (status, _, _) = get_bytes(&f, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
    let (status, _, body) = get_bytes(&f, "/open-data/commitments.csv?report=abc").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("「报告编号」应为整数"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_lists_downloads_columns_and_how_to_cite() {
    let f = Fixture::new().await;
    let (status, ct, body) = get_bytes(&f, "/open-data").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("如何引用一项任务"));
    for t in Table::DATASET {
        for ext in ["csv", "xlsx", "json", "parquet"] {
            assert!(html.contains(&format!("href=\"/open-data/{}.{ext}\"", t.name())));
        }
        for c in t.columns() {
            assert!(
                html.contains(&format!("<code>{}</code>", c.name)),
                "{}",
                c.name
            );
        }
    }
    assert!(html.contains(&format!("/open-data/targets.csv?report={}", f.report)));
    // The draft is not offered.
    assert!(!html.contains(&format!("?report={}\"", f.draft)));
    // The example citation is a public commitment with its URL.
    let report = f.store.report(ReportId(f.report)).await.unwrap();
    let first = report.commitments[0].uid.to_string();
    assert!(html.contains(&format!("href=\"/commitments/{first}\"")));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_bounds_the_paging() {
    let f = Fixture::new().await;
    let (_, doc) = f
        .call(Who::Anonymous, "GET", "/api/v1/openapi.json", None)
        .await;
    let op = &doc["paths"]["/api/v1/open/{table}"]["get"];
    assert!(op.is_object());
    let param = |name: &str| {
        op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(param("per_page")["schema"]["type"], "integer");
    assert_eq!(param("per_page")["schema"]["maximum"], 1000);
    assert_eq!(param("page")["schema"]["minimum"], 1);
    assert_eq!(
        param("table")["schema"]["enum"].as_array().unwrap().len(),
        6
    );
    for code in ["200", "404", "422"] {
        assert!(op["responses"][code].is_object(), "{code}");
    }
}

/// The State Council's 2021 report (testdata/research/README.md): a review of the 13th
/// five-year period and the goals of the 14th, so it has multi-year outcomes and goals.
const NATIONAL_2021: &str = include_str!("../../../testdata/research/national-2021.jsonl");

/// The 2021 report as the engine reads it: the clean text and the extraction.
fn national_2021() -> (String, duban_report::model::Extraction) {
    let line: Value = serde_json::from_str(NATIONAL_2021.trim()).unwrap();
    let source = duban_report::Source {
        name: "国务院2021.txt",
        bytes: line["content"].as_str().unwrap().as_bytes(),
    };
    let ingested = duban_report::ingest::ingest(std::slice::from_ref(&source)).unwrap();
    let (extraction, _) = duban_report::extract_sources(std::slice::from_ref(&source)).unwrap();
    (ingested.text, extraction)
}

/// Imports the 2021 report, published, beside the fixture's seed.
async fn import_national_2021(f: &Fixture) {
    let (text, extraction) = national_2021();
    f.store
        .import_report(
            "test",
            duban_store::ImportRequest {
                government: "国务院",
                level: duban_core::plan::Level::National,
                year: 2021,
                text: &text,
                source: "国务院2021.txt",
                extraction: &extraction,
            },
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn outcomes_keep_their_period_and_goals_their_horizon() {
    let f = Fixture::new().await;
    import_national_2021(&f).await;
    // What `duban corpus extract` writes for the same text.
    let (text, extraction) = national_2021();
    let corpus = rows(&Report {
        government: "国务院",
        level: Some("national"),
        year: 2021,
        title: "t",
        source: Some("国务院2021.txt"),
        input_sha256: "x",
        text: &text,
        extraction: &extraction,
    })
    .unwrap();
    for t in [Table::Outcomes, Table::Goals] {
        let (_, items, _) =
            all_pages(&f, &format!("/api/v1/open/{}?per_page=1000", t.name())).await;
        let ours: Vec<Value> = items.into_iter().filter(|i| i["year"] == 2021).collect();
        let expected: Vec<Value> = corpus
            .rows(t)
            .iter()
            .map(|r| Value::Object(duban_research::export::row_object(t, r)))
            .collect();
        assert!(
            !expected.is_empty(),
            "{}: the 2021 report has some",
            t.name()
        );
        assert_eq!(ours, expected, "{}", t.name());
    }
    let (_, outcomes, _) = all_pages(&f, "/api/v1/open/outcomes?per_page=1000").await;
    assert!(
        outcomes.iter().any(|o| o["period"] == "multi_year"),
        "the five-year review's figures are multi-year"
    );
    assert!(outcomes.iter().all(|o| o["period"].is_string()));
    let (_, reports, _) = all_pages(&f, "/api/v1/open/reports").await;
    let national = reports.iter().find(|r| r["year"] == 2021).unwrap();
    assert_eq!(national["source"], "国务院2021.txt");
    assert_eq!(national["goals"], corpus.rows(Table::Goals).len());
}

/// Every table's pages, small ones crossing from one report to the next, are the download's
/// rows in the same order, with the same total.
async fn pages_equal_the_download(f: &Fixture) {
    import_national_2021(f).await;
    for t in Table::DATASET {
        let (total, items, pages) =
            all_pages(f, &format!("/api/v1/open/{}?per_page=13", t.name())).await;
        let (status, _, body) = get_bytes(f, &format!("/open-data/{}.json", t.name())).await;
        assert_eq!(status, StatusCode::OK, "{}", t.name());
        let download: Value = serde_json::from_slice(&body).unwrap();
        let download = download.as_array().unwrap();
        // The seed page (2020) has no review or outline; both have every other table's rows.
        let seed_has = !matches!(t, Table::Outcomes | Table::Goals);
        assert!(
            download.iter().any(|r| r["year"] == 2021)
                && download.iter().any(|r| r["year"] == 2020) == seed_has,
            "{}: the rows of both reports",
            t.name()
        );
        assert_eq!(total as usize, download.len(), "{}", t.name());
        assert_eq!(&items, download, "{}", t.name());
        assert_eq!(pages, download.len().div_ceil(13).max(1), "{}", t.name());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_across_reports_equal_the_download_on_sqlite() {
    pages_equal_the_download(&Fixture::new().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_across_reports_equal_the_download_on_postgresql() {
    pages_equal_the_download(&Fixture::postgres().await).await;
}
