//! The CSV import form's target (a plain multipart form, so it works without JavaScript): the
//! file streams into the organisation's counts and the browser lands on the import's report.

#[cfg(feature = "ssr")]
pub use server_side::*;

/// Where the import form posts (the report page is `pages::IMPORT_PAGE`).
pub const IMPORT_PATH: &str = "/admin/compteurs/importer";

#[cfg(feature = "ssr")]
mod server_side {
    use crate::auth::guard::Caller;
    use crate::auth::types::Role;
    use crate::counters::csv_input::CsvCounts;
    use crate::counters::db;
    use crate::counters::ingest::{Batch, IngestError, Unit, ingest};
    use crate::counters::pages::IMPORT_PAGE;
    use crate::error::Problem;
    use crate::state::ServerState;
    use axum::Extension;
    use axum::extract::{Multipart, State};
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect, Response};

    /// Online imports up to this size; larger files go through `comptoir counts import`.
    pub const MAX_UPLOAD_BYTES: usize = 512 * 1024 * 1024;

    fn back(query: &str) -> Response {
        Redirect::to(&format!("{IMPORT_PAGE}?{query}")).into_response()
    }

    fn refused(problem: Problem) -> Response {
        let code = match problem {
            Problem::ImportFileRequired => "fichier",
            Problem::ImportTooLarge => "taille",
            Problem::OrganisationUnknown => "organisation",
            _ => "interrompu",
        };
        back(&format!("erreur={code}"))
    }

    pub async fn upload(
        State(state): State<ServerState>,
        caller: Option<Extension<Caller>>,
        mut form: Multipart,
    ) -> Response {
        let Some(Extension(caller)) = caller.filter(|Extension(c)| c.user.role == Role::Admin)
        else {
            return StatusCode::FORBIDDEN.into_response();
        };
        // The organisation comes first in the form, so the file can stream straight in.
        let mut organisation_id = None;
        loop {
            let field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return refused(Problem::ImportFileRequired),
                Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return refused(Problem::ImportTooLarge);
                }
                Err(_) => return refused(Problem::ImportInterrupted),
            };
            match field.name() {
                Some("organisation_id") => {
                    let text = field.text().await.unwrap_or_default();
                    organisation_id = text.trim().parse::<i64>().ok();
                }
                Some("file") => {
                    let file_name = field
                        .file_name()
                        .map(str::to_owned)
                        .filter(|n| !n.trim().is_empty());
                    let Some(file_name) = file_name else {
                        return refused(Problem::ImportFileRequired);
                    };
                    let Some(org) = organisation_id else {
                        return refused(Problem::OrganisationUnknown);
                    };
                    let is_client: Option<bool> = match sqlx::query_scalar(
                        "SELECT NOT is_agency FROM organisations WHERE id = $1",
                    )
                    .bind(org)
                    .fetch_optional(&state.pool)
                    .await
                    {
                        Ok(found) => found,
                        Err(err) => {
                            tracing::error!(error = %err, "import: organisation lookup failed");
                            return StatusCode::SERVICE_UNAVAILABLE.into_response();
                        }
                    };
                    if is_client != Some(true) {
                        return refused(Problem::OrganisationUnknown);
                    }
                    let report = match ingest(
                        &state.pool,
                        org,
                        field,
                        CsvCounts::default(),
                        Batch::default(),
                        Unit::Line,
                    )
                    .await
                    {
                        Ok(report) => report,
                        Err(IngestError::Header(message)) => {
                            let encoded: String = percent_encoding::utf8_percent_encode(
                                &message,
                                percent_encoding::NON_ALPHANUMERIC,
                            )
                            .to_string();
                            return back(&format!("erreur=entete&detail={encoded}"));
                        }
                        Err(IngestError::Interrupted(reason)) => {
                            tracing::warn!(%reason, "CSV upload interrupted");
                            return if reason.contains("length limit") {
                                refused(Problem::ImportTooLarge)
                            } else {
                                refused(Problem::ImportInterrupted)
                            };
                        }
                        Err(IngestError::Database(err)) => {
                            tracing::error!(error = %err, "CSV import failed");
                            return StatusCode::SERVICE_UNAVAILABLE.into_response();
                        }
                    };
                    return match db::record_import(
                        &state.pool,
                        org,
                        &file_name,
                        Some(caller.user.id),
                        &report,
                    )
                    .await
                    {
                        Ok(id) => {
                            tracing::info!(
                                organisation = org,
                                import = id,
                                accepted = report.accepted,
                                rejected = report.rejected_total,
                                "counts imported from CSV"
                            );
                            back(&format!("rapport={id}"))
                        }
                        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                    };
                }
                _ => {}
            }
        }
    }
}
