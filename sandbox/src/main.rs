//! `pigello-sandbox`: runs the sandbox until SIGINT or SIGTERM.
//!
//! Its first line on stdout is `listening on http://HOST:PORT`, so a test
//! harness can start it with `--port 0` and read the port.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::Duration;

use pigello_sandbox::{Sandbox, SandboxConfig};

fn usage() -> String {
    let d = SandboxConfig::default();
    format!(
        "\
usage: pigello-sandbox [options]

  --host ADDR           address to bind (default {})
  --port N              port to bind; 0 picks a free one (default {})
  --seed N              seeds the generated world and ids (default {})
  --tenants N           tenants of the first seeded customer (default {})
  --require-secret S    accept only this X-PIGELLO-CLIENT-SECRET
  --state FILE          load FILE at start if it exists; save it (atomically)
                        after each write and at shutdown
  --save-every MS       save the state file at most every MS milliseconds
  --max-body-bytes N    largest request body (default {})
  -h, --help            this text
",
        d.host, d.port, d.seed, d.tenants, d.max_body_bytes
    )
}

fn parse(args: &[String]) -> Result<SandboxConfig, String> {
    let mut config = SandboxConfig::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--host" => {
                config.host = value()?
                    .parse()
                    .map_err(|_| "--host needs an IP address".to_owned())?
            }
            "--port" => {
                config.port = value()?
                    .parse()
                    .map_err(|_| "--port needs a port number".to_owned())?
            }
            "--seed" => config.seed = number(value()?)?,
            "--tenants" => config.tenants = number(value()?)? as usize,
            "--require-secret" => config.require_secret = Some(value()?.clone()),
            "--state" => config.state_file = Some(PathBuf::from(value()?)),
            "--save-every" => config.save_interval = Some(Duration::from_millis(number(value()?)?)),
            "--max-body-bytes" => config.max_body_bytes = number(value()?)? as usize,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(config)
}

/// Resolves on SIGINT or SIGTERM (Ctrl-C on Windows). The handlers are
/// installed when this is called, not when it is first awaited: a signal that
/// arrives right after the first line is printed must stop the sandbox cleanly
/// (saving its state), not kill it with the default action.
fn shutdown_signal() -> Pin<Box<dyn Future<Output = ()> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            return Box::pin(async move {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            });
        }
    }
    #[cfg(windows)]
    if let Ok(mut ctrl_c) = tokio::signal::windows::ctrl_c() {
        return Box::pin(async move {
            ctrl_c.recv().await;
        });
    }
    Box::pin(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let config = match parse(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("pigello-sandbox: {e}\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("pigello-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stopped = shutdown_signal();
    println!("listening on {}", sandbox.url());
    let _ = std::io::stdout().flush();
    stopped.await;
    match sandbox.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pigello-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
