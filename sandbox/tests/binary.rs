//! The `pigello-sandbox` binary: the first line names the URL, it serves, and
//! it exits cleanly on SIGTERM and SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_pigello-sandbox");

fn run_until(signal: &str, extra: &[&str]) {
    let mut child = Command::new(BIN)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed",
            "3",
            "--tenants",
            "7",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    let url = first
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .map(|port| format!("http://127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    let port: u16 = url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    assert_ne!(port, 0);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let summary: serde_json::Value = runtime.block_on(async {
        reqwest::get(format!("{url}/_sandbox/"))
            .await
            .expect("answer")
            .json()
            .await
            .expect("json")
    });
    assert_eq!(summary["seed"], 3);
    assert_eq!(
        summary["customers"]["00000000-0000-4000-8000-000000000001"]["tenants"],
        7
    );

    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("the binary exits");
    assert!(status.success(), "exit after {signal}: {status:?}");
}

#[test]
fn serves_until_sigterm() {
    run_until("-TERM", &[]);
}

#[test]
fn serves_until_sigint() {
    run_until("-INT", &[]);
}

#[test]
fn help_and_bad_flags() {
    let help = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--tenants"));
    let bad = Command::new(BIN).arg("--nope").output().expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown option --nope"));
    let bad = Command::new(BIN)
        .args(["--port", "x"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}
