//! A multipart/form-data body read back into its parts, as a relay reads an edit.

use wiremock::Request;

/// One part of a multipart body, as the relay received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

/// Splits a multipart/form-data body into its parts (RFC 7578), as a relay reads it.
pub fn parts(request: &Request) -> Vec<Received> {
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap().to_string();
    assert!(content_type.starts_with("multipart/form-data"), "{content_type}");
    let boundary = content_type.split("boundary=").nth(1).unwrap().trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&body[at..], &delimiter) {
        starts.push(at + found);
        at += found + delimiter.len();
    }
    let mut out = Vec::new();
    for pair in starts.windows(2) {
        let chunk = &body[pair[0] + delimiter.len()..pair[1]];
        let chunk = chunk.strip_prefix(b"\r\n").unwrap();
        let chunk = chunk.strip_suffix(b"\r\n").unwrap();
        let split = find(chunk, b"\r\n\r\n").unwrap();
        let head = std::str::from_utf8(&chunk[..split]).unwrap();
        let mut part =
            Received { name: String::new(), file_name: None, content_type: None, body: chunk[split + 4..].to_vec() };
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':').unwrap();
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').skip(1) {
                        let (k, v) = param.trim().split_once('=').unwrap();
                        let v = v.trim_matches('"').to_string();
                        match k {
                            "name" => part.name = v,
                            "filename" => part.file_name = Some(v),
                            _ => {}
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_string()),
                _ => {}
            }
        }
        out.push(part);
    }
    assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()), "the body is closed");
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
