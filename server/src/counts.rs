//! `comptoir counts import FILE --organisation ID` and `comptoir counts rebuild-rollups`.

use crate::cli::{CountsCommand, ImportArgs};
use anyhow::{Context, bail};
use app::counters::csv_input::CsvCounts;
use app::counters::ingest::{IngestError, Unit, ingest, rebuild_all};
use app::counters::{IngestReport, db};
use sqlx::PgPool;
use std::path::PathBuf;
use tokio::io::AsyncReadExt;

#[derive(Debug)]
pub enum Checked {
    Import {
        file: Option<PathBuf>,
        organisation: String,
    },
    RebuildRollups,
}

/// Checks the arguments before the database starts.
pub fn check(command: &CountsCommand) -> anyhow::Result<Checked> {
    match command {
        CountsCommand::Import(ImportArgs { file, organisation }) => {
            let Some(file) = file else {
                bail!(
                    "FICHIER manquant : indiquez le fichier CSV à importer (ou « - » pour l'entrée standard)"
                );
            };
            let organisation = match organisation.as_deref().map(str::trim) {
                None => bail!(
                    "--organisation manquant : indiquez l'identifiant ou le slug de l'organisation"
                ),
                Some("") => bail!(
                    "--organisation est vide : indiquez l'identifiant ou le slug de l'organisation"
                ),
                Some(o) => o.to_owned(),
            };
            let file = (file.as_os_str() != "-").then(|| file.clone());
            if let Some(path) = &file {
                let meta = std::fs::metadata(path)
                    .with_context(|| format!("fichier « {} » illisible", path.display()))?;
                if !meta.is_file() {
                    bail!("« {} » n'est pas un fichier", path.display());
                }
            }
            Ok(Checked::Import { file, organisation })
        }
        CountsCommand::RebuildRollups => Ok(Checked::RebuildRollups),
    }
}

/// Reads the source by blocks of 256 KiB.
fn chunks<R: tokio::io::AsyncRead + Unpin>(
    reader: R,
) -> impl futures::Stream<Item = std::io::Result<Vec<u8>>> {
    futures::stream::unfold(Some(reader), |state| async move {
        let mut reader = state?;
        let mut buf = vec![0u8; 256 * 1024];
        match reader.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), Some(reader)))
            }
            Err(err) => Some((Err(err), None)),
        }
    })
}

pub async fn run(pool: &PgPool, checked: Checked) -> anyhow::Result<()> {
    match checked {
        Checked::RebuildRollups => {
            let started = std::time::Instant::now();
            rebuild_all(pool).await?;
            println!(
                "Agrégats reconstruits en {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Checked::Import { file, organisation } => {
            let found = app::accounts::db::find_organisation(pool, &organisation).await?;
            let org = match found {
                Some((id, false)) => id,
                Some((_, true)) => bail!(
                    "--organisation : l'agence n'a pas de compteurs ; choisissez une organisation cliente"
                ),
                None => bail!("--organisation : organisation « {organisation} » inconnue"),
            };
            let started = std::time::Instant::now();
            let name = file
                .as_ref()
                .map_or("entrée standard".to_owned(), |p| p.display().to_string());
            let outcome = match &file {
                Some(path) => {
                    let reader = tokio::fs::File::open(path)
                        .await
                        .with_context(|| format!("ouverture de « {} »", path.display()))?;
                    ingest(pool, org, chunks(reader), CsvCounts::default(), Unit::Line).await
                }
                None => {
                    ingest(
                        pool,
                        org,
                        chunks(tokio::io::stdin()),
                        CsvCounts::default(),
                        Unit::Line,
                    )
                    .await
                }
            };
            let report = match outcome {
                Ok(report) => report,
                Err(IngestError::Header(message)) => bail!("rien n'a été importé : {message}"),
                Err(IngestError::Interrupted(reason)) => {
                    bail!("rien n'a été importé : lecture de « {name} » interrompue ({reason})")
                }
                Err(IngestError::Refused(message)) => bail!("rien n'a été importé : {message}"),
                // The database's own words go in parentheses, after a French sentence.
                Err(IngestError::Database(err)) => {
                    bail!("rien n'a été importé : la base de données n'a pas pu écrire ({err})")
                }
            };
            let file_name = file
                .as_ref()
                .and_then(|p| p.file_name())
                .map_or("stdin".to_owned(), |n| n.to_string_lossy().into_owned());
            let id = db::record_import(pool, org, &file_name, None, &report)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            print_report(&report);
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "Import n° {id} : {} ligne(s) écrite(s), {} refusée(s), en {seconds:.1} s.",
                report.accepted, report.rejected_total
            );
            if report.rejected_total > 0 {
                bail!(
                    "{} ligne(s) refusée(s) (les autres sont importées)",
                    report.rejected_total
                );
            }
            Ok(())
        }
    }
}

fn print_report(report: &IngestReport) {
    for r in &report.rejected {
        println!("ligne {} : {}", r.position, r.message);
    }
    let hidden = report
        .rejected_total
        .saturating_sub(report.rejected.len() as u64);
    if hidden > 0 {
        println!("… et {hidden} autre(s) ligne(s) refusée(s).");
    }
}
