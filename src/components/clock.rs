//! Unix times as the phone's own clock reads them, in the few shapes the screens show: one
//! formatter for every screen, so a date never reads one way here and another way there.

/// A time in `format` on the phone's clock; nothing for a time out of range (a corrupted value
/// shows nothing odd).
pub fn local(secs: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.with_timezone(&chrono::Local).format(format).to_string())
        .unwrap_or_default()
}

/// 12月07日 14:20.
pub fn when(secs: i64) -> String {
    local(secs, "%m月%d日 %H:%M")
}

/// 12月7日.
pub fn day_of(secs: i64) -> String {
    local(secs, "%-m月%-d日")
}
