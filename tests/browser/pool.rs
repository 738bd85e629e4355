//! The roster's pool of drawn rows: which slot each row is drawn in as the window moves, as a
//! search reorders the rows and as headings and children take turns.

use shouwang::pages::roster::pool::{assign, Shown};
use wasm_bindgen_test::*;

fn child(what: u64, top: u64) -> Shown {
    Shown {
        heading: false,
        what,
        top,
    }
}

fn heading(what: u64, top: u64) -> Shown {
    Shown {
        heading: true,
        what,
        top,
    }
}

#[wasm_bindgen_test]
fn an_empty_pool_numbers_its_slots_in_order() {
    assert_eq!(
        assign(&[], &[child(1, 0), child(2, 84), child(3, 168)]),
        vec![0, 1, 2]
    );
}

#[wasm_bindgen_test]
fn scrolling_down_gives_the_row_that_left_at_the_top_to_the_new_one_at_the_bottom() {
    let shown = [Some(child(1, 0)), Some(child(2, 84)), Some(child(3, 168))];
    assert_eq!(
        assign(&shown, &[child(2, 84), child(3, 168), child(4, 252)]),
        vec![1, 2, 0]
    );
}

#[wasm_bindgen_test]
fn a_row_that_moved_keeps_its_slot() {
    let shown = [Some(child(1, 0)), Some(child(2, 84)), Some(child(3, 168))];
    // A search puts 3 first and drops 1; 5 is new.
    assert_eq!(
        assign(&shown, &[child(3, 0), child(2, 84), child(5, 168)]),
        vec![2, 1, 0]
    );
}

#[wasm_bindgen_test]
fn a_free_slot_of_the_same_kind_is_taken_first() {
    let shown = [Some(heading(1, 0)), Some(child(2, 44)), Some(child(3, 128))];
    assert_eq!(
        assign(&shown, &[child(3, 128), child(4, 212), heading(5, 296)]),
        vec![2, 1, 0]
    );
    // With none of its kind left, a row takes a slot of the other kind.
    assert_eq!(assign(&shown, &[heading(6, 0), heading(7, 44)]), vec![0, 1]);
}

#[wasm_bindgen_test]
fn slots_out_of_the_page_are_taken_before_new_ones() {
    let shown = [None, Some(child(1, 84)), None];
    assert_eq!(
        assign(
            &shown,
            &[child(1, 84), child(2, 168), child(3, 252), child(4, 336)]
        ),
        vec![1, 0, 2, 3]
    );
}

#[wasm_bindgen_test]
fn every_wanted_row_has_a_slot_of_its_own() {
    let shown: Vec<Option<Shown>> = (0..20)
        .map(|i| {
            (i % 3 != 0).then(|| {
                if i % 5 == 0 {
                    heading(i, i * 10)
                } else {
                    child(i, i * 10)
                }
            })
        })
        .collect();
    for shift in 0..25u64 {
        let wanted: Vec<Shown> = (shift..shift + 15)
            .map(|i| {
                if i % 5 == 0 {
                    heading(i, (i % 7) * 10)
                } else {
                    child(i, i * 10)
                }
            })
            .collect();
        let mut slots = assign(&shown, &wanted);
        assert_eq!(slots.len(), wanted.len());
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(
            slots.len(),
            wanted.len(),
            "two rows in one slot at shift {shift}"
        );
    }
}
