//! Relevance: personalised PageRank seeded at the target over a weighted,
//! undirected graph of definitions (a caller is as relevant as a callee).

/// Scores for nodes `0..n` given weighted edges; they sum to 1. Mass that
/// reaches a node without edges returns to the seed.
pub fn personalized_pagerank(n: usize, edges: &[(usize, usize, f64)], seed: usize) -> Vec<f64> {
    const DAMPING: f64 = 0.85;
    const ITERATIONS: usize = 40;
    let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a != b && a < n && b < n && w > 0.0 {
            adjacency[a].push((b, w));
            adjacency[b].push((a, w));
        }
    }
    let out_weight: Vec<f64> = adjacency.iter().map(|e| e.iter().map(|(_, w)| w).sum()).collect();
    let mut rank = vec![0.0; n];
    if seed >= n {
        return rank;
    }
    rank[seed] = 1.0;
    for _ in 0..ITERATIONS {
        let mut next = vec![0.0; n];
        let mut dangling = 0.0;
        for (node, &r) in rank.iter().enumerate() {
            if out_weight[node] == 0.0 {
                dangling += r;
                continue;
            }
            for &(to, w) in &adjacency[node] {
                next[to] += DAMPING * r * w / out_weight[node];
            }
        }
        next[seed] += (1.0 - DAMPING) + DAMPING * dangling;
        rank = next;
    }
    rank
}

/// Hops from `seed` (`usize::MAX` when unreachable).
pub fn distances(n: usize, edges: &[(usize, usize, f64)], seed: usize) -> Vec<usize> {
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in edges {
        if a < n && b < n {
            adjacency[a].push(b);
            adjacency[b].push(a);
        }
    }
    let mut dist = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    if seed < n {
        dist[seed] = 0;
        queue.push_back(seed);
    }
    while let Some(node) = queue.pop_front() {
        for &next in &adjacency[node] {
            if dist[next] == usize::MAX {
                dist[next] = dist[node] + 1;
                queue.push_back(next);
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closer_and_more_strongly_tied_nodes_rank_higher() {
        // 0 (seed) - 1 strongly, 0 - 2 weakly, 1 - 3, 4 unreachable.
        let edges = [(0, 1, 1.0), (0, 2, 0.25), (1, 3, 1.0)];
        let r = personalized_pagerank(5, &edges, 0);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(r[0] > r[2] && r[1] > r[2] && r[1] > r[3] && r[4] == 0.0, "{r:?}");
        assert_eq!(distances(5, &edges, 0), vec![0, 1, 1, 2, usize::MAX]);
    }
}
