//! Streamed answers for the tests: event-stream bodies, and a small relay on 127.0.0.1 that
//! writes its events with pauses, or holds a plain request silent and then drops it, as a
//! gateway that cuts idle connections does.

use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One event as a relay writes it: its type, then its JSON.
pub fn event(kind: &str, data: &Value) -> String {
    format!("event: {kind}\ndata: {data}\n\n")
}

/// A preview event of a generation.
pub fn partial(picture: &[u8], index: u32) -> String {
    event(
        "image_generation.partial_image",
        &json!({"type": "image_generation.partial_image", "b64_json": super::b64(picture),
                "partial_image_index": index, "size": "1024x1024", "output_format": "png"}),
    )
}

/// The final event of a generation, with its usage.
pub fn completed(picture: &[u8]) -> String {
    event(
        "image_generation.completed",
        &json!({"type": "image_generation.completed", "b64_json": super::b64(picture), "size": "1024x1024",
                "quality": "low", "output_format": "png",
                "usage": {"input_tokens": 20, "output_tokens": 500, "total_tokens": 520}}),
    )
}

/// A relay on 127.0.0.1 for requests that take their time. A request that asks for a stream is
/// answered with `events`, one every `pause`; any other is held without a byte for `silence`
/// and then dropped, as a gateway cuts a connection that stays silent. Returns its base URL.
pub async fn paced_relay(events: Vec<String>, pause: Duration, silence: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let events = events.clone();
            tokio::spawn(answer(socket, events, pause, silence));
        }
    });
    format!("http://{address}/v1")
}

async fn answer(mut socket: TcpStream, events: Vec<String>, pause: Duration, silence: Duration) {
    let Some(body) = read_request(&mut socket).await else { return };
    let body = String::from_utf8_lossy(&body);
    if !body.contains("\"stream\":true") {
        tokio::time::sleep(silence).await;
        return;
    }
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    for e in events {
        tokio::time::sleep(pause).await;
        if socket.write_all(e.as_bytes()).await.is_err() {
            return;
        }
    }
    let _ = socket.shutdown().await;
}

/// Reads a request's head and its body (by Content-Length).
async fn read_request(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while data.len() < head_end + length {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(data[head_end..].to_vec())
}

/// A relay on 127.0.0.1 that answers every request with `events` at once and then never
/// closes: it writes a keep-alive comment every `keep_alive`, or, for `None`, nothing more at
/// all. Returns its base URL.
pub async fn lingering_relay(events: Vec<String>, keep_alive: Option<Duration>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let events = events.clone();
            tokio::spawn(async move {
                if read_request(&mut socket).await.is_none() {
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                let mut out = head.to_string();
                events.iter().for_each(|e| out.push_str(e));
                if socket.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
                loop {
                    match keep_alive {
                        Some(every) => {
                            tokio::time::sleep(every).await;
                            if socket.write_all(b": keep-alive\n\n").await.is_err() {
                                return;
                            }
                        }
                        None => tokio::time::sleep(Duration::from_secs(3600)).await,
                    }
                }
            });
        }
    });
    format!("http://{address}/v1")
}
