//! Ingest: real fixtures in every encoding and format, furniture rules with two real examples
//! each, page joins, errors that name the file, and no panic on any bytes.

use duban_report::ingest::{IngestError, Ingested, Source, ingest};
use proptest::prelude::*;

const SEED: &[u8] = include_bytes!("../../../testdata/seed/suzhou-2020-report-page2.txt");
const GOLD: &str = include_str!("../../../testdata/gold/suzhou-2020-report-page2.structure.json");

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../testdata/ingest/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn one(name: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    ingest(&[Source { name, bytes }])
}

fn ok(name: &str, bytes: &[u8]) -> Ingested {
    one(name, bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// The lines of the seed's report body, as the file has them.
fn seed_body() -> Vec<&'static str> {
    let text = std::str::from_utf8(SEED).unwrap_or_default();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("5.深入推进乡村振兴"))
        .unwrap_or(0);
    let end = lines
        .iter()
        .position(|l| l.contains("以优异成绩开启现代化建设新征程"))
        .unwrap_or(0);
    lines[start..=end].to_vec()
}

/// `dropped` entries and text lines that a line of furniture must be found in / absent from.
fn assert_dropped(out: &Ingested, furniture: &[&str]) {
    for f in furniture {
        assert!(
            out.dropped.iter().any(|d| d.contains(f)),
            "{f:?} not in dropped {:?}",
            out.dropped
        );
        assert!(!out.text.contains(f), "{f:?} still in text");
    }
}

#[test]
fn seed_page_furniture_title_and_body() {
    let out = ok("suzhou-2020-report-page2.txt", SEED);
    let gold: serde_json::Value = serde_json::from_str(GOLD).unwrap_or_default();
    let furniture: Vec<&str> = gold["boilerplate_removed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(furniture.len(), 10);
    assert_dropped(&out, &furniture);
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
    assert!(out.dropped.iter().any(|d| d.contains("(第2/2页)")));
    assert!(!out.text.contains("第2/2页"));
    // The body, byte for byte, one paragraph a line, nothing else.
    assert_eq!(out.text, seed_body().join("\n"));
}

#[test]
fn national_report_head_is_kept() {
    let out = ok("national-head.txt", &fixture("national-head.txt"));
    assert_eq!(
        out.text,
        "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理\n李　强\n各位代表：\n\
         现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。"
    );
    assert!(out.dropped.is_empty(), "{:?}", out.dropped);
    assert_eq!(out.title.as_deref(), Some("政府工作报告"));
}

#[test]
fn gbk_copy_is_detected_and_decoded() {
    let out = ok("gbk.txt", &fixture("gbk.txt"));
    let body = seed_body();
    assert_eq!(
        out.text,
        [body[0], "三、切实加强政府自身建设", body[5]].join("\n")
    );
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
    assert_dropped(&out, &["观山文库", "加入收藏", "221381", "微信扫码分享"]);
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.message.contains("gb18030")),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn utf16_with_and_without_bom() {
    let expected = {
        let body = seed_body();
        [body[4], body[5], body[6]].join("\n")
    };
    for name in ["utf16le-bom.txt", "utf16le-nobom.txt", "utf16be-nobom.txt"] {
        let out = ok(name, &fixture(name));
        assert_eq!(out.text, expected, "{name}");
    }
}

#[test]
fn html_page_with_furniture() {
    let out = ok("page-furniture.html", &fixture("page-furniture.html"));
    let body = seed_body();
    let expected = [
        "2020年苏州市政府工作报告",
        body[0],
        body[1],
        "三、切实加强政府自身建设",
        body[5],
        body[6],
    ]
    .join("\n");
    assert_eq!(out.text, expected);
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
    assert_dropped(
        &out,
        &[
            "观山文库",
            "文似观山不喜平",
            "当前位置",
            "加入收藏",
            "分享到",
            "221381",
            "上一篇",
            "下一篇",
            "热门文章",
            "版权所有",
            "微信扫码分享",
        ],
    );
    for gone in ["track()", "font:", "这不是正文", "&amp;", "&#8546;"] {
        assert!(!out.text.contains(gone), "{gone}");
    }
}

#[test]
fn html_encoding_from_charset_declaration() {
    let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                <title>政府工作报告</title></head><body><p>新增就业13万人,确保零就业家庭动态清零。</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(html);
    let out = ok("gb2312.html", &bytes);
    assert_eq!(out.text, "新增就业13万人,确保零就业家庭动态清零。");
    assert_eq!(out.title.as_deref(), Some("政府工作报告"));
}

#[test]
fn pages_are_joined_mid_sentence() {
    let (p1, p2) = (fixture("split-page1.txt"), fixture("split-page2.txt"));
    let out = ingest(&[
        Source {
            name: "split-page1.txt",
            bytes: &p1,
        },
        Source {
            name: "split-page2.txt",
            bytes: &p2,
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let body = seed_body();
    assert_eq!(
        out.text,
        [body[0], body[1], body[2], body[3], body[4], body[5]].join("\n")
    );
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
    // The repeated site header and the page-2 title line are dropped too.
    assert_eq!(
        out.dropped
            .iter()
            .filter(|d| d.contains("观山文库"))
            .count(),
        2
    );
    assert!(out.dropped.iter().any(|d| d.contains("(第1/2页)")));
    assert!(out.dropped.iter().any(|d| d.contains("(第2/2页)")));
    let joined = out
        .diagnostics
        .iter()
        .find(|d| d.message.contains("joined"))
        .map(|d| d.message.as_str());
    assert!(
        joined.is_some_and(|m| m.contains("split-page1.txt") && m.contains("split-page2.txt")),
        "{joined:?}"
    );
}

#[test]
fn pages_are_not_joined_after_a_full_stop_or_heading() {
    let out = ingest(&[
        Source {
            name: "a",
            bytes: "第一页的正文到此结束，这一句完整地结束了。\n三、切实加强政府自身建设"
                .as_bytes(),
        },
        Source {
            name: "b",
            bytes: "新的形势、新的任务对政府工作提出新的更高要求。".as_bytes(),
        },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.text.lines().count(), 3);
}

#[cfg(feature = "docx")]
#[test]
fn docx_paragraphs() {
    let out = ok("report.docx", &fixture("report.docx"));
    let body = seed_body();
    let lines: Vec<&str> = out.text.lines().collect();
    assert_eq!(lines[0], "2020年苏州市政府工作报告");
    assert_eq!(lines[1], "三、切实加强政府自身建设");
    assert_eq!(lines[2], body[5]);
    assert_eq!(lines[3], body[6]);
    assert_eq!(lines[4], "（一）\t主要预期目标");
    assert_eq!(lines[5], "新增就业13万人 & 城镇调查失业率<5%");
    assert_eq!(lines[6], body[7]);
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
}

#[cfg(feature = "pdf")]
#[test]
fn pdf_text_layer() {
    let out = ok("report.pdf", &fixture("report.pdf"));
    let body = seed_body();
    let lines: Vec<&str> = out.text.lines().collect();
    assert_eq!(out.title.as_deref(), Some("2020年苏州市政府工作报告"));
    assert_eq!(lines.first().copied(), Some("2020年苏州市政府工作报告"));
    assert!(lines.contains(&"三、切实加强政府自身建设"), "{lines:#?}");
    for paragraph in &body[5..=8] {
        assert!(lines.contains(paragraph), "missing {paragraph}\n{lines:#?}");
    }
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert!(
        out.dropped.iter().any(|d| d == "- 1 -"),
        "{:?}",
        out.dropped
    );
}

#[cfg(feature = "pdf")]
#[test]
fn pdf_without_text_layer_says_so() {
    let err = one("scanned.pdf", &fixture("scanned.pdf")).err();
    assert_eq!(
        err,
        Some(IngestError::NoTextLayer {
            name: "scanned.pdf".into()
        })
    );
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "scanned.pdf: the PDF has no text layer (scanned?); run OCR first"
    );
}

/// `damaged.pdf` is `scanned.pdf` with one byte changed, found by the `pdf` fuzz target
/// (2026-12-04): pdf-extract panics on it ("wrong type"), and ingest answers an error instead.
#[cfg(feature = "pdf")]
#[test]
fn a_pdf_the_reader_panics_on_is_a_bad_pdf() {
    let err = one("damaged.pdf", &fixture("damaged.pdf")).err();
    assert!(
        matches!(&err, Some(IngestError::BadPdf { name, .. }) if name == "damaged.pdf"),
        "{err:?}"
    );
}

#[test]
fn errors_name_the_file() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("blank.txt", b" \r\n\t \n", "empty.txt"),
        (
            "nul.bin",
            &[0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0],
            "nul.bin: this is binary data",
        ),
        (
            "scan.zip",
            b"PK\x03\x04\x14\x00\x00\x00",
            "scan.zip: this is a ZIP archive",
        ),
        (
            "old.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "old.doc: this is a legacy Office file",
        ),
        (
            "broken.pdf",
            b"%PDF-1.4\n garbage",
            if cfg!(feature = "pdf") {
                "broken.pdf: the PDF could not be read"
            } else {
                "broken.pdf: this is a PDF file, but this build of duban cannot read PDF"
            },
        ),
    ];
    for (name, bytes, start) in cases {
        let message = one(name, bytes)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let start = if *start == "empty.txt" {
            format!("{name}: the file is empty")
        } else {
            (*start).to_string()
        };
        assert!(message.starts_with(&start), "{name}: {message}");
    }
    let png = one("image.png", &fixture("image.png"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        png,
        "image.png: this is a PNG image, not a text, HTML, PDF or DOCX file"
    );
    let utf16_blank: Vec<u8> = [0xff, 0xfe, b' ', 0, b'\n', 0].to_vec();
    assert_eq!(
        one("u16.txt", &utf16_blank).err(),
        Some(IngestError::Empty {
            name: "u16.txt".into()
        })
    );
    let furniture = "分享到：微信 微博\n221381\n扫一扫在手机打开当前页".as_bytes();
    assert_eq!(
        one("f.html", furniture).err(),
        Some(IngestError::OnlyFurniture {
            name: "f.html".into()
        })
    );
    assert_eq!(ingest(&[]).err(), Some(IngestError::NoSources));
}

/// Every furniture rule with a second real-world example beside the seed's.
#[test]
fn furniture_rules_second_examples() {
    let page = "中国政府网　首页 | 简 | 繁 | EN | 登录\n\
                当前位置：首页 > 政务公开 > 政府工作报告\n\
                字号：大 中 小\n\
                发布时间：2024-03-12 16:05\n\
                来源：新华社\n\
                全文共19327字，阅读约需35分钟\n\
                浏览次数：3821\n\
                【打印本页】 【关闭窗口】\n\
                分享到：微信 微博 QQ空间\n\
                政府工作报告\n\
                各位代表：\n\
                现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n\
                （上接第2版）全年城镇新增就业1244万人，年末城镇调查失业率为5.1%。（下转第5版）\n\
                紧接第3版\n\
                （第2/3页）\n\
                3\n\
                责任编辑：王丽\n\
                扫一扫在手机打开当前页\n\
                上一篇：国务院关于2023年度中央预算执行的报告\n\
                下一篇：关于2023年国民经济和社会发展计划执行情况的报告\n\
                微信扫码领取福利";
    let out = ok("gov.txt", page.as_bytes());
    assert_eq!(
        out.text,
        "政府工作报告\n各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n\
         全年城镇新增就业1244万人，年末城镇调查失业率为5.1%。"
    );
    assert_dropped(
        &out,
        &[
            "中国政府网",
            "当前位置",
            "字号",
            "发布时间",
            "来源：",
            "19327字",
            "阅读约需",
            "浏览次数",
            "打印本页",
            "关闭窗口",
            "分享到",
            "（上接第2版）",
            "（下转第5版）",
            "紧接第3版",
            "（第2/3页）",
            "责任编辑",
            "扫一扫",
            "上一篇",
            "下一篇",
            "领取福利",
        ],
    );
    assert!(out.dropped.iter().any(|d| d == "3"));
}

/// The Wikisource public-domain footer of the national reports (the State Council's 2021, 2024
/// and 2025 reports in `testdata/research`, copied unchanged from the national corpus) is
/// dropped whole; the report's last paragraph stays, and no footer line reaches the engine.
#[test]
fn wikisource_licence_footer_is_dropped() {
    let corpus = [
        include_str!("../../../testdata/research/national-2021.jsonl"),
        include_str!("../../../testdata/research/national-2024-2025.jsonl"),
    ];
    let mut seen = 0;
    for line in corpus.iter().flat_map(|c| c.lines()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let content = v["content"].as_str().unwrap();
        assert!(content.contains("公有领域"), "the fixture has the footer");
        let out = ok("national.txt", content.as_bytes());
        let last = out.text.lines().last().unwrap();
        assert!(last.ends_with("不懈奋斗！"), "{last}");
        for gone in [
            "本作品",
            "公有领域",
            "著作权法",
            "Public domain",
            "false",
            "维基文库",
        ] {
            assert!(!out.text.contains(gone), "{gone} left in the text");
        }
        assert!(out.dropped.iter().any(|d| d.starts_with("本作品")));
        assert_eq!(out.dropped.last().map(String::as_str), Some("false"));
        let (extraction, _) = duban_report::extract_sources(&[Source {
            name: "national.txt",
            bytes: content.as_bytes(),
        }])
        .unwrap();
        let texts: Vec<&str> = extraction
            .commitments
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert!(
            texts
                .iter()
                .all(|t| !["法律", "法规", "公有领域", "Public domain", "false"].contains(t)),
            "footer lines as commitments"
        );
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn spam_inside_a_sentence_is_left_alone() {
    let line =
        "抓好设施农业、高效农业建设,新增足球比分20万亩。发展智慧农业,农业信息化覆盖率达到70%。";
    assert_eq!(ok("spam.txt", line.as_bytes()).text, line);
}

#[test]
fn characters_are_never_rewritten() {
    let line = "新增就业１３万人，ＧＤＰ增长6%左右;“三优三保”(试点)　完成";
    assert_eq!(ok("w.txt", line.as_bytes()).text, line);
}

/// Clean text: no blank lines, no line with white space around it, no internal marks left.
fn assert_clean(text: &str) {
    assert!(!text.contains('\u{1}'), "{text:?}");
    for line in text.split('\n') {
        assert!(!line.is_empty() && line.trim() == line, "{text:?}");
    }
}

proptest! {
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = one("fuzz.bin", &bytes);
    }

    #[test]
    fn never_panics_on_html_like_text(s in "(<[a-z/!?]{0,6}[^>]{0,12}>?|&#?[a-z0-9]{0,8};?|[新增就业。\n ]|第[0-9]/[0-9]页){0,64}") {
        if let Ok(out) = one("fuzz.html", format!("<html>{s}").as_bytes()) {
            assert_clean(&out.text);
        }
        let _ = one("fuzz.txt", s.as_bytes());
    }

    /// Plain UTF-8 text on one page: every output line is a piece of the input, never rewritten.
    #[test]
    fn plain_text_lines_are_never_rewritten(
        lines in proptest::collection::vec("[ 　]{0,2}(分享到|221381|第2/2页|（下转第5版）|[新增就业13万人。，,：一二、5.]){1,12}[ 　]{0,2}", 1..12)
    ) {
        let input = lines.join("\n");
        if let Ok(out) = one("fuzz.txt", input.as_bytes()) {
            assert_clean(&out.text);
            for line in out.text.lines() {
                prop_assert!(input.contains(line), "{line:?} is not in the input");
            }
        }
    }

    #[test]
    fn never_panics_on_pdf_or_zip_heads(tail in proptest::collection::vec(any::<u8>(), 0..512), pdf in any::<bool>()) {
        let mut bytes = if pdf { b"%PDF-1.4\n".to_vec() } else { b"PK\x03\x04".to_vec() };
        bytes.extend(tail);
        let _ = one("fuzz.bin", &bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Damaged copies of the real fixtures: a few bytes overwritten, or the file cut short.
    #[test]
    fn never_panics_on_damaged_fixtures(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = ["report.pdf", "report.docx", "page-furniture.html", "gbk.txt"][which];
        let mut bytes = fixture(name);
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = one(name, &bytes);
        let _ = one(name, &bytes[..cut.index(bytes.len())]);
    }
}
