//! `shouwang-server county …`: the admin's commands for a county (县教育局) — its schools, its
//! officers and their one-time codes. Like every admin command they only write `accounts.json`.

use clap::Subcommand;
use serde_json::json;

use crate::accounts::CODE_VALID_HOURS;
use crate::accounts_store::AccountsStore;
use crate::cli::{qr, Output};
use crate::county::County;
use crate::error::Error;
use crate::secret;
use crate::server::now;
use crate::state_store::StateStore;

#[derive(Debug, Subcommand)]
pub enum CountyCommand {
    /// Create a county of these schools; its officers see their published figures, counts only.
    Create {
        #[arg(long)]
        name: String,
        /// A school's id or exact name; repeat for each school. A school belongs to one county.
        #[arg(long = "school", required = true)]
        schools: Vec<String>,
    },
    /// Add a school to a county.
    AddSchool {
        /// The county's id (or exact name).
        #[arg(long)]
        county: String,
        /// The school's id or exact name.
        #[arg(long)]
        school: String,
    },
    /// Create an officer (教育局 staff) of a county, with a one-time code for their first device.
    Officer {
        /// The county's id (or exact name).
        #[arg(long)]
        county: String,
        #[arg(long)]
        name: String,
        /// How long the code works.
        #[arg(long, default_value_t = CODE_VALID_HOURS)]
        hours: u32,
    },
    /// Another one-time code for an officer's next device.
    Code {
        /// The officer's id (from `county officer`).
        #[arg(long)]
        officer: String,
        #[arg(long, default_value_t = CODE_VALID_HOURS)]
        hours: u32,
    },
}

pub fn run(command: &CountyCommand, state: &StateStore) -> Result<Output, Error> {
    let file = AccountsStore::new(state);
    match command {
        CountyCommand::Create { name, schools } => {
            let county = file.update(|a| a.add_county(name, schools, now()))?;
            Ok(county_output(&county))
        }
        CountyCommand::AddSchool { county, school } => {
            let county = file.update(|a| a.add_county_school(county, school))?;
            Ok(county_output(&county))
        }
        CountyCommand::Officer {
            county,
            name,
            hours,
        } => {
            let key = secret::server_key_of(state)?;
            // One write: an officer is never left without the code the admin was shown.
            let (officer, (code, expires)) = file.update(|a| {
                let officer = a.add_officer(county, name, now())?;
                let code = a.add_officer_code(&officer.id, *hours, now(), &key)?;
                Ok((officer, code))
            })?;
            Ok(Output {
                text: format!(
                    "officer {} created: {} (county {})\nenrolment code: {code} (valid {hours} h)\n{}",
                    officer.id,
                    officer.name,
                    officer.county,
                    qr(&code)
                ),
                json: json!({"id": officer.id, "county": officer.county, "name": officer.name,
                             "code": code, "expires": expires}),
            })
        }
        CountyCommand::Code { officer, hours } => {
            let key = secret::server_key_of(state)?;
            let (code, expires) =
                file.update(|a| a.add_officer_code(officer, *hours, now(), &key))?;
            Ok(Output {
                text: format!(
                    "enrolment code for {officer}: {code} (valid {hours} h)\n{}",
                    qr(&code)
                ),
                json: json!({"code": code, "officer": officer, "expires": expires}),
            })
        }
    }
}

fn county_output(county: &County) -> Output {
    Output {
        text: format!(
            "county {} ({}): schools {}",
            county.id,
            county.name,
            county.schools.join(", ")
        ),
        json: json!({"id": county.id, "name": county.name, "schools": county.schools}),
    }
}
