//! Paged list operations (`x-ms-pageable`): a stream of items that follows each page's next
//! link until there is none.

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt};
use serde::de::DeserializeOwned;

use crate::client::ClientCore;
use crate::error::{Error, ErrorBody};
use crate::request::OperationMeta;

/// A page being fetched.
pub type PageFuture<'a, P, E> = BoxFuture<'a, Result<P, Error<E>>>;

/// Every item of every page, in order.
pub type ItemStream<'a, T, E> = BoxStream<'a, Result<T, Error<E>>>;

enum State<'a, P, E> {
    First(PageFuture<'a, P, E>),
    Next(String),
    Done,
}

/// Streams the items of `first` and of every page reached through next links. `split` takes a
/// page apart into its items and its next link (`None` or empty ends the stream); `next`
/// fetches the page a link points to. An error ends the stream after being yielded.
pub fn items<'a, P, T, E>(
    first: PageFuture<'a, P, E>,
    next: impl Fn(String) -> PageFuture<'a, P, E> + Send + Sync + 'a,
    split: fn(P) -> (Vec<T>, Option<String>),
) -> ItemStream<'a, T, E>
where
    P: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let pages = stream::unfold((State::First(first), next), move |(state, next)| async move {
        let page = match state {
            State::First(future) => future.await,
            State::Next(link) => next(link).await,
            State::Done => return None,
        };
        match page {
            Ok(page) => {
                let (items, link) = split(page);
                let state = match link.filter(|l| !l.is_empty()) {
                    Some(link) => State::Next(link),
                    None => State::Done,
                };
                Some((Ok(items), (state, next)))
            }
            Err(e) => Some((Err(e), (State::Done, next))),
        }
    });
    pages
        .flat_map(|page| match page {
            Ok(items) => stream::iter(items.into_iter().map(Ok).collect::<Vec<_>>()),
            Err(e) => stream::iter(vec![Err(e)]),
        })
        .boxed()
}

/// Fetches the page at `link` (absolute, or relative to the client endpoint) through the
/// client's pipeline: the host must be the endpoint's (or trusted), a 2xx body is decoded as
/// `P`, anything else is the API's error.
pub async fn next_page<P: DeserializeOwned, E: DeserializeOwned + ErrorBody>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    link: &str,
) -> Result<P, Error<E>> {
    next_page_with(core, meta, link, &[]).await
}

/// [`next_page`] with query parameters the client always sends on next pages (its
/// `api-version`, a next-page operation's constants): each replaces any parameter of the same
/// name (compared case-insensitively) the link carries, the rest of the link's query is kept.
pub async fn next_page_with<P: DeserializeOwned, E: DeserializeOwned + ErrorBody>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    link: &str,
    extra_query: &[(&str, &str)],
) -> Result<P, Error<E>> {
    let mut url = core
        .endpoint()
        .join(link)
        .map_err(|e| Error::protocol(format!("next link is not a URL: {e}"), None))?;
    if !extra_query.is_empty() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !extra_query.iter().any(|(name, _)| name.eq_ignore_ascii_case(k)))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut query = crate::query::Query::new();
        for (k, v) in &kept {
            query.push(k, v);
        }
        for (name, value) in extra_query {
            query.push(name, value);
        }
        url.set_query(Some(&query.encode()));
    }
    let response = core.get_url::<E>(meta, url).await?;
    if response.status.is_success() {
        response.json()
    } else {
        Err(response.into_error())
    }
}
