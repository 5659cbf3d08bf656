//! The core's records as serde shows them, read from the core's source with `syn`: struct
//! fields (and whether a field may be absent), enums with their tag and variant names, and type
//! aliases (ids are aliases of `u64`, or newtypes of it).

use std::collections::BTreeMap;
use std::path::Path;

use quote::ToTokens;
use syn::{Attribute, Fields, GenericArgument, Item, PathArguments, Type};

/// A type as Python sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Str,
    Int,
    Float,
    Bool,
    Time,
    Date,
    Any,
    Unit,
    Named(String),
    Option(Box<Ty>),
    List(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    /// Absent in some dicts, or may be left out of an input (serde `default`, `Option`).
    pub optional: bool,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct Variant {
    /// The serde name (`snake_case` when the enum renames).
    pub name: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub enum Shape {
    Struct(Vec<Field>),
    /// `tag`: the key of an internally tagged enum; `None` for plain string enums.
    Enum {
        tag: Option<String>,
        variants: Vec<Variant>,
    },
}

#[derive(Debug, Clone)]
pub struct Record {
    pub name: String,
    pub doc: String,
    pub shape: Shape,
    /// A struct with `#[serde(default)]`: every field may be left out of an input.
    pub defaults: bool,
}

/// Every serde record and type alias of the core, by name.
#[derive(Default)]
pub struct Records {
    pub records: BTreeMap<String, Record>,
    aliases: BTreeMap<String, Type>,
}

impl Records {
    /// Reads every `.rs` file under `dir`, skipping the stored forms (`records.rs`, `stored.rs`).
    pub fn read(dir: &Path) -> std::io::Result<Records> {
        let mut found = Records::default();
        found.read_dir(dir)?;
        Ok(found)
    }

    fn read_dir(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if path.is_dir() && name != "store" {
                self.read_dir(&path)?;
            } else if name.ends_with(".rs") && name != "records.rs" && name != "stored.rs" {
                let text = std::fs::read_to_string(&path)?;
                let file =
                    syn::parse_file(&text).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
                self.items(&file.items);
            }
        }
        Ok(())
    }

    fn items(&mut self, items: &[Item]) {
        for item in items {
            match item {
                // A newtype id (`pub struct ArticleId(pub u64)`, serde transparent) is its field.
                Item::Struct(s)
                    if is_pub(&s.vis) && matches!(&s.fields, Fields::Unnamed(f) if f.unnamed.len() == 1) =>
                {
                    if let Fields::Unnamed(f) = &s.fields {
                        self.aliases.entry(s.ident.to_string()).or_insert_with(|| f.unnamed[0].ty.clone());
                    }
                }
                Item::Struct(s) if is_pub(&s.vis) && derives_serde(&s.attrs) => {
                    let fields = match &s.fields {
                        Fields::Named(named) => named.named.iter().filter_map(field).collect(),
                        // A newtype id (`struct CourseId(pub u64)`, serde transparent) is its number.
                        Fields::Unnamed(one) if one.unnamed.len() == 1 => {
                            let inner = one.unnamed[0].ty.clone();
                            self.aliases.entry(s.ident.to_string()).or_insert(inner);
                            continue;
                        }
                        _ => continue,
                    };
                    self.add(Record {
                        name: s.ident.to_string(),
                        doc: doc(&s.attrs),
                        shape: Shape::Struct(fields),
                        defaults: serde_arg(&s.attrs, "default").is_some(),
                    });
                }
                Item::Enum(e) if is_pub(&e.vis) && derives_serde(&e.attrs) => {
                    let snake = serde_arg(&e.attrs, "rename_all").is_some_and(|r| r == "snake_case");
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| Variant {
                            name: if snake { snake_case(&v.ident.to_string()) } else { v.ident.to_string() },
                            fields: match &v.fields {
                                Fields::Named(named) => named.named.iter().filter_map(field).collect(),
                                _ => Vec::new(),
                            },
                        })
                        .collect();
                    let tag = serde_arg(&e.attrs, "tag");
                    self.add(Record {
                        name: e.ident.to_string(),
                        doc: doc(&e.attrs),
                        shape: Shape::Enum { tag, variants },
                        defaults: false,
                    });
                }
                Item::Type(t) if is_pub(&t.vis) => {
                    self.aliases.entry(t.ident.to_string()).or_insert_with(|| (*t.ty).clone());
                }
                Item::Macro(m) if m.mac.path.is_ident("page_type") => {
                    if let Ok(page) = m.mac.parse_body::<PageType>() {
                        let items = Field {
                            name: "items".into(),
                            ty: Ty::List(Box::new(lower(&page.item))),
                            optional: false,
                            doc: String::new(),
                        };
                        let next = Field {
                            name: "next_cursor".into(),
                            ty: Ty::Option(Box::new(Ty::Str)),
                            optional: true,
                            doc: String::new(),
                        };
                        self.add(Record {
                            name: page.name.to_string(),
                            doc: doc(&page.attrs),
                            shape: Shape::Struct(vec![items, next]),
                            defaults: false,
                        });
                    }
                }
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.items(inner);
                    }
                }
                _ => {}
            }
        }
    }

    fn add(&mut self, record: Record) {
        // The first public definition of a name wins; the core re-exports one type per name.
        self.records.entry(record.name.clone()).or_insert(record);
    }

    /// A Rust type (as written, or as `stringify!` gives it) as Python sees it.
    pub fn ty(&self, rust: &str) -> Ty {
        match syn::parse_str::<Type>(rust) {
            Ok(ty) => self.resolve(&lower(&ty)),
            Err(_) => Ty::Any,
        }
    }

    /// Replaces aliases by what they stand for.
    pub fn resolve(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Named(name) if !self.records.contains_key(name) => match self.aliases.get(name) {
                Some(target) => self.resolve(&lower(target)),
                None => Ty::Any,
            },
            Ty::Option(inner) => Ty::Option(Box::new(self.resolve(inner))),
            Ty::List(inner) => Ty::List(Box::new(self.resolve(inner))),
            Ty::Map(inner) => Ty::Map(Box::new(self.resolve(inner))),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| self.resolve(t)).collect()),
            other => other.clone(),
        }
    }

    /// The fields of a struct record, resolved; `None` for anything else.
    pub fn struct_fields(&self, name: &str) -> Option<Vec<Field>> {
        match &self.records.get(name)?.shape {
            Shape::Struct(fields) => {
                Some(fields.iter().map(|f| Field { ty: self.resolve(&f.ty), ..f.clone() }).collect())
            }
            Shape::Enum { .. } => None,
        }
    }
}

/// The core's `page_type!(/// doc\n Name, Item)`: a page of `Item` with `next_cursor`.
struct PageType {
    attrs: Vec<Attribute>,
    name: syn::Ident,
    item: Type,
}

impl syn::parse::Parse for PageType {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let name = input.parse()?;
        let _: syn::Token![,] = input.parse()?;
        Ok(PageType { attrs, name, item: input.parse()? })
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn derives_serde(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive") && {
            let text = a.meta.to_token_stream().to_string();
            text.contains("Serialize") || text.contains("Deserialize")
        }
    })
}

/// The value of `#[serde(key = "value")]`, or `Some("")` for a bare `#[serde(key)]`.
fn serde_arg(attrs: &[Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                found = Some(match meta.value() {
                    Ok(value) => value.parse::<syn::LitStr>().map(|s| s.value()).unwrap_or_default(),
                    Err(_) => String::new(),
                });
            } else if let Ok(value) = meta.value() {
                let _: syn::Expr = value.parse()?;
            }
            Ok(())
        });
    }
    found
}

fn field(f: &syn::Field) -> Option<Field> {
    if serde_arg(&f.attrs, "skip").is_some() {
        return None;
    }
    let ty = lower(&f.ty);
    let optional = serde_arg(&f.attrs, "default").is_some()
        || serde_arg(&f.attrs, "skip_serializing_if").is_some()
        || matches!(ty, Ty::Option(_));
    Some(Field { name: f.ident.as_ref()?.to_string(), ty, optional, doc: doc(&f.attrs) })
}

fn doc(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    lines.join(" ").trim().to_string()
}

/// A syn type in Python terms, before aliases are resolved.
fn lower(ty: &Type) -> Ty {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Slice(s) => Ty::List(Box::new(lower(&s.elem))),
            elem => lower(elem),
        },
        Type::Tuple(t) if t.elems.is_empty() => Ty::Unit,
        Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(lower).collect()),
        Type::Array(a) => Ty::List(Box::new(lower(&a.elem))),
        Type::Slice(s) => Ty::List(Box::new(lower(&s.elem))),
        Type::Group(g) => lower(&g.elem),
        Type::Paren(p) => lower(&p.elem),
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else { return Ty::Any };
            let args: Vec<Ty> = match &last.arguments {
                PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        GenericArgument::Type(t) => Some(lower(t)),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let first = || Box::new(args.first().cloned().unwrap_or(Ty::Any));
            match last.ident.to_string().as_str() {
                "String" | "str" | "char" | "Cow" => Ty::Str,
                "bool" => Ty::Bool,
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => Ty::Int,
                "f32" | "f64" => Ty::Float,
                "Timestamp" | "DateTime" => Ty::Time,
                "NaiveDate" => Ty::Date,
                "Value" => Ty::Any,
                "Option" => Ty::Option(first()),
                "Vec" | "VecDeque" | "BTreeSet" | "HashSet" => Ty::List(first()),
                "BTreeMap" | "HashMap" => Ty::Map(Box::new(args.get(1).cloned().unwrap_or(Ty::Any))),
                "Box" | "Arc" => *first(),
                name => Ty::Named(name.to_string()),
            }
        }
        _ => Ty::Any,
    }
}

/// `EmployerStaff` → `employer_staff`, as serde's `rename_all = "snake_case"` does.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}
