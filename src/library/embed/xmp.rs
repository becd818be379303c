//! XMP, as JPEG and WebP carry it: a packet holding the text twice, as Easel's own property
//! (kept exactly) and as the description other programs show.

/// The namespace of Easel's own XMP property, `easel:parameters`.
const EASEL_NS: &str = "https://easel.app/ns/1.0/";

/// An XMP packet holding `text` as `easel:parameters` and as `dc:description`.
pub(super) fn packet(text: &str) -> String {
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:easel=\"{ns}\">\n",
            "   <easel:parameters>{t}</easel:parameters>\n",
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{t}</rdf:li></rdf:Alt></dc:description>\n",
            "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        ns = EASEL_NS,
        t = xml_escape(text)
    )
}

/// `text` as XML character data.
pub(super) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            // why: XML readers turn a raw CR into LF, so it is kept as a character reference
            c if c.is_control() => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// XML character data as text: entity and character references resolved.
fn xml_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = rest.find(';').filter(|&e| e <= 10).map(|e| (&rest[1..e], e));
        let c = entity.and_then(|(name, _)| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => match name.strip_prefix("#x") {
                Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                None => name.strip_prefix('#')?.parse().ok().and_then(char::from_u32),
            },
        });
        match (c, entity) {
            (Some(c), Some((_, e))) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The content of the first `<name …>…</name>` element in `xml`.
fn xml_element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open).map(|i| i + from + open.len()) {
        from = i;
        let tag_end = i + xml[i..].find('>')?;
        if xml[i..tag_end].starts_with(|c: char| c.is_whitespace()) || i == tag_end {
            if xml[..tag_end].ends_with('/') {
                return None;
            }
            let end = xml[tag_end..].find(&format!("</{name}>"))? + tag_end;
            return Some(&xml[tag_end + 1..end]);
        }
    }
    None
}

/// The parameters text of an XMP packet: `easel:parameters` (element or attribute), else the
/// default `dc:description`.
pub(super) fn read(packet: &[u8]) -> Option<String> {
    let xml = String::from_utf8_lossy(packet);
    if let Some(v) = xml_element(&xml, "easel:parameters") {
        return Some(xml_unescape(v));
    }
    if let Some((_, after)) = xml.split_once("easel:parameters=\"") {
        return Some(xml_unescape(after.split('"').next()?));
    }
    let items = xml_element(&xml, "dc:description")?.split("<rdf:li").skip(1);
    let is_default = |item: &&str| item.split('>').next().is_some_and(|tag| tag.contains("x-default"));
    let item = items.clone().find(is_default).or_else(|| items.clone().next())?;
    let content = item.split_once('>')?.1;
    Some(xml_unescape(content.split("</rdf:li>").next()?))
}
