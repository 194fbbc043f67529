//! The signed-in page frame: header, role-based navigation (a menu on phones), content.

use crate::alerts::modal::AlertModal;
use crate::alerts::server::pending_alerts;
use crate::auth::server::current_user;
use crate::auth::types::{Role, SessionUser};
use crate::i18n::{Locale, t, t_string, use_i18n};
use crate::maintenance::pages::MaintenanceBanner;
use crate::maintenance::server::maintenance_notice;
use crate::ui::messages::{error_text, role_text};
use crate::ui::page_data::page_data;
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::{use_location, use_query_map};

/// The signed-in user, provided to every page inside [`AppLayout`].
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Option<SessionUser>>);

pub fn use_current_user() -> Option<SessionUser> {
    use_context::<CurrentUser>().and_then(|c| c.0.get_untracked())
}

struct NavItem {
    href: &'static str,
    label: fn(crate::ui::messages::I18n) -> String,
}

fn footfall() -> NavItem {
    NavItem {
        href: "/compteurs",
        label: |i| t_string!(i, nav.footfall).to_string(),
    }
}

fn nav_items(role: Role) -> Vec<NavItem> {
    let home = NavItem {
        href: "/",
        label: |i| t_string!(i, nav.home).to_string(),
    };
    let account = NavItem {
        href: "/compte",
        label: |i| t_string!(i, nav.my_account).to_string(),
    };
    match role {
        Role::Admin => vec![
            home,
            NavItem {
                href: "/admin/organisations",
                label: |i| t_string!(i, nav.organisations).to_string(),
            },
            NavItem {
                href: "/admin/comptes",
                label: |i| t_string!(i, nav.accounts).to_string(),
            },
            footfall(),
            NavItem {
                href: "/admin/compteurs",
                label: |i| t_string!(i, nav.counters).to_string(),
            },
            NavItem {
                href: "/admin/alertes",
                label: |i| t_string!(i, nav.alerts).to_string(),
            },
            NavItem {
                href: "/admin/maintenance",
                label: |i| t_string!(i, nav.maintenance).to_string(),
            },
            account,
        ],
        Role::Accountant => vec![
            home,
            NavItem {
                href: "/facturation",
                label: |i| t_string!(i, nav.invoicing).to_string(),
            },
            footfall(),
            NavItem {
                href: "/equipe",
                label: |i| t_string!(i, nav.team).to_string(),
            },
            account,
        ],
        Role::Viewer => vec![home, footfall(), account],
    }
}

#[component]
pub fn AppLayout() -> impl IntoView {
    let i18n = use_i18n();
    let user = page_data((), |_| current_user());
    // Fetched alongside the user so the server renders the modal and banner in the first HTML.
    let alerts = page_data((), |_| pending_alerts());
    let notice = page_data((), |_| maintenance_notice());
    let current = CurrentUser(RwSignal::new(None));
    provide_context(current);
    // `?kiosque=1` (TV screens): no navigation, only the page.
    let query = use_query_map();
    let kiosk = move || query.with(|q| q.get("kiosque").as_deref() == Some("1"));
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        current.0.set(Some(u.clone()));
                        let queue = alerts.await.unwrap_or_default();
                        let alert_open = !queue.is_empty();
                        let notice = notice.await.ok().flatten();
                        let header_user = u;
                        view! {
                            // While an alert is open the page behind it is inert: focus and
                            // clicks stay in the modal, with or without JavaScript.
                            <div class="app-frame" inert=alert_open>
                                {move || (!kiosk()).then(|| view! { <Header user=header_user.clone() /> }.into_any())}
                                <MaintenanceBanner notice />
                                <main id="contenu" class="content">
                                    <crate::ui::flash::FlashRegion />
                                    <ErrorBoundary fallback=move |errors| {
                                        let message = errors
                                            .get()
                                            .into_iter()
                                            .map(|(_, e)| e.to_string())
                                            .collect::<Vec<_>>()
                                            .join(" · ");
                                        view! { <ErrorPanel message /> }
                                    }>
                                        <Outlet />
                                    </ErrorBoundary>
                                </main>
                            </div>
                            <AlertModal queue />
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(err) => view! { <ErrorPanel message=error_text(i18n, &err) /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Header(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    // A `<details>` disclosure: the phone menu opens and closes without JavaScript, and each
    // link loads a page that starts with it closed.
    let items = nav_items(user.role);
    let role = user.role;
    view! {
        <a class="skip-link" href="#contenu">{t!(i18n, app.skip)}</a>
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"C"</span>
                <span>"Comptoir"</span>
            </A>
            <details class="nav-menu">
            <summary class="menu-toggle">
                <span aria-hidden="true">"☰ "</span>
                {t!(i18n, nav.menu)}
            </summary>
            <nav
                id="main-nav"
                class="main-nav"
                aria-label=move || t_string!(i18n, nav.main).to_string()
            >
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let label = item.label;
                            view! {
                                <li>
                                    <A href=item.href exact=true>
                                        {move || label(i18n)}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="user-box">
                    <span class="user-name">{user.display_name.clone()}</span>
                    <span class="user-meta">
                        {move || role_text(i18n, role)} " · " {user.organisation_name.clone()}
                    </span>
                    <LanguageSwitch />
                    <form method="post" action="/logout" class="logout-form">
                        <button type="submit" class="link-button">
                            {t!(i18n, nav.logout)}
                        </button>
                    </form>
                </div>
            </nav>
            </details>
        </header>
    }
}

/// Switches between French and English: a plain form (the server sets the cookie and comes
/// back to the page).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let other = move || match i18n.get_locale() {
        Locale::fr => Locale::en,
        Locale::en => Locale::fr,
    };
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/locale" class="lang-form">
            <input type="hidden" name="locale" value=move || other().as_str() />
            <input type="hidden" name="back" value=back />
            <button
                type="submit"
                class="link-button lang-switch"
                lang=move || other().as_str()
            >
                {t!(i18n, nav.switch_language)}
            </button>
        </form>
    }
}

#[component]
pub fn ErrorPanel(message: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel error-panel" role="alert">
            <h1>{t!(i18n, errors.boundary_title)}</h1>
            <p>{message}</p>
            <a href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}

/// An unknown address, outside the signed-in frame.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="content narrow">
            <crate::ui::not_found::NotFoundPanel />
        </main>
    }
}
