//! The progress line of a long export, written to stderr: a bar when the
//! number of rows is known, a count otherwise.

use pyo3::prelude::*;

const WIDTH: u64 = 30;

pub struct Progress {
    out: Py<PyAny>,
    name: &'static str,
    total: Option<u64>,
}

impl Progress {
    pub fn new(out: Py<PyAny>, name: &'static str) -> Self {
        Progress {
            out,
            name,
            total: None,
        }
    }

    /// The number of rows the export will hold, when the API said.
    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    /// The line for `count` rows fetched, starting with `\r` so it redraws.
    pub fn line(&self, count: usize) -> String {
        match self.total {
            Some(total) if total > 0 => {
                let filled = (count as u64 * WIDTH / total).min(WIDTH) as usize;
                format!(
                    "\r{}: [{}{}] {count}/{total} rows",
                    self.name,
                    "#".repeat(filled),
                    ".".repeat(WIDTH as usize - filled)
                )
            }
            _ => format!("\r{}: {count} rows", self.name),
        }
    }

    /// Writes the line; `last` ends it.
    pub fn show(&self, count: usize, last: bool) -> PyResult<()> {
        let mut line = self.line(count);
        if last {
            line.push('\n');
        }
        Python::attach(|py| self.out.bind(py).call_method1("write", (line,)).map(drop))
    }
}
