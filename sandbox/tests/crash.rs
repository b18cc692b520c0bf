//! The state file survives `kill -9`: the binary, killed during a storm of
//! writes, leaves a file that loads whole, and a restart serves it. A file cut
//! off or edited into nonsense is refused at start, naming the line.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use pigello::Credentials;
use pigello_sandbox::{FIRST_CUSTOMER, STATE_FORMAT};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_pigello-sandbox");
const TENANTS: &str = "/accounts/users/customer/tenant/";

/// Starts the binary on `state` and returns it with its URL; `None` if it
/// exited instead (a refused state file), with its stderr.
fn start(state: &Path) -> Result<(Child, String), String> {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--tenants", "3", "--state"])
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a first line");
    match first.trim().strip_prefix("listening on ") {
        Some(url) => Ok((child, url.to_owned())),
        None => {
            let output = child.wait_with_output().expect("exits");
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

/// The tenants of the file as it is now, 0 before the first save. A reader
/// racing a save sees the old file or the new one, whole.
fn saved_tenants(state: &Path) -> usize {
    if state.exists() { tenants_in(state) } else { 0 }
}

fn tenants_in(state: &Path) -> usize {
    let text = std::fs::read(state).expect("the state file exists");
    let document: Value = serde_json::from_slice(&text).expect("the file is whole JSON");
    assert_eq!(document["format"], STATE_FORMAT);
    document["customers"][FIRST_CUSTOMER.to_string()]["tenants"]
        .as_array()
        .expect("tenants")
        .len()
}

/// Creates tenants as fast as eight connections can until the runtime stops.
async fn storm(url: String) {
    let credentials = Credentials::new(FIRST_CUSTOMER.to_string(), "a", "s", "v", "c", "o", "x");
    let http = reqwest::Client::new();
    let writers = (0..8).map(|w| {
        let (http, url, credentials) = (http.clone(), url.clone(), credentials.clone());
        async move {
            for i in 0.. {
                let mut request = http
                    .post(format!("{url}{TENANTS}"))
                    .json(&json!({"first_name": format!("Storm {w}-{i}")}));
                for (name, value) in credentials.headers() {
                    request = request.header(name, value);
                }
                if request.send().await.is_err() {
                    return;
                }
            }
        }
    });
    futures_util::future::join_all(writers).await;
}

#[test]
fn a_kill_9_during_a_write_storm_leaves_a_whole_state_that_restarts() {
    let dir = std::env::temp_dir().join(format!("pigello-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let mut seen = 3;
    for round in 0..4u64 {
        let (mut child, url) = start(&state).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.spawn(storm(url));
        // Kill only once this round's writes reach the file (on a loaded
        // machine that takes longer), then at a different moment of the save
        // cycle each round.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while saved_tenants(&state) <= seen {
            assert!(
                std::time::Instant::now() < deadline,
                "round {round}: nothing saved in 60 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(50 + 170 * round));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        runtime.shutdown_background();
        let now = tenants_in(&state);
        assert!(now >= seen, "round {round}: {now} tenants after {seen}");
        seen = now;
    }
    assert!(seen > 3, "no write was ever saved");
    // No temporary file is left for a reader to mistake for the state: each
    // start removes what a kill during a save left, so only the last kill's
    // can remain.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("listing")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != "state.json")
        .collect();
    assert!(leftovers.len() <= 1, "{leftovers:?}");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn a_cut_off_state_file_is_refused_naming_the_line() {
    let dir = std::env::temp_dir().join(format!("pigello-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let state = dir.join("state.json");
    let (mut child, _) = start(&state).expect("starts fresh");
    // SIGTERM: a clean stop saves the file.
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let status = child.wait().expect("exits");
    assert!(status.success(), "a clean stop on SIGTERM: {status:?}");
    let whole = std::fs::read(&state).expect("saved");
    std::fs::write(&state, &whole[..whole.len() / 2]).expect("cut");
    let refused = start(&state).expect_err("a cut-off file is refused");
    assert!(refused.contains("line "), "{refused}");
    // A file that is JSON but breaks a rule is refused whole, naming where.
    let mut document: Value = serde_json::from_slice(&whole).expect("json");
    document["customers"][FIRST_CUSTOMER.to_string()]["tenants"][0]["id"] = json!("nope");
    std::fs::write(&state, serde_json::to_vec(&document).expect("bytes")).expect("write");
    let refused = start(&state).expect_err("a bad row is refused");
    assert!(refused.contains("tenants[0]"), "{refused}");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[test]
fn a_start_removes_what_a_kill_during_a_save_left_beside_the_state() {
    let dir = std::env::temp_dir().join(format!("pigello-stale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let state = dir.join("state.json");
    let stale = dir.join(".state.json.tmp-1-7");
    let other = dir.join(".other.json.tmp-1-7");
    std::fs::write(&stale, b"{\"cut off").expect("written");
    std::fs::write(&other, b"not ours").expect("written");
    let (mut child, _) = start(&state).expect("starts");
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(other.exists(), "a file of another state was removed");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}
