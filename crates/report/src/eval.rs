//! Evaluation: score an extraction against hand-made gold targets, by the rule of the gold
//! annotation guide.
//!
//! A predicted target matches a gold one when the values are equal (relative tolerance 1e-9), the
//! units are equal and one indicator contains the other (quotes and spaces ignored); each gold
//! target matches at most once, predictions taken in order. A gold target marked `optional` is
//! neither a hit nor a miss. A prediction whose source is a distractor (or a distractor plus
//! text without digits) is a distractor hit.

use serde::Deserialize;

use crate::model::{Extraction, Target};

/// One gold target, as a line of a `*.targets.jsonl` file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldTarget {
    /// What is counted.
    pub indicator: String,
    /// The number with multipliers applied.
    pub value: f64,
    /// The unit as written.
    pub unit: String,
    /// The clause it comes from.
    #[serde(default)]
    pub source: String,
    /// Neither a hit nor a miss when true.
    #[serde(default)]
    pub optional: bool,
}

/// Why a gold file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GoldError {
    /// A line is not a gold target.
    #[error("line {line}: {message}")]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// Parses a gold targets file (JSON Lines; blank lines ignored).
///
/// # Errors
/// [`GoldError::BadLine`] naming the first line that is not a gold target.
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldTarget>, GoldError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| GoldError::BadLine {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Parses a distractors file: one string a line, blank lines ignored.
pub fn parse_distractors(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One finding of the evaluation, for the report printed before the scores.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A predicted target that matches no gold target.
    FalseHit {
        /// The prediction.
        indicator: String,
        /// Its value.
        value: f64,
        /// Its unit.
        unit: String,
        /// Its source clause.
        source: String,
    },
    /// A gold target no prediction matched.
    Missed(GoldTarget),
    /// A prediction whose source is a distractor.
    DistractorHit {
        /// The distractor.
        distractor: String,
        /// The source it was found in.
        source: String,
    },
}

/// The scores of one evaluation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Matched non-optional gold targets.
    pub true_positives: usize,
    /// Predictions that match nothing.
    pub false_positives: usize,
    /// Non-optional gold targets matched by nothing.
    pub false_negatives: usize,
    /// Matched targets whose indicator equals the gold one.
    pub exact_indicators: usize,
    /// Predictions whose source is a distractor.
    pub distractor_hits: usize,
    /// The details, in order: false hits, misses, distractor hits.
    pub findings: Vec<Finding>,
}

impl Score {
    /// Precision: true positives over predictions that count.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// Recall: true positives over gold targets that count.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Share of matched targets whose indicator is exactly the gold one.
    pub fn exact_indicator(&self) -> f64 {
        ratio(self.exact_indicators, self.true_positives)
    }

    /// Adds another evaluation's counts to this one (micro-averaging over a set of reports);
    /// the other's findings are not kept.
    pub fn add(&mut self, other: &Score) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
        self.exact_indicators += other.exact_indicators;
        self.distractor_hits += other.distractor_hits;
    }

    /// The counts only: `P=… R=… F1=… (tp=… fp=… fn=…)`.
    pub fn counts(&self) -> String {
        format!(
            "P={:.3} R={:.3} F1={:.3} (tp={} fp={} fn={})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )
    }

    /// The closing line: `P=… R=… F1=… exact_indicator=… distractor_hits=… (tp=… fp=… fn=…)`.
    pub fn summary(&self) -> String {
        format!(
            "P={:.3} R={:.3} F1={:.3} exact_indicator={:.2} distractor_hits={} (tp={} fp={} fn={})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.exact_indicator(),
            self.distractor_hits,
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * 1f64.max(a.abs()).max(b.abs())
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | ' '))
        .collect()
}

fn matches(p: &Target, g: &GoldTarget) -> bool {
    if !same_value(p.value, g.value) || norm(&p.unit) != norm(&g.unit) {
        return false;
    }
    let (pi, gi) = (norm(&p.indicator), norm(&g.indicator));
    !pi.is_empty() && (pi.contains(&gi) || gi.contains(&pi))
}

/// All targets of an extraction's commitments, in order.
pub fn predicted_targets(extraction: &Extraction) -> Vec<&Target> {
    extraction
        .commitments
        .iter()
        .flat_map(|c| c.targets.iter())
        .collect()
}

/// All achieved figures of an extraction's review parts, in order: what gold outcomes are
/// scored against, by the same rule as targets.
pub fn predicted_outcomes(extraction: &Extraction) -> Vec<&Target> {
    extraction.outcomes.iter().map(|o| &o.target).collect()
}

/// Scores predictions against gold targets and distractors.
pub fn score(predicted: &[&Target], gold: &[GoldTarget], distractors: &[String]) -> Score {
    let mut used = vec![false; gold.len()];
    let mut score = Score::default();
    for p in predicted {
        let hit = gold
            .iter()
            .enumerate()
            .position(|(i, g)| !used[i] && matches(p, g));
        let Some(i) = hit else {
            score.false_positives += 1;
            score.findings.push(Finding::FalseHit {
                indicator: p.indicator.clone(),
                value: p.value,
                unit: p.unit.clone(),
                source: p.source.clone(),
            });
            continue;
        };
        used[i] = true;
        if gold[i].optional {
            continue;
        }
        score.true_positives += 1;
        if norm(&p.indicator) == norm(&gold[i].indicator) {
            score.exact_indicators += 1;
        }
    }
    for (i, g) in gold.iter().enumerate() {
        if !used[i] && !g.optional {
            score.false_negatives += 1;
            score.findings.push(Finding::Missed(g.clone()));
        }
    }
    let distractors: Vec<String> = distractors
        .iter()
        .map(|d| norm(d))
        .filter(|d| !d.is_empty())
        .collect();
    for p in predicted {
        let source = norm(&p.source);
        if source.is_empty() {
            continue;
        }
        for d in &distractors {
            let rest_has_digit = || {
                source
                    .replace(d.as_str(), "")
                    .chars()
                    .any(|c| c.is_ascii_digit())
            };
            if source == *d || (source.contains(d.as_str()) && !rest_has_digit()) {
                score.distractor_hits += 1;
                score.findings.push(Finding::DistractorHit {
                    distractor: d.clone(),
                    source: p.source.clone(),
                });
            }
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cmp;

    fn target(indicator: &str, value: f64, unit: &str, source: &str) -> Target {
        Target {
            indicator: indicator.into(),
            verb: String::new(),
            value,
            unit: unit.into(),
            cmp: Cmp::Eq,
            value_max: None,
            modality: None,
            source: source.into(),
            span: [0, 0],
        }
    }

    #[test]
    fn scores_by_the_gold_rule() {
        let gold = parse_gold(concat!(
            "{\"indicator\":\"高标准农田\",\"value\":200000,\"unit\":\"亩\"}\n",
            "{\"indicator\":\"就业\",\"value\":130000,\"unit\":\"人\"}\n",
            "\n",
            "{\"indicator\":\"行业领域集中整治\",\"value\":27,\"unit\":\"个\",\"optional\":true}\n",
        ))
        .unwrap();
        let predicted = [
            target("新增高标准农田", 200000.0, "亩", "新增高标准农田20万亩"),
            target("行业领域", 27.0, "个", "27个行业领域"),
            target("七大工程", 7.0, "", "七大工程"),
            target("就业", 130000.0, "万人", "新增就业13万人"),
        ];
        let refs: Vec<&Target> = predicted.iter().collect();
        let score = score(&refs, &gold, &["七大工程".to_string()]);
        assert_eq!(
            (
                score.true_positives,
                score.false_positives,
                score.false_negatives
            ),
            (1, 2, 1)
        );
        assert_eq!((score.exact_indicators, score.distractor_hits), (0, 1));
        assert_eq!(
            score.summary(),
            "P=0.333 R=0.500 F1=0.400 exact_indicator=0.00 distractor_hits=1 (tp=1 fp=2 fn=1)"
        );
    }

    #[test]
    fn totals_are_micro_averaged() {
        let gold = parse_gold(concat!(
            "{\"indicator\":\"高标准农田\",\"value\":200000,\"unit\":\"亩\"}\n",
            "{\"indicator\":\"共享农庄\",\"value\":35,\"unit\":\"家\"}\n",
        ))
        .unwrap();
        let one = [target("高标准农田", 200000.0, "亩", "新增高标准农田20万亩")];
        let two = [
            target("共享农庄", 35.0, "家", "新增共享农庄35家"),
            target("新型职业农民", 3000.0, "名", "培育新型职业农民3000名"),
            target("共享农庄", 36.0, "家", "新增共享农庄36家"),
        ];
        let mut total = score(&one.iter().collect::<Vec<_>>(), &gold[..1], &[]);
        let second = score(&two.iter().collect::<Vec<_>>(), &gold[1..], &[]);
        assert_eq!(second.f1(), 0.5);
        total.add(&second);
        assert_eq!(total.counts(), "P=0.500 R=1.000 F1=0.667 (tp=2 fp=2 fn=0)");
        assert!(
            total.findings.is_empty(),
            "the first report had no findings"
        );
    }

    #[test]
    fn a_bad_gold_line_is_named() {
        let error =
            parse_gold("{\"indicator\":\"a\",\"value\":1,\"unit\":\"\"}\nnot json\n").unwrap_err();
        assert!(
            matches!(error, GoldError::BadLine { line: 2, .. }),
            "{error}"
        );
    }
}
