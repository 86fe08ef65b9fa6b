//! Breaking type cycles: a struct that contains itself (directly or through other structs, by
//! value or through `Option`) has infinite size; such fields are boxed. `Vec` and maps already
//! allocate, so cycles through them need nothing.

use std::collections::BTreeMap;

use super::{TypeDef, TypeKind, TypeRef};

/// Marks `boxed` on every field that closes a by-value cycle: a field of `A` of type `B` where
/// `B` reaches `A` again, i.e. where `A` and `B` are in the same strongly connected component of
/// the by-value graph (linear time, however long the chains of types are).
pub(crate) fn box_recursive_fields(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let targets: Vec<String> = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| by_value_target(&f.ty)).collect(),
                TypeKind::Alias(r) => by_value_target(r).into_iter().collect(),
                TypeKind::Union(u) => u.variants.iter().filter_map(|v| by_value_target(&v.ty)).collect(),
                TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
            };
            targets.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    let component = components(&edges);
    let same = |a: usize, target: &str| index.get(target).is_some_and(|&b| component[a] == component[b]);
    for (i, t) in types.iter_mut().enumerate() {
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    if let Some(target) = by_value_target(&field.ty) {
                        if same(i, &target) {
                            field.boxed = true;
                        }
                    }
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    if let Some(target) = by_value_target(&variant.ty) {
                        if same(i, &target) {
                            variant.boxed = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn by_value_target(t: &TypeRef) -> Option<String> {
    match t {
        TypeRef::Named(n) => Some(n.clone()),
        _ => None,
    }
}

/// The strongly connected component of every node (Kosaraju's algorithm, iterative: no
/// recursion, so no stack overflow on long chains).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    // 1. Nodes in order of finishing a depth-first search.
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for root in 0..n {
        if visited[root] {
            continue;
        }
        visited[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&target) = edges[*node].get(*next) {
                *next += 1;
                if !visited[target] {
                    visited[target] = true;
                    stack.push((target, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    // 2. Over the reversed graph, in reverse finishing order: each search is one component.
    let mut reversed = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reversed[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &root in order.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = count;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reversed[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn components_of_cycles_and_chains() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 0 and 4 (alone, with a self edge) are not in it.
        let c = components(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[3] != c[4]);
    }
}
