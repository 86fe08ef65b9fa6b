//! Checks on request values made before anything is sent: `pattern`, lengths, ranges and item
//! counts from the API description. A failure is [`Error::Validation`] naming the parameter.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;

use crate::error::Error;

/// Compiled patterns, keyed by their text (patterns are `'static` strings in generated code).
fn compiled(pattern: &'static str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = match cache.lock() {
        Ok(map) => map,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(pattern).or_insert_with(|| Regex::new(pattern).ok()).clone()
}

/// `value` must match `pattern` (the generator only emits patterns the `regex` crate accepts;
/// one that does not compile is not enforced).
pub fn pattern<E>(parameter: &str, value: &str, pattern: &'static str) -> Result<(), Error<E>> {
    match compiled(pattern) {
        Some(re) if !re.is_match(value) => {
            Err(Error::validation(parameter, format!("`{}` does not match the pattern `{pattern}`", shorten(value))))
        }
        _ => Ok(()),
    }
}

/// The length of `value` in characters must be within the bounds.
pub fn length<E>(parameter: &str, value: &str, min: Option<usize>, max: Option<usize>) -> Result<(), Error<E>> {
    let n = value.chars().count();
    if min.is_some_and(|min| n < min) || max.is_some_and(|max| n > max) {
        return Err(Error::validation(parameter, format!("length {n} is outside {}", bounds(min, max))));
    }
    Ok(())
}

/// A number must be within the bounds (inclusive).
pub fn range<E>(parameter: &str, value: f64, min: Option<f64>, max: Option<f64>) -> Result<(), Error<E>> {
    if value.is_nan() {
        return Err(Error::validation(parameter, format!("NaN is outside {}", bounds(min, max))));
    }
    if min.is_some_and(|min| value < min) || max.is_some_and(|max| value > max) {
        return Err(Error::validation(parameter, format!("{value} is outside {}", bounds(min, max))));
    }
    Ok(())
}

/// A number must be within the bounds, each bound exclusive when its flag says so.
pub fn range_exclusive<E>(
    parameter: &str,
    value: f64,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
) -> Result<(), Error<E>> {
    if value.is_nan() {
        return Err(Error::validation(parameter, "NaN is not within the bounds"));
    }
    let below = min.is_some_and(|(m, exclusive)| if exclusive { value <= m } else { value < m });
    let above = max.is_some_and(|(m, exclusive)| if exclusive { value >= m } else { value > m });
    if below || above {
        let lower = min.map(|(m, x)| format!("{}{m}", if x { ">" } else { ">=" })).unwrap_or_default();
        let upper = max.map(|(m, x)| format!("{}{m}", if x { "<" } else { "<=" })).unwrap_or_default();
        return Err(Error::validation(parameter, format!("{value} is not {lower} {upper}").replace("  ", " ").trim_end().to_owned()));
    }
    Ok(())
}

/// A number must be a multiple of `factor`.
pub fn multiple_of<E>(parameter: &str, value: f64, factor: f64) -> Result<(), Error<E>> {
    if factor != 0.0 {
        let ratio = value / factor;
        if (ratio - ratio.round()).abs() > 1e-9 {
            return Err(Error::validation(parameter, format!("{value} is not a multiple of {factor}")));
        }
    }
    Ok(())
}

/// The items of a list must differ from each other.
pub fn unique<E, T: PartialEq>(parameter: &str, items: &[T]) -> Result<(), Error<E>> {
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(Error::validation(parameter, format!("item {i} repeats an earlier item (uniqueItems)")));
        }
    }
    Ok(())
}

/// A list must have a number of items within the bounds.
pub fn items<E>(parameter: &str, len: usize, min: Option<usize>, max: Option<usize>) -> Result<(), Error<E>> {
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        return Err(Error::validation(parameter, format!("{len} item(s) is outside {}", bounds(min, max))));
    }
    Ok(())
}

fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!("{a}.."),
        (None, Some(b)) => format!("..={b}"),
        (None, None) => "any".into(),
    }
}

/// At most 64 characters of a value, for messages.
fn shorten(value: &str) -> String {
    let mut out: String = value.chars().take(64).collect();
    if value.chars().count() > 64 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type E = Error<()>;

    #[test]
    fn checks() {
        let aks = r"^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$";
        assert!(pattern::<()>("resource_name", "aks-1", aks).is_ok());
        let err: E = pattern("resource_name", "-bad", aks).unwrap_err();
        assert!(err.to_string().contains("resource_name"), "{err}");
        assert!(length::<()>("n", "abc", Some(1), Some(3)).is_ok());
        assert!(length::<()>("n", "abcd", Some(1), Some(3)).is_err());
        assert!(length::<()>("n", "", Some(1), None).is_err());
        assert!(range::<()>("t", 30.0, Some(1.0), Some(30.0)).is_ok());
        assert!(range::<()>("t", 31.0, None, Some(30.0)).is_err());
        assert!(items::<()>("ids", 0, Some(1), Some(100)).is_err());
        assert!(items::<()>("ids", 101, Some(1), Some(100)).is_err());
        assert!(items::<()>("ids", 100, Some(1), Some(100)).is_ok());
        assert!(range_exclusive::<()>("n", 0.0, Some((0.0, true)), None).is_err());
        assert!(range_exclusive::<()>("n", 0.5, Some((0.0, true)), Some((1.0, true))).is_ok());
        assert!(range_exclusive::<()>("n", 1.0, None, Some((1.0, false))).is_ok());
        assert!(multiple_of::<()>("n", 7.5, 2.5).is_ok());
        assert!(multiple_of::<()>("n", 7.0, 2.5).is_err());
        assert!(unique::<(), _>("ids", &["a", "b"]).is_ok());
        assert!(unique::<(), _>("ids", &["a", "b", "a"]).is_err());
    }
}
