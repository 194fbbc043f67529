//! The quote / invoice editor: lines with live totals computed in the browser by the same money
//! module the server uses.

use super::LineFields;
use super::editing::{EditorStart, EditorStep, apply_to_lines};
use super::labels::VAT_RATES;
use super::money::{self, Cents};
use super::server::SaveDocument;
use super::workflow::DocumentKind;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::LoadedSelect;
use crate::ui::messages::{I18n, problem_text};
use leptos::prelude::*;

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

/// The editor of a draft quote or invoice: a form that posts to `save_document`. Hydrated, lines
/// are added and removed, articles picked and totals shown as the user types; without
/// JavaScript, the same buttons post their step and the server shows the draft again with its
/// totals (`editing`). Only saving leaves the editor.
#[component]
pub fn DocumentEditor(
    kind: DocumentKind,
    document_id: Option<i64>,
    start: EditorStart,
    /// The list the editor opens over; once saved, the document shows there.
    back: String,
    save: ServerAction<SaveDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let EditorStart {
        fields: initial,
        contacts,
        articles,
    } = start;
    let discount = RwSignal::new(initial.global_discount.clone());
    let lines = RwSignal::new(initial.lines.clone());
    let articles = StoredValue::new(articles);
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
            let article =
                articles.with_value(|list| list.iter().find(|a| a.id.to_string() == id).cloned());
            lines.update(|l| {
                if let Some(line) = l.get_mut(i) {
                    match &article {
                        Some(a) => line.take_article(a),
                        None => line.article_id = id.clone(),
                    }
                }
            });
        }
    };
    // Hydrated, these steps happen here; without JavaScript their buttons post them.
    let add_line = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        lines.update(|l| apply_to_lines(l, EditorStep::AddLine));
    };
    let remove_line = move |i: usize| {
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            lines.update(|l| apply_to_lines(l, EditorStep::RemoveLine(i)));
        }
    };
    let value = save.value();
    let err =
        move |field: &'static str| move || value.with(|v| problem_at(v.as_ref(), field, i18n));
    let line_err = move |i: usize, field: &'static str| {
        move || value.with(|v| problem_at(v.as_ref(), &format!("lines[{i}].{field}"), i18n))
    };
    let line_value = move |i: usize, f: fn(&LineFields) -> String| {
        move || lines.with(|l| l.get(i).map(f).unwrap_or_default())
    };
    let contact_options: Vec<(String, String)> = contacts
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    view! {
        <ActionForm action=save attr:class="form editor">
            // The first submit button is the one Enter presses: saving, as with JavaScript.
            <button type="submit" name="step" value=EditorStep::SAVE class="default-submit" tabindex="-1" aria-hidden="true">{t!(i18n, invoicing.save_draft)}</button>
            <input type="hidden" name="document_id" value=document_id.map(|i| i.to_string()).unwrap_or_default() />
            <input type="hidden" name="kind" value=kind.as_str() />
            <input type="hidden" name="back" value=back />
            <label for="doc-contact">{t!(i18n, invoicing.client)}</label>
            <LoadedSelect name="fields[contact_id]" options=contact_options current=initial.contact_id.clone() id=Some("doc-contact") empty=Some(t_string!(i18n, invoicing.choose_client).to_string()) required=true />
            <p class="field-error">{err("contact_id")}</p>
            <div class="editor-dates">
                {(kind == DocumentKind::Quote).then(|| view! {
                    <label>{t!(i18n, invoicing.validity_date)}
                        <input type="date" name="fields[validity_date]" value=initial.validity_date.clone() />
                    </label>
                })}
                {(kind == DocumentKind::Invoice).then(|| view! {
                    <label>{t!(i18n, invoicing.due_date)}
                        <input type="date" name="fields[due_date]" value=initial.due_date.clone() />
                    </label>
                })}
                <label>{t!(i18n, invoicing.global_discount)}
                    <input inputmode="decimal" name="fields[global_discount]" value=initial.global_discount.clone() on:input=move |ev| discount.set(event_target_value(&ev)) />
                </label>
            </div>
            <p class="field-error">{err("global_discount")}</p>
            <fieldset class="lines">
                <legend>{t!(i18n, invoicing.lines)}</legend>
                {move || {
                    let count = lines.with(|l| l.len());
                    (0..count).map(|i| {
                        let line = lines.with_untracked(|l| l.get(i).cloned().unwrap_or_default());
                        let name = move |field: &str| format!("fields[lines][{i}][{field}]");
                        view! {
                            <div class="line" role="group" aria-label=format!("Ligne {}", i + 1)>
                                <input type="hidden" name=format!("picked[{i}]") prop:value=line_value(i, |x| x.article_id.clone()) value=line.article_id.clone() />
                                <label class="wide">{t!(i18n, invoicing.article)}
                                    <select name=name("article_id") on:change=pick_article(i)>
                                        <option value="">{t!(i18n, invoicing.free_text)}</option>
                                        {articles.with_value(|list| list.iter().map(|a| {
                                            let id = a.id.to_string();
                                            let selected = line.article_id == id;
                                            view! { <option value=id selected=selected>{format!("{} — {}", a.reference, a.description)}</option> }
                                        }).collect_view())}
                                    </select>
                                </label>
                                <label class="wide">{t!(i18n, invoicing.description)}
                                    <input name=name("description") value=line.description.clone() prop:value=line_value(i, |x| x.description.clone()) on:input=set_line(i, |l, v| l.description = v) />
                                </label>
                                <span class="field-error">{line_err(i, "description")}</span>
                                <label>{t!(i18n, invoicing.quantity)}
                                    <input inputmode="decimal" name=name("quantity") value=line.quantity.clone() prop:value=line_value(i, |x| x.quantity.clone()) on:input=set_line(i, |l, v| l.quantity = v) />
                                </label>
                                <label>{t!(i18n, invoicing.unit)}
                                    <input name=name("unit") value=line.unit.clone() prop:value=line_value(i, |x| x.unit.clone()) on:input=set_line(i, |l, v| l.unit = v) />
                                </label>
                                <label>{t!(i18n, invoicing.unit_price)}
                                    <input inputmode="decimal" name=name("unit_price") value=line.unit_price.clone() prop:value=line_value(i, |x| x.unit_price.clone()) on:input=set_line(i, |l, v| l.unit_price = v) />
                                </label>
                                <label>{t!(i18n, invoicing.vat_rate)}
                                    <select name=name("vat_rate") on:change=set_line(i, |l, v| l.vat_rate = v)>
                                        {VAT_RATES.into_iter().map(|r| {
                                            let selected = line.vat_rate.replace('.', ",") == r;
                                            view! { <option value=r selected=selected>{format!("{r} %")}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>{t!(i18n, invoicing.discount)}
                                    <input inputmode="decimal" name=name("discount") value=line.discount.clone() prop:value=line_value(i, |x| x.discount.clone()) on:input=set_line(i, |l, v| l.discount = v) />
                                </label>
                                <output class="line-total">{move || lines.with(|l| l.get(i).map(line_total).unwrap_or_default())}</output>
                                <span class="field-error">{line_err(i, "quantity")} " " {line_err(i, "unit_price")}</span>
                                <button type="submit" name="step" value=EditorStep::remove_value(i) class="link-button" formnovalidate=true on:click=remove_line(i)>
                                    {t!(i18n, invoicing.remove_line)}
                                </button>
                            </div>
                        }
                    }).collect_view()
                }}
                <button type="submit" name="step" value=EditorStep::ADD_LINE class="button small" formnovalidate=true on:click=add_line>
                    {t!(i18n, invoicing.add_line)}
                </button>
            </fieldset>
            <label for="doc-notes">{t!(i18n, invoicing.notes)}</label>
            <textarea id="doc-notes" name="fields[notes]" rows="2">{initial.notes.clone()}</textarea>
            <TotalsBox totals=Signal::derive(move || totals.get()) />
            <div class="actions-bar">
                // Without JavaScript, the totals above are the server's as of the last step.
                <button type="submit" name="step" value=EditorStep::RECALCULATE class="button" formnovalidate=true on:click=|ev| ev.prevent_default()>{t!(i18n, invoicing.recalculate)}</button>
                <button type="submit" name="step" value=EditorStep::SAVE class="button primary">{t!(i18n, invoicing.save_draft)}</button>
            </div>
        </ActionForm>
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
