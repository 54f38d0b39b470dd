//! The demo plan: loaded once, every status colour present on the demo date, passwords that
//! sign in.

mod common;

use duban_core::status::{Colour, Status};
use duban_server::demo;
use duban_store::Store;

#[tokio::test(flavor = "multi_thread")]
async fn demo_shows_every_colour_and_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("demo.db").display());
    let store = Store::open(&url).await.unwrap();
    let summary = demo::load(&store, demo::default_as_of()).await.unwrap();
    assert!(!summary.already_loaded);
    assert_eq!(
        summary.accounts.len(),
        13,
        "admin, supervisor, viewer, 10 liaisons"
    );
    assert!(summary.assigned > 20, "{summary:?}");
    assert!(summary.reports > 20, "{summary:?}");
    assert!(summary.notices >= 1, "{summary:?}");

    let counts = store
        .status_of_report(duban_core::ids::ReportId(summary.report_id))
        .await
        .unwrap();
    for colour in [Colour::Green, Colour::Yellow, Colour::Red, Colour::Grey] {
        assert!(
            Status::ALL
                .iter()
                .any(|s| s.colour() == colour && counts.get(*s) > 0),
            "no {colour:?} in {counts:?}"
        );
    }
    for status in [
        Status::Lagging,
        Status::SeriouslyLagging,
        Status::Overdue,
        Status::Done,
    ] {
        assert!(counts.get(status) > 0, "no {status:?} in {counts:?}");
    }

    // The printed password signs in.
    let admin = &summary.accounts[0];
    let state =
        duban_server::AppState::with_secret(store.clone(), duban_server::Settings::default(), b"k");
    let cookie = duban_server::auth::login(&state, &admin.login, &admin.password)
        .await
        .unwrap();
    assert_eq!(cookie.user.login, "admin");

    let again = demo::load(&store, demo::default_as_of()).await.unwrap();
    assert!(again.already_loaded);
    assert!(again.accounts.is_empty());
}
