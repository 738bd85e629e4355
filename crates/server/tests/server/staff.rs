//! A care lead keeps her school's staff from her own phone: she sees its teachers and phones,
//! adds a teacher (a name the school has is refused), issues a one-time code a new phone enrols
//! with, and 停用 a lost phone — whose token then stops working — but not the phone she is using.
//! A teacher may do none of it, and another school's lead reaches nothing of this school.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use shouwang_server::{app, Config, Server};
use tower::ServiceExt;

use crate::support::{dirs, enrolled, json_of, school};

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
    let (status, me) = call(&server, "GET", "/api/me", &wang.token, Value::Null).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{me}");
    assert_eq!(me["error"], "revoked");
    let (_, staff) = call(&server, "GET", "/api/staff", &lead.token, Value::Null).await;
    assert_eq!(
        member(&staff, "王老师")["devices"][0]["revoked"],
        revoked["revoked"]
    );
    server.stop().await;
}
