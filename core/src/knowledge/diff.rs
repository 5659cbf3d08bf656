//! Line differences between two revisions: the longest common subsequence of lines, after
//! trimming the lines both share at the start and the end. The table is bounded: when the
//! differing middle is larger than [`MAX_CELLS`], the middle is shown as removed then added,
//! which is still a correct (if not the shortest) diff.

use super::model::{DiffLine, DiffOp};

/// Largest LCS table (lines × lines) computed: 4 million cells of 4 bytes.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `new` against `old`.
pub(crate) fn lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<DiffLine> = a[..prefix].iter().map(|l| line(DiffOp::Same, l)).collect();
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_CELLS {
        out.extend(mid_a.iter().map(|l| line(DiffOp::Removed, l)));
        out.extend(mid_b.iter().map(|l| line(DiffOp::Added, l)));
    } else {
        out.extend(lcs(mid_a, mid_b));
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| line(DiffOp::Same, l)));
    out
}

fn line(op: DiffOp, text: &str) -> DiffLine {
    DiffLine { op, text: text.to_string() }
}

/// The classic dynamic programme: `len[i][j]` is the LCS length of `a[i..]` and `b[j..]`.
fn lcs(a: &[&str], b: &[&str]) -> Vec<DiffLine> {
    let width = b.len() + 1;
    let mut len = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            len[i * width + j] = if a[i] == b[j] {
                len[(i + 1) * width + j + 1] + 1
            } else {
                len[(i + 1) * width + j].max(len[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(line(DiffOp::Same, a[i]));
            i += 1;
            j += 1;
        } else if len[(i + 1) * width + j] >= len[i * width + j + 1] {
            out.push(line(DiffOp::Removed, a[i]));
            i += 1;
        } else {
            out.push(line(DiffOp::Added, b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| line(DiffOp::Removed, l)));
    out.extend(b[j..].iter().map(|l| line(DiffOp::Added, l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(old: &str, new: &str) -> Vec<(DiffOp, String)> {
        lines(old, new).into_iter().map(|l| (l.op, l.text)).collect()
    }

    #[test]
    fn a_changed_line_is_removed_then_added_between_shared_lines() {
        let d = ops("a\nb\nc", "a\nB\nc");
        assert_eq!(
            d,
            vec![
                (DiffOp::Same, "a".into()),
                (DiffOp::Removed, "b".into()),
                (DiffOp::Added, "B".into()),
                (DiffOp::Same, "c".into())
            ]
        );
    }

    #[test]
    fn inserted_and_deleted_lines_keep_the_common_subsequence() {
        let d = ops("x\na\nb\nc\ny", "x\na\nc\nd\ny");
        let removed: Vec<_> = d.iter().filter(|(o, _)| *o == DiffOp::Removed).map(|(_, t)| t.as_str()).collect();
        let added: Vec<_> = d.iter().filter(|(o, _)| *o == DiffOp::Added).map(|(_, t)| t.as_str()).collect();
        assert_eq!((removed, added), (vec!["b"], vec!["d"]));
        assert_eq!(d.iter().filter(|(o, _)| *o == DiffOp::Same).count(), 4);
    }

    #[test]
    fn a_huge_middle_is_bounded_and_still_correct() {
        let old: String = (0..2500).map(|i| format!("o{i}\n")).collect();
        let new: String = (0..2500).map(|i| format!("n{i}\n")).collect();
        let d = lines(&old, &new);
        assert_eq!(d.len(), 5000);
        assert!(d[..2500].iter().all(|l| l.op == DiffOp::Removed));
    }
}
