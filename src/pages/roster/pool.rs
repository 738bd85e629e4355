//! The roster's pool of drawn rows: a row's elements stay in the page and are given the next row
//! that comes into the window, so scrolling changes the text of a few rows instead of building
//! new elements and dropping old ones. The dropped rows were garbage, and the browser's
//! collector paused for 25–35 ms (at 4× CPU throttling) in the middle of a fling to clear them.

use std::collections::HashMap;

/// What a slot of the pool shows, as far as reuse goes: the kind of row (a class heading and a
/// child's row are built from different elements), a key of what it shows, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shown {
    pub heading: bool,
    pub what: u64,
    pub top: u64,
}

/// The slot each wanted row is drawn in, in the order of `wanted`. `slots` says what each slot
/// shows now (None: it is not in the page).
///
/// A row already shown where it is keeps its slot, so it is not touched; one shown elsewhere
/// keeps its slot and only moves (a search that reorders the rows). A new row takes a slot whose
/// row is no longer wanted — one built for its kind first, then one of the other kind. Only when
/// none is left does it take a slot not in the page, and then a new one numbered after the
/// others.
pub fn assign(slots: &[Option<Shown>], wanted: &[Shown]) -> Vec<usize> {
    let mut showing: HashMap<Shown, usize> = slots
        .iter()
        .enumerate()
        .filter_map(|(slot, shown)| Some(((*shown)?, slot)))
        .collect();
    let mut placed: Vec<Option<usize>> = wanted.iter().map(|w| showing.remove(w)).collect();
    // What is left in `showing` is in the page and not wanted where it is. By what it shows
    // (the lowest slot first when two show the same)...
    let mut left: Vec<(Shown, usize)> = showing.into_iter().collect();
    left.sort_unstable_by_key(|(_, slot)| std::cmp::Reverse(*slot));
    let mut elsewhere: HashMap<(bool, u64), Vec<usize>> = HashMap::new();
    for (shown, slot) in &left {
        elsewhere
            .entry((shown.heading, shown.what))
            .or_default()
            .push(*slot);
    }
    for (at, want) in placed.iter_mut().zip(wanted) {
        if at.is_none() {
            *at = elsewhere
                .get_mut(&(want.heading, want.what))
                .and_then(Vec::pop);
        }
    }
    // ...and the rest free, by kind. Popped from the end, so the lowest numbers go first.
    let moved: std::collections::HashSet<usize> = placed.iter().flatten().copied().collect();
    let mut free: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for (shown, slot) in left {
        if !moved.contains(&slot) {
            free[usize::from(shown.heading)].push(slot);
        }
    }
    let mut absent: Vec<usize> = (0..slots.len())
        .rev()
        .filter(|slot| slots[*slot].is_none())
        .collect();
    let mut next = slots.len();
    placed
        .into_iter()
        .zip(wanted)
        .map(|(placed, want)| {
            placed.unwrap_or_else(|| {
                let kind = usize::from(want.heading);
                free[kind]
                    .pop()
                    .or_else(|| free[1 - kind].pop())
                    .or_else(|| absent.pop())
                    .unwrap_or_else(|| {
                        next += 1;
                        next - 1
                    })
            })
        })
        .collect()
}
