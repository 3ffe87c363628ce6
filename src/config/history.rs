//! The `[history]` table: how the microconflict history surfaces in reports.

use serde::Deserialize;
use toml::Spanned;

use super::relations::Refused;

/// The history settings in effect.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryConfig {
    /// A finding open this many days or more is raised one severity step; `None` never.
    pub escalate_after_days: Option<u32>,
    /// `anchor-drift` flags similarities to the anchor below this floor (0–1)…, that are
    /// also in `[relations] drift-percentile`'s lowest percentile of the vault.
    pub anchor_floor: f64,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            escalate_after_days: None,
            anchor_floor: 0.3,
        }
    }
}

/// `[history]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct HistoryFile {
    escalate_after_days: Option<Spanned<i64>>,
    anchor_floor: Option<Spanned<f64>>,
}

/// Checks `[history]` and turns it into settings over the defaults.
pub(super) fn read(file: HistoryFile) -> Result<HistoryConfig, Refused> {
    let mut config = HistoryConfig::default();
    if let Some(days) = file.escalate_after_days {
        let value = *days.get_ref();
        if !(1..=36_500).contains(&value) {
            return Err(Refused {
                offset: days.span().start,
                message: "escalate-after-days must be a whole number of days from 1 to 36500"
                    .into(),
            });
        }
        config.escalate_after_days = Some(value as u32);
    }
    if let Some(floor) = file.anchor_floor {
        if !(0.0..=1.0).contains(floor.get_ref()) {
            return Err(Refused {
                offset: floor.span().start,
                message: "anchor-floor must be between 0 and 1".into(),
            });
        }
        config.anchor_floor = *floor.get_ref();
    }
    Ok(config)
}
