//! The quote / invoice editor: a form the server renders from the draft and re-renders after
//! each step, and its live totals, computed in the browser by the money module the server uses.

#[cfg(feature = "hydrate")]
use super::DocumentFields;
use super::LineFields;
use super::editing::{EditorStart, EditorStep};
use super::labels::VAT_RATES;
use super::money;
use super::server::SaveDocument;
use super::workflow::DocumentKind;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{FormError, LoadedSelect};
use crate::ui::islands::escape_html;
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

/// Whether the editor shows `field`'s problem beside its input.
fn shown_at_its_field(field: &str) -> bool {
    matches!(
        field,
        "contact_id" | "validity_date" | "due_date" | "global_discount"
    ) || field.strip_prefix("lines[").is_some_and(|rest| {
        rest.ends_with("].description")
            || rest.ends_with("].quantity")
            || rest.ends_with("].unit_price")
    })
}

/// A refused save's problems that belong to no input of the editor (no longer a draft, no
/// line, an unknown article…), or an error that is not about the input at all: shown above the
/// form, so that no refusal goes unexplained.
fn unplaced_problems(
    value: Option<&Result<i64, crate::error::AppError>>,
    i18n: I18n,
) -> Option<String> {
    use crate::error::AppError;
    match value {
        Some(Err(AppError::Invalid(list))) => {
            let texts: Vec<String> = list
                .iter()
                .filter(|p| !shown_at_its_field(&p.field))
                .map(|p| problem_text(i18n, p.problem))
                .collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        }
        Some(Err(other)) => Some(crate::ui::messages::error_text(i18n, other)),
        _ => None,
    }
}

/// The editor of a draft quote or invoice: a form that posts to `save_document`, rendered from
/// the draft as the server last saw it. Its buttons post their step (add or remove a line,
/// recalculate, save): the server applies it and shows the draft again, with and without
/// JavaScript. With JavaScript, a picked article fills its line at once and the totals follow
/// the typing ([`LiveTotals`]).
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
    // What picking each article fills, as the server would ([`LineFields::take_article`]), once
    // for every line's select: the island copies these into the line.
    let fills: Vec<(String, String, LineFields)> = articles
        .iter()
        .map(|a| {
            let label = format!("{} — {}", a.reference, a.description);
            (a.id.to_string(), label, LineFields::filled_from(a))
        })
        .collect();
    let lines = initial.lines.iter().enumerate().map(|(i, line)| {
        let name = move |field: &str| format!("fields[lines][{i}][{field}]");
        view! {
            <div class="line" role="group" aria-label=format!("Ligne {}", i + 1)>
                // The article this line was filled from: a newly picked one fills it.
                <input type="hidden" name=format!("picked[{i}]") value=line.article_id.clone() />
                <label class="wide">{t!(i18n, invoicing.article)}
                    <select name=name("article_id")>
                        <option value="">{t!(i18n, invoicing.free_text)}</option>
                        {fills.iter().map(|(id, label, filled)| {
                            let selected = line.article_id == *id;
                            view! {
                                <option
                                    value=id.clone()
                                    selected=selected
                                    data-description=filled.description.clone()
                                    data-unit=filled.unit.clone()
                                    data-price=filled.unit_price.clone()
                                    data-vat=filled.vat_rate.replace('.', ",")
                                >
                                    {label.clone()}
                                </option>
                            }
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
                <button type="submit" name="step" value=EditorStep::remove_value(i) class="link-button" formnovalidate=true>
                    {t!(i18n, invoicing.remove_line)}
                </button>
            </div>
        }
    }).collect_view();
    let unplaced = move || value.with(|v| unplaced_problems(v.as_ref(), i18n));
    view! {
        <ActionForm action=save attr:class="form editor">
            <FormError problem=Box::new(unplaced) />
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
                        <span class="field-error">{err("validity_date")}</span>
                    </label>
                })}
                {(kind == DocumentKind::Invoice).then(|| view! {
                    <label>{t!(i18n, invoicing.due_date)}
                        <input type="date" name="fields[due_date]" value=initial.due_date.clone() />
                        <span class="field-error">{err("due_date")}</span>
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
                <button type="submit" name="step" value=EditorStep::ADD_LINE class="button small" formnovalidate=true>
                    {t!(i18n, invoicing.add_line)}
                </button>
            </fieldset>
            <label for="doc-notes">{t!(i18n, invoicing.notes)}</label>
            <textarea id="doc-notes" name="fields[notes]" rows="2">{initial.notes.clone()}</textarea>
            <EditorTotals totals labels=TotalsLabels::new(i18n) />
            <div class="actions-bar">
                // The totals above are the server's as of the last step; with JavaScript they
                // follow the typing, and this button also fills newly picked articles.
                <button type="submit" name="step" value=EditorStep::RECALCULATE class="button" formnovalidate=true>{t!(i18n, invoicing.recalculate)}</button>
                <button type="submit" name="step" value=EditorStep::SAVE class="button primary">{t!(i18n, invoicing.save_draft)}</button>
            </div>
        </ActionForm>
    }
}

/// The editor's totals, rendered by the server from the draft; the [`LiveTotals`] island then
/// recomputes them in the browser as the user types. The headings ride along as data
/// attributes, already translated.
#[component]
fn EditorTotals(totals: Option<money::Totals>, labels: TotalsLabels) -> impl IntoView {
    view! {
        <div
            class="live-totals"
            data-excl=labels.excl_tax.clone()
            data-discount=labels.global_discount.clone()
            data-incl=labels.incl_tax.clone()
        >
            <TotalsBox totals labels=labels.clone() />
            <LiveTotals />
        </div>
    }
}

/// The editor as the user types: its one live part. In the browser it fills a line from the
/// article picked on it (the values the server renders on each option), and follows the
/// editor form's inputs to recompute the totals, and each line's total, by the money rules the
/// server saves with ([`DocumentFields::live_totals`]), so its numbers are the server's. It
/// takes no props and renders nothing: it rewrites the server's markup in place, so the
/// islands' WASM carries no JSON or view code for it.
#[island]
pub fn LiveTotals() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        fill_picked_articles();
        follow_the_form();
    }
}

/// Fills a line from the article picked on it, before the totals read the form: listening in
/// the capture phase on the form runs ahead of [`follow_the_form`]'s listener. The line's
/// `picked[i]` then names the article, so a later post keeps what the user types over it.
#[cfg(feature = "hydrate")]
fn fill_picked_articles() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(form) = document()
        .query_selector(".live-totals")
        .ok()
        .flatten()
        .and_then(|anchor| anchor.closest("form").ok().flatten())
    else {
        return;
    };
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        else {
            return;
        };
        if !select.name().ends_with("[article_id]") {
            return;
        }
        let (Some(option), Ok(Some(line))) =
            (select.selected_options().item(0), select.closest(".line"))
        else {
            return;
        };
        // "Free text" carries no values: the line keeps what it has.
        let Some(description) = option.get_attribute("data-description") else {
            return;
        };
        let set = |selector: &str, value: &str| {
            let field = line.query_selector(selector).ok().flatten();
            if let Some(input) = field
                .clone()
                .and_then(|f| f.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_value(value);
            } else if let Some(choice) =
                field.and_then(|f| f.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                choice.set_value(value);
            }
        };
        let attribute = |name: &str| option.get_attribute(name).unwrap_or_default();
        set(r#"[name$="[description]"]"#, &description);
        set(r#"[name$="[unit]"]"#, &attribute("data-unit"));
        set(r#"[name$="[unit_price]"]"#, &attribute("data-price"));
        set(r#"[name$="[vat_rate]"]"#, &attribute("data-vat"));
        set(r#"[name^="picked["]"#, &select.value());
    });
    let _ = form.add_event_listener_with_callback_and_bool(
        "change",
        listener.as_ref().unchecked_ref(),
        true,
    );
    listener.forget();
}

/// Recomputes on every change in the editor's form.
#[cfg(feature = "hydrate")]
fn follow_the_form() {
    let Some(anchor) = document().query_selector(".live-totals").ok().flatten() else {
        return;
    };
    let Some(list) = anchor.query_selector("dl.totals").ok().flatten() else {
        return;
    };
    let label = |name: &str| anchor.get_attribute(name).unwrap_or_default();
    let labels = TotalsLabels {
        excl_tax: label("data-excl"),
        global_discount: label("data-discount"),
        incl_tax: label("data-incl"),
    };
    crate::ui::islands::one_post_at_a_time(&anchor);
    crate::ui::islands::on_form_change(&anchor, move |form| {
        let Some(fields) = DocumentFields::from_pairs(crate::ui::islands::form_pairs(form)) else {
            return;
        };
        list.set_inner_html(&totals_html(fields.live_totals().as_ref(), &labels));
        for (i, line) in fields.lines.iter().enumerate() {
            if let Ok(Some(output)) =
                form.query_selector(&format!("output[data-line-total=\"{i}\"]"))
            {
                output.set_text_content(Some(&line.shown_total()));
            }
        }
    });
}

/// The totals' headings, translated on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalsLabels {
    excl_tax: String,
    global_discount: String,
    incl_tax: String,
}

impl TotalsLabels {
    pub fn new(i18n: I18n) -> Self {
        Self {
            excl_tax: t_string!(i18n, invoicing.total_excl_tax).to_string(),
            global_discount: t_string!(i18n, invoicing.global_discount_total).to_string(),
            incl_tax: t_string!(i18n, invoicing.total_incl_tax).to_string(),
        }
    }
}

/// Totals excluding tax, VAT per rate, total including tax.
#[component]
pub fn TotalsBox(totals: Option<money::Totals>, labels: TotalsLabels) -> impl IntoView {
    view! { <dl class="totals" aria-live="polite" inner_html=totals_html(totals.as_ref(), &labels)></dl> }
}

/// The inside of [`TotalsBox`]: one markup for the server's render and the island's updates.
fn totals_html(totals: Option<&money::Totals>, labels: &TotalsLabels) -> String {
    let row = |class: &str, data: &str, term: &str, amount: &str| {
        format!(
            "<dt{class}>{}</dt><dd{class}{data}>{}</dd>",
            escape_html(term),
            escape_html(amount)
        )
    };
    let Some(t) = totals else {
        return row("", "", &labels.incl_tax, "—");
    };
    let mut html = row(
        "",
        r#" data-total="excl""#,
        &labels.excl_tax,
        &t.total_excl_tax.format(),
    );
    if t.global_discount.0 > 0 {
        let discount = format!("-{}", t.global_discount.format());
        let term = format!(
            "{} ({}\u{a0}%)",
            labels.global_discount,
            t.global_discount_rate.format_percent()
        );
        html.push_str(&row("", "", &term, &discount));
    }
    for v in &t.vat {
        let term = format!("TVA {}", v.rate.format());
        html.push_str(&row("", "", &term, &v.vat.format()));
    }
    html.push_str(&row(
        r#" class="grand""#,
        r#" data-total="incl""#,
        &labels.incl_tax,
        &t.total_incl_tax.format(),
    ));
    html
}
