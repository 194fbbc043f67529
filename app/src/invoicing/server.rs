//! Invoicing server functions. Accountants (and the agency's admins, for the agency itself)
//! work inside their own organisation only; viewers get nothing.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::db, crate::auth::ctx::Ctx, crate::auth::types::Role, crate::i18n::td_string,
    crate::ui::flash, chrono::Utc,
};

/// Where the directory's forms lead once saved or deleted (the lists they open from).
#[cfg(feature = "ssr")]
const CONTACTS_PAGE: &str = "/facturation/contacts";
#[cfg(feature = "ssr")]
const ARTICLES_PAGE: &str = "/facturation/articles";

#[cfg(feature = "ssr")]
fn id_of(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

#[server(endpoint = "seller_profile")]
pub async fn seller_profile() -> Result<Option<SellerFields>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    Ok(db::seller(ctx.pool(), ctx.organisation_id()).await?)
}

#[server(endpoint = "save_seller_profile")]
pub async fn save_seller_profile(fields: SellerFields) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let seller = fields.parse().map_err(AppError::Invalid)?;
    db::save_seller(ctx.pool(), ctx.organisation_id(), &seller, ctx.user_id()).await?;
    flash::success(|locale| td_string!(locale, invoicing.company_saved_ok)).await;
    Ok(())
}

#[server(endpoint = "delete_seller_profile")]
pub async fn delete_seller_profile(
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    crate::error::require_confirmation(confirm)?;
    db::delete_seller(ctx.pool(), ctx.organisation_id(), ctx.user_id()).await?;
    flash::success(|locale| td_string!(locale, invoicing.company_deleted_ok)).await;
    Ok(())
}

/// The seller's current logo (uploaded through `POST /facturation/entreprise/logo`).
#[server(endpoint = "seller_logo")]
pub async fn seller_logo() -> Result<Option<LogoInfo>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    Ok(db::seller_logo(ctx.pool(), ctx.organisation_id()).await?)
}

/// Removes the logo from the seller identity; issued documents keep the one they were issued with.
#[server(endpoint = "remove_seller_logo")]
pub async fn remove_seller_logo() -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::set_seller_logo(ctx.pool(), ctx.organisation_id(), None).await?;
    flash::success(|locale| td_string!(locale, invoicing.logo_removed_ok)).await;
    Ok(())
}

#[server(endpoint = "list_contact_groups")]
pub async fn list_contact_groups() -> Result<Vec<GroupView>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    Ok(db::list_groups(ctx.pool(), ctx.organisation_id()).await?)
}

#[server(endpoint = "save_contact_group")]
pub async fn save_contact_group(group_id: String, name: String) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let name =
        crate::auth::types::DisplayName::parse(&name).map_err(|p| AppError::invalid("name", p))?;
    let id = db::save_group(
        ctx.pool(),
        ctx.organisation_id(),
        id_of(&group_id)?,
        name.as_str(),
    )
    .await?;
    flash::success(|locale| td_string!(locale, invoicing.group_saved_ok)).await;
    Ok(id)
}

#[server(endpoint = "delete_contact_group")]
pub async fn delete_contact_group(group_id: i64) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    // Its contacts stay: only the label goes, so no confirmation step.
    db::delete_group(ctx.pool(), ctx.organisation_id(), group_id).await?;
    flash::success(|locale| td_string!(locale, invoicing.group_deleted_ok)).await;
    Ok(())
}

#[server(endpoint = "list_contacts")]
pub async fn list_contacts(
    #[server(default)] filter: ListFilter,
) -> Result<Page<ContactView>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::list_contacts(ctx.pool(), ctx.organisation_id(), &filter).await
}

#[server(endpoint = "contact_choices")]
pub async fn contact_choices() -> Result<Vec<ContactChoice>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    Ok(db::contact_choices(ctx.pool(), ctx.organisation_id()).await?)
}

#[server(endpoint = "get_contact")]
pub async fn get_contact(contact_id: i64) -> Result<ContactView, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::get_contact(ctx.pool(), ctx.organisation_id(), contact_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates (`contact_id` empty) or edits a contact, with the groups it belongs to.
#[server(endpoint = "save_contact")]
pub async fn save_contact(
    contact_id: String,
    fields: ContactFields,
    #[server(default)] groups: Vec<i64>,
) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let contact = fields.parse().map_err(AppError::Invalid)?;
    let id = db::save_contact(
        ctx.pool(),
        ctx.organisation_id(),
        id_of(&contact_id)?,
        &contact,
        &groups,
    )
    .await?;
    flash::success(|locale| td_string!(locale, invoicing.contact_saved_ok)).await;
    leptos_axum::redirect(CONTACTS_PAGE);
    Ok(id)
}

#[server(endpoint = "delete_contact")]
pub async fn delete_contact(
    contact_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    crate::error::require_confirmation(confirm)?;
    db::delete_contact(ctx.pool(), ctx.organisation_id(), contact_id).await?;
    flash::success(|locale| td_string!(locale, invoicing.contact_deleted_ok)).await;
    leptos_axum::redirect(CONTACTS_PAGE);
    Ok(())
}

#[server(endpoint = "list_articles")]
pub async fn list_articles(
    #[server(default)] filter: ListFilter,
) -> Result<Page<ArticleView>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::list_articles(ctx.pool(), ctx.organisation_id(), &filter).await
}

/// Active articles, for the line editor.
#[server(endpoint = "article_choices")]
pub async fn article_choices() -> Result<Vec<ArticleView>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    Ok(db::article_choices(ctx.pool(), ctx.organisation_id()).await?)
}

#[server(endpoint = "get_article")]
pub async fn get_article(article_id: i64) -> Result<ArticleView, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::get_article(ctx.pool(), ctx.organisation_id(), article_id)
        .await?
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "save_article")]
pub async fn save_article(article_id: String, fields: ArticleFields) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let article = fields.parse().map_err(AppError::Invalid)?;
    let id = db::save_article(
        ctx.pool(),
        ctx.organisation_id(),
        id_of(&article_id)?,
        &article,
    )
    .await?;
    flash::success(|locale| td_string!(locale, invoicing.article_saved_ok)).await;
    leptos_axum::redirect(ARTICLES_PAGE);
    Ok(id)
}

#[server(endpoint = "set_article_active")]
pub async fn set_article_active(article_id: i64, active: bool) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::set_article_active(ctx.pool(), ctx.organisation_id(), article_id, active).await?;
    flash::success(|locale| {
        if active {
            td_string!(locale, invoicing.article_activated_ok)
        } else {
            td_string!(locale, invoicing.article_deactivated_ok)
        }
    })
    .await;
    Ok(())
}

#[server(endpoint = "list_documents")]
pub async fn list_documents(filter: DocumentFilter) -> Result<Page<DocumentSummary>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::list_documents(ctx.pool(), ctx.organisation_id(), &filter, Utc::now()).await
}

#[server(endpoint = "get_document")]
pub async fn get_document(document_id: i64) -> Result<DocumentView, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::get_document(ctx.pool(), ctx.organisation_id(), document_id, Utc::now()).await
}

/// Where a draft between two steps of the editor is kept (see `editing`).
#[cfg(feature = "ssr")]
const KEPT_DRAFT: &str = "comptoir.editor_draft";

#[cfg(feature = "ssr")]
async fn keep_draft(draft: &editing::KeptDraft) {
    let Some(session) = flash::session() else {
        return;
    };
    if let Err(err) = session.insert(KEPT_DRAFT, draft).await {
        tracing::warn!(error = %err, "keeping the editor's draft failed");
    }
}

/// The draft kept for document `document_id` (`None`: a new one) of `kind`, if any.
#[cfg(feature = "ssr")]
async fn kept_draft(kind: &str, document_id: Option<i64>) -> Option<DocumentFields> {
    let session = flash::session()?;
    match session.get::<editing::KeptDraft>(KEPT_DRAFT).await {
        Ok(Some(kept)) if kept.kind == kind && kept.document_id == document_id => Some(kept.fields),
        Ok(_) => None,
        Err(err) => {
            tracing::warn!(error = %err, "reading the editor's draft failed");
            None
        }
    }
}

/// What the editor starts from: the draft kept between two steps when `resume` (and it is this
/// document's), else the saved draft, else an empty one; and the contacts and articles to pick.
#[server(endpoint = "editor_start")]
pub async fn editor_start(
    kind: String,
    #[server(default)] document_id: Option<i64>,
    #[server(default)] resume: bool,
) -> Result<editing::EditorStart, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let org = ctx.organisation_id();
    // Only a draft opens in the editor: an issued invoice is shown read-only instead (the
    // database would refuse its save anyway).
    let stored = match document_id {
        Some(id) => {
            let doc = db::get_document(ctx.pool(), org, id, Utc::now()).await?;
            if doc.summary.status != workflow::Status::Draft {
                return Err(AppError::invalid(
                    "status",
                    crate::error::Problem::DocumentNotDraft,
                ));
            }
            Some(doc.fields)
        }
        None => None,
    };
    let kept = match resume {
        true => kept_draft(&kind, document_id).await,
        false => None,
    };
    let fields = kept.or(stored).unwrap_or_default();
    Ok(editing::EditorStart {
        fields: fields.with_a_line(),
        contacts: db::contact_choices(ctx.pool(), org).await?,
        articles: db::article_choices(ctx.pool(), org).await?,
    })
}

/// Creates a draft quote or invoice (`document_id` empty) or edits a draft, then shows it
/// (`back`: the list it opens over). The other steps of the editor (`step`: add or remove a
/// line, recalculate) come from its form without JavaScript: they apply to the posted draft,
/// keep it in the session and show the editor again; `picked` names the article each line was
/// filled from, so a newly picked one fills its line.
#[server(endpoint = "save_document")]
pub async fn save_document(
    document_id: String,
    kind: String,
    fields: DocumentFields,
    #[server(default)] step: String,
    #[server(default)] picked: Vec<String>,
    #[server(default)] back: String,
) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let org = ctx.organisation_id();
    let id = id_of(&document_id)?;
    let step = editing::EditorStep::parse(&step);
    let mut fields = fields;
    // Every post names the lines' articles; a save that picked none loads nothing more.
    if fields.picks_new_articles(&picked) {
        let articles = db::article_choices(ctx.pool(), org).await?;
        fields.take_picked_articles(&picked, &articles);
    }
    fields.apply(step);
    let kept = editing::KeptDraft {
        kind: kind.clone(),
        document_id: id,
        fields: fields.clone(),
    };
    if matches!(
        step,
        editing::EditorStep::AddLine | editing::EditorStep::RemoveLine(_)
    ) {
        keep_draft(&kept).await;
        redirect_back(&editor_address(&back, id));
        return Ok(id.unwrap_or_default());
    }
    let draft = match fields.parse() {
        Ok(draft) => draft,
        Err(problems) => {
            // Shown again with the problems next to their fields (the refusal's redirect).
            keep_draft(&kept).await;
            return Err(AppError::Invalid(problems));
        }
    };
    if step == editing::EditorStep::Recalculate {
        keep_draft(&kept).await;
        redirect_back(&editor_address(&back, id));
        return Ok(id.unwrap_or_default());
    }
    let saved = match id {
        Some(id) => {
            db::update_draft(ctx.pool(), org, id, &draft).await?;
            id
        }
        None => {
            let kind: workflow::DocumentKind =
                kind.parse().map_err(|p| AppError::invalid("kind", p))?;
            if kind == workflow::DocumentKind::CreditNote {
                // Credit notes start from their invoice (`draft_credit_note`).
                return Err(AppError::invalid(
                    "kind",
                    crate::error::Problem::TransitionRefused,
                ));
            }
            db::insert_draft(ctx.pool(), org, kind, &draft, ctx.user_id(), None, None).await?
        }
    };
    if let Some(session) = flash::session()
        && let Err(err) = session.remove::<editing::KeptDraft>(KEPT_DRAFT).await
    {
        tracing::warn!(error = %err, "clearing the editor's draft failed");
    }
    flash::success(|locale| td_string!(locale, invoicing.saved_ok)).await;
    redirect_back(&format!("{back}?voir={saved}"));
    Ok(saved)
}

/// The editor of document `id` (a new one when `None`) on list `back`, showing the kept draft.
#[cfg(feature = "ssr")]
fn editor_address(back: &str, id: Option<i64>) -> String {
    match id {
        Some(id) => format!("{back}?modifier={id}&brouillon=1"),
        None => format!("{back}?nouveau=1&brouillon=1"),
    }
}

/// Back to `back` (a local address the form names), if it is one.
#[cfg(feature = "ssr")]
fn redirect_back(back: &str) {
    if let Some(target) = crate::auth::http::local_target(back) {
        leptos_axum::redirect(&target);
    }
}

/// The document's page on its list.
#[cfg(feature = "ssr")]
fn redirect_to(kind: workflow::DocumentKind, id: i64) {
    leptos_axum::redirect(&format!("{}?voir={id}", labels::kind_path(kind)));
}

/// Deletes a draft (asked to confirm), then back to `back`, the list it was on.
#[server(endpoint = "delete_draft")]
pub async fn delete_draft(
    document_id: i64,
    #[server(default)] confirm: Option<String>,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    crate::error::require_confirmation(confirm)?;
    db::delete_draft(ctx.pool(), ctx.organisation_id(), document_id).await?;
    flash::success(|locale| td_string!(locale, invoicing.draft_deleted_ok)).await;
    redirect_back(&back);
    Ok(())
}

/// `send`, `accept`, `refuse`, `expire` (quotes) or `issue` (invoices, credit notes; asked to
/// confirm, since the number is final), then back to `back`, the document's page.
#[server(endpoint = "document_action")]
pub async fn document_action(
    document_id: i64,
    action: String,
    #[server(default)] confirm: Option<String>,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let org = ctx.organisation_id();
    let now = Utc::now();
    let action = match action.trim() {
        "send" => workflow::Action::Send,
        "accept" => workflow::Action::Accept,
        "refuse" => workflow::Action::Refuse,
        "expire" => workflow::Action::Expire,
        "issue" => workflow::Action::Issue,
        _ => {
            return Err(AppError::invalid(
                "action",
                crate::error::Problem::TransitionRefused,
            ));
        }
    };
    let outcome = if action == workflow::Action::Issue {
        crate::error::require_ticked(confirm, crate::error::Problem::IssueNotConfirmed)?;
        let number = db::issue(ctx.pool(), org, document_id, now).await?;
        tracing::info!(document = document_id, %number, "document issued");
        let shown = number.clone();
        flash::success(move |locale| td_string!(locale, invoicing.issued_ok, number = shown)).await;
        number
    } else {
        let status = db::quote_action(ctx.pool(), org, document_id, action, now).await?;
        flash::success(|locale| match action {
            workflow::Action::Send => td_string!(locale, invoicing.quote_sent_ok),
            workflow::Action::Accept => td_string!(locale, invoicing.quote_accepted_ok),
            workflow::Action::Refuse => td_string!(locale, invoicing.quote_refused_ok),
            _ => td_string!(locale, invoicing.done_ok),
        })
        .await;
        status.as_str().to_owned()
    };
    redirect_back(&back);
    Ok(outcome)
}

/// A draft invoice from an accepted quote, shown next.
#[server(endpoint = "convert_quote")]
pub async fn convert_quote(quote_id: i64) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let id = db::convert_quote(ctx.pool(), ctx.organisation_id(), quote_id, ctx.user_id()).await?;
    flash::success(|locale| td_string!(locale, invoicing.converted_ok)).await;
    redirect_to(workflow::DocumentKind::Invoice, id);
    Ok(id)
}

/// Drafts a credit note: `scope` is `all`, `lines` (with `positions`, 0-based) or `amount`
/// (with `amount` excluding tax and `vat_rate`).
#[server(endpoint = "draft_credit_note")]
pub async fn draft_credit_note(
    invoice_id: i64,
    scope: String,
    #[server(default)] positions: Vec<usize>,
    #[server(default)] amount: String,
    #[server(default)] vat_rate: String,
) -> Result<i64, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let scope = match scope.as_str() {
        "all" => db::CreditScope::All,
        "lines" => db::CreditScope::Lines(positions),
        "amount" => {
            let excl_tax = money::Cents::parse(&amount)
                .ok()
                .filter(|c| c.0 > 0)
                .ok_or_else(|| AppError::invalid("amount", crate::error::Problem::AmountInvalid))?;
            let vat_rate =
                money::VatRate::parse(&vat_rate).map_err(|p| AppError::invalid("vat_rate", p))?;
            db::CreditScope::Amount {
                excl_tax,
                vat_rate,
                description: "Remise commerciale".to_owned(),
            }
        }
        _ => {
            return Err(AppError::invalid(
                "scope",
                crate::error::Problem::CreditLinesRequired,
            ));
        }
    };
    let id = db::draft_credit_note(
        ctx.pool(),
        ctx.organisation_id(),
        invoice_id,
        scope,
        ctx.user_id(),
    )
    .await?;
    flash::success(|locale| td_string!(locale, invoicing.credit_drafted_ok)).await;
    redirect_to(workflow::DocumentKind::CreditNote, id);
    Ok(id)
}

/// Money moved on an invoice, as a payment or refund form posts it.
#[cfg(feature = "ssr")]
struct Movement {
    on: chrono::NaiveDate,
    amount: money::Cents,
    method: PaymentMethod,
}

/// Reads a payment's or a refund's form: its date (`date_field`, today when empty), a positive
/// amount and a method, every problem at once.
#[cfg(feature = "ssr")]
fn movement(date_field: &str, on: &str, amount: &str, method: &str) -> Result<Movement, AppError> {
    use chrono::Datelike;
    let mut problems = Vec::new();
    let date = super::parse_date(date_field, on, &mut problems);
    // Four-digit years only: chrono reads years PostgreSQL's dates cannot hold.
    if date.is_some_and(|d| !(1000..=9999).contains(&d.year())) {
        problems.push(crate::error::FieldProblem {
            field: date_field.into(),
            problem: crate::error::Problem::DateInvalid,
        });
    }
    let amount = money::Cents::parse(amount).ok().filter(|c| c.0 > 0);
    if amount.is_none() {
        problems.push(crate::error::FieldProblem {
            field: "amount".into(),
            problem: crate::error::Problem::AmountInvalid,
        });
    }
    let method = PaymentMethod::parse(method)
        .map_err(|p| {
            problems.push(crate::error::FieldProblem {
                field: "method".into(),
                problem: p,
            })
        })
        .ok();
    match (amount, method) {
        (Some(amount), Some(method)) if problems.is_empty() => Ok(Movement {
            on: date.unwrap_or_else(|| db::paris_today(Utc::now())),
            amount,
            method,
        }),
        _ => Err(AppError::Invalid(problems)),
    }
}

#[server(endpoint = "record_payment")]
pub async fn record_payment(
    invoice_id: i64,
    paid_on: String,
    amount: String,
    method: String,
    #[server(default)] reference: String,
) -> Result<String, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let Movement { on, amount, method } = movement("paid_on", &paid_on, &amount, &method)?;
    let payment = db::NewPayment {
        invoice: invoice_id,
        paid_on: on,
        amount,
        method,
        reference: &reference,
        by: ctx.user_id(),
    };
    let status = db::record_payment(ctx.pool(), ctx.organisation_id(), payment).await?;
    flash::success(|locale| td_string!(locale, invoicing.payment_ok)).await;
    redirect_to(workflow::DocumentKind::Invoice, invoice_id);
    Ok(status.as_str().to_owned())
}

/// Records money paid back to the client on an invoice that credit notes took below what it
/// received (at most what is owed back), then shows the invoice.
#[server(endpoint = "record_refund")]
pub async fn record_refund(
    invoice_id: i64,
    refunded_on: String,
    amount: String,
    method: String,
    #[server(default)] reference: String,
) -> Result<String, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let Movement { on, amount, method } = movement("refunded_on", &refunded_on, &amount, &method)?;
    let refund = db::NewRefund {
        invoice: invoice_id,
        refunded_on: on,
        amount,
        method,
        reference: &reference,
        by: ctx.user_id(),
    };
    let status = db::record_refund(ctx.pool(), ctx.organisation_id(), refund).await?;
    flash::success(|locale| td_string!(locale, invoicing.refund_ok)).await;
    redirect_to(workflow::DocumentKind::Invoice, invoice_id);
    Ok(status.as_str().to_owned())
}

#[server(endpoint = "list_payments")]
pub async fn list_payments(
    #[server(default)] filter: ListFilter,
) -> Result<Page<PaymentView>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::list_payments(ctx.pool(), ctx.organisation_id(), &filter).await
}

#[server(endpoint = "invoicing_dashboard")]
pub async fn invoicing_dashboard() -> Result<Dashboard, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    db::dashboard(ctx.pool(), ctx.organisation_id(), Utc::now()).await
}
