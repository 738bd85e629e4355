//! 重点帮扶对象 and their plans (DOMAIN.md §7): why a child is a focus child, the individual plan
//! (个别教育管理方案) and when it is due for review, the learning-support plan (学习帮扶计划) and
//! the progress archive (进步档案) with rank gains over terms.

pub mod focus;
pub mod individual;
pub mod learning;
pub mod progress;

pub use focus::{Focus, FocusDraft, FocusReason};
pub use individual::{Measure, MeasureDraft, Plan, PlanDraft, Review, ReviewDraft};
pub use learning::{LearningPlan, LearningPlanDraft, Stage, StageDraft};
pub use progress::{progress, ResultDraft, Step, TermResult};
