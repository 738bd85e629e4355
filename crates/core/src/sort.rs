//! Sorting through one copy of the standard library's sort for the whole app.
//!
//! Why: every `sort_by_key` on another type or with another closure is a new copy of Rust's stable
//! sort (driftsort: a quicksort, a merge and small-sort networks, about 4 KB of wasm each). The app
//! sorted in some fifty places, which made 76 copies — 7 % of the code every phone downloads before
//! its first screen (issue 15). Here the standard sort runs once, on positions compared through a
//! `dyn` closure, and the items are then moved into that order: the per-type code left is the move.
//! The lists sorted are a school's at most (a few thousand items), where a dynamic call per
//! comparison costs nothing a teacher could notice. Stable, like `sort_by`: equal items keep their
//! order.

use std::cmp::Ordering;

/// The stable order of `count` items compared by position: the one instantiation of the sort.
#[inline(never)]
fn order_of(count: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Sorts `items` by `compare`, stable.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = order_of(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    put_in_order(items, order);
}

/// Moves each item to where `order` puts it (`order[i]` names the item that belongs at `i`), by
/// following each cycle of the permutation with swaps: no item is copied or dropped.
fn put_in_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Sorts `items` by the key each gives, stable.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order, stable.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, |a, b| a.cmp(b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_items_in_order() {
        // Pairs sorted by their first part only: the second records where each came from.
        let mut ours: Vec<(u8, usize)> = [3u8, 1, 2, 1, 3, 0, 2, 1]
            .into_iter()
            .enumerate()
            .map(|(at, key)| (key, at))
            .collect();
        let mut standard = ours.clone();
        sort_by_key(&mut ours, |pair| pair.0);
        standard.sort_by_key(|pair| pair.0);
        assert_eq!(ours, standard);
        assert_eq!(ours[1..4], [(1, 1), (1, 3), (1, 7)]);
    }

    #[test]
    fn agrees_with_the_standard_library_on_long_lists_with_many_ties() {
        // A list as long as a school's, keys drawn by a linear congruential generator.
        let mut seed: u32 = 20_261_205;
        let mut ours: Vec<(u32, usize)> = (0..2_000)
            .map(|at| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (seed >> 24, at)
            })
            .collect();
        let mut standard = ours.clone();
        sort_by_key(&mut ours, |pair| pair.0);
        standard.sort_by_key(|pair| pair.0);
        assert_eq!(ours, standard);
    }

    #[test]
    fn sorts_owned_values_without_losing_or_repeating_one() {
        let mut names: Vec<String> = ["王", "李", "张", "李", "赵"].map(String::from).into();
        sort(&mut names);
        assert_eq!(names, ["张", "李", "李", "王", "赵"].map(String::from));
        let mut reversed = names.clone();
        sort_by(&mut reversed, |a, b| b.cmp(a));
        assert_eq!(reversed, ["赵", "王", "李", "李", "张"].map(String::from));
        let mut none: Vec<String> = Vec::new();
        sort(&mut none);
        assert!(none.is_empty());
    }
}
