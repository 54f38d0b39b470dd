//! `/`: the public portal, every government with its reports by year and how far each plan got.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::error::PageError;
use super::view::{Badge, Chrome, STATUS_ORDER, render};
use crate::state::AppState;

/// One report on the portal.
#[derive(Debug, Clone)]
pub struct ReportCard {
    /// Its id.
    pub id: i64,
    /// Its plan year.
    pub year: i32,
    /// Its title.
    pub title: String,
    /// How many commitments it holds.
    pub commitments: i64,
    /// (status badge, count, width in percent of the bar), zeros left out.
    pub segments: Vec<(Badge, i64, i64)>,
}

/// One government on the portal.
#[derive(Debug, Clone)]
pub struct GovernmentCard {
    /// Its name.
    pub name: String,
    /// Its tier in words.
    pub level: String,
    /// Its reports, newest first.
    pub reports: Vec<ReportCard>,
}

#[derive(Template)]
#[template(path = "portal.html")]
struct PortalPage {
    chrome: Chrome,
    governments: Vec<GovernmentCard>,
}

/// `GET /`.
pub async fn index(
    State(state): State<AppState>,
    chrome: Chrome,
) -> Result<Html<String>, PageError> {
    let reports = state.store.reports(None).await?;
    let mut governments = Vec::new();
    for g in state.store.governments().await? {
        let mut cards = Vec::new();
        for r in reports.iter().filter(|r| r.government_id == g.id) {
            let counts = state.store.status_of_report(r.id).await?;
            let total = counts.total().max(1);
            let segments = STATUS_ORDER
                .iter()
                .map(|s| (Badge::from(*s), counts.get(*s)))
                .filter(|(_, n)| *n > 0)
                .map(|(b, n)| (b, n, n * 100 / total))
                .collect();
            cards.push(ReportCard {
                id: r.id.0,
                year: r.year,
                title: r.title.clone(),
                commitments: r.commitments,
                segments,
            });
        }
        governments.push(GovernmentCard {
            name: g.name,
            level: g.level.label_zh().to_string(),
            reports: cards,
        });
    }
    render(&PortalPage {
        chrome,
        governments,
    })
}
