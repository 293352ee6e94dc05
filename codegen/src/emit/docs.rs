//! Model documentation (HTML) → rustdoc (Markdown) attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for an item: the model's HTML documentation converted to
/// Markdown, or `fallback` when the model has none (every public item gets docs).
pub fn doc_attrs(html: Option<&str>, fallback: &str) -> TokenStream {
    let markdown = html.map(html_to_markdown).filter(|m| !m.trim().is_empty());
    let text = markdown.unwrap_or_else(|| fallback.to_string());
    lines_to_attrs(&text)
}

/// Plain text (already Markdown) as doc attributes.
pub fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        // prettyplease prints `#[doc = " x"]` as `/// x`; the leading space keeps it tidy.
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {}", crate::context::doc_safe(&line.replace('\t', "    ")))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Converts model HTML to Markdown with `htmd`, then makes it safe for rustdoc: fenced
/// code is marked `text` (so it is never compiled as a doctest), and runs of blank lines
/// are collapsed.
pub fn html_to_markdown(html: &str) -> String {
    // A member's documentation is converted for its field, getter, setter and fluent
    // setter alike; converting it once per text (and building the converter once per
    // thread) keeps docs from dominating generation time.
    thread_local! {
        static CONVERTER: htmd::HtmlToMarkdown = htmd::HtmlToMarkdown::new();
        static CONVERTED: std::cell::RefCell<std::collections::HashMap<String, String>> =
            Default::default();
    }
    if let Some(hit) = CONVERTED.with(|cache| cache.borrow().get(html).cloned()) {
        return hit;
    }
    let markdown = tidy(html, CONVERTER.with(|c| c.convert(html)));
    CONVERTED.with(|cache| {
        let mut cache = cache.borrow_mut();
        // Bounded, so a long run over many models does not keep every text alive.
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(html.to_string(), markdown.clone());
    });
    markdown
}

/// How many converted texts a thread keeps.
const CACHE_LIMIT: usize = 20_000;

/// [`html_to_markdown`]'s work on `htmd`'s output (or, when it failed, on the tags stripped).
fn tidy(html: &str, converted: std::io::Result<String>) -> String {
    let converted = converted.unwrap_or_else(|_| strip_tags(html));
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut blank = false;
    for line in converted.lines() {
        let trimmed_end = line.trim_end();
        if trimmed_end.trim_start().starts_with("```") {
            if !in_fence {
                out.push("```text".to_string());
            } else {
                out.push("```".to_string());
            }
            in_fence = !in_fence;
            blank = false;
            continue;
        }
        if !in_fence {
            if trimmed_end.is_empty() {
                if blank || out.is_empty() {
                    continue;
                }
                blank = true;
                out.push(String::new());
                continue;
            }
            blank = false;
            // An indented line outside a list would be an (executable) code block.
            let leading = trimmed_end.len() - trimmed_end.trim_start().len();
            let in_list = trimmed_end.trim_start().starts_with(['*', '-', '+'])
                || trimmed_end
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit());
            if leading >= 4 && !in_list && !previous_is_list(&out) {
                out.push(trimmed_end.trim_start().to_string());
                continue;
            }
            // Text right after a list item, not indented (broken model HTML: `</li>/para>` in
            // pinpoint), would continue the item lazily; a blank line makes it a paragraph.
            if leading == 0 && !in_list && previous_is_list(&out) {
                out.push(String::new());
            }
        }
        out.push(trimmed_end.to_string());
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

fn previous_is_list(lines: &[String]) -> bool {
    lines.iter().rev().take_while(|l| !l.is_empty()).any(|l| {
        let t = l.trim_start();
        t.starts_with(['*', '-', '+']) || t.chars().next().is_some_and(|c| c.is_ascii_digit())
    })
}

/// Last resort when `htmd` cannot parse: drop anything between `<` and `>`.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_common_html() {
        assert_eq!(html_to_markdown("<p>Gets a Stage.</p>"), "Gets a Stage.");
        let md = html_to_markdown("<p>See <a href=\"https://x.example/y\">the guide</a> and <code>$default</code>.</p><ul><li><p>One</p></li><li><p>Two</p></li></ul>");
        assert!(md.contains("[the guide](https://x.example/y)"), "{md}");
        assert!(md.contains("`$default`"), "{md}");
        assert!(md.contains("One") && md.contains("Two"), "{md}");
        let broken = html_to_markdown("<p>a</p>/listitem> <li><p>high</p></li>/para> <p>b</p>");
        let lines: Vec<&str> = broken.lines().collect();
        let item = lines
            .iter()
            .position(|l| l.contains("high"))
            .expect("the item");
        assert_eq!(lines[item + 1], "", "{broken}");
        let code = html_to_markdown("<pre><code>let x = 1;</code></pre>");
        assert!(code.starts_with("```text"), "{code}");
    }
}
