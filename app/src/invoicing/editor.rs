//! The quote / invoice editor: lines with live totals computed in the browser by the same money
//! module the server uses.

use super::money::{self, Cents};
use super::server::{SaveDocument, article_choices, contact_choices};
use super::{ArticleView, DocumentFields, LineFields};
use crate::i18n::{t, use_i18n};
use crate::ui::forms::toast_outcome;
use crate::ui::messages::{I18n, problem_text};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Live totals of what is typed; `None` while a line is incomplete.
fn live_totals(lines: &[LineFields], discount: &str) -> Option<money::Totals> {
    let mut problems = Vec::new();
    let parsed: Vec<_> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| l.parse(i, &mut problems).map(|l| l.amounts))
        .collect::<Option<Vec<_>>>()?;
    let discount = money::Discount::parse(discount).ok()?;
    money::totals(&parsed, discount).ok()
}

fn line_total(line: &LineFields) -> String {
    let mut problems = Vec::new();
    line.parse(0, &mut problems)
        .and_then(|l| l.amounts.total_excl_tax().ok())
        .map(Cents::format)
        .unwrap_or_else(|| "—".to_owned())
}

fn problem_at(
    value: Option<&Result<i64, crate::error::AppError>>,
    field: &str,
    i18n: I18n,
) -> Option<String> {
    match value {
        Some(Err(err)) => err.problem_for(field).map(|p| problem_text(i18n, p)),
        _ => None,
    }
}

#[component]
pub fn DocumentEditor(
    kind: &'static str,
    document_id: Option<i64>,
    initial: DocumentFields,
    /// Where to go once saved: the list URL; `?voir=<id>` is added.
    back: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveDocument>::new();
    toast_outcome(save.value(), i18n, |i| {
        crate::i18n::t_string!(i, invoicing.saved_ok).to_string()
    });
    let navigate = use_navigate();
    let back_after = back.clone();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&format!("{back_after}?voir={id}"), Default::default());
        }
    });
    let contact = RwSignal::new(initial.contact_id.clone());
    let validity = RwSignal::new(initial.validity_date.clone());
    let due = RwSignal::new(initial.due_date.clone());
    let discount = RwSignal::new(initial.global_discount.clone());
    let notes = RwSignal::new(initial.notes.clone());
    let start = if initial.lines.is_empty() {
        vec![LineFields {
            quantity: "1".into(),
            vat_rate: "20".into(),
            ..Default::default()
        }]
    } else {
        initial.lines.clone()
    };
    let lines = RwSignal::new(start);
    let contacts = Resource::new(
        || (),
        |_| async { contact_choices().await.unwrap_or_default() },
    );
    let articles = Resource::new(
        || (),
        |_| async { article_choices().await.unwrap_or_default() },
    );
    let totals = Memo::new(move |_| lines.with(|l| discount.with(|d| live_totals(l, d))));
    let set_line = move |i: usize, f: fn(&mut LineFields, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            lines.update(|l| {
                if let Some(line) = l.get_mut(i) {
                    f(line, v)
                }
            });
        }
    };
    let pick_article = move |i: usize| {
        move |ev: leptos::ev::Event| {
            let id = event_target_value(&ev);
            let article = articles.get_untracked().and_then(|list: Vec<ArticleView>| {
                list.into_iter().find(|a| a.id.to_string() == id)
            });
            lines.update(|l| {
                if let Some(line) = l.get_mut(i) {
                    line.article_id = id.clone();
                    if let Some(a) = article {
                        line.description = a.description.clone();
                        line.unit = a.unit.clone();
                        line.unit_price = a.unit_price.format_number().replace('\u{a0}', "");
                        line.vat_rate = a
                            .vat_rate
                            .format()
                            .replace('\u{a0}', "")
                            .trim_end_matches('%')
                            .to_owned();
                    }
                }
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveDocument {
            document_id: document_id.map(|i| i.to_string()).unwrap_or_default(),
            kind: kind.to_owned(),
            fields: DocumentFields {
                contact_id: contact.get_untracked(),
                validity_date: validity.get_untracked(),
                due_date: due.get_untracked(),
                global_discount: discount.get_untracked(),
                notes: notes.get_untracked(),
                lines: lines.get_untracked(),
            },
        });
    };
    let value = save.value();
    let err =
        move |field: &'static str| move || value.with(|v| problem_at(v.as_ref(), field, i18n));
    let line_err = move |i: usize, field: &'static str| {
        move || value.with(|v| problem_at(v.as_ref(), &format!("lines[{i}].{field}"), i18n))
    };
    view! {
        <form class="form editor" on:submit=submit>
            <label for="doc-contact">{t!(i18n, invoicing.client)}</label>
            <select id="doc-contact" required on:change=move |ev| contact.set(event_target_value(&ev))>
                <option value="">{t!(i18n, invoicing.choose_client)}</option>
                <Suspense>
                    {move || Suspend::new(async move {
                        contacts.await.into_iter().map(|c| {
                            let id = c.id.to_string();
                            let selected = contact.get_untracked() == id;
                            view! { <option value=id selected=selected>{c.name}</option> }
                        }).collect_view()
                    })}
                </Suspense>
            </select>
            <p class="field-error">{err("contact_id")}</p>
            <div class="editor-dates">
                {(kind == "quote").then(|| view! {
                    <label>{t!(i18n, invoicing.validity_date)}
                        <input type="date" prop:value=move || validity.get() on:input=move |ev| validity.set(event_target_value(&ev)) />
                    </label>
                })}
                {(kind == "invoice").then(|| view! {
                    <label>{t!(i18n, invoicing.due_date)}
                        <input type="date" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) />
                    </label>
                })}
                <label>{t!(i18n, invoicing.global_discount)}
                    <input inputmode="decimal" prop:value=move || discount.get() on:input=move |ev| discount.set(event_target_value(&ev)) />
                </label>
            </div>
            <p class="field-error">{err("global_discount")}</p>
            <fieldset class="lines">
                <legend>{t!(i18n, invoicing.lines)}</legend>
                {move || {
                    let count = lines.with(|l| l.len());
                    (0..count).map(|i| {
                        let line = lines.with_untracked(|l| l.get(i).cloned().unwrap_or_default());
                        view! {
                            <div class="line" role="group" aria-label=format!("Ligne {}", i + 1)>
                                <label class="wide">{t!(i18n, invoicing.article)}
                                    <select on:change=pick_article(i)>
                                        <option value="">{t!(i18n, invoicing.free_text)}</option>
                                        <Suspense>
                                            {move || {
                                                let chosen = line.article_id.clone();
                                                Suspend::new(async move {
                                                    articles.await.into_iter().map(|a| {
                                                        let id = a.id.to_string();
                                                        let selected = chosen == id;
                                                        view! { <option value=id selected=selected>{format!("{} — {}", a.reference, a.description)}</option> }
                                                    }).collect_view()
                                                })
                                            }}
                                        </Suspense>
                                    </select>
                                </label>
                                <label class="wide">{t!(i18n, invoicing.description)}
                                    <input required prop:value=move || lines.with(|l| l.get(i).map(|x| x.description.clone()).unwrap_or_default()) on:input=set_line(i, |l, v| l.description = v) />
                                </label>
                                <span class="field-error">{line_err(i, "description")}</span>
                                <label>{t!(i18n, invoicing.quantity)}
                                    <input inputmode="decimal" required prop:value=move || lines.with(|l| l.get(i).map(|x| x.quantity.clone()).unwrap_or_default()) on:input=set_line(i, |l, v| l.quantity = v) />
                                </label>
                                <label>{t!(i18n, invoicing.unit)}
                                    <input prop:value=move || lines.with(|l| l.get(i).map(|x| x.unit.clone()).unwrap_or_default()) on:input=set_line(i, |l, v| l.unit = v) />
                                </label>
                                <label>{t!(i18n, invoicing.unit_price)}
                                    <input inputmode="decimal" required prop:value=move || lines.with(|l| l.get(i).map(|x| x.unit_price.clone()).unwrap_or_default()) on:input=set_line(i, |l, v| l.unit_price = v) />
                                </label>
                                <label>{t!(i18n, invoicing.vat_rate)}
                                    <select on:change=set_line(i, |l, v| l.vat_rate = v)>
                                        {["20", "10", "5,5", "2,1", "0", "8,5", "13"].into_iter().map(|r| {
                                            let selected = line.vat_rate.replace('.', ",") == r;
                                            view! { <option value=r selected=selected>{format!("{r} %")}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>{t!(i18n, invoicing.discount)}
                                    <input inputmode="decimal" prop:value=move || lines.with(|l| l.get(i).map(|x| x.discount.clone()).unwrap_or_default()) on:input=set_line(i, |l, v| l.discount = v) />
                                </label>
                                <output class="line-total">{move || lines.with(|l| l.get(i).map(line_total).unwrap_or_default())}</output>
                                <span class="field-error">{line_err(i, "quantity")} " " {line_err(i, "unit_price")}</span>
                                <button type="button" class="link-button" on:click=move |_| lines.update(|l| { if l.len() > 1 { l.remove(i); } })>
                                    {t!(i18n, invoicing.remove_line)}
                                </button>
                            </div>
                        }
                    }).collect_view()
                }}
                <button type="button" class="button small" on:click=move |_| lines.update(|l| l.push(LineFields { quantity: "1".into(), vat_rate: "20".into(), ..Default::default() }))>
                    {t!(i18n, invoicing.add_line)}
                </button>
            </fieldset>
            <label for="doc-notes">{t!(i18n, invoicing.notes)}</label>
            <textarea id="doc-notes" rows="2" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            <TotalsBox totals=Signal::derive(move || totals.get()) />
            <button type="submit" class="button primary">{t!(i18n, invoicing.save_draft)}</button>
        </form>
    }
}

/// Totals excluding tax, VAT per rate, total including tax.
#[component]
pub fn TotalsBox(totals: Signal<Option<money::Totals>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="totals" aria-live="polite">
            {move || match totals.get() {
                None => view! { <dt>{t!(i18n, invoicing.total_incl_tax)}</dt><dd>"—"</dd> }.into_any(),
                Some(t) => view! {
                    <dt>{t!(i18n, invoicing.total_excl_tax)}</dt>
                    <dd data-total="excl">{t.total_excl_tax.format()}</dd>
                    {(t.global_discount.0 > 0).then(|| view! {
                        <dt>{t!(i18n, invoicing.global_discount)}</dt>
                        <dd>{format!("-{}", t.global_discount.format())}</dd>
                    })}
                    {t.vat.iter().map(|v| view! {
                        <dt>{format!("TVA {}", v.rate.format())}</dt>
                        <dd>{v.vat.format()}</dd>
                    }).collect_view()}
                    <dt class="grand">{t!(i18n, invoicing.total_incl_tax)}</dt>
                    <dd class="grand" data-total="incl">{t.total_incl_tax.format()}</dd>
                }.into_any(),
            }}
        </dl>
    }
}
