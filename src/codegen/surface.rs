//! The public API surface of generated code as plain text — item names and signatures, one per
//! line, no bodies or docs — so a reviewer sees what a spec change does to users of the crate.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Visibility};

/// One line per public item of `source` (a generated module file), with its module path.
///
/// # Errors
///
/// The text when `source` does not parse as Rust (it always does for restsmith's output).
pub fn api_surface(source: &str) -> Result<String, String> {
    let file = syn::parse_file(source).map_err(|e| e.to_string())?;
    let mut lines = Vec::new();
    walk(&file.items, "", &mut lines);
    Ok(lines.join("\n") + "\n")
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// One-line text of a type, path or signature as prettyplease prints it.
fn text(tokens: impl ToTokens) -> String {
    let tokens = tokens.to_token_stream();
    // Print through a throwaway item so prettyplease formats it, then join the lines.
    let (printed, prefix, suffix) = match syn::parse2::<syn::Type>(tokens.clone()) {
        Ok(ty) => (prettyplease::unparse(&syn::parse_quote!(type __T = #ty;)), "type __T = ", ";"),
        Err(_) => match syn::parse2::<syn::Signature>(tokens.clone()) {
            Ok(sig) => (prettyplease::unparse(&syn::parse_quote!(#sig {})), "", "{}"),
            Err(_) => return tokens.to_string(),
        },
    };
    let one_line = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    let one_line = one_line.replace("( ", "(").replace(", )", ")").replace(",)", ")").replace("< ", "<").replace(", >", ">").replace(",>", ">");
    one_line.trim().trim_start_matches(prefix).trim_end_matches(suffix).trim().to_owned()
}

fn walk(items: &[Item], path: &str, lines: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Mod(m) => {
                let name = format!("{path}{}::", m.ident);
                if let Some((_, inner)) = &m.content {
                    walk(inner, &name, lines);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let fields = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .filter(|f| is_pub(&f.vis))
                        .map(|f| format!("{}: {}", f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(), text(&f.ty)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    Fields::Unnamed(unnamed) => unnamed.unnamed.iter().map(|f| text(&f.ty)).collect::<Vec<_>>().join(", "),
                    Fields::Unit => String::new(),
                };
                lines.push(format!("struct {path}{} {{ {fields} }}", s.ident));
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| match &v.fields {
                        Fields::Unit => v.ident.to_string(),
                        other => format!("{}({})", v.ident, other.iter().map(|f| text(&f.ty)).collect::<Vec<_>>().join(", ")),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                lines.push(format!("enum {path}{} {{ {variants} }}", e.ident));
            }
            Item::Type(t) if is_pub(&t.vis) => lines.push(format!("type {path}{} = {}", t.ident, text(&t.ty))),
            Item::Const(c) if is_pub(&c.vis) => lines.push(format!("const {path}{}: {}", c.ident, text(&c.ty))),
            Item::Fn(f) if is_pub(&f.vis) => lines.push(format!("fn {path}{}", text(&f.sig).trim_start_matches("fn "))),
            Item::Use(u) if is_pub(&u.vis) => lines.push(format!("use {path}{}", text(&u.tree))),
            Item::Impl(i) => {
                let target = text(&i.self_ty);
                match &i.trait_ {
                    Some((_, trait_path, _)) => lines.push(format!("impl {} for {path}{target}", text(trait_path))),
                    None => {
                        for member in &i.items {
                            match member {
                                ImplItem::Fn(f) if is_pub(&f.vis) => {
                                    lines.push(format!("fn {path}{target}::{}", text(&f.sig).trim_start_matches("fn ")))
                                }
                                ImplItem::Const(c) if is_pub(&c.vis) => {
                                    lines.push(format!("const {path}{target}::{}: {}", c.ident, text(&c.ty)))
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_public_items() {
        let source = "pub mod models { pub struct A { pub x: Option<i32>, y: u8 } pub enum E { One, Two(String) } struct Hidden; }\n\
                      mod client { pub struct Client { core: u8 } impl Client { pub fn op(&self, id: &str) -> u8 { 0 } fn private(&self) {} } }\n\
                      pub use client::Client;";
        let surface = api_surface(source).unwrap();
        assert_eq!(
            surface,
            "struct models::A { x: Option<i32> }\nenum models::E { One, Two(String) }\nstruct client::Client {  }\nfn client::Client::op(&self, id: &str) -> u8\nuse client::Client\n"
        );
    }
}
