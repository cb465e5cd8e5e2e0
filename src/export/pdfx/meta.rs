//! PDF/X identification: the output intent with the embedded CMYK
//! profile, the version and conformance keys in the Info dictionary and in
//! XMP, `/Trapped`, and the header's version.

use lopdf::{Dictionary, Document, Object, StringFormat};

use super::Standard;
use crate::Error;
use crate::assets::colour::OutputProfile;

fn text(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

fn failed(what: &'static str, err: impl std::fmt::Display) -> Error {
    Error::Finish {
        what,
        message: err.to_string(),
    }
}

/// Sets everything that names the file PDF/X: see the module.
pub fn identify(
    doc: &mut Document,
    standard: Standard,
    profile: &OutputProfile,
) -> Result<(), Error> {
    doc.version = standard.pdf_version().into();
    output_intent(doc, profile)?;
    info(doc, standard)?;
    xmp(doc, standard)
}

/// The `/GTS_PDFX` output intent with the profile embedded.
fn output_intent(doc: &mut Document, profile: &OutputProfile) -> Result<(), Error> {
    let mut dict = Dictionary::new();
    dict.set("N", Object::Integer(4));
    let icc = doc.add_object(super::deflated(dict, profile.bytes.to_vec()));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    intent.set("OutputConditionIdentifier", text(&profile.condition));
    intent.set("OutputCondition", text(&profile.description));
    intent.set("Info", text(&profile.description));
    intent.set("RegistryName", text("http://www.color.org"));
    intent.set("DestOutputProfile", Object::Reference(icc));
    let catalog = doc
        .catalog_mut()
        .map_err(|e| failed("find the catalog", e))?;
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );
    // The header states the version PDF/X asks for.
    catalog.remove(b"Version");
    Ok(())
}

/// The Info dictionary's PDF/X keys, `/Trapped`, and a ModDate.
fn info(doc: &mut Document, standard: Standard) -> Result<(), Error> {
    let id = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => *id,
        _ => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc
        .get_dictionary_mut(id)
        .map_err(|e| failed("edit the Info dictionary", e))?;
    info.set("GTS_PDFXVersion", text(standard.version()));
    if let Some(conformance) = standard.conformance() {
        info.set("GTS_PDFXConformance", text(conformance));
    }
    // Nothing is trapped: newsprint plants trap in their RIP, if at all.
    info.set("Trapped", Object::Name(b"False".to_vec()));
    if !info.has(b"ModDate")
        && let Ok(created) = info.get(b"CreationDate").cloned()
    {
        info.set("ModDate", created);
    }
    Ok(())
}

/// The same identification in the XMP metadata, as its own description.
fn xmp(doc: &mut Document, standard: Standard) -> Result<(), Error> {
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(Object::as_reference)
        .map_err(|e| failed("find the XMP metadata", e))?;
    let stream = doc
        .get_object_mut(id)
        .and_then(Object::as_stream_mut)
        .map_err(|e| failed("read the XMP metadata", e))?;
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let xml = String::from_utf8(bytes).map_err(|e| failed("read the XMP metadata", e))?;
    let mut props = String::from(
        "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
         xmlns:pdfx=\"http://ns.adobe.com/pdfx/1.3/\" xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">",
    );
    props.push_str("<pdf:Trapped>False</pdf:Trapped>");
    match standard.conformance() {
        Some(conformance) => props.push_str(&format!(
            "<pdfx:GTS_PDFXVersion>{}</pdfx:GTS_PDFXVersion>\
             <pdfx:GTS_PDFXConformance>{conformance}</pdfx:GTS_PDFXConformance>",
            standard.version()
        )),
        None => props.push_str(&format!(
            "<pdfxid:GTS_PDFXVersion>{}</pdfxid:GTS_PDFXVersion>",
            standard.version()
        )),
    }
    props.push_str("</rdf:Description>");
    let Some(at) = xml.rfind("</rdf:RDF>") else {
        return Err(failed("edit the XMP metadata", "it has no rdf:RDF"));
    };
    let edited = format!("{}{props}{}", &xml[..at], &xml[at..]);
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_content(edited.into_bytes());
    Ok(())
}
