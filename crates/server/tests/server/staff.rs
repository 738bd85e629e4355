//! A care lead keeps her school's staff from her own phone: she sees its teachers and phones,
//! adds a teacher (a name the school has is refused), issues a one-time code a new phone enrols
//! with, and 停用 a lost phone — whose token then stops working — but not the phone she is using.
//! A teacher may do none of it, and another school's lead reaches nothing of this school. She
//! sees when each phone was last in contact, and records a teacher's leaving once her children
//! are handed over.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use shouwang_server::{app, Config, Server};
use tower::ServiceExt;

use shouwang_core::schema::directory;
use shouwang_core::teachers::Duty;
use shouwang_server::DEFAULT_MAX_MESSAGE_BYTES;

use crate::support::{
    directory_of, dirs, enrolled, fetched, give_duty, json_of, new_doc_id, school, start, Device,
    Running,
};
use crate::wire::{http_get, http_post, Fetched};

async fn call(
    server: &Server,
    method: &str,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if !token.is_empty() {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(Body::from(body.to_string())).expect("request");
    json_of(app(server).oneshot(request).await.expect("response")).await
}

/// The teacher named `name` in a staff listing.
fn member<'a>(staff: &'a Value, name: &str) -> &'a Value {
    staff
        .as_array()
        .expect("a list")
        .iter()
        .find(|m| m["teacher"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {staff}"))
}

#[tokio::test]
async fn a_care_lead_adds_a_teacher_enrols_her_phone_and_revokes_a_lost_one() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let (other_school, _) = school(data.path(), "河口小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let other_lead = enrolled(data.path(), &other_school, "赵校长", "lead");
    let server = Server::open(Config::new(dist.path(), data.path()))
        .await
        .expect("server");

    // A teacher may not see or change the staff.
    for (method, path) in [("GET", "/api/staff"), ("POST", "/api/staff")] {
        let body = json!({"name": "李老师", "role": "teacher"});
        let (status, refused) = call(&server, method, path, &wang.token, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {refused}");
        assert_eq!(refused["error"], "lead-only");
    }

    let (status, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{staff}");
    assert_eq!(
        staff.as_array().map(Vec::len),
        Some(2),
        "own school only: {staff}"
    );
    let me = member(&staff, "张校长");
    assert_eq!(me["role"], "lead");
    assert_eq!(me["devices"][0]["thisPhone"], true);
    assert_eq!(
        member(&staff, "王老师")["devices"][0]["device"]["id"],
        wang.id.as_str()
    );

    // A new teacher; her name again, or none, is refused in Chinese.
    let (status, li) = call(
        &server,
        "POST",
        "/api/staff",
        &lead.token,
        json!({"name": " 李老师 ", "role": "teacher"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{li}");
    assert_eq!(li["name"], "李老师");
    let li_id = li["id"].as_str().expect("an id").to_string();
    for (name, said) in [("李老师", "本校已有“李老师”"), ("  ", "请填写教师姓名")]
    {
        let body = json!({"name": name, "role": "teacher"});
        let (status, refused) = call(&server, "POST", "/api/staff", &lead.token, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["message"].as_str().unwrap_or("").contains(said),
            "{refused}"
        );
    }

    // Her code enrols her phone, once; another school's lead cannot issue one.
    let path = format!("/api/staff/{li_id}/code");
    let (status, _) = call(&server, "POST", &path, &other_lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, code) = call(&server, "POST", &path, &lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{code}");
    let enrol = json!({"code": code["code"], "deviceName": "李老师的手机"});
    let (status, enrolment) = call(&server, "POST", "/api/enrol", "", enrol.clone()).await;
    assert_eq!(status, StatusCode::OK, "{enrolment}");
    assert_eq!(enrolment["teacher"]["name"], "李老师");
    let (status, _) = call(&server, "POST", "/api/enrol", "", enrol).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "one use");
    let (_, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    assert_eq!(
        member(&staff, "李老师")["devices"][0]["device"]["name"],
        "李老师的手机"
    );

    // 停用: not the lead's own phone, not from another school; 王老师's lost phone stops at once.
    let own = format!("/api/staff/devices/{}/revoke", lead.id);
    let (status, refused) = call(&server, "POST", &own, &lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(refused["message"]
        .as_str()
        .unwrap_or("")
        .contains("不能停用你正在用的这台手机"));
    let lost = format!("/api/staff/devices/{}/revoke", wang.id);
    let (status, _) = call(&server, "POST", &lost, &other_lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, "GET", "/api/me", &wang.token, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "still working before");
    let (status, revoked) = call(&server, "POST", &lost, &lead.token, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    let (_, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    assert!(
        member(&staff, "王老师")["devices"][0]["toldToErase"].is_null(),
        "not back since the stop: {staff}"
    );
    let (status, me) = call(&server, "GET", "/api/me", &wang.token, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{me}");
    assert_eq!(me["error"], "revoked");
    let (_, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    let phone = &member(&staff, "王老师")["devices"][0];
    assert_eq!(phone["revoked"], revoked["revoked"]);
    // Its return after the stop (the 401 that makes it erase itself) is written down, once.
    let told = phone["toldToErase"].as_i64().expect("told to erase");
    assert!(
        told >= revoked["revoked"].as_i64().expect("revoked"),
        "{phone}"
    );
    let (status, _) = call(&server, "GET", "/api/me", &wang.token, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    assert_eq!(
        member(&staff, "王老师")["devices"][0]["toldToErase"],
        told,
        "the first return only"
    );
    assert!(
        member(&staff, "李老师")["devices"][0]["toldToErase"].is_null(),
        "a phone in use has nothing to erase"
    );
    server.stop().await;
}

/// `GET /api/staff` over the running server.
async fn staff_of(server: &Running, lead: &Device) -> Value {
    serde_json::from_str(&http_get(&server.addr, "/api/staff", &lead.token).await).expect("JSON")
}

#[tokio::test]
async fn a_teacher_leaves_once_her_children_are_handed_over_and_her_phones_stop() {
    let (dist, data) = dirs();
    let (school_id, _) = school(data.path(), "石桥小学");
    let lead = enrolled(data.path(), &school_id, "张校长", "lead");
    let wang = enrolled(data.path(), &school_id, "王老师", "teacher");
    let server = start(dist.path(), data.path(), DEFAULT_MAX_MESSAGE_BYTES).await;
    let staff = staff_of(&server, &lead).await;
    let wang_id = member(&staff, "王老师")["teacher"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(
        member(&staff, "王老师")["devices"][0]["lastSeen"].is_i64(),
        "enrolling is a contact: {staff}"
    );

    // Her phone syncs: the lead sees it connected now.
    let mut wang_phone = server.client(&wang).await;
    let directory = directory_of(&server, &lead).await;
    assert!(matches!(
        wang_phone.fetch(&directory).await,
        Fetched::Doc(_)
    ));
    let staff = staff_of(&server, &lead).await;
    let phone = &member(&staff, "王老师")["devices"][0];
    assert_eq!(phone["online"], true, "{phone}");

    // With a child in her care she cannot leave: the lead is told to hand over first.
    let mut dir = fetched(&server, &lead, &directory).await;
    let child = new_doc_id();
    give_duty(&mut dir, &child, &wang_id, Duty::ClassTeacher);
    assert!(server.client(&lead).await.offer(&directory, &mut dir).await);
    let leave = format!("/api/staff/{wang_id}/leave");
    let refused: Value =
        serde_json::from_str(&http_post(&server.addr, &leave, &lead.token, "").await)
            .expect("JSON");
    assert_eq!(refused["error"], "refused", "{refused}");
    assert_eq!(
        refused["message"],
        "王老师还负责 1 名儿童。请先在“结对帮扶 → 整体交接”把这些交给其他老师，再办理离校"
    );
    // Nor may the lead record her own leaving, nor a teacher anyone's.
    let me = member(&staff_of(&server, &lead).await, "张校长")["teacher"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let own = format!("/api/staff/{me}/leave");
    let refused: Value =
        serde_json::from_str(&http_post(&server.addr, &own, &lead.token, "").await).expect("JSON");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains("不能为自己办理离校"),
        "{refused}"
    );
    let refused: Value =
        serde_json::from_str(&http_post(&server.addr, &leave, &wang.token, "").await)
            .expect("JSON");
    assert_eq!(refused["error"], "lead-only", "{refused}");

    // Handed over, she leaves: her phone stops, the directory marks her, her name stays.
    let mut dir = fetched(&server, &lead, &directory).await;
    let meta = shouwang_core::ChangeMeta::new("张校长", "整体交接", 1);
    shouwang_core::schema::change(&mut dir, &meta, |tx| {
        directory::hand_over(tx, &wang_id, &me, 1).map(drop)
    })
    .expect("handed over");
    assert!(server.client(&lead).await.offer(&directory, &mut dir).await);
    let left: Value = serde_json::from_str(&http_post(&server.addr, &leave, &lead.token, "").await)
        .expect("JSON");
    let at = left["left"].as_i64().unwrap_or_else(|| panic!("{left}"));
    let me_now = http_get(&server.addr, "/api/me", &wang.token).await;
    assert!(me_now.contains("revoked"), "{me_now}");
    let wang_now = member(&staff_of(&server, &lead).await, "王老师").clone();
    assert_eq!(wang_now["left"], at);
    assert!(wang_now["devices"][0]["revoked"].is_i64(), "{wang_now}");
    let listed = teachers_in(&server, &lead, &directory).await;
    assert_eq!(listed["王老师"], Some(at), "kept in the directory, marked");

    // No code for her now; her name cannot be taken again unnoticed; 撤销离校 brings her back.
    let code = format!("/api/staff/{wang_id}/code");
    let refused = http_post(&server.addr, &code, &lead.token, "").await;
    assert!(refused.contains("王老师已离校"), "{refused}");
    let again = json!({"name": "王老师", "role": "teacher"}).to_string();
    let refused = http_post(&server.addr, "/api/staff", &lead.token, &again).await;
    assert!(refused.contains("撤销离校"), "{refused}");
    let back = format!("/api/staff/{wang_id}/return");
    let answer = http_post(&server.addr, &back, &lead.token, "").await;
    assert!(answer.contains("\"left\":null"), "{answer}");
    let listed = teachers_in(&server, &lead, &directory).await;
    assert_eq!(listed["王老师"], None, "teaching here again");
    let issued = http_post(&server.addr, &code, &lead.token, "").await;
    assert!(issued.contains("\"code\""), "{issued}");
}

/// The directory's teachers as the lead's phone reads them: name → when she left (the server
/// writes the mark before it answers).
async fn teachers_in(
    server: &Running,
    lead: &Device,
    directory: &str,
) -> std::collections::BTreeMap<String, Option<i64>> {
    let doc = fetched(server, lead, directory).await;
    directory::read_teachers(&doc)
        .expect("teachers")
        .into_iter()
        .map(|t| (t.name, t.left))
        .collect()
}
