//! Run-time cost of the compact serde impls restsmith generates (`restsmith_runtime::object`)
//! against serde's derives, on the same struct: decoding and encoding a list of 2,000 objects
//! of 24 fields (strings, integers, booleans, lists, an optional date-time, a nested struct).
//!
//!     cargo bench -p restsmith-runtime --bench object
//!
//! Prints the time per list and the ratio compact / derive for each direction.

use std::hint::black_box;
use std::time::{Duration, Instant};

use restsmith_runtime::object::{DateTimeText, Fields, Format, ListFields, Object, Optional, OptionalAs, Required, Result};

/// The struct with serde's derives.
mod derived {
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Owner {
        pub login: String,
        pub id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub site_admin: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Repository {
        pub id: i64,
        pub name: String,
        pub full_name: String,
        pub owner: Owner,
        pub private: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        pub fork: bool,
        pub url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub homepage: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub language: Option<String>,
        pub forks_count: i64,
        pub stargazers_count: i64,
        pub watchers_count: i64,
        pub size: i64,
        pub default_branch: String,
        pub open_issues_count: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub topics: Option<Vec<String>>,
        pub has_issues: bool,
        pub has_projects: bool,
        pub has_wiki: bool,
        pub archived: bool,
        pub disabled: bool,
        #[serde(default, skip_serializing_if = "Option::is_none", with = "restsmith_runtime::serde_helpers::date_time::option")]
        pub pushed_at: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub visibility: Option<String>,
    }
}

/// The same struct with the impls restsmith generates.
#[derive(Debug, Clone, PartialEq)]
struct Owner {
    login: String,
    id: i64,
    site_admin: Option<bool>,
}

impl ListFields for Owner {
    #[inline]
    fn list_fields(&self) -> Fields<'_> {
        let mut fields = Fields::with_capacity(3);
        fields.add("login", &self.login);
        fields.add("id", &self.id);
        fields.optional("site_admin", &self.site_admin);
        fields
    }
}

impl serde::Serialize for Owner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        restsmith_runtime::object::serialize(self, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Owner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[inline]
        fn read(mut object: Object) -> Result<Owner> {
            let Some((login, id, site_admin)) =
                object.fields::<(Required<_>, Required<_>, Optional<_>)>(&["login", "id", "site_admin"])
            else {
                return Err(object.failure());
            };
            object.finish(Owner { login, id, site_admin })
        }
        Object::deserialize(deserializer, "Owner", read)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Repository {
    id: i64,
    name: String,
    full_name: String,
    owner: Owner,
    private: bool,
    description: Option<String>,
    fork: bool,
    url: String,
    homepage: Option<String>,
    language: Option<String>,
    forks_count: i64,
    stargazers_count: i64,
    watchers_count: i64,
    size: i64,
    default_branch: String,
    open_issues_count: i64,
    topics: Option<Vec<String>>,
    has_issues: bool,
    has_projects: bool,
    has_wiki: bool,
    archived: bool,
    disabled: bool,
    pushed_at: Option<chrono::DateTime<chrono::Utc>>,
    visibility: Option<String>,
}

impl ListFields for Repository {
    #[inline]
    fn list_fields(&self) -> Fields<'_> {
        let mut fields = Fields::with_capacity(24);
        fields.add("id", &self.id);
        fields.add("name", &self.name);
        fields.add("full_name", &self.full_name);
        fields.add("owner", &self.owner);
        fields.add("private", &self.private);
        fields.optional("description", &self.description);
        fields.add("fork", &self.fork);
        fields.add("url", &self.url);
        fields.optional("homepage", &self.homepage);
        fields.optional("language", &self.language);
        fields.add("forks_count", &self.forks_count);
        fields.add("stargazers_count", &self.stargazers_count);
        fields.add("watchers_count", &self.watchers_count);
        fields.add("size", &self.size);
        fields.add("default_branch", &self.default_branch);
        fields.add("open_issues_count", &self.open_issues_count);
        fields.optional("topics", &self.topics);
        fields.add("has_issues", &self.has_issues);
        fields.add("has_projects", &self.has_projects);
        fields.add("has_wiki", &self.has_wiki);
        fields.add("archived", &self.archived);
        fields.add("disabled", &self.disabled);
        fields.optional_as("pushed_at", &self.pushed_at, Format::DateTime);
        fields.optional("visibility", &self.visibility);
        fields
    }
}

impl serde::Serialize for Repository {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        restsmith_runtime::object::serialize(self, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Repository {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[inline]
        fn read(mut o: Object) -> Result<Repository> {
            type Readers = (
                (
                    Required<i64>,
                    Required<String>,
                    Required<String>,
                    Required<Owner>,
                    Required<bool>,
                    Optional<String>,
                    Required<bool>,
                    Required<String>,
                    Optional<String>,
                    Optional<String>,
                    Required<i64>,
                    Required<i64>,
                    Required<i64>,
                    Required<i64>,
                    Required<String>,
                    Required<i64>,
                ),
                (
                    Optional<Vec<String>>,
                    Required<bool>,
                    Required<bool>,
                    Required<bool>,
                    Required<bool>,
                    Required<bool>,
                    OptionalAs<DateTimeText>,
                    Optional<String>,
                ),
            );
            let keys = [
                "id", "name", "full_name", "owner", "private", "description", "fork", "url", "homepage", "language",
                "forks_count", "stargazers_count", "watchers_count", "size", "default_branch", "open_issues_count",
                "topics", "has_issues", "has_projects", "has_wiki", "archived", "disabled", "pushed_at", "visibility",
            ];
            let Some((
                (
                    id,
                    name,
                    full_name,
                    owner,
                    private,
                    description,
                    fork,
                    url,
                    homepage,
                    language,
                    forks_count,
                    stargazers_count,
                    watchers_count,
                    size,
                    default_branch,
                    open_issues_count,
                ),
                (topics, has_issues, has_projects, has_wiki, archived, disabled, pushed_at, visibility),
            )) = o.fields::<Readers>(&keys)
            else {
                return Err(o.failure());
            };
            let value = Repository {
                id,
                name,
                full_name,
                owner,
                private,
                description,
                fork,
                url,
                homepage,
                language,
                forks_count,
                stargazers_count,
                watchers_count,
                size,
                default_branch,
                open_issues_count,
                topics,
                has_issues,
                has_projects,
                has_wiki,
                archived,
                disabled,
                pushed_at,
                visibility,
            };
            o.finish(value)
        }
        Object::deserialize(deserializer, "Repository", read)
    }
}

/// A JSON list of `count` repositories.
fn payload(count: usize) -> String {
    let items: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({
                "id": i, "name": format!("repo-{i}"), "full_name": format!("octo/repo-{i}"),
                "owner": { "login": "octo", "id": 1, "site_admin": false },
                "private": i % 2 == 0, "description": "A repository used in a benchmark", "fork": false,
                "url": format!("https://api.github.com/repos/octo/repo-{i}"), "homepage": null,
                "language": "Rust", "forks_count": 3, "stargazers_count": 80, "watchers_count": 80,
                "size": 1024, "default_branch": "main", "open_issues_count": 2,
                "topics": ["api", "openapi"], "has_issues": true, "has_projects": false, "has_wiki": true,
                "archived": false, "disabled": false, "pushed_at": "2024-01-05T09:30:00Z",
                "visibility": "public", "unknown_extra": { "nested": [1, 2, 3] }
            })
        })
        .collect();
    serde_json::to_string(&items).expect("JSON")
}

/// The best of `runs` timings of `f`.
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let json = payload(2_000);
    let derived: Vec<derived::Repository> = serde_json::from_str(&json).expect("derive decodes");
    let compact: Vec<Repository> = serde_json::from_str(&json).expect("compact decodes");
    // Both write the same JSON (the unknown property is dropped by both).
    assert_eq!(serde_json::to_value(&derived).unwrap(), serde_json::to_value(&compact).unwrap());
    let runs = 30;
    let decode_derived = best(runs, || {
        black_box(serde_json::from_str::<Vec<derived::Repository>>(black_box(&json)).unwrap());
    });
    let decode_compact = best(runs, || {
        black_box(serde_json::from_str::<Vec<Repository>>(black_box(&json)).unwrap());
    });
    let encode_derived = best(runs, || {
        black_box(serde_json::to_vec(black_box(&derived)).unwrap());
    });
    let encode_compact = best(runs, || {
        black_box(serde_json::to_vec(black_box(&compact)).unwrap());
    });
    println!("{} KiB of JSON, 2,000 objects of 24 fields; best of {runs} runs", json.len() / 1024);
    println!("| direction | serde's derives | compact (restsmith) | compact / derive |");
    println!("|---|---:|---:|---:|");
    for (direction, derive, compact) in [("decode", decode_derived, decode_compact), ("encode", encode_derived, encode_compact)] {
        let ratio = compact.as_secs_f64() / derive.as_secs_f64();
        println!("| {direction} | {:.2} ms | {:.2} ms | {ratio:.2}x |", derive.as_secs_f64() * 1e3, compact.as_secs_f64() * 1e3);
    }
}
