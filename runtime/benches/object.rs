//! Run-time cost of the compact serde impls restsmith generates (`restsmith_runtime::object`)
//! against serde's derives, on the same struct: decoding and encoding a list of 2,000 objects
//! of 24 fields (strings, integers, booleans, lists, an optional date-time, a nested struct).
//!
//!     cargo bench -p restsmith-runtime --bench object
//!
//! Prints the time per list and the ratio compact / derive for each direction.

use std::hint::black_box;
use std::time::{Duration, Instant};

use restsmith_runtime::object::{Fields, Object, Result};
use restsmith_runtime::serde_helpers;

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

impl serde::Serialize for Owner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[inline]
        fn write(value: &Owner) -> Fields<'_> {
            let mut fields = Fields::with_capacity(3);
            fields.add("login", &value.login);
            fields.add("id", &value.id);
            fields.optional("site_admin", &value.site_admin);
            fields
        }
        serde::Serialize::serialize(&write(self), serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Owner {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[inline]
        fn read(mut object: Object) -> Result<Owner> {
            let (Some(login), Some(id)) = (object.required("login"), object.required("id")) else {
                return Err(object.failure());
            };
            let value = Owner { login, id, site_admin: object.optional("site_admin") };
            object.finish(value)
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

impl serde::Serialize for Repository {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[inline]
        fn write(value: &Repository) -> Fields<'_> {
            let mut fields = Fields::with_capacity(24);
            fields.add("id", &value.id);
            fields.add("name", &value.name);
            fields.add("full_name", &value.full_name);
            fields.add("owner", &value.owner);
            fields.add("private", &value.private);
            fields.optional("description", &value.description);
            fields.add("fork", &value.fork);
            fields.add("url", &value.url);
            fields.optional("homepage", &value.homepage);
            fields.optional("language", &value.language);
            fields.add("forks_count", &value.forks_count);
            fields.add("stargazers_count", &value.stargazers_count);
            fields.add("watchers_count", &value.watchers_count);
            fields.add("size", &value.size);
            fields.add("default_branch", &value.default_branch);
            fields.add("open_issues_count", &value.open_issues_count);
            fields.optional("topics", &value.topics);
            fields.add("has_issues", &value.has_issues);
            fields.add("has_projects", &value.has_projects);
            fields.add("has_wiki", &value.has_wiki);
            fields.add("archived", &value.archived);
            fields.add("disabled", &value.disabled);
            if let Some(field) = &value.pushed_at {
                fields.date_time("pushed_at", field);
            }
            fields.optional("visibility", &value.visibility);
            fields
        }
        serde::Serialize::serialize(&write(self), serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Repository {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[inline]
        fn read(mut o: Object) -> Result<Repository> {
            let (
                Some(id),
                Some(name),
                Some(full_name),
                Some(owner),
                Some(private),
                Some(fork),
                Some(url),
                Some(forks_count),
                Some(stargazers_count),
                Some(watchers_count),
                Some(size),
                Some(default_branch),
                Some(open_issues_count),
                Some(has_issues),
                Some(has_projects),
                Some(has_wiki),
                Some(archived),
                Some(disabled),
            ) = (
                o.required("id"),
                o.required("name"),
                o.required("full_name"),
                o.required("owner"),
                o.required("private"),
                o.required("fork"),
                o.required("url"),
                o.required("forks_count"),
                o.required("stargazers_count"),
                o.required("watchers_count"),
                o.required("size"),
                o.required("default_branch"),
                o.required("open_issues_count"),
                o.required("has_issues"),
                o.required("has_projects"),
                o.required("has_wiki"),
                o.required("archived"),
                o.required("disabled"),
            )
            else {
                return Err(o.failure());
            };
            let value = Repository {
                id,
                name,
                full_name,
                owner,
                private,
                description: o.optional("description"),
                fork,
                url,
                homepage: o.optional("homepage"),
                language: o.optional("language"),
                forks_count,
                stargazers_count,
                watchers_count,
                size,
                default_branch,
                open_issues_count,
                topics: o.optional("topics"),
                has_issues,
                has_projects,
                has_wiki,
                archived,
                disabled,
                pushed_at: o.optional_with("pushed_at", serde_helpers::date_time::deserialize),
                visibility: o.optional("visibility"),
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
