//! TEMPORARY shim until the geo branch lands (replaced wholesale by the merge).
#![allow(dead_code)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}
pub struct QueryTerm {
    pub word: String,
    pub variants: Vec<String>,
}
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}
pub fn analyse(text: &str, _language: Option<&str>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token { term: fold(&text[s..i]), start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    out
}
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    analyse(query, None).into_iter().map(|t| QueryTerm { word: t.term.clone(), variants: vec![t.term] }).collect()
}
pub fn term_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    h
}
pub fn bm25(tf: u32, df: u64, docs: u64, doc_len: u32, avg_doc_len: f64) -> f64 {
    let (k1, b) = (1.2, 0.75);
    let idf = (1.0 + (docs as f64 - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
    let tf = f64::from(tf);
    idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * f64::from(doc_len) / avg_doc_len.max(1.0)))
}
