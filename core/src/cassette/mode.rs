//! When a cassette records and when it replays, under vcrpy's names.

use crate::validate::closest;
use crate::{Error, Result};

/// A cassette's record mode, as vcrpy names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordMode {
    /// Records every call when the file is missing; replays only when it
    /// exists (a call it does not hold is refused). The default.
    #[default]
    Once,
    /// Replays the calls the file holds and records the others into it.
    NewEpisodes,
    /// Replays only; a missing file, or a call it does not hold, is refused.
    None,
    /// Sends and records every call, replacing what the file held.
    All,
}

impl RecordMode {
    /// Every mode, as written.
    pub const NAMES: [&'static str; 4] = ["once", "new_episodes", "none", "all"];

    /// The mode `text` names; else a configuration error naming `option` (as
    /// the caller spells it) and listing the modes.
    ///
    /// ```
    /// use pigello::cassette::RecordMode;
    /// assert_eq!(RecordMode::parse("new_episodes", "record_mode")?, RecordMode::NewEpisodes);
    /// let refused = RecordMode::parse("new_episode", "record_mode").unwrap_err().to_string();
    /// assert!(refused.contains("did you mean new_episodes?"), "{refused}");
    /// # Ok::<(), pigello::Error>(())
    /// ```
    pub fn parse(text: &str, option: &str) -> Result<RecordMode> {
        match text {
            "once" => Ok(RecordMode::Once),
            "new_episodes" => Ok(RecordMode::NewEpisodes),
            "none" => Ok(RecordMode::None),
            "all" => Ok(RecordMode::All),
            _ => {
                let hint = closest(text, Self::NAMES.into_iter())
                    .map(|near| format!("; did you mean {near}?"))
                    .unwrap_or_default();
                Err(Error::Config(format!(
                    "{option} must be one of {}, not {text:?}{hint}",
                    Self::NAMES.join(", ")
                )))
            }
        }
    }

    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            RecordMode::Once => "once",
            RecordMode::NewEpisodes => "new_episodes",
            RecordMode::None => "none",
            RecordMode::All => "all",
        }
    }
}
