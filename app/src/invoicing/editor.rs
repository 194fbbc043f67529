//! The quote / invoice editor: a form the server renders from the draft and re-renders after
//! each step, and its live totals, computed in the browser by the money module the server uses.

#[cfg(feature = "hydrate")]
use super::DocumentFields;
use super::editing::{EditorStart, EditorStep};
use super::labels::VAT_RATES;
use super::money;
use super::server::SaveDocument;
use super::workflow::DocumentKind;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::LoadedSelect;
use crate::ui::messages::{I18n, problem_text};
use leptos::prelude::*;

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

/// The editor of a draft quote or invoice: a form that posts to `save_document`, rendered from
/// the draft as the server last saw it. Its buttons post their step (add or remove a line,
/// recalculate, save): the server applies it and shows the draft again, with and without
/// JavaScript. Only the totals follow the typing ([`LiveTotals`]).
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
    let value = save.value();
    // One step at a time: a second post while the first is on its way would race its redirect.
    let busy = move || save.pending().get();
    let err =
        move |field: &'static str| move || value.with(|v| problem_at(v.as_ref(), field, i18n));
    let line_err = move |i: usize, field: &'static str| {
        move || value.with(|v| problem_at(v.as_ref(), &format!("lines[{i}].{field}"), i18n))
    };
    let contact_options: Vec<(String, String)> = contacts
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let totals = initial.live_totals();
    let lines = initial.lines.iter().enumerate().map(|(i, line)| {
        let name = move |field: &str| format!("fields[lines][{i}][{field}]");
        view! {
            <div class="line" role="group" aria-label=format!("Ligne {}", i + 1)>
                // The article this line was filled from: a newly picked one fills it.
                <input type="hidden" name=format!("picked[{i}]") value=line.article_id.clone() />
                <label class="wide">{t!(i18n, invoicing.article)}
                    <select name=name("article_id")>
                        <option value="">{t!(i18n, invoicing.free_text)}</option>
                        {articles.iter().map(|a| {
                            let id = a.id.to_string();
                            let selected = line.article_id == id;
                            view! { <option value=id selected=selected>{format!("{} — {}", a.reference, a.description)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="wide">{t!(i18n, invoicing.description)}
                    <input name=name("description") value=line.description.clone() />
                </label>
                <span class="field-error">{line_err(i, "description")}</span>
                <label>{t!(i18n, invoicing.quantity)}
                    <input inputmode="decimal" name=name("quantity") value=line.quantity.clone() />
                </label>
                <label>{t!(i18n, invoicing.unit)}
                    <input name=name("unit") value=line.unit.clone() />
                </label>
                <label>{t!(i18n, invoicing.unit_price)}
                    <input inputmode="decimal" name=name("unit_price") value=line.unit_price.clone() />
                </label>
                <label>{t!(i18n, invoicing.vat_rate)}
                    <select name=name("vat_rate")>
                        {VAT_RATES.into_iter().map(|r| {
                            let selected = line.vat_rate.replace('.', ",") == r;
                            view! { <option value=r selected=selected>{format!("{r} %")}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, invoicing.discount)}
                    <input inputmode="decimal" name=name("discount") value=line.discount.clone() />
                </label>
                <output class="line-total" data-line-total=i.to_string()>{line.shown_total()}</output>
                <span class="field-error">{line_err(i, "quantity")} " " {line_err(i, "unit_price")}</span>
                <button type="submit" name="step" value=EditorStep::remove_value(i) class="link-button" formnovalidate=true disabled=busy>
                    {t!(i18n, invoicing.remove_line)}
                </button>
            </div>
        }
    }).collect_view();
    view! {
        <ActionForm action=save attr:class="form editor">
            // The first submit button is the one Enter presses: saving.
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
                    <input inputmode="decimal" name="fields[global_discount]" value=initial.global_discount.clone() />
                </label>
            </div>
            <p class="field-error">{err("global_discount")}</p>
            <fieldset class="lines">
                <legend>{t!(i18n, invoicing.lines)}</legend>
                {lines}
                <button type="submit" name="step" value=EditorStep::ADD_LINE class="button small" formnovalidate=true disabled=busy>
                    {t!(i18n, invoicing.add_line)}
                </button>
            </fieldset>
            <label for="doc-notes">{t!(i18n, invoicing.notes)}</label>
            <textarea id="doc-notes" name="fields[notes]" rows="2">{initial.notes.clone()}</textarea>
            <LiveTotals initial=totals labels=TotalsLabels::new(i18n) />
            <div class="actions-bar">
                // The totals above are the server's as of the last step; with JavaScript they
                // follow the typing, and this button also fills newly picked articles.
                <button type="submit" name="step" value=EditorStep::RECALCULATE class="button" formnovalidate=true disabled=busy>{t!(i18n, invoicing.recalculate)}</button>
                <button type="submit" name="step" value=EditorStep::SAVE class="button primary" disabled=busy>{t!(i18n, invoicing.save_draft)}</button>
            </div>
        </ActionForm>
    }
}

/// The editor's totals as the user types: the one live part of the editor, an island (its
/// labels come translated from the server). It starts from the totals of the draft as rendered;
/// in the browser it follows its form's inputs and recomputes them, and each line's total, by the
/// money rules the server saves with ([`DocumentFields::live_totals`]), so its numbers are the
/// server's.
#[island]
pub fn LiveTotals(initial: Option<money::Totals>, labels: TotalsLabels) -> impl IntoView {
    let totals = RwSignal::new(initial);
    let anchor = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(anchor) = anchor.get() {
            follow_the_form(&anchor, totals);
        }
    });
    view! {
        <div class="live-totals" node_ref=anchor>
            <TotalsBox totals=totals.into() labels />
        </div>
    }
}

/// Recomputes on every change in the form around `anchor`.
#[cfg(feature = "hydrate")]
fn follow_the_form(anchor: &web_sys::HtmlDivElement, totals: RwSignal<Option<money::Totals>>) {
    crate::ui::islands::on_form_change(anchor, move |form| {
        let Some(fields) = read_form(form) else {
            return;
        };
        totals.set(fields.live_totals());
        for (i, line) in fields.lines.iter().enumerate() {
            if let Ok(Some(output)) =
                form.query_selector(&format!("output[data-line-total=\"{i}\"]"))
            {
                output.set_text_content(Some(&line.shown_total()));
            }
        }
    });
}

#[cfg(feature = "hydrate")]
fn read_form(form: &web_sys::HtmlFormElement) -> Option<DocumentFields> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let query = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    DocumentFields::from_form(&String::from(query.to_string()))
}

/// The totals' headings, translated on the server (the island has no translations of its own).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TotalsLabels {
    excl_tax: String,
    global_discount: String,
    incl_tax: String,
}

impl TotalsLabels {
    pub fn new(i18n: I18n) -> Self {
        Self {
            excl_tax: t_string!(i18n, invoicing.total_excl_tax).to_string(),
            global_discount: t_string!(i18n, invoicing.global_discount).to_string(),
            incl_tax: t_string!(i18n, invoicing.total_incl_tax).to_string(),
        }
    }
}

/// Totals excluding tax, VAT per rate, total including tax.
#[component]
pub fn TotalsBox(totals: Signal<Option<money::Totals>>, labels: TotalsLabels) -> impl IntoView {
    let TotalsLabels {
        excl_tax,
        global_discount,
        incl_tax,
    } = labels;
    view! {
        <dl class="totals" aria-live="polite">
            {move || match totals.get() {
                None => view! { <dt>{incl_tax.clone()}</dt><dd>"—"</dd> }.into_any(),
                Some(t) => view! {
                    <dt>{excl_tax.clone()}</dt>
                    <dd data-total="excl">{t.total_excl_tax.format()}</dd>
                    {(t.global_discount.0 > 0).then(|| view! {
                        <dt>{global_discount.clone()}</dt>
                        <dd>{format!("-{}", t.global_discount.format())}</dd>
                    })}
                    {t.vat.iter().map(|v| view! {
                        <dt>{format!("TVA {}", v.rate.format())}</dt>
                        <dd>{v.vat.format()}</dd>
                    }).collect_view()}
                    <dt class="grand">{incl_tax.clone()}</dt>
                    <dd class="grand" data-total="incl">{t.total_incl_tax.format()}</dd>
                }.into_any(),
            }}
        </dl>
    }
}
