//! Per-item outcomes of batch operations (`x-restsmith-batch-result`): a request that acts on
//! many ids answers HTTP 200 and reports success or failure per item. [`BatchOutcome`] splits
//! them so a partial failure is easy to read and never mistaken for a whole-request error.

/// One item that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure {
    /// The item's id.
    pub id: String,
    /// The service's error code for this item.
    pub code: String,
    /// The service's message, if any.
    pub message: Option<String>,
}

/// Ids that succeeded, failed, or were requested but not mentioned in the response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Items reported without an error code.
    pub succeeded: Vec<String>,
    /// Items reported with an error code.
    pub failed: Vec<ItemFailure>,
    /// Requested ids the response does not mention (the outcome is not known).
    pub unknown: Vec<String>,
}

impl BatchOutcome {
    /// Builds the outcome from `(id, error code, error message)` per reported item and the ids
    /// that were requested. An item counts as failed when its code is present and non-empty.
    pub fn from_items<'a, S: AsRef<str>>(
        items: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
        requested: &[S],
    ) -> Self {
        let mut outcome = BatchOutcome::default();
        let mut mentioned = std::collections::BTreeSet::new();
        for (id, code, message) in items {
            let Some(id) = id else { continue };
            mentioned.insert(id.to_owned());
            match code.filter(|c| !c.trim().is_empty()) {
                Some(code) => outcome.failed.push(ItemFailure {
                    id: id.to_owned(),
                    code: code.to_owned(),
                    message: message.map(str::to_owned),
                }),
                None => outcome.succeeded.push(id.to_owned()),
            }
        }
        for id in requested {
            let id = id.as_ref();
            if !mentioned.contains(id) && !outcome.unknown.iter().any(|u| u == id) {
                outcome.unknown.push(id.to_owned());
            }
        }
        outcome
    }

    /// True when every requested item is known to have succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.failed.is_empty() && self.unknown.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_items() {
        let items = vec![
            (Some("a"), None, None),
            (Some("b"), Some("InvalidImage.NotFound"), Some("gone")),
            (Some("c"), Some(""), None),
            (None, Some("X"), None),
        ];
        let outcome = BatchOutcome::from_items(items, &["a", "b", "c", "d", "d"]);
        assert_eq!(outcome.succeeded, ["a", "c"]);
        assert_eq!(
            outcome.failed,
            [ItemFailure { id: "b".into(), code: "InvalidImage.NotFound".into(), message: Some("gone".into()) }]
        );
        assert_eq!(outcome.unknown, ["d"]);
        assert!(!outcome.all_succeeded());
    }
}
