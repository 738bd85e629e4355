//! The PIN that unlocks a phone's records: which PINs are accepted (long enough, not one of the
//! codes anyone tries first) and how long a wrong one makes the next try wait. Pure: the app
//! passes the time in, so the rule is tested here and the wait survives a reload on the phone.

/// Shortest PIN: six digits is what phones and bank cards taught teachers, and a million codes
/// behind a growing wait cannot be guessed in the time a lost phone is missing.
pub const MIN_LEN: usize = 6;
pub const MAX_LEN: usize = 12;

/// An app left untouched this long locks itself: a phone put down in a classroom or handed to
/// a family member shows the lock screen, not a child's record. The default of the school's
/// setting (`settings::Settings::idle_lock_minutes`, 1–30).
pub const IDLE_LOCK_MINUTES: u32 = 5;

/// Wrong PINs that cost nothing: a typo or two must not lock a teacher out in front of a parent.
pub const FREE_TRIES: u32 = 2;
/// The first wait, doubled after each further wrong PIN.
pub const FIRST_WAIT_SECS: u64 = 5;
/// The longest wait: an hour still lets a teacher in on the same day, and still limits a guesser
/// to a few dozen tries a day.
pub const MAX_WAIT_SECS: u64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinProblem {
    #[error("PIN 只能是数字")]
    NotDigits,
    #[error("PIN 至少 6 位数字")]
    TooShort,
    #[error("PIN 最多 12 位数字")]
    TooLong,
    #[error("PIN 不能全是同一个数字，请换一个不容易被猜到的")]
    Repeated,
    #[error("PIN 不能是连续的数字（如 123456、654321），请换一个不容易被猜到的")]
    Sequence,
    #[error("两次输入的 PIN 不一致，请重新输入")]
    Mismatch,
    #[error("备份口令至少 8 个字符：它保护离开手机的备份文件，请用一句只有你知道的话")]
    PassphraseTooShort,
}

/// Shortest passphrase of a backup file: the file leaves the phone and can be attacked offline
/// with no wait between tries, so it needs more than a PIN's six digits.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Checks the passphrase a backup file is sealed with.
pub fn check_passphrase(passphrase: &str) -> Result<(), PinProblem> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(PinProblem::PassphraseTooShort);
    }
    Ok(())
}

/// Checks a new PIN as typed twice.
pub fn check_new(pin: &str, again: &str) -> Result<(), PinProblem> {
    check(pin)?;
    if pin != again {
        return Err(PinProblem::Mismatch);
    }
    Ok(())
}

/// Whether what was typed on the lock screen could be a PIN at all (digits, 6–12 long): one that
/// cannot is said so and never counted as a wrong try.
pub fn could_be(pin: &str) -> Result<(), PinProblem> {
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        Err(PinProblem::NotDigits)
    } else if pin.len() < MIN_LEN {
        Err(PinProblem::TooShort)
    } else if pin.len() > MAX_LEN {
        Err(PinProblem::TooLong)
    } else {
        Ok(())
    }
}

/// Checks a new PIN: digits only, 6–12 long, not one digit repeated, not a run up or down.
pub fn check(pin: &str) -> Result<(), PinProblem> {
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(PinProblem::NotDigits);
    }
    let digits: Vec<i8> = pin.bytes().map(|b| (b - b'0') as i8).collect();
    if digits.len() < MIN_LEN {
        return Err(PinProblem::TooShort);
    }
    if digits.len() > MAX_LEN {
        return Err(PinProblem::TooLong);
    }
    let steps: Vec<i8> = digits.windows(2).map(|w| w[1] - w[0]).collect();
    if steps.iter().all(|&s| s == 0) {
        return Err(PinProblem::Repeated);
    }
    // 123456, 987654, 890123 (wrapping round the keypad row) and pairs like 121212.
    let run = |step: i8| {
        steps
            .iter()
            .all(|&s| s == step || s == step - 10 * step.signum())
    };
    if run(1) || run(-1) || is_cycle(&digits) {
        return Err(PinProblem::Sequence);
    }
    Ok(())
}

/// A short pattern repeated: 121212, 123123, 147147.
fn is_cycle(digits: &[i8]) -> bool {
    (2..=digits.len() / 2).any(|period| {
        digits.len().is_multiple_of(period)
            && digits
                .iter()
                .enumerate()
                .all(|(i, d)| *d == digits[i % period])
    })
}

/// How long the lock screen waits, in seconds, after `failures` wrong PINs in a row.
pub fn wait_after(failures: u32) -> u64 {
    if failures <= FREE_TRIES {
        return 0;
    }
    let doublings = (failures - FREE_TRIES - 1).min(20);
    FIRST_WAIT_SECS
        .saturating_mul(1 << doublings)
        .min(MAX_WAIT_SECS)
}

/// Wrong PINs in a row and when the next try is allowed (ms since the epoch, as the phone's
/// clock says), kept across reloads so closing the app does not reset the wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Lockout {
    pub failures: u32,
    pub until_ms: i64,
}

impl Lockout {
    /// After a wrong PIN at `now_ms`.
    pub fn failed(self, now_ms: i64) -> Lockout {
        let failures = self.failures.saturating_add(1);
        let wait = wait_after(failures) as i64 * 1000;
        Lockout {
            failures,
            until_ms: now_ms.saturating_add(wait),
        }
    }

    /// Whole seconds still to wait at `now_ms` (0: the PIN may be tried). A clock set back
    /// cannot stretch the wait beyond the longest one.
    pub fn wait_secs(self, now_ms: i64) -> u64 {
        let left = (self.until_ms - now_ms).max(0) as u64;
        left.div_ceil(1000).min(MAX_WAIT_SECS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_a_pin_is_said_and_not_tried() {
        assert_eq!(could_be("12"), Err(PinProblem::TooShort));
        assert_eq!(could_be("12345a"), Err(PinProblem::NotDigits));
        assert_eq!(could_be("1234567890123"), Err(PinProblem::TooLong));
        // A weak PIN may still be an older one: it is tried.
        assert_eq!(could_be("111111"), Ok(()));
    }

    #[test]
    fn pins_anyone_would_try_first_are_refused() {
        let cases = [
            ("12345", Err(PinProblem::TooShort)),
            ("12a456", Err(PinProblem::NotDigits)),
            ("1234567890123", Err(PinProblem::TooLong)),
            ("000000", Err(PinProblem::Repeated)),
            ("888888", Err(PinProblem::Repeated)),
            ("123456", Err(PinProblem::Sequence)),
            ("654321", Err(PinProblem::Sequence)),
            ("890123", Err(PinProblem::Sequence)),
            ("121212", Err(PinProblem::Sequence)),
            ("123123", Err(PinProblem::Sequence)),
            ("258036", Ok(())),
            ("740913", Ok(())),
            ("1357924680", Ok(())),
        ];
        for (pin, expected) in cases {
            assert_eq!(check(pin), expected, "{pin}");
        }
    }

    #[test]
    fn a_new_pin_must_be_typed_the_same_twice() {
        assert_eq!(check_new("258036", "258063"), Err(PinProblem::Mismatch));
        assert_eq!(check_new("258036", "258036"), Ok(()));
        assert_eq!(
            PinProblem::Sequence.to_string(),
            "PIN 不能是连续的数字（如 123456、654321），请换一个不容易被猜到的"
        );
    }

    #[test]
    fn a_backup_passphrase_is_longer_than_a_pin() {
        assert_eq!(
            check_passphrase("258036"),
            Err(PinProblem::PassphraseTooShort)
        );
        assert_eq!(
            check_passphrase("  守望留守儿童  "),
            Err(PinProblem::PassphraseTooShort)
        );
        assert_eq!(check_passphrase("李家村三组的备份"), Ok(()));
    }

    #[test]
    fn wrong_pins_make_the_wait_grow_up_to_an_hour() {
        let waits: Vec<u64> = (1..=6).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 5, 10, 20, 40]);
        assert_eq!(wait_after(40), MAX_WAIT_SECS);
    }

    #[test]
    fn the_wait_counts_down_and_a_clock_set_back_does_not_stretch_it() {
        let lockout = Lockout::default().failed(0).failed(0).failed(10_000);
        assert_eq!(lockout.failures, 3);
        assert_eq!(lockout.wait_secs(10_000), 5);
        assert_eq!(lockout.wait_secs(14_001), 1);
        assert_eq!(lockout.wait_secs(15_000), 0);
        assert_eq!(lockout.wait_secs(-10_000_000), MAX_WAIT_SECS);
    }
}
