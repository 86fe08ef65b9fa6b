//! `--code`: the unified diff of the crate restsmith generates from each version.
//!
//! Both crates are generated in memory under the same crate name and source name, so the diff
//! shows only what the spec change does to the code. The line diff is Myers' O((N+M)·D)
//! algorithm after trimming the common prefix and suffix, with three lines of context.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Version;
use crate::codegen::{self, CrateLayout};
use crate::error::Result;

/// The unified diff between the crates generated from `old` and `new` (empty when equal).
pub fn crate_diff(old: &Version, new: &Version) -> Result<String> {
    let layout = CrateLayout { runtime_dependency: "{ path = \"../runtime\" }".to_owned(), standalone: true };
    let files = |v: &Version| -> Result<BTreeMap<PathBuf, String>> {
        let mut ir = v.ir.clone();
        ir.crate_name = new.ir.crate_name.clone();
        ir.source_name = new.ir.source_name.clone();
        Ok(codegen::crate_files(&ir, &layout)?.into_iter().map(|f| (f.path, f.contents)).collect())
    };
    let (a, b) = (files(old)?, files(new)?);
    let mut paths: Vec<&PathBuf> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut out = String::new();
    for path in paths {
        let empty = String::new();
        let (x, y) = (a.get(path).unwrap_or(&empty), b.get(path).unwrap_or(&empty));
        if x != y {
            let name = path.display().to_string().replace('\\', "/");
            out.push_str(&unified(&format!("old/{name}"), &format!("new/{name}"), x, y, 3));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// The edit script turning `a` into `b`: (op, index in a, index in b).
fn edit_script(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut script: Vec<(Op, usize, usize)> = (0..prefix).map(|i| (Op::Equal, i, i)).collect();
    for (op, i, j) in myers(ma, mb) {
        script.push((op, i + prefix, j + prefix));
    }
    script.extend((0..suffix).map(|k| (Op::Equal, a.len() - suffix + k, b.len() - suffix + k)));
    script
}

fn myers(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d] holds v[-d..=d] after step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = false;
    for d in 0..=max as isize {
        for k in (-d..=d).step_by(2) {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) { v[idx + 1] } else { v[idx - 1] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                found = true;
                break;
            }
        }
        trace.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
        if found {
            break;
        }
    }
    // Backtrack from (n, m): each step d undoes one insertion or deletion, then the diagonal
    // (equal lines) that followed it.
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..trace.len() as isize).rev() {
        let prev = &trace[(d - 1) as usize];
        let at = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) { k + 1 } else { k - 1 };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            ops.push((Op::Equal, x as usize, y as usize));
        }
        if x == prev_x {
            ops.push((Op::Insert, x as usize, prev_y as usize));
        } else {
            ops.push((Op::Delete, prev_x as usize, y as usize));
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        ops.push((Op::Equal, x as usize, y as usize));
    }
    ops.reverse();
    ops
}

/// A unified diff of two texts with `context` lines around each change.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str, context: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let script = edit_script(&a, &b);
    let changed: Vec<usize> = script.iter().enumerate().filter(|(_, s)| s.0 != Op::Equal).map(|(i, _)| i).collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut start = 0;
    while start < changed.len() {
        // Extend the hunk while the next change is within 2 * context lines.
        let mut end = start;
        while end + 1 < changed.len() && changed[end + 1] - changed[end] <= 2 * context + 1 {
            end += 1;
        }
        let from = changed[start].saturating_sub(context);
        let to = (changed[end] + context + 1).min(script.len());
        let hunk = &script[from..to];
        let old_start = hunk.iter().find(|s| s.0 != Op::Insert).map(|s| s.1).unwrap_or(hunk[0].1);
        let new_start = hunk.iter().find(|s| s.0 != Op::Delete).map(|s| s.2).unwrap_or(hunk[0].2);
        let old_len = hunk.iter().filter(|s| s.0 != Op::Insert).count();
        let new_len = hunk.iter().filter(|s| s.0 != Op::Delete).count();
        let line_no = |start: usize, len: usize| if len == 0 { start } else { start + 1 };
        out.push_str(&format!("@@ -{},{old_len} +{},{new_len} @@\n", line_no(old_start, old_len), line_no(new_start, new_len)));
        for &(op, i, j) in hunk {
            match op {
                Op::Equal => out.push_str(&format!(" {}\n", a[i])),
                Op::Delete => out.push_str(&format!("-{}\n", a[i])),
                Op::Insert => out.push_str(&format!("+{}\n", b[j])),
            }
        }
        start = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(a: &[&str], b: &[&str]) -> Vec<String> {
        edit_script(a, b)
            .into_iter()
            .filter_map(|(op, i, j)| match op {
                Op::Equal => Some(a[i].to_owned()),
                Op::Insert => Some(b[j].to_owned()),
                Op::Delete => None,
            })
            .collect()
    }

    #[test]
    fn edit_scripts_rebuild_the_new_text() {
        let cases: [(&[&str], &[&str]); 6] = [
            (&["a", "b", "c"], &["a", "x", "c"]),
            (&[], &["a"]),
            (&["a"], &[]),
            (&["a", "b", "c", "d", "e"], &["b", "c", "x", "e", "f"]),
            (&["x", "a", "x", "b"], &["a", "b", "x", "x"]),
            (&["same"], &["same"]),
        ];
        for (a, b) in cases {
            assert_eq!(apply(a, b), b.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{a:?} → {b:?}");
            let script = edit_script(a, b);
            assert_eq!(script.iter().filter(|s| s.0 != Op::Insert).count(), a.len());
        }
    }

    #[test]
    fn unified_hunks_have_context_and_counts() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
        let diff = unified("a", "b", old, new, 2);
        assert_eq!(diff, "--- a\n+++ b\n@@ -3,5 +3,5 @@\n 3\n 4\n-5\n+five\n 6\n 7\n");
    }
}
