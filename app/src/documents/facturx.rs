//! Factur-X (profile EN 16931): the UN/CEFACT CII XML of an issued invoice or credit note, and
//! the `fx:` XMP entries added to krilla's PDF/A-3b metadata with lopdf (krilla cannot write
//! custom XMP schemas).

use super::pdf::RenderError;
use super::print::PrintDocument;
use crate::invoicing::money::{Cents, Quantity, VatRate};
use crate::invoicing::workflow::DocumentKind;
use html_escape::encode_text;
use std::fmt::Write;

/// `1234.56`, the decimal form CII amounts use.
pub fn amount(c: Cents) -> String {
    let sign = if c.0 < 0 { "-" } else { "" };
    let abs = c.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn quantity(q: Quantity) -> String {
    format!("{}.{:03}", q.0 / 1000, q.0 % 1000)
}

fn percent(rate: VatRate) -> String {
    let bp = rate.basis_points();
    format!("{}.{:02}", bp / 100, bp % 100)
}

/// The UN/ECE Recommendation 20 code of the units people type (`C62`, "one", otherwise).
pub fn unit_code(unit: &str) -> &'static str {
    match unit.trim().to_lowercase().trim_end_matches('.') {
        "h" | "heure" | "heures" => "HUR",
        "j" | "jour" | "jours" => "DAY",
        "mois" => "MON",
        "an" | "année" | "années" => "ANN",
        "min" | "minute" | "minutes" => "MIN",
        "semaine" | "semaines" => "WEE",
        "kg" => "KGM",
        "g" => "GRM",
        "t" => "TNE",
        "l" | "litre" | "litres" => "LTR",
        "m" | "mètre" | "mètres" => "MTR",
        "km" => "KMT",
        "m2" | "m²" => "MTK",
        "m3" | "m³" => "MTQ",
        _ => "C62",
    }
}

/// `S` (standard) for a charged rate, `E` (exempt) for 0 %, with the reason it needs: the
/// small-business franchise (art. 293 B) when the seller has no VAT number.
fn category(rate: VatRate, doc: &PrintDocument) -> (&'static str, Option<&'static str>) {
    if rate.basis_points() != 0 {
        ("S", None)
    } else if doc.seller.vat_number.is_empty() {
        ("E", Some("TVA non applicable, art. 293 B du CGI"))
    } else {
        ("E", Some("Exonération de TVA"))
    }
}

/// XML 1.0 cannot carry most control characters; they become spaces.
fn xml_text(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    encode_text(&clean).into_owned()
}

fn date102(date: chrono::NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

struct Xml(String);

impl Xml {
    fn open(&mut self, tag: &str) {
        let _ = write!(self.0, "<{tag}>");
    }
    fn close(&mut self, tag: &str) {
        let _ = write!(self.0, "</{tag}>");
    }
    fn leaf(&mut self, tag: &str, text: &str) {
        let _ = write!(self.0, "<{tag}>{}</{tag}>", xml_text(text));
    }
    fn leaf_attr(&mut self, tag: &str, attr: &str, value: &str, text: &str) {
        let _ = write!(
            self.0,
            "<{tag} {attr}=\"{value}\">{}</{tag}>",
            xml_text(text)
        );
    }
    fn date(&mut self, tag: &str, date: chrono::NaiveDate) {
        self.open(tag);
        self.leaf_attr("udt:DateTimeString", "format", "102", &date102(date));
        self.close(tag);
    }
}

fn address(x: &mut Xml, postal: &str, line1: &str, line2: &str, city: &str, country: &str) {
    x.open("ram:PostalTradeAddress");
    if !postal.is_empty() {
        x.leaf("ram:PostcodeCode", postal);
    }
    if !line1.is_empty() {
        x.leaf("ram:LineOne", line1);
    }
    if !line2.is_empty() {
        x.leaf("ram:LineTwo", line2);
    }
    if !city.is_empty() {
        x.leaf("ram:CityName", city);
    }
    let country = if country.trim().is_empty() {
        "FR"
    } else {
        country.trim()
    };
    x.leaf("ram:CountryID", country);
    x.close("ram:PostalTradeAddress");
}

/// The CII XML of an issued invoice or credit note, as issued (the amount due is the total).
pub fn cii_xml(doc: &PrintDocument) -> String {
    let mut x = Xml(String::with_capacity(4096 + doc.lines.len() * 900));
    x.0.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    x.0.push('\n');
    x.0.push_str(concat!(
        r#"<rsm:CrossIndustryInvoice"#,
        r#" xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100""#,
        r#" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100""#,
        r#" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100""#,
        r#" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">"#
    ));
    x.open("rsm:ExchangedDocumentContext");
    x.open("ram:GuidelineSpecifiedDocumentContextParameter");
    x.leaf("ram:ID", "urn:cen.eu:en16931:2017");
    x.close("ram:GuidelineSpecifiedDocumentContextParameter");
    x.close("rsm:ExchangedDocumentContext");

    x.open("rsm:ExchangedDocument");
    x.leaf("ram:ID", doc.number.as_deref().unwrap_or_default());
    let type_code = if doc.kind == DocumentKind::CreditNote {
        "381"
    } else {
        "380"
    };
    x.leaf("ram:TypeCode", type_code);
    x.date("ram:IssueDateTime", doc.date);
    if !doc.notes.trim().is_empty() {
        x.open("ram:IncludedNote");
        x.leaf("ram:Content", doc.notes.trim());
        x.close("ram:IncludedNote");
    }
    x.close("rsm:ExchangedDocument");

    x.open("rsm:SupplyChainTradeTransaction");
    for (i, line) in doc.lines.iter().enumerate() {
        x.open("ram:IncludedSupplyChainTradeLineItem");
        x.open("ram:AssociatedDocumentLineDocument");
        x.leaf("ram:LineID", &(i + 1).to_string());
        x.close("ram:AssociatedDocumentLineDocument");
        x.open("ram:SpecifiedTradeProduct");
        x.leaf("ram:Name", &line.description);
        x.close("ram:SpecifiedTradeProduct");
        x.open("ram:SpecifiedLineTradeAgreement");
        x.open("ram:NetPriceProductTradePrice");
        x.leaf("ram:ChargeAmount", &amount(line.unit_price));
        x.close("ram:NetPriceProductTradePrice");
        x.close("ram:SpecifiedLineTradeAgreement");
        x.open("ram:SpecifiedLineTradeDelivery");
        x.leaf_attr(
            "ram:BilledQuantity",
            "unitCode",
            unit_code(&line.unit),
            &quantity(line.quantity),
        );
        x.close("ram:SpecifiedLineTradeDelivery");
        x.open("ram:SpecifiedLineTradeSettlement");
        x.open("ram:ApplicableTradeTax");
        x.leaf("ram:TypeCode", "VAT");
        x.leaf("ram:CategoryCode", category(line.vat_rate, doc).0);
        x.leaf("ram:RateApplicablePercent", &percent(line.vat_rate));
        x.close("ram:ApplicableTradeTax");
        if line.discount.0 > 0 {
            // The line discount as a line allowance: gross (quantity × price) less the net.
            let gross = (line.quantity.0 as i128 * line.unit_price.0 as i128 + 500) / 1000;
            let allowance = Cents(gross as i64 - line.total_excl_tax.0);
            x.open("ram:SpecifiedTradeAllowanceCharge");
            x.open("ram:ChargeIndicator");
            x.leaf("udt:Indicator", "false");
            x.close("ram:ChargeIndicator");
            x.leaf("ram:ActualAmount", &amount(allowance));
            x.leaf("ram:Reason", "Remise");
            x.close("ram:SpecifiedTradeAllowanceCharge");
        }
        x.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.leaf("ram:LineTotalAmount", &amount(line.total_excl_tax));
        x.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
        x.close("ram:SpecifiedLineTradeSettlement");
        x.close("ram:IncludedSupplyChainTradeLineItem");
    }

    let s = &doc.seller;
    let c = &doc.client;
    x.open("ram:ApplicableHeaderTradeAgreement");
    x.open("ram:SellerTradeParty");
    x.leaf("ram:Name", &s.legal_name);
    if !s.siren.is_empty() {
        x.open("ram:SpecifiedLegalOrganization");
        x.leaf_attr("ram:ID", "schemeID", "0002", &s.siren);
        x.close("ram:SpecifiedLegalOrganization");
    }
    address(
        &mut x,
        &s.postal_code,
        &s.address_line1,
        &s.address_line2,
        &s.city,
        &s.country,
    );
    if !s.vat_number.is_empty() {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_attr("ram:ID", "schemeID", "VA", &s.vat_number);
        x.close("ram:SpecifiedTaxRegistration");
    }
    x.close("ram:SellerTradeParty");
    x.open("ram:BuyerTradeParty");
    x.leaf("ram:Name", &c.name);
    if !c.siren.is_empty() {
        x.open("ram:SpecifiedLegalOrganization");
        x.leaf_attr("ram:ID", "schemeID", "0002", &c.siren);
        x.close("ram:SpecifiedLegalOrganization");
    }
    address(
        &mut x,
        &c.postal_code,
        &c.address_line1,
        &c.address_line2,
        &c.city,
        &c.country,
    );
    if !c.vat_number.is_empty() {
        x.open("ram:SpecifiedTaxRegistration");
        x.leaf_attr("ram:ID", "schemeID", "VA", &c.vat_number);
        x.close("ram:SpecifiedTaxRegistration");
    }
    x.close("ram:BuyerTradeParty");
    x.close("ram:ApplicableHeaderTradeAgreement");

    // The delivery (or service) date: the document's date.
    x.open("ram:ApplicableHeaderTradeDelivery");
    x.open("ram:ActualDeliverySupplyChainEvent");
    x.date("ram:OccurrenceDateTime", doc.date);
    x.close("ram:ActualDeliverySupplyChainEvent");
    x.close("ram:ApplicableHeaderTradeDelivery");

    let t = &doc.totals;
    x.open("ram:ApplicableHeaderTradeSettlement");
    x.leaf("ram:InvoiceCurrencyCode", "EUR");
    if !s.iban.is_empty() && doc.kind == DocumentKind::Invoice {
        x.open("ram:SpecifiedTradeSettlementPaymentMeans");
        x.leaf("ram:TypeCode", "58");
        x.open("ram:PayeePartyCreditorFinancialAccount");
        x.leaf("ram:IBANID", &s.iban);
        x.close("ram:PayeePartyCreditorFinancialAccount");
        if !s.bic.is_empty() {
            x.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
            x.leaf("ram:BICID", &s.bic);
            x.close("ram:PayeeSpecifiedCreditorFinancialInstitution");
        }
        x.close("ram:SpecifiedTradeSettlementPaymentMeans");
    }
    for v in &t.vat {
        let (code, reason) = category(v.rate, doc);
        x.open("ram:ApplicableTradeTax");
        x.leaf("ram:CalculatedAmount", &amount(v.vat));
        x.leaf("ram:TypeCode", "VAT");
        if let Some(reason) = reason {
            x.leaf("ram:ExemptionReason", reason);
        }
        x.leaf("ram:BasisAmount", &amount(v.base));
        x.leaf("ram:CategoryCode", code);
        x.leaf("ram:RateApplicablePercent", &percent(v.rate));
        x.close("ram:ApplicableTradeTax");
    }
    // The global discount, one document-level allowance per VAT rate it reduced.
    for v in t.vat.iter().filter(|v| v.lines_total != v.base) {
        x.open("ram:SpecifiedTradeAllowanceCharge");
        x.open("ram:ChargeIndicator");
        x.leaf("udt:Indicator", "false");
        x.close("ram:ChargeIndicator");
        x.leaf(
            "ram:ActualAmount",
            &amount(Cents(v.lines_total.0 - v.base.0)),
        );
        x.leaf("ram:Reason", "Remise globale");
        x.open("ram:CategoryTradeTax");
        x.leaf("ram:TypeCode", "VAT");
        x.leaf("ram:CategoryCode", category(v.rate, doc).0);
        x.leaf("ram:RateApplicablePercent", &percent(v.rate));
        x.close("ram:CategoryTradeTax");
        x.close("ram:SpecifiedTradeAllowanceCharge");
    }
    // An amount due needs terms or a due date (BR-CO-25), for credit notes too.
    x.open("ram:SpecifiedTradePaymentTerms");
    match (&doc.corrected_invoice, doc.kind) {
        (Some((number, _)), DocumentKind::CreditNote) => x.leaf(
            "ram:Description",
            &format!("Avoir à déduire du règlement de la facture {number} ou à rembourser"),
        ),
        _ => x.leaf(
            "ram:Description",
            &format!("Paiement à {} jours", s.payment_terms_days),
        ),
    }
    if let Some(due) = doc.due_date.filter(|_| doc.kind == DocumentKind::Invoice) {
        x.date("ram:DueDateDateTime", due);
    }
    x.close("ram:SpecifiedTradePaymentTerms");
    x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    x.leaf("ram:LineTotalAmount", &amount(t.lines_total));
    if t.global_discount.0 > 0 {
        x.leaf("ram:AllowanceTotalAmount", &amount(t.global_discount));
    }
    x.leaf("ram:TaxBasisTotalAmount", &amount(t.total_excl_tax));
    x.leaf_attr(
        "ram:TaxTotalAmount",
        "currencyID",
        "EUR",
        &amount(t.total_vat),
    );
    x.leaf("ram:GrandTotalAmount", &amount(t.total_incl_tax));
    x.leaf("ram:DuePayableAmount", &amount(t.total_incl_tax));
    x.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
    if let Some((number, date)) = &doc.corrected_invoice {
        x.open("ram:InvoiceReferencedDocument");
        x.leaf("ram:IssuerAssignedID", number);
        if let Some(date) = date {
            x.open("ram:FormattedIssueDateTime");
            x.leaf_attr("qdt:DateTimeString", "format", "102", &date102(*date));
            x.close("ram:FormattedIssueDateTime");
        }
        x.close("ram:InvoiceReferencedDocument");
    }
    x.close("ram:ApplicableHeaderTradeSettlement");
    x.close("rsm:SupplyChainTradeTransaction");
    x.close("rsm:CrossIndustryInvoice");
    x.0.push('\n');
    x.0
}

const FX_NS: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The PDF/A extension schema that declares the `fx:` properties, then their values.
fn fx_schema() -> String {
    let property = |name: &str, description: &str| {
        format!(
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{name}</pdfaProperty:name>\
             <pdfaProperty:valueType>Text</pdfaProperty:valueType>\
             <pdfaProperty:category>external</pdfaProperty:category>\
             <pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        )
    };
    format!(
        "<rdf:li rdf:parseType=\"Resource\">\
         <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\
         <pdfaSchema:namespaceURI>{FX_NS}</pdfaSchema:namespaceURI>\
         <pdfaSchema:prefix>fx</pdfaSchema:prefix>\
         <pdfaSchema:property><rdf:Seq>{}{}{}{}</rdf:Seq></pdfaSchema:property></rdf:li>",
        property("DocumentFileName", "The name of the embedded XML document"),
        property(
            "DocumentType",
            "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"
        ),
        property(
            "Version",
            "The actual version of the standard applying to the embedded XML document"
        ),
        property(
            "ConformanceLevel",
            "The conformance level of the embedded XML document"
        ),
    )
}

const FX_VALUES: &str = "<rdf:Description rdf:about=\"\" \
    xmlns:fx=\"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#\">\
    <fx:DocumentType>INVOICE</fx:DocumentType>\
    <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>\
    <fx:Version>1.0</fx:Version>\
    <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>";

/// Adds the Factur-X entries to an XMP packet written by krilla.
pub fn splice_xmp(xmp: &str) -> Result<String, RenderError> {
    let schemas_end = "</rdf:Bag></pdfaExtension:schemas>";
    let mut out = xmp.to_owned();
    if let Some(at) = out.find(schemas_end) {
        out.insert_str(at, &fx_schema());
    } else {
        // No extension schema yet: declare the bag on its own description.
        let rdf_end = out
            .find("</rdf:RDF>")
            .ok_or_else(|| RenderError::Xmp("no rdf:RDF in the XMP packet".into()))?;
        let declaration = format!(
            "<rdf:Description rdf:about=\"\" \
             xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
             xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
             xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\
             <pdfaExtension:schemas><rdf:Bag>{}</rdf:Bag></pdfaExtension:schemas></rdf:Description>",
            fx_schema()
        );
        out.insert_str(rdf_end, &declaration);
    }
    let rdf_end = out
        .find("</rdf:RDF>")
        .ok_or_else(|| RenderError::Xmp("no rdf:RDF in the XMP packet".into()))?;
    out.insert_str(rdf_end, FX_VALUES);
    Ok(out)
}

/// The Factur-X file: the PDF/A-3b with `factur-x.xml` attached and the `fx:` XMP entries.
pub fn render(doc: &PrintDocument) -> Result<(Vec<u8>, String), RenderError> {
    use lopdf::{Object, Stream};
    let xml = cii_xml(doc);
    let pdf = super::pdf::render(doc, Some(&xml))?;
    let xmp_error = |e: lopdf::Error| RenderError::Xmp(e.to_string());
    let mut file = lopdf::Document::load_mem(&pdf).map_err(xmp_error)?;
    let metadata_id = file
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference)
        .map_err(xmp_error)?;
    let stream = file
        .get_object(metadata_id)
        .and_then(Object::as_stream)
        .map_err(xmp_error)?;
    let packet = stream
        .get_plain_content()
        .map_err(xmp_error)
        .and_then(|b| String::from_utf8(b).map_err(|e| RenderError::Xmp(e.to_string())))?;
    let spliced = splice_xmp(&packet)?;
    let dict = lopdf::dictionary! { "Type" => "Metadata", "Subtype" => "XML" };
    file.objects.insert(
        metadata_id,
        Object::Stream(Stream::new(dict, spliced.into_bytes()).with_compression(false)),
    );
    let mut out = Vec::with_capacity(pdf.len() + 4096);
    file.save_to(&mut out)
        .map_err(|e| RenderError::Xmp(e.to_string()))?;
    Ok((out, xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_codes() {
        assert_eq!(amount(Cents(123_456)), "1234.56");
        assert_eq!(amount(Cents(-5)), "-0.05");
        assert_eq!(quantity(Quantity(1500)), "1.500");
        assert_eq!(unit_code("h"), "HUR");
        assert_eq!(unit_code("Jours"), "DAY");
        assert_eq!(unit_code("forfait"), "C62");
    }

    #[test]
    fn the_xml_carries_the_invoice_totals() {
        let doc = crate::documents::sample::invoice(5).expect("sample invoice");
        let xml = cii_xml(&doc);
        let grand = format!(
            "<ram:GrandTotalAmount>{}</ram:GrandTotalAmount>",
            amount(doc.totals.total_incl_tax)
        );
        assert!(xml.contains(&grand));
        assert_eq!(
            xml.matches("<ram:IncludedSupplyChainTradeLineItem>")
                .count(),
            5
        );
        assert!(xml.contains("<ram:ID>F-2026-000042</ram:ID>"));
        assert!(xml.contains("Bash Études &amp; Conseil"));
    }

    #[test]
    fn the_xmp_gets_the_factur_x_schema_and_values() {
        let krilla_like = "<x:xmpmeta><rdf:RDF><rdf:Description rdf:about=\"\">\
            <pdfaExtension:schemas><rdf:Bag><rdf:li>x</rdf:li></rdf:Bag></pdfaExtension:schemas>\
            </rdf:Description></rdf:RDF></x:xmpmeta>";
        let out = splice_xmp(krilla_like).unwrap_or_default();
        assert_eq!(out.matches("<pdfaExtension:schemas>").count(), 1);
        assert!(out.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
        assert!(out.find("Factur-X PDFA Extension Schema") < out.find("</rdf:Bag>"));
    }
}
