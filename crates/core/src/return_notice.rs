//! The 劝返复学通知书 (DOMAIN.md §10: contact the family → written notice → report to the
//! township) as the school hands it over: who it is addressed to, the child and class, since when
//! the child has been away and how many school days, the day to return by and who to contact.
//! Once issued it is kept as it was printed — the ledger must show what the family was told, not
//! what today's figures would say after 复学 or another absence.

use chrono::{Duration, NaiveDate};

/// Days the family has to bring the child back, counted from the day the notice is issued.
pub const DAYS_TO_RETURN: i64 = 3;

/// One notice, as it is (or was) printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnNotice {
    pub issued: NaiveDate,
    /// The school's name, empty on a phone not enrolled (a blank line to fill in by hand).
    pub school: String,
    /// The guardian addressed, empty when the archive names none.
    pub guardian: String,
    pub child: String,
    pub class: String,
    /// The day the absence began and the unexcused school days since, when on record.
    pub away: Option<(NaiveDate, usize)>,
    pub return_by: NaiveDate,
    /// The teacher to contact: the one who issued it.
    pub contact: String,
}

impl ReturnNotice {
    /// The notice issued on `issued`, with the family given `DAYS_TO_RETURN` days.
    pub fn compose(
        issued: NaiveDate,
        school: &str,
        guardian: &str,
        child: &str,
        class: &str,
        away: Option<(NaiveDate, usize)>,
        contact: &str,
    ) -> ReturnNotice {
        ReturnNotice {
            issued,
            school: school.trim().to_string(),
            guardian: guardian.trim().to_string(),
            child: child.to_string(),
            class: class.to_string(),
            away,
            return_by: issued + Duration::days(DAYS_TO_RETURN),
            contact: contact.trim().to_string(),
        }
    }

    /// What the notice says of the absence.
    pub fn absence_zh(&self) -> String {
        match self.away {
            Some((began, days)) => format!(
                "自 {} 起未到校上课，至今已无故缺课 {days} 个上课日",
                day_zh(began)
            ),
            None => "近期未到校上课".to_string(),
        }
    }
}

/// A day as the notice prints it: 2026年12月7日.
pub fn day_zh(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::day;

    #[test]
    fn the_family_has_three_days_from_the_day_it_is_issued() {
        let notice = ReturnNotice::compose(
            day(2026, 12, 7),
            " 石门小学 ",
            "刘奶奶",
            "刘小东",
            "三年级2班",
            Some((day(2026, 11, 30), 6)),
            "李老师",
        );
        assert_eq!(notice.return_by, day(2026, 12, 10));
        assert_eq!(notice.school, "石门小学");
        assert_eq!(
            notice.absence_zh(),
            "自 2026年11月30日 起未到校上课，至今已无故缺课 6 个上课日"
        );
    }

    #[test]
    fn without_absences_on_record_it_says_only_recently() {
        let notice =
            ReturnNotice::compose(day(2026, 12, 7), "", "", "刘小东", "三年级2班", None, "");
        assert_eq!(notice.absence_zh(), "近期未到校上课");
    }
}
