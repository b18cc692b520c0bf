//! A binding's bridge as the tests see it: each attempt's span as the core
//! hands it over (start, then end), kept, and a `traceparent` of its own
//! propagated for each.
#![allow(dead_code)]

use std::sync::{Arc, Mutex, PoisonError};

use pigello::telemetry::{AttemptEnd, AttemptSpan, AttemptStart, Pending, Propagated, Telemetry};

/// One attempt as a binding's bridge received it: its start, then its end.
type Received = (AttemptStart, Option<AttemptEnd>);

/// What a binding's bridge received.
#[derive(Clone, Default)]
pub struct Kept(Arc<Mutex<Vec<Received>>>);

/// The `traceparent` the `n`th attempt propagates.
pub fn traceparent(n: usize) -> String {
    format!("00-0af7651916cd43dd8448eb211c80319c-{n:016x}-01")
}

struct KeptSpan {
    kept: Kept,
    index: usize,
}

impl AttemptSpan for KeptSpan {
    fn propagated(&self) -> Propagated {
        vec![("traceparent".into(), traceparent(self.index + 1))]
    }

    fn end(self: Box<Self>, end: AttemptEnd) -> Pending<()> {
        let mut attempts = self.kept.0.lock().unwrap_or_else(PoisonError::into_inner);
        attempts[self.index].1 = Some(end);
        Box::pin(std::future::ready(()))
    }
}

impl Telemetry for Kept {
    fn start_attempt(&self, start: AttemptStart) -> Pending<Box<dyn AttemptSpan>> {
        let kept = self.clone();
        Box::pin(async move {
            let mut attempts = kept.0.lock().unwrap_or_else(PoisonError::into_inner);
            attempts.push((start, None));
            let index = attempts.len() - 1;
            drop(attempts);
            Box::new(KeptSpan { kept, index }) as Box<dyn AttemptSpan>
        })
    }
}

impl Kept {
    pub fn attempts(&self) -> Vec<(AttemptStart, AttemptEnd)> {
        let attempts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        attempts
            .iter()
            .map(|(start, end)| (start.clone(), end.clone().expect("every span ended")))
            .collect()
    }
}
