//! `cargo run -p pigello-codegen` regenerates; `-- --check` only reports stale files.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let check = std::env::args().any(|a| a == "--check");
    let result = if check {
        pigello_codegen::stale(&root).map(|stale| {
            for p in &stale {
                eprintln!(
                    "stale: {} (run `cargo run -p pigello-codegen`)",
                    p.display()
                );
            }
            stale.is_empty()
        })
    } else {
        pigello_codegen::generate(&root).and_then(|files| {
            for (path, code) in files {
                std::fs::write(root.join(&path), code)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                println!("wrote {}", path.display());
            }
            Ok(true)
        })
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("pigello-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}
