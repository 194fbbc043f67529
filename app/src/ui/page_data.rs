//! A page's data, fetched once per request however many times the server builds the page.
//!
//! Leptos' server rendering can build a page's body twice: a suspense polls its content once
//! to find the data it reads (`dry_resolve`, run again once the data are in), and the views
//! under an `<Outlet/>` are built anew in each pass. Each build would start its own fetches
//! (the footfall dashboard ran its queries twice in one view out of five to ten). A fetch is
//! therefore keyed by its call site and arguments and shared by every build of the request.

use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use std::any::Any;
use std::collections::HashMap;
use std::fmt::Debug;
use std::panic::Location;
use std::sync::{Arc, Mutex, PoisonError};

type Key = (&'static Location<'static>, String);

/// The fetches of one request, and the owner they run under: the application's, which lives
/// as long as the request (a build's owner is disposed with the build, and a server function
/// reads the request's context through it). Held weakly: this context lives in that owner,
/// and a strong reference would keep the request and its data alive for ever.
#[derive(Clone)]
pub struct RequestData {
    owner: WeakOwner,
    fetches: Arc<Mutex<HashMap<Key, Box<dyn Any + Send + Sync>>>>,
}

impl RequestData {
    /// Called once per request, where the contexts that server functions read are provided.
    pub fn provide() {
        provide_context(RequestData {
            owner: Owner::current().unwrap_or_default().downgrade(),
            fetches: Arc::default(),
        });
    }
}

/// A fetch's result for the page, to `.await` (it is `Copy`, like leptos' resources).
pub struct PageData<T: 'static>(StoredValue<ArcOnceResource<T>>);

impl<T: 'static> Clone for PageData<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for PageData<T> {}

impl<T: Clone + Send + Sync + 'static> std::future::IntoFuture for PageData<T> {
    type Output = T;
    type IntoFuture = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        // A build is disposed only once its output is discarded: nothing awaits it any more.
        match self.0.try_get_value() {
            Some(fetch) => Box::pin(fetch.into_future()),
            None => Box::pin(std::future::pending()),
        }
    }
}

/// Starts `fetch(arguments)`, or joins the same fetch already started by another build of
/// this request's page (same call site, same arguments).
#[track_caller]
pub fn page_data<A, T, Fut>(arguments: A, fetch: impl FnOnce(A) -> Fut) -> PageData<T>
where
    A: Debug,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let call_site = Location::caller();
    let Some(request) = use_context::<RequestData>() else {
        return PageData(StoredValue::new(ArcOnceResource::new(fetch(arguments))));
    };
    let key = (call_site, format!("{arguments:?}"));
    let lock = || {
        request
            .fetches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    };
    let started = lock()
        .get(&key)
        .and_then(|fetch| fetch.downcast_ref::<ArcOnceResource<T>>())
        .cloned();
    let shared = started.unwrap_or_else(|| {
        // Started outside the lock (a fetch may well ask for other data).
        let start = || ArcOnceResource::new(fetch(arguments));
        let fetch = match request.owner.upgrade() {
            Some(owner) => owner.with(start),
            None => start(),
        };
        lock().insert(key, Box::new(fetch.clone()));
        fetch
    });
    PageData(StoredValue::new(shared))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_request_is_freed_with_its_fetches() {
        let _ = any_spawner::Executor::init_tokio();
        let request = Owner::new();
        let fetched = request.with(|| {
            RequestData::provide();
            page_data(7, |n| async move { n })
        });
        assert_eq!(fetched.await, 7);
        let freed = request.downgrade();
        drop(request);
        assert!(freed.upgrade().is_none(), "the request's owner outlived it");
    }

    #[tokio::test]
    async fn the_builds_of_a_request_share_each_fetch() {
        let _ = any_spawner::Executor::init_tokio();
        let request = Owner::new();
        request.set();
        RequestData::provide();
        let started = Arc::new(AtomicUsize::new(0));
        // Each build of the page runs under an owner of its own, disposed with the build.
        let build = |shop: i64| {
            let owner = Owner::new();
            let data = owner.with(|| {
                let started = Arc::clone(&started);
                page_data(shop, move |shop| {
                    started.fetch_add(1, Ordering::SeqCst);
                    async move { shop * 10 }
                })
            });
            (owner, data)
        };
        let (discarded, first) = build(1);
        drop(discarded);
        let ((_second_build, second), (_other_page, other)) = (build(1), build(2));
        assert_eq!((second.await, other.await), (10, 20));
        assert!(
            first.0.try_get_value().is_none(),
            "the first build was disposed"
        );
        assert_eq!(started.load(Ordering::SeqCst), 2, "one fetch per arguments");
    }
}
