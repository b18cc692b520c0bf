//! The progress of a long export: its text, made here, and where it shows,
//! chosen by `pigello._progress` (a notebook widget, a notebook text output,
//! a terminal line or the last line on stderr). A bar when the number of rows
//! is known, a count otherwise.

use pyo3::prelude::*;

const WIDTH: u64 = 30;

pub struct Progress {
    sink: Py<PyAny>,
    name: &'static str,
    total: Option<u64>,
    /// Whether the sink shows each page, or only the end.
    live: bool,
}

impl Progress {
    /// The progress of an export of `name` rows, or `None` where it is not
    /// shown (`progress`: the caller's choice; by default, where someone
    /// watches). A notebook's output is displayed now, on the calling thread,
    /// so it belongs to the cell that ran the export.
    pub fn open(
        py: Python<'_>,
        name: &'static str,
        progress: Option<bool>,
    ) -> PyResult<Option<Self>> {
        let first = Self::label_of(name, None, 0);
        let sink = py
            .import("pigello._progress")?
            .call_method1("sink", (progress, first))?;
        if sink.is_none() {
            return Ok(None);
        }
        let live = sink.getattr("live")?.is_truthy()?;
        Ok(Some(Progress {
            sink: sink.unbind(),
            name,
            total: None,
            live,
        }))
    }

    /// The number of rows the export will hold, when the API said.
    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    /// `Tenant: 10/30 rows`, or `Tenant: 10 rows` while the total is unknown.
    fn label_of(name: &str, total: Option<u64>, count: usize) -> String {
        match total {
            Some(total) => format!("{name}: {count}/{total} rows"),
            None => format!("{name}: {count} rows"),
        }
    }

    /// The line for `count` rows fetched: the label after a bar of `#` and `.`.
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
            total => Self::label_of(self.name, total, count),
        }
    }

    /// Shows `count` rows fetched (where the sink shows each page); `last`
    /// ends it.
    pub fn show(&self, count: usize, last: bool) -> PyResult<()> {
        if !self.live && !last {
            return Ok(());
        }
        let label = Self::label_of(self.name, self.total, count);
        Python::attach(|py| {
            self.sink
                .bind(py)
                .call_method1("show", (self.line(count), label, count, self.total, last))
                .map(drop)
        })
    }
}
