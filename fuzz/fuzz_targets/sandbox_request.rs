//! The sandbox's request handling: any method, path, query, headers and body,
//! sent over a real connection to a sandbox in this process. The sandbox may
//! refuse; it may not panic (a panic anywhere aborts the run), hang (each
//! request has five seconds) or answer a 5xx, since no fault rule is set.
#![no_main]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Request {
    method: u8,
    resource: u8,
    /// After the resource's path: `list/`, an id, anything.
    path_tail: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    authenticated: bool,
    json: bool,
    body: Vec<u8>,
}

const METHODS: [&str; 6] = ["GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"];

/// The sandbox's address; it runs for the whole fuzzing process.
fn sandbox() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        // A panic on any thread (a handler's included) is a crash.
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            default(info);
            std::process::abort();
        }));
        let runtime = Box::leak(Box::new(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime"),
        ));
        let config = pigello_sandbox::SandboxConfig {
            tenants: 5,
            ..Default::default()
        };
        let sandbox = runtime
            .block_on(pigello_sandbox::Sandbox::start(config))
            .expect("the sandbox starts");
        let addr = sandbox.addr().to_string();
        std::mem::forget(sandbox);
        addr
    })
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fuzz_target!(|request: Request| {
    let addr = sandbox();
    let spec = pigello::resources::ALL[request.resource as usize % pigello::resources::ALL.len()];
    let base = spec.paths.collection;
    let tail: Vec<String> = request.path_tail.split('/').map(encode).collect();
    let mut target = format!("{base}{}", tail.join("/"));
    if !request.query.is_empty() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &request.query {
            query.append_pair(name, value);
        }
        target.push('?');
        target.push_str(&query.finish());
    }
    let method = METHODS[request.method as usize % METHODS.len()];
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if request.authenticated {
        let credentials = pigello::Credentials::new(
            "00000000-0000-4000-8000-000000000001",
            "a",
            "s",
            "v",
            "c",
            "o",
            "secret",
        );
        for (name, value) in credentials.headers() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    for (name, value) in request.headers.iter().take(8) {
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let value: String = value.chars().filter(|c| (' '..='~').contains(c)).collect();
        if !name.is_empty() && !name.eq_ignore_ascii_case("content-length") {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if request.json {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", request.body.len()));

    let mut stream = TcpStream::connect(addr).expect("the sandbox accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("a timeout");
    stream.write_all(head.as_bytes()).expect("sent");
    stream.write_all(&request.body).expect("sent");
    let mut answer = Vec::new();
    if let Err(e) = stream.read_to_end(&mut answer) {
        panic!("no whole answer within 5 s: {e}");
    }
    let status_line = answer.split(|b| *b == b'\r').next().unwrap_or_default();
    let status = String::from_utf8_lossy(status_line);
    assert!(
        status.starts_with("HTTP/1.1 "),
        "not an HTTP answer: {status:?}"
    );
    assert!(
        !status.starts_with("HTTP/1.1 5"),
        "{status} for {method} {target}"
    );
});
