//! The engine benchmark: the whole pipeline (`extract_titled`: ingest, outline, extraction) over
//! the national corpus, over the 2026 provincial reports, and over the Suzhou seed page.
//!
//! Run with `cargo bench -p duban-report --bench pipeline`. The corpus is read from
//! `DUBAN_CORPUS` if set, else from `../../../shared/corpus/national-reports.jsonl` relative to
//! this crate (one JSON object a line, with `title` and `content`). It is third-party text and
//! is not in the repository; without it the benchmark exits with a message. The provincial
//! reports are read from `DUBAN_PROVINCES`, else `../shared/corpus/provinces/provinces-2026.jsonl`
//! (same fields); without them that group is skipped with a message.
//!
//! Single-threaded: the throughput criterion prints is per core.

// `criterion_group!` expands to an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;
use std::process::exit;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duban_report::{Source, extract_text, extract_titled};
use serde::Deserialize;

/// One line of the corpus file.
#[derive(Deserialize)]
struct Entry {
    title: String,
    content: String,
}

fn corpus_path() -> PathBuf {
    match std::env::var_os("DUBAN_CORPUS") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/national-reports.jsonl"),
    }
}

fn provinces_path() -> PathBuf {
    match std::env::var_os("DUBAN_PROVINCES") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/provinces/provinces-2026.jsonl"),
    }
}

fn load_corpus() -> Vec<Entry> {
    read_entries(&corpus_path())
}

fn read_entries(path: &std::path::Path) -> Vec<Entry> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!(
                "duban-report bench: cannot read the corpus at {} ({err}); set DUBAN_CORPUS to a \
                 JSON-lines file of {{\"title\", \"content\"}} reports",
                path.display()
            );
            exit(2);
        }
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line).unwrap_or_else(|err| {
                eprintln!("duban-report bench: {}:{}: {err}", path.display(), i + 1);
                exit(2);
            })
        })
        .collect()
}

fn corpus(c: &mut Criterion) {
    let entries = load_corpus();
    let bytes: usize = entries.iter().map(|e| e.content.len()).sum();
    eprintln!(
        "duban-report bench: {} reports, {bytes} bytes of content",
        entries.len()
    );

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("extract_titled", |b| {
        b.iter(|| {
            for entry in &entries {
                let source = Source {
                    name: "report.txt",
                    bytes: entry.content.as_bytes(),
                };
                let _ = black_box(extract_titled(&[source], Some(&entry.title)));
            }
        })
    });
    // The same text past ingest (no encoding sniffing, furniture removal or page joining): the
    // difference from `extract_titled` is the cost of ingest.
    group.bench_function("extract_text", |b| {
        b.iter(|| {
            for entry in &entries {
                black_box(extract_text(&entry.content));
            }
        })
    });
    group.finish();
}

fn provinces(c: &mut Criterion) {
    let path = provinces_path();
    if !path.exists() {
        eprintln!(
            "duban-report bench: no provincial reports at {}; group skipped",
            path.display()
        );
        return;
    }
    let entries = read_entries(&path);
    let bytes: usize = entries.iter().map(|e| e.content.len()).sum();
    let mut group = c.benchmark_group("provinces");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("extract_titled", |b| {
        b.iter(|| {
            for entry in &entries {
                let source = Source {
                    name: "report.txt",
                    bytes: entry.content.as_bytes(),
                };
                let _ = black_box(extract_titled(&[source], Some(&entry.title)));
            }
        })
    });
    group.finish();
}

fn seed(c: &mut Criterion) {
    let bytes = include_bytes!("../../../testdata/seed/suzhou-2020-report-page2.txt");
    let mut group = c.benchmark_group("seed");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("suzhou-2020-report-page2", |b| {
        b.iter(|| {
            let source = Source {
                name: "suzhou-2020-report-page2.txt",
                bytes,
            };
            black_box(extract_titled(&[source], None))
        })
    });
    group.finish();
}

criterion_group!(benches, corpus, provinces, seed);
criterion_main!(benches);
