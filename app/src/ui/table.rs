//! Lists: sortable column headers (plain links, so sorting works without JavaScript), the same
//! choice as form fields for phones (where rows become cards without headers), and page links.
//! All of them read and rewrite the current URL's query (`tri`, `ordre`, `page`).

use crate::i18n::{t, t_string, use_i18n};
use crate::ui::messages::I18n;
use crate::ui::url::with_query;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use leptos_router::params::ParamsMap;

pub type Label = fn(I18n) -> String;

/// A list's sortable columns (`tri` values and labels; the first is the default) and its
/// default direction.
#[derive(Clone, Copy)]
pub struct SortSpec {
    pub columns: &'static [(&'static str, Label)],
    pub descending_by_default: bool,
}

impl SortSpec {
    /// The sort in force: `(column, descending)`.
    fn current(&self, q: &ParamsMap) -> (&'static str, bool) {
        let wanted = q.get("tri").unwrap_or_default();
        let column = self
            .columns
            .iter()
            .map(|(key, _)| *key)
            .find(|key| *key == wanted)
            .or(self.columns.first().map(|(key, _)| *key))
            .unwrap_or_default();
        let descending = match q.get("ordre").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => self.descending_by_default,
        };
        (column, descending)
    }

    fn label(&self, key: &str) -> Label {
        self.columns
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(|_| String::new(), |(_, label)| *label)
    }
}

fn current_params(q: ParamsMap) -> impl Iterator<Item = (String, String)> {
    q.into_iter().map(|(k, v)| (k.to_string(), v))
}

/// A column header that sorts by `key`; a second click reverses the order.
#[component]
pub fn SortHeader(
    spec: SortSpec,
    key: &'static str,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let location = use_location();
    let label = spec.label(key);
    let href = move || {
        let q = query.get();
        let (column, descending) = spec.current(&q);
        let next = if column == key && !descending {
            "desc"
        } else if column == key {
            "asc"
        } else if spec.descending_by_default {
            "desc"
        } else {
            "asc"
        };
        with_query(
            &location.pathname.get(),
            current_params(q),
            &["tri", "ordre", "page", "voir"],
            [("tri", key.to_owned()), ("ordre", next.to_owned())],
        )
    };
    let sort = move || match query.with(|q| spec.current(q)) {
        (column, true) if column == key => "descending",
        (column, false) if column == key => "ascending",
        _ => "none",
    };
    view! {
        <th role="columnheader" scope="col" class:num=numeric aria-sort=sort>
            <a href=href>{move || label(i18n)}</a>
        </th>
    }
}

/// The sort as two selects of the list's GET filter form.
#[component]
pub fn SortFields(spec: SortSpec) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Reactive: a click on a column header changes only the query, not this form.
    let current = move || query.with(|q| spec.current(q));
    view! {
        <label>{t!(i18n, invoicing.sort_by)}
            <select name="tri">
                {spec.columns.iter().map(|(key, label)| {
                    let (key, label) = (*key, *label);
                    let chosen = move || current().0 == key;
                    view! { <option value=key selected=chosen prop:selected=chosen>{move || label(i18n)}</option> }
                }).collect_view()}
            </select>
        </label>
        <label>{t!(i18n, invoicing.order)}
            <select name="ordre">
                <option value="desc" selected=move || current().1 prop:selected=move || current().1>{t!(i18n, invoicing.descending)}</option>
                <option value="asc" selected=move || !current().1 prop:selected=move || !current().1>{t!(i18n, invoicing.ascending)}</option>
            </select>
        </label>
    }
}

/// "Previous · n / m · Next" links, when there is more than one page.
#[component]
pub fn Pager(page: i64, total: i64, per_page: i64) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let location = use_location();
    let pages = ((total + per_page - 1) / per_page.max(1)).max(1);
    let link = move |n: i64| {
        with_query(
            &location.pathname.get_untracked(),
            current_params(query.get_untracked()),
            &["page", "voir"],
            [("page", n.to_string())],
        )
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=move || t_string!(i18n, invoicing.pages).to_string()>
                {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev">{t!(i18n, invoicing.previous)}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1) rel="next">{t!(i18n, invoicing.next)}</a> })}
            </nav>
        }
    })
}
