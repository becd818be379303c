//! XMP, as JPEG and WebP carry it: a packet holding the text twice, as Easel's own property
//! (kept exactly) and as the description other programs show.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};

/// The namespace of Easel's own XMP property, `easel:parameters`.
const EASEL_NS: &str = "https://easel.app/ns/1.0/";
/// Dublin Core's namespace, where `dc:description` is.
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// An XMP packet holding `text` as `easel:parameters` and as `dc:description`.
pub(super) fn packet(text: &str) -> String {
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            " <rdf:RDF xmlns:rdf=\"{rdf}\">\n",
            "  <rdf:Description rdf:about=\"\" xmlns:dc=\"{dc}\" xmlns:easel=\"{ns}\">\n",
            "   <easel:parameters>{t}</easel:parameters>\n",
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{t}</rdf:li></rdf:Alt></dc:description>\n",
            "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        ns = EASEL_NS,
        dc = DC_NS,
        rdf = RDF_NS,
        t = xml_escape(text)
    )
}

/// `text` as XML character data. Beyond what [`quick_xml::escape::escape`] does, control
/// characters other than tab and line feed become character references: a raw CR would come
/// back as LF, since XML readers normalise line ends.
pub(super) fn xml_escape(text: &str) -> String {
    let needs_reference = |c: char| c.is_control() && c != '\n' && c != '\t';
    let escaped = quick_xml::escape::escape(text);
    if !escaped.contains(needs_reference) {
        return escaped.into_owned();
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for c in escaped.chars() {
        if needs_reference(c) {
            out.push_str(&format!("&#{};", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The parameters text of an XMP packet: `easel:parameters` (element or attribute), else the
/// default `dc:description` (its `x-default` item, else its first). Damaged XML gives what was
/// found before the damage.
pub(super) fn read(packet: &[u8]) -> Option<String> {
    let xml = String::from_utf8_lossy(packet);
    let mut reader = NsReader::from_str(&xml);
    let config = reader.config_mut();
    // why: other tools' packets are not always well-formed, and a stray `&` or a mismatched end
    // tag should not hide the text
    config.allow_dangling_amp = true;
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut found = Found::default();
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        if let Some(text) = found.take(&reader, event) {
            return Some(text);
        }
    }
    found.attribute.or_else(|| {
        let default = found.items.iter().position(|(is_default, _)| *is_default).unwrap_or(0);
        found.items.into_iter().nth(default).map(|(_, text)| text)
    })
}

/// What the reader has found so far in a packet.
#[derive(Default)]
struct Found {
    /// The first `easel:parameters` attribute.
    attribute: Option<String>,
    /// Inside `dc:description`.
    in_description: bool,
    /// The `dc:description` items: whether each is the `x-default` one, and its text.
    items: Vec<(bool, String)>,
    /// The element whose text is being gathered, that text, and how deep inside it the reader is.
    gathering: Option<(Gathering, String, usize)>,
}

/// Which element's text is being gathered.
#[derive(Clone, Copy, PartialEq)]
enum Gathering {
    Parameters,
    Item { is_default: bool },
}

impl Found {
    /// Takes in one event; the text of an `easel:parameters` element once it is complete.
    fn take(&mut self, reader: &NsReader<&[u8]>, event: Event<'_>) -> Option<String> {
        match event {
            Event::Start(e) => self.start(reader, &e),
            Event::Empty(e) => self.note_attribute(reader, &e),
            Event::Text(t) => self.push(&t.xml10_content().unwrap_or_default()),
            Event::CData(t) => self.push(&t.xml10_content().unwrap_or_default()),
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap_or_default();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => self.push(c.encode_utf8(&mut [0; 4])),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(text) => self.push(text),
                        // why: an unknown entity is kept as written rather than dropped
                        None => self.push(&format!("&{name};")),
                    },
                }
            }
            Event::End(e) => return self.end(reader, e.name()),
            _ => {}
        }
        None
    }

    fn start(&mut self, reader: &NsReader<&[u8]>, e: &BytesStart<'_>) {
        if let Some((_, _, depth)) = &mut self.gathering {
            *depth += 1;
            return;
        }
        self.note_attribute(reader, e);
        let is = |ns: &str, prefix: &str, local: &str| names(reader, e.name(), false, (ns, prefix, local));
        if is(EASEL_NS, "easel", "parameters") {
            self.gathering = Some((Gathering::Parameters, String::new(), 0));
        } else if is(DC_NS, "dc", "description") {
            self.in_description = true;
        } else if self.in_description && is(RDF_NS, "rdf", "li") {
            let is_default = e
                .attributes()
                .flatten()
                .any(|a| a.key.as_ref() == b"xml:lang" && a.value.as_ref().eq_ignore_ascii_case(b"x-default"));
            self.gathering = Some((Gathering::Item { is_default }, String::new(), 0));
        }
    }

    fn end(&mut self, reader: &NsReader<&[u8]>, name: QName<'_>) -> Option<String> {
        match self.gathering.take() {
            Some((what, text, depth)) if depth > 0 => self.gathering = Some((what, text, depth - 1)),
            Some((Gathering::Parameters, text, _)) => return Some(text),
            Some((Gathering::Item { is_default }, text, _)) => self.items.push((is_default, text)),
            None if names(reader, name, false, (DC_NS, "dc", "description")) => self.in_description = false,
            None => {}
        }
        None
    }

    fn push(&mut self, text: &str) {
        if let Some((_, gathered, _)) = &mut self.gathering {
            gathered.push_str(text);
        }
    }

    fn note_attribute(&mut self, reader: &NsReader<&[u8]>, e: &BytesStart<'_>) {
        if self.attribute.is_some() {
            return;
        }
        let attribute =
            e.attributes().flatten().find(|a| names(reader, a.key, true, (EASEL_NS, "easel", "parameters")));
        self.attribute = attribute.map(|a| {
            let raw = String::from_utf8_lossy(&a.value);
            // why: not the attribute value normalisation of the XML spec, which turns line breaks
            // into spaces; a prompt's lines are kept as written
            quick_xml::escape::unescape(&raw).map_or_else(|_| raw.to_string(), std::borrow::Cow::into_owned)
        });
    }
}

/// Whether `name` is `local` in the namespace `ns`. A name whose prefix is not declared counts
/// when the prefix is the usual one, since some writers leave the declaration out.
fn names(reader: &NsReader<&[u8]>, name: QName<'_>, attribute: bool, (ns, prefix, local): (&str, &str, &str)) -> bool {
    let (resolved, local_name) = reader.resolver().resolve(name, !attribute);
    local_name.as_ref() == local.as_bytes()
        && match resolved {
            ResolveResult::Bound(bound) => bound.as_ref() == ns.as_bytes(),
            _ => name.prefix().is_some_and(|p| p.as_ref() == prefix.as_bytes()),
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rdf(body: &str) -> String {
        format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"{RDF_NS}\">{body}</rdf:RDF></x:xmpmeta>")
    }

    #[test]
    fn own_packet_reads_back_exactly() {
        for text in ["a & b <c> \"d\" 'e'\nModel: m", "cr\r\nlf\n\ttab\u{1}", "  spaces  ", "一只猫 &amp; 狗", ""] {
            assert_eq!(read(packet(text).as_bytes()).as_deref(), Some(text), "{text:?}");
        }
    }

    #[test]
    fn reads_other_writers_forms() {
        let attribute =
            rdf(&format!("<rdf:Description xmlns:easel=\"{EASEL_NS}\" easel:parameters=\"a &amp; b&#10;line\ntwo\"/>"));
        assert_eq!(read(attribute.as_bytes()).as_deref(), Some("a & b\nline\ntwo"));
        let other_prefix = rdf(&format!(
            "<rdf:Description><e:parameters xmlns:e=\"{EASEL_NS}\"><![CDATA[x < y]]> &amp; &unknown; z</e:parameters></rdf:Description>"
        ));
        assert_eq!(read(other_prefix.as_bytes()).as_deref(), Some("x < y & &unknown; z"));
        let both = rdf(&format!(
            "<rdf:Description xmlns:easel=\"{EASEL_NS}\" easel:parameters=\"attribute\"/><easel:parameters xmlns:easel=\"{EASEL_NS}\">element</easel:parameters>"
        ));
        assert_eq!(read(both.as_bytes()).as_deref(), Some("element"), "the element wins, wherever it is");
        let undeclared = "<rdf:Description><easel:parameters>no namespace</easel:parameters></rdf:Description>";
        assert_eq!(read(undeclared.as_bytes()).as_deref(), Some("no namespace"));
    }

    #[test]
    fn description_prefers_the_default_language() {
        let description = |items: &str| {
            rdf(&format!(
                "<rdf:Description xmlns:d=\"{DC_NS}\"><d:title><rdf:Alt><rdf:li>title</rdf:li></rdf:Alt></d:title><d:description><rdf:Alt>{items}</rdf:Alt></d:description></rdf:Description>"
            ))
        };
        let items = "<rdf:li xml:lang=\"de\">Katze</rdf:li><rdf:li xml:lang=\"x-default\">cat</rdf:li>";
        assert_eq!(read(description(items).as_bytes()).as_deref(), Some("cat"));
        let items = "<rdf:li xml:lang=\"de\">Katze</rdf:li><rdf:li xml:lang=\"fr\">chat</rdf:li>";
        assert_eq!(read(description(items).as_bytes()).as_deref(), Some("Katze"));
        assert_eq!(read(description("").as_bytes()), None);
    }

    #[test]
    fn damaged_packets_give_what_came_before() {
        let cut = rdf(&format!("<rdf:Description xmlns:easel=\"{EASEL_NS}\" easel:parameters=\"kept\"><oops"));
        assert_eq!(read(cut.as_bytes()).as_deref(), Some("kept"));
        for garbage in ["", "not xml", "<a><b></a>", "<easel:parameters>unclosed", "\u{feff}<<<>>>&&&"] {
            let _ = read(garbage.as_bytes());
        }
        assert_eq!(read(b"\xff\xfe<a/>"), None);
    }
}
