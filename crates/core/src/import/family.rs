//! The family columns a school's own list often carries beside the child's (父亲姓名, 母亲电话,
//! 父亲务工地, 监护人, 与儿童关系): read into the archive's 父亲, 母亲 and first 监护人 sections, so
//! a list of left-behind children arrives with its parents away rather than as 家庭情况未知 for
//! the lead to fill in by hand, one form per parent.

use crate::archive::SectionId;

use super::{put, Column, RowRead};

/// Whose column it is.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Father,
    Mother,
    Guardian,
}

/// Which column a family heading is: `None` when it is not a family heading, `Some(Ignore)` for
/// one this import does not read (父亲身份证号, 祖父姓名), which must not be taken for the child's.
pub(super) fn guess(h: &str) -> Option<Column> {
    let any = |words: &[&str]| words.iter().any(|w| h.contains(w));
    if !h.contains("监护人") && any(&["祖", "爷爷", "奶奶", "外公", "外婆"]) {
        return Some(Column::Ignore);
    }
    // Beside a 监护人 column, its relation often goes without the word.
    if any(&["与儿童关系", "与学生关系", "与孩子关系"]) || h == "关系" {
        return Some(Column::GuardianRelation);
    }
    let who = if any(&["监护人", "委托"]) {
        Who::Guardian
    } else if h.starts_with('父') || any(&["父亲", "爸爸"]) {
        Who::Father
    } else if h.starts_with('母') || any(&["母亲", "妈妈"]) {
        Who::Mother
    } else {
        return None;
    };
    let column = match who {
        _ if any(&["电话", "手机", "联系方式", "号码"]) => match who {
            Who::Father => Column::FatherPhone,
            Who::Mother => Column::MotherPhone,
            Who::Guardian => Column::GuardianPhone,
        },
        Who::Father if any(&["务工", "打工", "工作地", "外出地"]) => Column::FatherWork,
        Who::Mother if any(&["务工", "打工", "工作地", "外出地"]) => Column::MotherWork,
        Who::Guardian if h.contains("关系") => Column::GuardianRelation,
        _ if any(&["姓名", "名字"]) || ["父亲", "母亲", "监护人"].contains(&h) => {
            match who {
                Who::Father => Column::FatherName,
                Who::Mother => Column::MotherName,
                Who::Guardian => Column::GuardianName,
            }
        }
        _ => Column::Ignore,
    };
    Some(column)
}

/// The section and key a family column fills; `None` for the child's own columns.
pub(super) fn target(column: Column) -> Option<(SectionId, &'static str)> {
    Some(match column {
        Column::FatherName => (SectionId::Father, "name"),
        Column::FatherPhone => (SectionId::Father, "phone"),
        Column::FatherWork => (SectionId::Father, "workCity"),
        Column::MotherName => (SectionId::Mother, "name"),
        Column::MotherPhone => (SectionId::Mother, "phone"),
        Column::MotherWork => (SectionId::Mother, "workCity"),
        Column::GuardianName => (SectionId::Guardian(0), "name"),
        Column::GuardianRelation => (SectionId::Guardian(0), "relation"),
        Column::GuardianPhone => (SectionId::Guardian(0), "phone"),
        _ => return None,
    })
}

/// Puts one family cell into the row's sections. A parent with a place of work is away (外出务工)
/// unless the row says otherwise; the place is split at 省 (广东省东莞市 → 广东省 / 东莞市), as the
/// registration form keeps province and city apart.
pub(super) fn read(read: &mut RowRead, column: Column, raw: &str) {
    let Some((id, key)) = target(column) else {
        return;
    };
    if raw.is_empty() {
        return;
    }
    match column {
        Column::FatherWork | Column::MotherWork => {
            match raw.split_once('省') {
                Some((province, city)) => {
                    put(
                        &mut read.sections,
                        id,
                        "workProvince",
                        &format!("{province}省"),
                    );
                    if !city.trim().is_empty() {
                        put(&mut read.sections, id, "workCity", city.trim());
                    }
                }
                None => put(&mut read.sections, id, key, raw),
            }
            let has_status = read
                .sections
                .iter()
                .any(|(s, values)| *s == id && values.contains_key("status"));
            if !has_status {
                put(&mut read.sections, id, "status", "away");
            }
        }
        Column::GuardianRelation => put(&mut read.sections, id, key, &relation_code(raw)),
        _ => put(&mut read.sections, id, key, raw),
    }
}

/// A guardian's relation by its code, from the form's labels or as families say it (奶奶, 外公);
/// anything else kept as written, for the row to report.
fn relation_code(raw: &str) -> String {
    let said = match raw {
        "爷爷" => "祖父",
        "奶奶" => "祖母",
        "外公" | "姥爷" => "外祖父",
        "外婆" | "姥姥" => "外祖母",
        "叔叔" | "伯伯" | "姑姑" | "舅舅" | "阿姨" | "姨妈" | "哥哥" | "姐姐" => {
            "其他亲属"
        }
        other => other,
    };
    let options = match SectionId::Guardian(0).spec("relation").map(|f| f.kind) {
        Some(crate::archive::Kind::Choice(options)) => options,
        _ => &[],
    };
    options
        .iter()
        .find(|(code, label)| *label == said || *code == said)
        .map(|(code, _)| code.to_string())
        .unwrap_or_else(|| raw.to_string())
}
