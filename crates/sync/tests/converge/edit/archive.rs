//! Saves to a child's archive: the basics, the notes, a section's field, a guardian, a
//! conflict settled.

use automerge::Automerge;
use shouwang_core::archive::{self as fields, FieldSpec, Kind, SectionId, Values};
use shouwang_core::schema::{self, archive};
use shouwang_core::{BasicInfo, Gender};

use super::pools::{pick, typed, PHRASES, WORDS};
use super::{Author, Edit, EditKind, Planned};
use crate::converge::school::{day, today};
use crate::converge::slot::{Record, Slot};

impl Edit {
    pub(super) fn child_edit(&self, author: &Author<'_>, doc: &Automerge) -> Option<Planned> {
        let (c, x, y, z) = (self.child, self.x, self.y, self.z);
        match self.kind {
            EditKind::Basic => {
                let mut record = schema::read_child(doc).ok()?;
                let key = set_basic(&mut record.basic, c, x, y);
                Planned::new(
                    vec![Slot::Basic(c, key)],
                    Box::new(move |tx| schema::update_child(tx, &record)),
                )
            }
            EditKind::Notes => {
                let mut record = schema::read_child(doc).ok()?;
                record.notes = PHRASES[usize::from(x) % PHRASES.len()].into();
                Planned::new(
                    vec![Slot::Notes(c)],
                    Box::new(move |tx| schema::update_child(tx, &record)),
                )
            }
            EditKind::Section => {
                let sections = editable_sections();
                let section = sections[usize::from(x) % sections.len()];
                let specs = editable(section.fields());
                let spec = specs[usize::from(y) % specs.len()];
                let mut values = read_section(doc, section);
                values.insert(spec.key.into(), typed(spec, z));
                let clean = valid(section.fields(), &values);
                let slot = if spec.kind == Kind::Prose {
                    Slot::Prose(c, section, spec.key)
                } else {
                    Slot::Section(c, section, spec.key)
                };
                Planned::new(
                    vec![slot],
                    Box::new(move |tx| archive::write_section(tx, section, &clean)),
                )
            }
            EditKind::AddGuardian => {
                let name = author.fresh("监护人");
                let mut values: Values = editable(fields::GUARDIAN)
                    .into_iter()
                    .enumerate()
                    .map(|(i, spec)| (spec.key.into(), typed(spec, x.wrapping_add(i as u8))))
                    .collect();
                values.insert("name".into(), name.clone());
                let clean = valid(fields::GUARDIAN, &values);
                let at = archive::read_archive(doc).ok()?.guardians.len();
                let planned = Planned::new(
                    Vec::new(),
                    Box::new(move |tx| archive::write_section(tx, SectionId::Guardian(at), &clean)),
                )?;
                Some(planned.with(Record::Guardian(name)))
            }
            EditKind::GuardianField => {
                let guardians = archive::read_archive(doc).ok()?.guardians;
                let at = pick(x, guardians.len())?;
                let mut values = guardians[at].clone();
                let name = values.get("name")?.clone();
                let specs: Vec<&FieldSpec> = editable(fields::GUARDIAN)
                    .into_iter()
                    .filter(|s| s.key != "name" && s.kind != Kind::Prose)
                    .collect();
                let spec = specs[usize::from(y) % specs.len()];
                values.insert(spec.key.into(), typed(spec, z));
                let clean = valid(fields::GUARDIAN, &values);
                Planned::new(
                    vec![Slot::Guardian(c, name, spec.key)],
                    Box::new(move |tx| archive::write_section(tx, SectionId::Guardian(at), &clean)),
                )
            }
            _ => self.keep_value(doc),
        }
    }

    /// Settles a conflict this phone shows, keeping its first value, as a teacher taps it.
    fn keep_value(&self, doc: &Automerge) -> Option<Planned> {
        let c = self.child;
        if self.x.is_multiple_of(2) {
            let conflicts = schema::basic_conflicts(doc);
            let conflict = conflicts.get(pick(self.y, conflicts.len())?)?.clone();
            let value = conflict.values.first()?.value.clone();
            // 备注 is among the basics' conflicts (one value beside them): its own slot.
            let slot = if conflict.key == "notes" {
                Slot::Notes(c)
            } else {
                Slot::Basic(c, conflict.key)
            };
            return Planned::new(
                vec![slot],
                Box::new(move |tx| schema::keep_basic_value(tx, conflict.key, &value)),
            );
        }
        let conflicts: Vec<(SectionId, archive::Conflict)> = editable_sections()
            .into_iter()
            .flat_map(|s| archive::conflicts(doc, s).into_iter().map(move |c| (s, c)))
            .collect();
        let (section, conflict) = conflicts.get(pick(self.y, conflicts.len())?)?.clone();
        let value = conflict.values.first()?.value.clone();
        // A prose field is watched as one (`Slot::Prose`), as its edits are.
        let prose = section
            .fields()
            .iter()
            .any(|spec| spec.key == conflict.key && spec.kind == Kind::Prose);
        let slot = if prose {
            Slot::Prose(c, section, conflict.key)
        } else {
            Slot::Section(c, section, conflict.key)
        };
        Planned::new(
            vec![slot],
            Box::new(move |tx| archive::keep_value(tx, section, conflict.key, &value)),
        )
    }
}

/// Sets one basic field to a value from a small pool; returns its key.
fn set_basic(basic: &mut BasicInfo, c: usize, x: u8, y: u8) -> &'static str {
    let word = WORDS[usize::from(y) % WORDS.len()];
    match x % 7 {
        0 => {
            basic.name = format!("儿童{c}{word}");
            "name"
        }
        1 => {
            basic.gender = if y.is_multiple_of(2) {
                Gender::Male
            } else {
                Gender::Female
            };
            "gender"
        }
        2 => {
            basic.birth_date = day(200 + y % 4) - chrono::Days::new(3000);
            "birthDate"
        }
        3 => {
            basic.grade = 1 + u32::from(y % 6);
            "grade"
        }
        4 => {
            basic.class = 1 + u32::from(y % 3);
            "class"
        }
        5 => {
            basic.village = format!("{word}村");
            "village"
        }
        _ => {
            basic.student_no = format!("G2016{}", y % 4);
            "studentNo"
        }
    }
}

/// The single-map sections a teacher edits field by field (the guardianship assessment is
/// written whole by a visit, the guardians one by one).
fn editable_sections() -> Vec<SectionId> {
    SectionId::SINGLE
        .into_iter()
        .filter(|s| *s != SectionId::Guardianship)
        .collect()
}

/// The fields a phone types into; a 身份证号 must agree with a birth date and is left empty.
pub(super) fn editable(specs: &[FieldSpec]) -> Vec<&FieldSpec> {
    specs
        .iter()
        .filter(|s| !matches!(s.kind, Kind::IdNumber { .. }))
        .collect()
}

fn read_section(doc: &Automerge, section: SectionId) -> Values {
    let mut values = crate::converge::slot::section_values(doc, section);
    values.retain(|key, _| section.fields().iter().any(|spec| spec.key == key));
    values
}

/// The values as the form stores them; the generator only types valid values.
fn valid(specs: &[FieldSpec], values: &Values) -> Values {
    fields::validate(specs, values, today())
        .unwrap_or_else(|e| panic!("typed values are valid: {values:?}: {e:?}"))
}
