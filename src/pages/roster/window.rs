//! The roster's window: which of its rows are on screen (plus a margin), so a school of 600
//! draws a few dozen rows instead of 600, how many new rows a frame draws, and what the roster
//! remembers while a child is open.

use std::cell::RefCell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::rc::Rc;

use leptos::prelude::*;
use shouwang_core::roster::{Filter, Keyed};
use shouwang_core::RosterEntry;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Rosters up to this long are drawn whole: a class or two, where every child stays findable by
/// the browser's own search and screen readers read the whole list; longer ones are windowed
/// (also their search results, so a keystroke never draws a hundred rows at once).
pub const DRAW_WHOLE: usize = 120;
/// Rows drawn above and below the screen, so a fling shows rows and not blank space.
const MARGIN_PX: f64 = 600.0;

/// One line of the list: a class heading, or a child by its position in the roster.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Class { label: String, count: usize },
    Child(usize),
}

/// A drawn line: a class heading, or a child with its class (shown on every line, as search
/// results mix classes).
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Class { label: String, count: usize },
    Child { entry: RosterEntry, class: String },
}

impl Row {
    pub fn of(line: &Line, all: &[Keyed]) -> Option<Row> {
        Some(match line {
            Line::Class { label, count } => Row::Class {
                label: label.clone(),
                count: *count,
            },
            Line::Child(at) => {
                let entry = all.get(*at)?.0.clone();
                let class = entry.basic.class_label_zh();
                Row::Child { entry, class }
            }
        })
    }

    /// Keys the drawn row by what it shows (with its place, `WindowedList`): a child whose line
    /// changed is drawn anew, the others are kept.
    pub fn key(&self) -> u64 {
        let mut h = DefaultHasher::new();
        match self {
            Row::Class { label, count } => (label, count).hash(&mut h),
            Row::Child { entry, class } => {
                let (b, f) = (&entry.basic, &entry.flags);
                (
                    entry.id,
                    &b.name,
                    b.gender.label_zh(),
                    b.birth_date,
                    &b.village,
                )
                    .hash(&mut h);
                (class, f.category, f.no_guardian, f.clear_gaps).hash(&mut h);
            }
        }
        h.finish()
    }
}

/// The heights of the two kinds of row in CSS pixels, measured from the drawn rows (the style
/// fixes them in rem, so they follow the phone's text size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Heights {
    pub heading: f64,
    pub child: f64,
}

impl Default for Heights {
    fn default() -> Self {
        Heights {
            heading: 44.0,
            child: 84.0,
        }
    }
}

/// Where each row starts, from the list's top; one more entry for the list's whole height.
pub fn offsets(lines: &[Line], heights: Heights) -> Vec<f64> {
    let mut at = 0.0;
    let mut starts = Vec::with_capacity(lines.len() + 1);
    for line in lines {
        starts.push(at);
        at += match line {
            Line::Class { .. } => heights.heading,
            Line::Child(_) => heights.child,
        };
    }
    starts.push(at);
    starts
}

/// How the list is drawn: every row, the rows on screen and a margin (scrolling), or only the
/// rows on screen (the frame right after a keystroke; the margin follows once it is painted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draw {
    Whole,
    WithMargin,
    ScreenOnly,
}

/// The rows to draw, `first..last`, for a screen `top` pixels below the list's top (negative
/// while the list starts lower on the screen) and `height` tall.
pub fn range(starts: &[f64], top: f64, height: f64, draw: Draw) -> (usize, usize) {
    let rows = starts.len().saturating_sub(1);
    let margin = match draw {
        Draw::Whole => return (0, rows),
        Draw::WithMargin => MARGIN_PX,
        Draw::ScreenOnly => 0.0,
    };
    let first = starts
        .partition_point(|&s| s <= top - margin)
        .saturating_sub(1);
    // Row by row, not in steps: a fling then brings a few rows each frame instead of a dozen
    // every other frame (a row that stays is not touched, so a moved window costs only its new
    // rows).
    let last = starts[..rows].partition_point(|&s| s < top + height + margin);
    (first.min(last), last)
}

/// New rows a frame draws at most: a fast fling or a keystroke brings more rows into view than a
/// cheap phone lays out in one frame (each row's Chinese text costs about 4 ms to style and lay
/// out at 4× CPU throttling), so the rows on screen come first, a few a frame, then the margin.
/// A thumb's scroll brings fewer than one row a frame and never waits.
pub const ROWS_PER_FRAME: usize = 4;

/// The rows drawn next, `first..last`: what is `drawn` now, kept where it is still `wanted`,
/// grown by at most `budget` rows towards the rows on `screen` first, then the rest of
/// `wanted`. Drawn rows that share none of the screen are dropped, and the drawing starts again
/// at the screen's top row (a jump, or a fling faster than the rows came).
pub fn step(
    drawn: (usize, usize),
    wanted: (usize, usize),
    screen: (usize, usize),
    budget: usize,
) -> (usize, usize) {
    let clamp = |i: usize| i.clamp(wanted.0, wanted.1);
    let screen = (clamp(screen.0), clamp(screen.1));
    let shares_screen = drawn.0 < screen.1.max(screen.0 + 1) && screen.0 < drawn.1;
    let (mut first, mut last) = if shares_screen {
        (clamp(drawn.0), clamp(drawn.1))
    } else {
        (screen.0, screen.0)
    };
    let mut left = budget;
    for (end, goal) in [(screen.1, screen.0), (wanted.1, wanted.0)] {
        let down = left.min(end.saturating_sub(last));
        last += down;
        left -= down;
        let up = left.min(first.saturating_sub(goal));
        first -= up;
        left -= up;
    }
    (first, last)
}

/// Calls `again` at each coming frame for as long as it returns true.
pub fn each_frame(again: impl Fn() -> bool + 'static) {
    fn next(again: Rc<dyn Fn() -> bool>) {
        request_animation_frame(move || {
            if again() {
                next(again);
            }
        });
    }
    next(Rc::new(again));
}

/// Runs `then` once the next frame has been painted: what can wait a frame waits for it.
pub fn after_paint(then: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(then, std::time::Duration::ZERO));
}

/// How far the screen's top is below the element's top, in CSS pixels.
pub fn screen_below(element: &HtmlElement) -> f64 {
    let mut top = 0.0;
    let mut at: Option<web_sys::Element> = Some(element.clone().into());
    while let Some(node) = at.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        top += f64::from(node.offset_top());
        at = node.offset_parent();
    }
    window().scroll_y().unwrap_or(0.0) - top
}

pub fn screen_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(640.0)
}

/// Reads the drawn rows' heights; None while no row of that kind is drawn.
pub fn measure(list: &HtmlElement, known: Heights) -> Heights {
    let height = |selector: &str| {
        list.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            .map(|e| f64::from(e.offset_height()))
            .filter(|h| *h > 0.0)
    };
    Heights {
        heading: height("li.class-heading").unwrap_or(known.heading),
        child: height("li.child").unwrap_or(known.child),
    }
}

/// What the roster keeps while a child's screen is open: the filter, and where the list was
/// scrolled to when the child was tapped. Kept for the page's life, not stored: a reload locks
/// the app and starts the roster afresh.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub filter: Filter,
    pub standing: usize,
    pub scrolled: Option<f64>,
}

thread_local! {
    // The roster page is dropped while a child is open, so what it remembers lives here; no
    // other screen reads it, so it is not a context.
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::default());
}

/// What the roster kept, once: the next visit after this one starts afresh.
pub fn take() -> Memory {
    MEMORY.with(|m| m.take())
}

pub fn keep(memory: Memory) {
    MEMORY.with(|m| m.replace(memory));
}
