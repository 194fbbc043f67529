//! Alert messages are plain text: line breaks are kept and web addresses become links. Nothing
//! else is interpreted, so a message can never inject markup.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Link(String),
}

/// Splits a message into lines of text and `http(s)://` links. Trailing punctuation that usually
/// ends a sentence is left out of the link.
pub fn message_lines(message: &str) -> Vec<Vec<Segment>> {
    message.lines().map(line_segments).collect()
}

fn line_segments(line: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(start) = find_link_start(rest) {
        text.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(candidate.len());
        let url = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»', '\'']);
        let has_host = url
            .split_once("://")
            .is_some_and(|(_, host)| host.chars().next().is_some_and(|c| c.is_alphanumeric()));
        if has_host {
            if !text.is_empty() {
                segments.push(Segment::Text(std::mem::take(&mut text)));
            }
            segments.push(Segment::Link(url.to_owned()));
            rest = &candidate[url.len()..];
        } else {
            let skip = candidate.find("://").map_or(candidate.len(), |i| i + 3);
            text.push_str(&candidate[..skip]);
            rest = &candidate[skip..];
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        segments.push(Segment::Text(text));
    }
    segments
}

fn find_link_start(s: &str) -> Option<usize> {
    let http = s.find("http://");
    let https = s.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::Segment::{Link, Text};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_and_line_breaks() {
        let lines = message_lines(
            "Nouvelle version.\nDétails : https://comptoir.example/notes?v=2, merci !\nFin",
        );
        assert_eq!(
            lines,
            vec![
                vec![Text("Nouvelle version.".into())],
                vec![
                    Text("Détails : ".into()),
                    Link("https://comptoir.example/notes?v=2".into()),
                    Text(", merci !".into()),
                ],
                vec![Text("Fin".into())],
            ]
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            message_lines("javascript:alert(1) <b>gras</b> http:// rien"),
            vec![vec![Text(
                "javascript:alert(1) <b>gras</b> http:// rien".into()
            )]]
        );
        assert_eq!(message_lines(""), Vec::<Vec<Segment>>::new());
    }

    proptest! {
        /// Nothing is lost or added: the segments spell the original line.
        #[test]
        fn segments_spell_the_line(line in "[a-zé :/.?=h-t]{0,60}") {
            let joined: String = line_segments(&line)
                .into_iter()
                .map(|s| match s { Text(t) | Link(t) => t })
                .collect();
            prop_assert_eq!(joined, line);
        }
    }
}
