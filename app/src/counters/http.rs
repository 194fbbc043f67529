//! The CSV import form's target (a plain multipart form, so it works without JavaScript): the
//! file streams into the organisation's counts and the browser lands on the import's report.
//! And the CSV exports of what the dashboards show (a plain link, also without JavaScript).

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::auth::guard::Caller;
    use crate::auth::types::Role;
    use crate::counters::csv_input::CsvCounts;
    use crate::counters::dashboard::organisation;
    use crate::counters::db;
    use crate::counters::ingest::{IngestError, Unit, ingest};
    use crate::counters::paths::IMPORT_PAGE;
    use crate::counters::stats;
    use crate::error::{AppError, Problem};
    use crate::state::ServerState;
    use axum::Extension;
    use axum::extract::{Multipart, Query, State};
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::{IntoResponse, Redirect, Response};

    /// Online imports up to this size; larger files go through `comptoir counts import`.
    pub const MAX_UPLOAD_BYTES: usize = 512 * 1024 * 1024;

    fn back(query: &str) -> Response {
        Redirect::to(&format!("{IMPORT_PAGE}?{query}")).into_response()
    }

    /// Back to the import page with an error code and its explanation (already in French).
    fn back_with_detail(code: &str, detail: &str) -> Response {
        let detail =
            percent_encoding::utf8_percent_encode(detail, percent_encoding::NON_ALPHANUMERIC);
        back(&format!("erreur={code}&detail={detail}"))
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
                        Unit::Line,
                    )
                    .await
                    {
                        Ok(report) => report,
                        Err(IngestError::Header(message)) => {
                            return back_with_detail("entete", &message);
                        }
                        Err(IngestError::Interrupted(reason)) => {
                            tracing::warn!(%reason, "CSV upload interrupted");
                            return if reason.contains("length limit") {
                                refused(Problem::ImportTooLarge)
                            } else {
                                refused(Problem::ImportInterrupted)
                            };
                        }
                        Err(IngestError::Refused(message)) => {
                            tracing::error!(organisation = org, %message, "the database refused a checked line");
                            return back_with_detail("refuse", &message);
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

    /// `/compteurs/export.csv`: `site`, `du`, `au` for a shop's days; otherwise the dashboard's
    /// trend (`organisation` for admins, `groupe`, `jours`).
    #[derive(Debug, Default, serde::Deserialize)]
    pub struct ExportQuery {
        #[serde(default)]
        site: String,
        #[serde(default)]
        du: String,
        #[serde(default)]
        au: String,
        #[serde(default)]
        organisation: String,
        #[serde(default)]
        groupe: String,
        #[serde(default)]
        jours: String,
    }

    fn export_refusal(err: AppError) -> Response {
        let (status, text) = match &err {
            AppError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "Connexion requise.".to_owned())
            }
            AppError::Forbidden => (StatusCode::FORBIDDEN, "Accès refusé.".to_owned()),
            AppError::NotFound => (StatusCode::NOT_FOUND, "Introuvable.".to_owned()),
            AppError::Invalid(list) if list.iter().any(|p| p.problem == Problem::SiteUnknown) => (
                StatusCode::NOT_FOUND,
                "Ce compteur n'existe pas (ou plus).".to_owned(),
            ),
            AppError::Invalid(list) => (
                StatusCode::BAD_REQUEST,
                list.iter()
                    .map(|p| {
                        crate::ui::messages::problem_text_in(crate::i18n::Locale::fr, p.problem)
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => (
                StatusCode::SERVICE_UNAVAILABLE,
                "L'export n'a pas pu être produit ; réessayez dans un instant.".to_owned(),
            ),
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }

    fn csv_file(
        name: &str,
        header_row: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Result<Response, AppError> {
        // Semicolons and a byte-order mark: what French spreadsheet software opens directly.
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut writer = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(&mut out);
            writer
                .write_record(header_row)
                .map_err(|_| AppError::Internal)?;
            for row in rows {
                let cells = row
                    .iter()
                    .map(|cell| crate::format::csv_cell(cell).into_owned());
                writer.write_record(cells).map_err(|_| AppError::Internal)?;
            }
            writer.flush().map_err(|_| AppError::Internal)?;
        }
        let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .map_err(|_| AppError::Internal)?;
        Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            out,
        )
            .into_response())
    }

    fn safe_name(raw: &str) -> String {
        raw.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    fn cell(n: Option<u64>) -> String {
        n.map(|n| n.to_string()).unwrap_or_default()
    }

    async fn export_csv(
        state: &ServerState,
        caller: Option<Caller>,
        q: ExportQuery,
    ) -> Result<Response, AppError> {
        let caller = caller.ok_or(AppError::Unauthenticated)?;
        let now = chrono::Utc::now();
        if !q.site.trim().is_empty() {
            let site_id: i64 = q.site.trim().parse().map_err(|_| AppError::NotFound)?;
            let tenant = caller.scope().organisation_filter();
            let shop = stats::shop(&state.pool, tenant, site_id).await?;
            let period = stats::shop_period(&shop, &q.du, &q.au, now)?;
            let days = stats::shop_days(&state.pool, site_id, period).await?;
            let mut found = days.into_iter().peekable();
            let rows = period
                .first
                .iter_days()
                .take_while(|d| *d <= period.last)
                .map(|day| {
                    let row = found.next_if(|(d, _, _)| *d == day);
                    vec![
                        day.to_string(),
                        shop.shop_code.clone(),
                        shop.name.clone(),
                        cell(row.map(|(_, e, _)| e)),
                        cell(row.and_then(|(_, _, x)| x)),
                    ]
                })
                .collect();
            let name = format!(
                "entrees-{}-{}-{}.csv",
                safe_name(&shop.shop_code),
                period.first,
                period.last
            );
            return csv_file(
                &name,
                &["date", "code_magasin", "magasin", "entrees", "sorties"],
                rows,
            );
        }
        let org = organisation(&caller, &state.pool, &q.organisation).await?;
        let group = match q.groupe.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
        };
        let days = if q.jours.trim() == "90" { 90 } else { 30 };
        let period = stats::trend_period(&state.pool, org, days, now).await?;
        let rows = stats::trend_rows(&state.pool, org, group, period)
            .await?
            .into_iter()
            .map(|r| {
                vec![
                    r.day.to_string(),
                    cell(r.entries),
                    r.shops.map(|s| s.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        let name = format!("entrees-{}-{}.csv", period.first, period.last);
        csv_file(&name, &["date", "entrees", "magasins_avec_donnees"], rows)
    }

    pub async fn export(
        State(state): State<ServerState>,
        caller: Option<Extension<Caller>>,
        Query(q): Query<ExportQuery>,
    ) -> Response {
        let caller = caller.map(|Extension(c)| c);
        match export_csv(&state, caller, q).await {
            Ok(response) => response,
            Err(err) => export_refusal(err),
        }
    }
}
