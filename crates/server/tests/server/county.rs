//! The county (县教育局): two schools of a county whose care leads' phones publish their figures
//! into the directory, a third of the county that has not, and a school of no county. The
//! officer sees the county's schools in order and a total equal to the sum of what the two
//! published — and no child's name or document id, though a child is registered by name. An
//! officer's token opens no school session, a teacher's is refused at the county, each kind of
//! code enrols only at its own endpoint, and a revoked officer's device is refused.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::NaiveDate;
use serde_json::Value;
use shouwang_core::api::county::CountyView;
use shouwang_core::cadence::CareKind;
use shouwang_core::family::Category;
use shouwang_core::schema::{self, figures};
use shouwang_core::stats::figures::{Figures, Published};
use shouwang_core::stats::Tally;
use shouwang_core::{ChangeMeta, DocId};
use shouwang_server::{app, Server, DEFAULT_MAX_MESSAGE_BYTES};
use tower::ServiceExt;

use crate::support::{
    cli, directory_of, dirs, doc, enrolled, field, index_of, json_of, named_at, new_doc_id, school,
    start, Device, Running,
};
use crate::wire::{http_get, http_post, Client, Fetched};

/// What a school's care lead's phone publishes (`children` and the rest as given).
pub fn published(
    children: u32,
    categories: &[(Category, u32)],
    visits: Tally,
    cases: (u32, u32, u32),
) -> Published {
    let (dropout_cases, returned, confirmed_dropouts) = cases;
    Published {
        as_of: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        term: None,
        figures: Figures {
            children,
            left_behind: children - 2,
            watched: 1,
            unknown: 1,
            by_category: categories.iter().copied().collect(),
            archived: children - 3,
            no_guardian: 1,
            paired: children / 2,
            care: [(CareKind::Visit, visits)].into_iter().collect(),
            overdue: 2,
            dropout_cases,
            returned,
            confirmed_dropouts,
            out_of_school: confirmed_dropouts,
            sessions: 2,
            session_children: children,
            unreadable: 0,
        },
    }
}

pub fn tally(due: u32, done: u32) -> Tally {
    Tally { due, done }
}

/// The lead's phone writes the figures into its school's directory and syncs them, as the app
/// does once its dashboard is computed.
async fn publish(server: &Running, lead: &Device, figures: &Published) {
    publish_at(&server.addr, lead, figures).await;
}

/// `publish` through the server listening at `addr`.
pub async fn publish_at(addr: &str, lead: &Device, figures: &Published) {
    let directory = named_at(addr, lead, "directoryUrl").await;
    let mut phone = Client::connect(addr, &lead.token, &lead.peer)
        .await
        .expect("the lead's phone connects");
    let Fetched::Doc(mut dir) = phone.fetch(&directory).await else {
        panic!("the lead reads the directory");
    };
    schema::change(
        &mut dir,
        &ChangeMeta::new("校长", "公布学校汇总", 1),
        |tx| figures::put_figures(tx, figures),
    )
    .expect("figures");
    assert!(
        phone.offer(&directory, &mut dir).await,
        "the server takes the lead's figures"
    );
}

/// A child registered and listed by name in the school's index, as the lead's phone does.
async fn register_child(server: &Running, lead: &Device, name: &str) -> String {
    let child = new_doc_id();
    let mut phone = server.client(lead).await;
    phone.upload(&child, &mut doc("child", name)).await;
    let index = index_of(server, lead).await;
    let Fetched::Doc(mut listed) = phone.fetch(&index).await else {
        panic!("the lead reads the index");
    };
    let line = shouwang_core::BasicInfo {
        name: name.into(),
        gender: shouwang_core::Gender::Male,
        birth_date: NaiveDate::from_ymd_opt(2016, 3, 8).expect("date"),
        grade: 4,
        class: 1,
        village: "后山村".into(),
        student_no: String::new(),
    };
    schema::change(&mut listed, &ChangeMeta::new("校长", "名册", 1), |tx| {
        schema::index::put_index_entry(tx, DocId::parse(&child).expect("id"), &line)
    })
    .expect("line");
    assert!(phone.offer(&index, &mut listed).await);
    child
}

/// `county create` through the CLI, with `--school` for each of `schools`.
pub fn create_county(data: &Path, name: &str, schools: &[&str]) -> Result<Value, Value> {
    let mut args = vec!["county", "create", "--name", name];
    for school in schools {
        args.extend(["--school", school]);
    }
    cli(data, &args)
}

fn add_school(data: &Path, county: &str, school: &str) -> Result<Value, Value> {
    cli(
        data,
        &[
            "county",
            "add-school",
            "--county",
            county,
            "--school",
            school,
        ],
    )
}

/// `county officer` through the CLI: the officer's id and one-time code.
pub fn officer(data: &Path, county: &str, name: &str) -> (String, String) {
    let made = officer_json(data, county, name, "24");
    (field(&made, "id"), field(&made, "code"))
}

fn officer_json(data: &Path, county: &str, name: &str, hours: &str) -> Value {
    let args = ["--county", county, "--name", name, "--hours", hours];
    cli(data, &[&["county", "officer"][..], &args].concat()).expect("officer")
}

/// `POST /api/county/enrol` on the running server: its status and answer.
async fn county_enrol(server: &Server, path: &str, code: &str) -> (StatusCode, Value) {
    let body = serde_json::json!({"code": code, "deviceName": "教育局的电脑"});
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    json_of(app(server).oneshot(request).await.expect("response")).await
}

async fn get(server: &Server, path: &str, token: &str) -> (StatusCode, Value) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    json_of(app(server).oneshot(request).await.expect("response")).await
}

/// An officer enrolled over HTTP: its token.
async fn enrolled_officer(server: &Server, code: &str) -> String {
    let (status, enrolment) = county_enrol(server, "/api/county/enrol", code).await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    field(&enrolment, "token")
}

#[tokio::test]
async fn a_county_sees_the_sum_of_its_schools_figures_and_no_child() {
    let (dist, data) = dirs();
    let data = data.path();
    let (shiqiao, _) = school(data, "石桥小学");
    let (hekou, _) = school(data, "河口小学");
    let (songlin, _) = school(data, "松林小学");
    let (elsewhere, _) = school(data, "邻县小学");
    let leads: Vec<Device> = [&shiqiao, &hekou, &elsewhere]
        .iter()
        .map(|s| enrolled(data, s, "校长", "lead"))
        .collect();
    let county = create_county(data, "青山县", &[&shiqiao, "河口小学"]).expect("county");
    let county = field(&county, "id");
    let added = add_school(data, &county, "松林小学").expect("add a school");
    assert_eq!(
        added["schools"],
        serde_json::json!([shiqiao, hekou, songlin])
    );
    let (officer_id, code) = officer(data, &county, "王科长");
    let server = start(dist.path(), data, DEFAULT_MAX_MESSAGE_BYTES).await;

    let (status, enrolment) = county_enrol(&server.server, "/api/county/enrol", &code).await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    assert_eq!(enrolment["county"]["id"], county.as_str());
    assert_eq!(enrolment["county"]["name"], "青山县");
    assert_eq!(enrolment["officer"]["id"], officer_id.as_str());
    assert_eq!(enrolment["officer"]["name"], "王科长");
    let token = field(&enrolment, "token");

    let a = published(
        12,
        &[(Category::BothAway, 6), (Category::OneAway, 4)],
        tally(12, 9),
        (1, 1, 0),
    );
    let b = published(30, &[(Category::BothAway, 28)], tally(30, 21), (2, 0, 1));
    let outside = published(500, &[(Category::BothAway, 400)], tally(500, 1), (9, 9, 9));
    publish(&server, &leads[0], &a).await;
    publish(&server, &leads[1], &b).await;
    publish(&server, &leads[2], &outside).await;
    let child = register_child(&server, &leads[0], "甄小明").await;

    let body = http_get(&server.addr, "/api/county", &token).await;
    let view: CountyView = serde_json::from_str(&body).expect("the county's view");
    assert_eq!(view.county.id, county);
    let listed: Vec<(&str, &str, bool)> = view
        .schools
        .iter()
        .map(|s| {
            let (id, name) = (s.school.id.as_str(), s.school.name.as_str());
            (id, name, s.published.is_some())
        })
        .collect();
    assert_eq!(
        listed,
        [
            (shiqiao.as_str(), "石桥小学", true),
            (hekou.as_str(), "河口小学", true),
            (songlin.as_str(), "松林小学", false),
        ],
        "the county's schools in its order; 松林 has not published"
    );
    assert_eq!(view.schools[0].published.as_ref(), Some(&a));
    assert_eq!(view.schools[1].published.as_ref(), Some(&b));
    assert_eq!(view.reported(), 2);
    // The sum written out by hand, not by the code under test.
    let expected = Figures {
        children: 42,
        left_behind: 38,
        watched: 2,
        unknown: 2,
        by_category: [(Category::BothAway, 34), (Category::OneAway, 4)]
            .into_iter()
            .collect(),
        archived: 36,
        no_guardian: 2,
        paired: 21,
        care: [(CareKind::Visit, tally(42, 30))].into_iter().collect(),
        overdue: 4,
        dropout_cases: 3,
        returned: 1,
        confirmed_dropouts: 1,
        out_of_school: 1,
        sessions: 4,
        session_children: 42,
        unreadable: 0,
    };
    assert_eq!(view.total, expected);

    assert!(!body.contains(&elsewhere) && !body.contains("邻县小学"));
    let server_json = serde_json::to_string(&view).expect("json");
    assert_eq!(
        serde_json::from_str::<Value>(&server_json).expect("json"),
        serde_json::from_str::<Value>(&body).expect("json"),
        "the answer has no field beyond the county's types"
    );
    let mut private = vec![
        child.clone(),
        "甄小明".to_string(),
        "后山村".to_string(),
        "校长".to_string(),
    ];
    for lead in &leads[..2] {
        private.push(directory_of(&server, lead).await);
        private.push(index_of(&server, lead).await);
        private.push(lead.id.clone());
    }
    for secret in private {
        assert!(
            !body.contains(&secret),
            "{secret} is in the county's answer"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn an_officer_opens_no_school_session_and_a_teacher_no_county() {
    let (dist, data) = dirs();
    let data = data.path();
    let (shiqiao, _) = school(data, "石桥小学");
    let teacher = enrolled(data, &shiqiao, "李老师", "teacher");
    let lead = enrolled(data, &shiqiao, "张校长", "lead");
    let county = create_county(data, "青山县", &["石桥小学"]).expect("county");
    let (_, code) = officer(data, &field(&county, "id"), "王科长");
    let server = start(dist.path(), data, DEFAULT_MAX_MESSAGE_BYTES).await;
    let token = enrolled_officer(&server.server, &code).await;

    for path in ["/api/me", "/api/quota", "/api/audit", "/api/recovery"] {
        let (status, body) = get(&server.server, path, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
        assert_eq!(body["error"], "unknown-token", "{path}");
    }
    let registered = http_post(
        &server.addr,
        "/api/children",
        &token,
        &serde_json::json!({"children": [new_doc_id()]}).to_string(),
    )
    .await;
    assert!(registered.contains("unknown-token"), "{registered}");
    let refused = Client::connect(&server.addr, &token, "device-county")
        .await
        .err()
        .expect("the sync socket refuses an officer");
    assert!(refused.contains("401"), "{refused}");

    for phone in [&teacher, &lead] {
        let (status, body) = get(&server.server, "/api/county", &phone.token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"], "county-only");
        assert_eq!(
            body["message"],
            "这是学校教师的账号，不能查看全县汇总；请用教育局的登记码登记"
        );
    }
    let (status, _) = get(&server.server, "/api/county", "not-a-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The officer's device is listed and revoked like a teacher's, while the server runs.
    let (status, _) = get(&server.server, "/api/county", &token).await;
    assert_eq!(status, StatusCode::OK);
    let devices = cli(data, &["devices", "list"]).expect("list");
    let officer_device = devices
        .as_array()
        .and_then(|all| all.iter().find(|d| d["officerName"] == "王科长"))
        .expect("the officer's device is listed");
    assert_eq!(officer_device["name"], "教育局的电脑");
    assert_eq!(officer_device["county"], field(&county, "id").as_str());
    let school_only = cli(data, &["devices", "list", "--school", &shiqiao]).expect("list");
    assert_eq!(school_only.as_array().map(Vec::len), Some(2));
    let id = field(officer_device, "id");
    cli(data, &["devices", "revoke", "--device", &id]).expect("revoke");
    let (status, body) = get(&server.server, "/api/county", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "revoked");
    server.stop().await;
}

#[tokio::test]
async fn each_code_enrols_only_at_its_own_endpoint_and_guesses_share_one_budget() {
    let (dist, data) = dirs();
    let data = data.path();
    let (shiqiao, _) = school(data, "石桥小学");
    let teacher = crate::support::teacher(data, &shiqiao, "李老师", "teacher");
    let teacher_code = field(
        &cli(data, &["enrol-code", "--teacher", &teacher]).expect("code"),
        "code",
    );
    let county = create_county(data, "青山县", &[&shiqiao]).expect("county");
    let (officer_id, officer_code) = officer(data, &field(&county, "id"), "王科长");
    let server = start(dist.path(), data, DEFAULT_MAX_MESSAGE_BYTES).await;
    let server = &server.server;

    let (_, unknown) = county_enrol(server, "/api/enrol", "WRONG234").await;
    for (path, code) in [
        ("/api/county/enrol", teacher_code.as_str()),
        ("/api/enrol", officer_code.as_str()),
    ] {
        let (status, body) = county_enrol(server, path, code).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(body, unknown, "{path} answers as for an unknown code");
    }
    let (status, body) = county_enrol(server, "/api/enrol", &teacher_code).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the teacher's code still works: {body}"
    );
    let (status, body) = county_enrol(server, "/api/county/enrol", &officer_code).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the officer's code still works: {body}"
    );
    let again = cli(data, &["county", "code", "--officer", &officer_id]).expect("code");
    assert_eq!(field(&again, "officer"), officer_id);
    assert!(again["expires"].is_i64());
    enrolled_officer(server, &field(&again, "code")).await;

    // One router, one limiter: ten guesses at the teachers' endpoint use up the county's too.
    let router = app(server);
    for _ in 0..10 {
        let request = Request::post("/api/enrol")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"code":"WRONG234"}"#))
            .expect("request");
        router.clone().oneshot(request).await.expect("response");
    }
    let request = Request::post("/api/county/enrol")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"code":"WRONG234"}"#))
        .expect("request");
    let (status, body) = json_of(router.oneshot(request).await.expect("response")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    server.stop().await;
}

#[test]
fn the_admin_makes_a_county_of_schools_by_id_or_name_each_school_in_one_county() {
    let data = tempfile::tempdir().expect("data");
    let data = data.path();
    let (shiqiao, _) = school(data, "石桥小学");
    let (hekou, _) = school(data, "河口小学");
    let county = create_county(data, "青山县", &["石桥小学", &hekou]).expect("county");
    assert!(field(&county, "id").starts_with("c-"), "{county}");
    assert_eq!(county["name"], "青山县");
    assert_eq!(county["schools"], serde_json::json!([shiqiao, hekou]));
    let id = field(&county, "id");

    let refused = create_county(data, "白水县", &[&hekou]).expect_err("one county a school");
    assert!(field(&refused, "error").contains(&id), "{refused}");
    assert!(create_county(data, "白水县", &["nowhere"]).is_err());
    assert!(
        create_county(data, "白水县", &[]).is_err(),
        "a county of no school"
    );
    let again = add_school(data, &id, &shiqiao).expect("adding a school again");
    assert_eq!(again, county, "changes nothing");

    let made = officer_json(data, &id, "王科长", "2");
    assert!(field(&made, "id").starts_with("o-"), "{made}");
    assert_eq!(made["county"], id.as_str());
    assert_eq!(made["name"], "王科长");
    assert_eq!(field(&made, "code").len(), 8);
    assert!(made["expires"].is_i64());
    let stored = std::fs::read_to_string(data.join("accounts.json")).expect("accounts");
    assert!(
        !stored.contains(&field(&made, "code")),
        "codes are stored only hashed"
    );

    // Without --json the code is printed with its QR code, as `enrol-code` does.
    let text = std::process::Command::new(env!("CARGO_BIN_EXE_shouwang-server"))
        .arg("--data-dir")
        .arg(data)
        .args(["county", "code", "--officer", &field(&made, "id")])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("enrolment code for o-"), "{text}");
    assert!(
        text.contains('▀') || text.contains('▄'),
        "a QR code: {text}"
    );
    assert!(cli(data, &["county", "code", "--officer", "o-nobody"]).is_err());
}
