//! Reusable pieces of the screens: small and dumb, they take signals and render.

pub mod backup_panel;
pub mod bar_chart;
pub mod child_cadence_card;
pub mod child_shell;
pub mod choice_chips;
pub mod class_teacher_card;
pub mod code_form;
pub mod control_summary;
pub mod draft;
pub mod form;
pub mod input_error;
pub mod notice;
pub mod other_children;
pub mod paged_list;
pub mod rank_chart;
pub mod recovery_panel;
pub mod save_status;
pub mod school_data;
pub mod section_card;
pub mod spec_field;
pub mod status_card;
pub mod storage_warning;
pub mod submit;
pub mod sync_panel;
pub mod sync_status;
pub mod tap_result;
