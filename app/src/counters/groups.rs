//! Managing an organisation's store groups from a counter's editor: renaming each group in
//! place, and deleting one through an addressable confirmation dialog
//! (`?modifier=<counter>&supprimer-groupe=<group>`), so both work without JavaScript.

use super::StoreGroup;
use super::paths::LIST_PATH;
use super::server::{DeleteStoreGroup, RenameStoreGroup};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ConfirmBox, FieldError, FormError, field_problem, form_problem};
use crate::ui::modal::Modal;
use crate::ui::posted::refused_form;
use leptos::prelude::*;

/// The query parameter that opens a group's deletion dialog over the counter list.
pub const DELETE_PARAM: &str = "supprimer-groupe";

/// The editor of counter `site_id`, where a group's deletion dialog closes to.
fn editor_path(site_id: i64) -> String {
    format!("{LIST_PATH}?modifier={site_id}")
}

/// The address of group `group_id`'s deletion dialog, opened from counter `site_id`'s editor.
pub fn delete_path(site_id: i64, group_id: i64) -> String {
    format!("{}&{DELETE_PARAM}={group_id}", editor_path(site_id))
}

/// Every group of the counter's organisation, each with its rename form and a link to its
/// deletion dialog.
#[component]
pub fn GroupAdmin(site_id: i64, groups: Vec<StoreGroup>) -> impl IntoView {
    let i18n = use_i18n();
    let rename = ServerAction::<RenameStoreGroup>::new();
    // One form per group posts to the same function: a refused rename names its group, so only
    // that group's field shows the error and starts from what was typed.
    let refused = refused_form::<RenameStoreGroup>();
    let refused_id = refused
        .as_ref()
        .and_then(|form| form.value("group_id"))
        .and_then(|id| id.trim().parse::<i64>().ok());
    let refused_name = refused
        .as_ref()
        .and_then(|form| form.value("name"))
        .map(str::to_owned);
    // A refusal no group's form can show (not found, or its input not kept) is shown above them.
    let name_problem = field_problem(rename.value(), i18n, "name");
    let general = form_problem(rename.value(), i18n);
    let placed = refused_id.is_some_and(|id| groups.iter().any(|g| g.id == id));
    let unplaced = move || general().or_else(|| (!placed).then(name_problem).flatten());
    if groups.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="group-admin modal-secondary" aria-labelledby="group-admin-title">
            <h3 id="group-admin-title">{t!(i18n, counters.group_admin)}</h3>
            <FormError problem=Box::new(unplaced) />
            <ul class="group-admin-list">
                {groups.into_iter().map(|g| {
                    let id = g.id;
                    let this_one = refused_id == Some(id);
                    let value = match (this_one, &refused_name) {
                        (true, Some(typed)) => typed.clone(),
                        _ => g.name.clone(),
                    };
                    let members = g.members;
                    let name_id = format!("group-{id}-label");
                    let input_id = format!("group-{id}-name");
                    let error_id = format!("group-{id}-name-error");
                    // The input is described by its group's name and its error.
                    let described = format!("{name_id} {error_id}");
                    let problem: Box<dyn Fn() -> Option<String> + Send + Sync> = if this_one {
                        Box::new(name_problem)
                    } else {
                        Box::new(|| None)
                    };
                    view! {
                        <li data-group-id=id.to_string()>
                            <p class="group-admin-name">
                                <strong id=name_id.clone()>{g.name.clone()}</strong>
                                " · " {t!(i18n, counters.count, n = members)}
                            </p>
                            <ActionForm action=rename attr:class="group-rename">
                                <input type="hidden" name="group_id" value=id.to_string() />
                                <label for=input_id.clone()>{t!(i18n, counters.group_new_name)}</label>
                                <input id=input_id name="name" required maxlength="80" value=value aria-describedby=described />
                                <button type="submit" class="button">{t!(i18n, counters.rename_group)}</button>
                                <FieldError problem id=error_id />
                            </ActionForm>
                            <a class="button small group-delete" href=delete_path(site_id, id) aria-describedby=name_id>
                                {t!(i18n, counters.delete_group)}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// The confirmation step of a group's deletion: a dialog of its own, closed by a link back to
/// the counter's editor; the server checks the box too. `group` is `None` when the address
/// names no group of the counter's organisation (already deleted).
#[component]
pub fn GroupDeleteDialog(group: Option<StoreGroup>, site_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteStoreGroup>::new();
    let back = editor_path(site_id);
    let Some(g) = group else {
        return view! {
            <Modal title=t_string!(i18n, counters.delete_group_submit).to_string() close=back.clone()>
                <p class="notice notice-error">{t!(i18n, errors.not_found)}</p>
                <a class="button" href=back>{t!(i18n, counters.cancel)}</a>
            </Modal>
        }
        .into_any();
    };
    let title = t_string!(i18n, counters.delete_group_title, name = g.name.clone()).to_string();
    let members = g.members;
    view! {
        <Modal title close=back.clone()>
            <ActionForm action=delete attr:class="form danger-zone" attr:id="group-delete-form">
                <FormError problem=Box::new(form_problem(delete.value(), i18n)) />
                <p>{t!(i18n, counters.delete_group_text, n = members)}</p>
                <input type="hidden" name="group_id" value=g.id.to_string() />
                // Once deleted, back to the editor (the dialog's address names a deleted group).
                <input type="hidden" name="back" value=back.clone() />
                <ConfirmBox text=t_string!(i18n, counters.delete_group_confirm).to_string() problem=Box::new(field_problem(delete.value(), i18n, "confirm")) id="group-confirm-error" />
                <button type="submit" class="button danger">{t!(i18n, counters.delete_group_submit)}</button>
                <a class="button" href=back>{t!(i18n, counters.cancel)}</a>
            </ActionForm>
        </Modal>
    }
    .into_any()
}
