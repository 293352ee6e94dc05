//! The shared `~/.aws/config` and `~/.aws/credentials` files, read as the AWS SDKs and
//! Tools reference ("Configuration and credential file format") specifies them. They look
//! like INI but are not quite: values are literal (no quotes or escapes, `C:\keys` stays as
//! written), `#`/`;` start a comment anywhere on a section line but only after whitespace on
//! a property line, and indented lines continue the property above them (the nested
//! `s3 =` / `[services]` blocks), so a general INI crate reads them slightly wrong.

use std::collections::HashMap;

/// One parsed file: its sections in file order, each with its properties (a section that
/// appears twice is merged, later values winning).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ProfileFile {
    sections: Vec<(String, HashMap<String, String>)>,
}

impl ProfileFile {
    /// Parses `text`; the error names the 1-based line that is neither a comment, a section
    /// header, a property nor a continuation.
    pub(crate) fn parse(text: &str) -> Result<ProfileFile, String> {
        let mut file = ProfileFile::default();
        // (section index, key) of the property a continuation line extends.
        let mut current: Option<usize> = None;
        let mut last_key: Option<String> = None;
        for (index, raw) in text.lines().enumerate() {
            let number = index + 1;
            let indented = raw.starts_with([' ', '\t']);
            let line = raw.trim();
            if line.is_empty() || line.starts_with(['#', ';']) {
                continue;
            }
            if indented && !line.starts_with('[') {
                // A continuation: only valid right after a property.
                let (Some(section), Some(key)) = (current, last_key.as_ref()) else {
                    return Err(format!(
                        "line {number}: an indented line must continue a property"
                    ));
                };
                let value = file.sections[section].1.entry(key.clone()).or_default();
                value.push('\n');
                value.push_str(strip_comment(line, true));
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let header = strip_comment(rest, false);
                let Some(name) = header.strip_suffix(']') else {
                    return Err(format!("line {number}: a section header must end with `]`"));
                };
                let name = name.trim();
                if name.is_empty() {
                    return Err(format!("line {number}: the section has no name"));
                }
                current = Some(file.section_index(name));
                last_key = None;
                continue;
            }
            let Some(section) = current else {
                return Err(format!(
                    "line {number}: a property must follow a `[section]` header"
                ));
            };
            let Some((key, value)) = line.split_once('=') else {
                return Err(format!("line {number}: expected `name = value`"));
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(format!("line {number}: the property has no name"));
            }
            let value = strip_comment(value.trim(), true).to_owned();
            file.sections[section].1.insert(key.to_owned(), value);
            last_key = Some(key.to_owned());
        }
        Ok(file)
    }

    fn section_index(&mut self, name: &str) -> usize {
        match self.sections.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.sections.push((name.to_owned(), HashMap::new()));
                self.sections.len() - 1
            }
        }
    }

    /// The sections in file order: (header without brackets, properties).
    pub(crate) fn sections(&self) -> impl Iterator<Item = (&str, &HashMap<String, String>)> {
        self.sections.iter().map(|(n, p)| (n.as_str(), p))
    }
}

/// Cuts a `#` or `;` comment off `text`; on property lines the comment character must follow
/// whitespace, so `secret#1` stays whole.
fn strip_comment(text: &str, needs_whitespace: bool) -> &str {
    let bytes = text.as_bytes();
    let cut = bytes.iter().enumerate().position(|(i, b)| {
        matches!(b, b'#' | b';')
            && (!needs_whitespace || (i > 0 && bytes[i - 1].is_ascii_whitespace()))
    });
    match cut {
        Some(i) => text[..i].trim_end(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section<'a>(file: &'a ProfileFile, name: &str) -> &'a HashMap<String, String> {
        file.sections()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p)
            .unwrap_or_else(|| panic!("no section {name}"))
    }

    #[test]
    fn reads_sections_properties_and_comments() {
        let file = ProfileFile::parse(
            "# top comment\n; another\n[default] # trailing\nregion = eu-west-1 ; why\n\
             aws_secret_access_key = abc#def;ghi\ncredential_process = C:\\keys\\get.exe\n\n\
             [profile dev];c\nregion=us-east-2\n",
        )
        .unwrap();
        let default = section(&file, "default");
        assert_eq!(default["region"], "eu-west-1");
        assert_eq!(default["aws_secret_access_key"], "abc#def;ghi");
        assert_eq!(default["credential_process"], "C:\\keys\\get.exe");
        assert_eq!(section(&file, "profile dev")["region"], "us-east-2");
        let names: Vec<_> = file.sections().map(|(n, _)| n).collect();
        assert_eq!(names, ["default", "profile dev"]);
    }

    #[test]
    fn indented_lines_continue_the_property_above() {
        let file = ProfileFile::parse(
            "[services dev]\napigatewayv2 =\n  endpoint_url = http://localhost:4566\n\t  x = 1\nother = 2\n",
        )
        .unwrap();
        let services = section(&file, "services dev");
        assert_eq!(
            services["apigatewayv2"],
            "\nendpoint_url = http://localhost:4566\nx = 1"
        );
        assert_eq!(services["other"], "2");
    }

    #[test]
    fn a_repeated_section_merges_and_later_values_win() {
        let file = ProfileFile::parse("[a]\nx = 1\ny = 2\n[b]\n[a]\nx = 3\n").unwrap();
        let a = section(&file, "a");
        assert_eq!((a["x"].as_str(), a["y"].as_str()), ("3", "2"));
        assert_eq!(file.sections().count(), 2);
    }

    #[test]
    fn malformed_lines_name_their_line() {
        for (text, message) in [
            (
                "x = 1\n",
                "line 1: a property must follow a `[section]` header",
            ),
            ("[a]\n\nnot a property\n", "line 3: expected `name = value`"),
            ("[a\n", "line 1: a section header must end with `]`"),
            ("[ ]\n", "line 1: the section has no name"),
            ("[a]\n= 1\n", "line 2: the property has no name"),
            (
                "[a]\n  x = 1\n",
                "line 2: an indented line must continue a property",
            ),
        ] {
            assert_eq!(ProfileFile::parse(text).unwrap_err(), message, "{text:?}");
        }
    }
}
