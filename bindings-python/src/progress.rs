//! The progress line of a long export, written to stderr: a bar when the
//! number of rows is known, a count otherwise. Where nobody watches it redraw
//! (a log file, a pipe), only the last line is written.

use pyo3::prelude::*;

const WIDTH: u64 = 30;

pub struct Progress {
    out: Py<PyAny>,
    name: &'static str,
    total: Option<u64>,
    live: bool,
}

impl Progress {
    /// `live`: the output is a terminal or a notebook, which redraw a line.
    pub fn new(out: Py<PyAny>, name: &'static str, live: bool) -> Self {
        Progress {
            out,
            name,
            total: None,
            live,
        }
    }

    /// The number of rows the export will hold, when the API said.
    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    /// The line for `count` rows fetched.
    pub fn line(&self, count: usize) -> String {
        match self.total {
            Some(total) if total > 0 => {
                let filled = (count as u64 * WIDTH / total).min(WIDTH) as usize;
                format!(
                    "{}: [{}{}] {count}/{total} rows",
                    self.name,
                    "#".repeat(filled),
                    ".".repeat(WIDTH as usize - filled)
                )
            }
            _ => format!("{}: {count} rows", self.name),
        }
    }

    /// Writes the line (live, over the one before); `last` ends it.
    pub fn show(&self, count: usize, last: bool) -> PyResult<()> {
        let mut line = match (self.live, last) {
            (true, _) => format!("\r{}", self.line(count)),
            (false, true) => self.line(count),
            (false, false) => return Ok(()),
        };
        if last {
            line.push('\n');
        }
        Python::attach(|py| self.out.bind(py).call_method1("write", (line,)).map(drop))
    }
}
