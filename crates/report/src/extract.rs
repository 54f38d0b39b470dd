//! Extract: cut the plan parts into commitments and read the quantified targets in them; read the
//! achieved figures of the review parts the same way.
//!
//! A sentence (up to 。！？；) of a plan part is one commitment. Inside it, clauses (up to ，：and
//! brackets) hold quantities: a number with its multipliers and unit. Each quantity is read with
//! what stands around it in its clause:
//! - before it, the left context: modality (确保), fillers, then either an indicator and the verb
//!   that leads to the number (覆盖率达到70%), or a verb and its object (新增高标准农田20万亩);
//! - after it, comparators (以上, 左右) and, for counting and measuring units, the noun it counts
//!   (新建10个康居特色村).
//!
//! A quantity that is a date, an age, an ordinal (第七次), a name (5G, "12345"), a slogan in
//! quotes, a single-digit Chinese numeral (四个意识, 七大工程), or a span of time describing a noun
//! (10分钟体育休闲生活圈) is not a target. Enumerations that share a verb (、), `分别` pairs and
//! ranges (6%－6.5%) are spread over their quantities.

//!
//! Modules, one job each: `quantity` finds the quantities of a clause (number, multipliers, unit,
//! comparators, the noun counted), `clause` reads each with its left context into a target,
//! `name` cleans indicator names.

mod clause;
mod name;
mod quantity;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::lexicon;
use crate::model::{Commitment, CommitmentKind, Goal, Outcome, Role, Target};
use crate::outline::Outline;
use crate::span::CharIndex;

use clause::targets_in;

/// What extraction found.
#[derive(Debug, Default)]
pub struct Found {
    /// Commitments of plan parts.
    pub commitments: Vec<Commitment>,
    /// Achieved figures of review parts, with their period.
    pub outcomes: Vec<Outcome>,
    /// Long-term goals of five-year outline parts, with their horizon.
    pub goals: Vec<Goal>,
}

/// Extracts commitments from the plan parts, outcomes from the review parts and goals from the
/// five-year outline parts.
pub fn extract(text: &str, outline: &Outline, year: Option<i32>, index: &CharIndex<'_>) -> Found {
    let mut found = Found::default();
    let mut stated = Stated::default();
    for (start, end) in sentences(text) {
        let place = outline.place(start);
        if place.role == Role::Other {
            continue;
        }
        let sentence = &text[start..end];
        let reading = if place.role == Role::Review {
            Role::Review
        } else {
            Role::Plan
        };
        let mut targets = targets_in(sentence, start, index, reading);
        if place.in_heading && targets.is_empty() {
            // A heading names a topic; one that holds an amount (一是支持20所普通高中…,
            // 1.新增城镇就业30万人) is a commitment of its own.
            continue;
        }
        match place.role {
            Role::Review => found
                .outcomes
                .extend(targets.into_iter().map(|target| Outcome {
                    period: crate::outline::figure_period(sentence, &target.source, place.period),
                    target,
                })),
            Role::Outline => found.goals.extend(targets.into_iter().map(|target| Goal {
                horizon: crate::outline::figure_horizon(sentence).or(place.horizon),
                target,
            })),
            Role::Plan => {
                if !targets.is_empty()
                    && let Some((horizon, at)) = crate::outline::plan_horizon(sentence, year)
                {
                    // 用3—5年时间…引进培育10名战略科学家: figures set for a later year are goals.
                    let marker = index.chars(start + at);
                    let (later, this_year): (Vec<Target>, Vec<Target>) =
                        targets.into_iter().partition(|t| t.span[0] >= marker);
                    found.goals.extend(later.into_iter().map(|target| Goal {
                        horizon: Some(horizon),
                        target,
                    }));
                    targets = this_year;
                }
                // 云南 2025's annex of 10件惠民实事 repeats 实现城镇新增就业50万人以上 of the body: one
                // promise, tracked once, where it is first made.
                targets.retain(|t| !stated.restates(t));
                for t in &targets {
                    stated.add(t);
                }
                let kind = if !targets.is_empty() {
                    CommitmentKind::Quantified
                } else if is_milestone(sentence) {
                    CommitmentKind::Milestone
                } else {
                    CommitmentKind::Qualitative
                };
                found.commitments.push(Commitment {
                    id: format!("c{}", found.commitments.len() + 1),
                    path: place.path,
                    text: sentence.to_string(),
                    span: [index.chars(start), index.chars(end)],
                    kind,
                    modality: modality(sentence).map(str::to_string),
                    deadline: crate::deadline::deadline(sentence, year),
                    targets,
                });
            }
            Role::Other => {}
        }
    }
    found
}

/// The plan targets stated so far, by amount and unit, so that a later one that restates one of
/// them is found without comparing it with every target of the report.
#[derive(Default)]
struct Stated {
    /// The indicators stated with each (value, value_max, unit), in order.
    by_amount: HashMap<(u64, Option<u64>, String), Vec<String>>,
}

impl Stated {
    /// How many indicators of one amount are compared at most: a report states the same amount of
    /// a few things, a pasted table of one amount must not make the reading quadratic.
    const MAX_COMPARED: usize = 32;

    /// Remembers a target the plan states.
    fn add(&mut self, target: &Target) {
        let names = self.by_amount.entry(Self::key(target)).or_default();
        if names.len() < Self::MAX_COMPARED {
            names.push(target.indicator.clone());
        }
    }

    /// Whether `target` restates one stated before: the same amount and unit, and one name
    /// contains the other, the shorter of at least four characters.
    fn restates(&self, target: &Target) -> bool {
        self.by_amount.get(&Self::key(target)).is_some_and(|names| {
            names.iter().any(|name| {
                let (short, long) = if name.len() <= target.indicator.len() {
                    (name.as_str(), target.indicator.as_str())
                } else {
                    (target.indicator.as_str(), name.as_str())
                };
                short.chars().count() >= 4 && long.contains(short)
            })
        })
    }

    fn key(target: &Target) -> (u64, Option<u64>, String) {
        (
            target.value.to_bits(),
            target.value_max.map(f64::to_bits),
            target.unit.clone(),
        )
    }
}

/// The longest sentence the reader takes whole, in bytes. The longest sentence of the national and
/// the 52 provincial reports is 1,500 bytes (福建 2026); text with no sentence end for longer than
/// this (a pasted table, a file with its punctuation lost) is cut into pieces of at most this size,
/// at a clause mark where there is one, so the work per sentence, and so per byte, stays bounded.
pub const MAX_SENTENCE_BYTES: usize = 8 * 1024;

/// Byte ranges of the sentences of `text`, without their closing punctuation and white space;
/// none longer than [`MAX_SENTENCE_BYTES`].
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |s: usize, e: usize| {
        for (s, e) in bounded_pieces(text, s, e) {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start_matches(is_blank).len();
            let trimmed = piece.trim_matches(is_blank);
            if trimmed.chars().any(|c| c.is_alphanumeric()) {
                out.push((s + lead, s + lead + trimmed.len()));
            }
        }
    };
    const ENDS: [char; 8] = ['。', '！', '？', '；', '\n', '!', '?', ';'];
    for (at, c) in crate::span::char_positions(text, &ENDS) {
        push(start, at);
        start = at + c.len_utf8();
    }
    push(start, text.len());
    out
}

/// `text[start..end]` cut into pieces of at most [`MAX_SENTENCE_BYTES`]: each piece ends after
/// the last clause mark (，、：,) within the limit, or at the last character boundary if it has none.
fn bounded_pieces(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut from = start;
    while end - from > MAX_SENTENCE_BYTES {
        let mut limit = from + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[from..limit];
        let cut = window
            .rfind(['，', '、', '：', ','])
            .map(|at| from + at + window[at..].chars().next().map_or(1, char::len_utf8))
            .filter(|&cut| cut > from)
            .unwrap_or(limit);
        pieces.push((from, cut));
        from = cut;
    }
    pieces.push((from, end));
    pieces
}

/// Where the first piece of `text[start..end]` ends when cut as [`sentences`] cuts: `end` when
/// the stretch is at most [`MAX_SENTENCE_BYTES`] long.
pub(crate) fn first_piece_end(text: &str, start: usize, end: usize) -> usize {
    if end - start <= MAX_SENTENCE_BYTES {
        return end;
    }
    bounded_pieces(text, start, start + MAX_SENTENCE_BYTES + 1)
        .first()
        .map_or(end, |&(_, e)| e)
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '　'
}

/// Whether a sentence builds, starts or completes something (建成, 开工, 完成…): one automaton
/// over the verbs, built once, since every sentence of every plan asks.
fn is_milestone(sentence: &str) -> bool {
    static VERBS: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(lexicon::MILESTONE_VERBS).ok());
    VERBS.as_ref().is_some_and(|verbs| verbs.is_match(sentence))
}

/// 确保 or 力争 where the text marks one.
fn modality(text: &str) -> Option<&'static str> {
    if lexicon::FIRM.iter().any(|w| text.contains(w)) {
        Some("确保")
    } else if lexicon::STRETCH.iter().any(|w| text.contains(w)) {
        Some("力争")
    } else {
        None
    }
}
