//! Document rendering times, p50 and p99 over 200 runs: a one-page and a 150-line invoice, as
//! PDF and as Factur-X, and in the same run wkhtmltopdf rendering an equivalent HTML invoice
//! (the old tools' engine). Run with `bench/documents.sh`.

use app::documents::print::{PrintDocument, fr_date};
use app::documents::{facturx, pdf, sample};
use std::process::Command;
use std::time::{Duration, Instant};

fn runs() -> usize {
    std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn measure(name: &str, runs: usize, mut f: impl FnMut() -> usize) -> Duration {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        bytes = f();
        times.push(start.elapsed());
    }
    times.sort();
    let p50 = percentile(&times, 0.5);
    println!(
        "{name:<34} p50 {:>9.2} ms   p99 {:>9.2} ms   {:>7} bytes",
        p50.as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        bytes
    );
    p50
}

/// The same invoice as HTML, laid out like the old tools' templates.
fn html(doc: &PrintDocument) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut rows = String::new();
    for l in &doc.lines {
        rows.push_str(&format!(
            "<tr><td>{}</td><td class=n>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            esc(&l.description),
            l.quantity.format(),
            esc(&l.unit),
            l.unit_price.format(),
            l.vat_rate.format(),
            l.total_excl_tax.format()
        ));
    }
    let vat: String = doc
        .totals
        .vat
        .iter()
        .map(|v| {
            format!(
                "<tr><td>TVA {}</td><td class=n>{}</td></tr>",
                v.rate.format(),
                v.vat.format()
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=fr><head><meta charset=utf-8><style>
         body{{font-family:'Liberation Sans',Arial,sans-serif;font-size:9pt;color:#212529}}
         h1{{color:#14468c;text-align:right}} table{{width:100%;border-collapse:collapse}}
         th{{background:#eceff6;text-align:left}} td,th{{padding:4px;border-bottom:1px solid #d2d6dc}}
         .n{{text-align:right}} thead{{display:table-header-group}} tr{{page-break-inside:avoid}}
         </style></head><body>
         <div><strong>{seller}</strong><br>{address}<br>SIREN {siren}</div>
         <h1>FACTURE</h1><p style=text-align:right>N° {number}<br>Date : {date}</p>
         <div style='background:#eceff6;padding:8px;margin-left:50%'><strong>{client}</strong></div>
         <table><thead><tr><th>Désignation</th><th>Qté</th><th>Unité</th><th>PU HT</th><th>TVA</th><th>Total HT</th></tr></thead>
         <tbody>{rows}</tbody></table>
         <table style='width:40%;margin-left:60%'><tr><td>Total HT</td><td class=n>{ht}</td></tr>{vat}
         <tr><th>Total TTC</th><th class=n>{ttc}</th></tr></table>
         <p>{mentions}</p></body></html>",
        seller = esc(&doc.seller.legal_name),
        address = esc(&doc.seller_address().join(", ")),
        siren = doc.seller.siren,
        number = doc.number.clone().unwrap_or_default(),
        date = fr_date(doc.date),
        client = esc(&doc.client.name),
        ht = doc.totals.total_excl_tax.format(),
        ttc = doc.totals.total_incl_tax.format(),
        mentions = esc(&doc.mentions().join(" ")),
    )
}

fn main() {
    let runs = runs();
    let (Ok(one), Ok(long)) = (sample::invoice(3), sample::invoice(150)) else {
        eprintln!("the sample invoices could not be built");
        return;
    };
    println!("{runs} runs each, after one warm-up render");
    let _ = pdf::render(&one, None);
    let pdf_one = measure("PDF, one page (3 lines)", runs, || {
        pdf::render(&one, None).map(|b| b.len()).unwrap_or(0)
    });
    measure("PDF, 150 lines", runs, || {
        pdf::render(&long, None).map(|b| b.len()).unwrap_or(0)
    });
    measure("Factur-X, one page", runs, || {
        facturx::render(&one).map(|(b, _)| b.len()).unwrap_or(0)
    });
    measure("Factur-X, 150 lines", runs, || {
        facturx::render(&long).map(|(b, _)| b.len()).unwrap_or(0)
    });

    let dir = std::env::temp_dir().join(format!("comptoir-bench-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let source = dir.join("invoice.html");
    let target = dir.join("invoice.pdf");
    if std::fs::write(&source, html(&one)).is_err() {
        return;
    }
    let wkhtml = |source: &std::path::Path, target: &std::path::Path| {
        Command::new("wkhtmltopdf")
            .args(["--quiet", "--encoding", "utf-8", "--page-size", "A4"])
            .arg(source)
            .arg(target)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !wkhtml(&source, &target) {
        println!("wkhtmltopdf not found: apt-get install wkhtmltopdf (bench/documents.sh does)");
        return;
    }
    let wk_runs = std::env::var("WK_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(runs);
    let wk_one = measure("wkhtmltopdf, one page (same HTML)", wk_runs, || {
        wkhtml(&source, &target);
        std::fs::metadata(&target)
            .map(|m| m.len() as usize)
            .unwrap_or(0)
    });
    println!(
        "one page: Comptoir is {:.0}x faster than wkhtmltopdf",
        wk_one.as_secs_f64() / pdf_one.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
