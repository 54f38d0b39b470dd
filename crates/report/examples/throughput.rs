//! Throughput of the whole pipeline on a JSONL corpus, by wall clock and by this process's CPU
//! time (from /proc/self/stat), so that a figure taken on a busy machine still says what one core
//! does. `cargo run --release -p duban-report --example throughput -- CORPUS.jsonl [SECONDS]`.

use std::time::{Duration, Instant};

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime: fields 14 and 15 of the line, 12 and 13 after the name; 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: throughput CORPUS.jsonl [SECONDS]");
        std::process::exit(2);
    };
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(10.0);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let reports: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let field = |k: &str| v[k].as_str().unwrap_or("").to_string();
            (field("title"), field("content"))
        })
        .collect();
    let bytes: usize = reports.iter().map(|(_, c)| c.len()).sum();
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let mut passes = 0usize;
    let mut targets = 0usize;
    while wall.elapsed() < Duration::from_secs_f64(seconds) {
        for (title, content) in &reports {
            let source = duban_report::Source {
                name: title,
                bytes: content.as_bytes(),
            };
            if let Ok((extraction, _)) = duban_report::extract_titled(&[source], Some(title)) {
                targets += extraction
                    .commitments
                    .iter()
                    .map(|c| c.targets.len())
                    .sum::<usize>();
            }
        }
        passes += 1;
    }
    let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let mb = (bytes * passes) as f64 / 1e6;
    println!(
        "{} reports, {:.2} MB a pass, {passes} passes, {} targets a pass",
        reports.len(),
        bytes as f64 / 1e6,
        targets / passes.max(1)
    );
    println!(
        "wall {wall:.2} s: {:.1} MB/s; CPU {cpu:.2} s: {:.1} MB/s per core",
        mb / wall,
        mb / cpu.max(1e-9)
    );
}
