//! The real server on a loopback port, driven over HTTP/1.1 by hand.

mod common;

use common::Fixture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text[9..12].parse().unwrap();
    (status, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_over_loopback_and_shuts_down() {
    let f = Fixture::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(duban_server::serve(listener, f.state.clone(), async {
        let _ = stopped.await;
    }));
    let (status, body) = get(addr, "/healthz").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(addr, &format!("/api/v1/reports/{}/dashboard", f.report)).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"by_section\""));
    let (status, _) = get(addr, "/api/v1/me").await;
    assert_eq!(status, 401);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
