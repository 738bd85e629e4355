//! What samod 0.16 does that the client relies on, checked against the real server rather than
//! taken from its source.

use shouwang_sync::{DocMessage, Message, PeerMetadata};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::docs::id;
use crate::support::samod_server::SamodServer;
use crate::support::ws_peer::Device;

async fn joined(server: &SamodServer) -> Device {
    let mut device = Device::new("peer-a");
    device.connect(&server.url()).await;
    device
        .run_until("handshake", |d| d.client.server_id().is_some())
        .await;
    device
}

#[tokio::test]
async fn the_peer_reply_names_the_server_version_one_and_its_storage() {
    let server = SamodServer::start().await;
    let device = joined(&server).await;
    let [Message::Peer {
        sender_id,
        target_id,
        selected_protocol_version,
        peer_metadata:
            Some(PeerMetadata {
                storage_id: Some(_),
                is_ephemeral: false,
            }),
        // samod alone does not answer summaries; our server's router says it does.
        summaries: false,
    }] = &device.received[..]
    else {
        panic!("one peer message, got {:?}", device.received);
    };
    assert_eq!(sender_id, "srv-1");
    assert_eq!(target_id, "peer-a");
    assert_eq!(selected_protocol_version, "1");
    server.stop().await;
}

#[tokio::test]
async fn a_message_for_another_target_gets_an_error_and_the_connection_ends() {
    let server = SamodServer::start().await;
    let mut device = joined(&server).await;
    let stray = Message::Sync(DocMessage {
        document_id: id(1),
        sender_id: "peer-a".into(),
        target_id: "someone-else".into(),
        data: Vec::new(),
    });
    device.send_raw(WsMessage::binary(stray.encode())).await;
    let answer = device.next_raw().await.expect("an error frame first");
    let WsMessage::Binary(frame) = answer else {
        panic!("a binary frame, got {answer:?}");
    };
    let error = Message::decode(&frame).expect("valid");
    assert!(
        matches!(&error, Some(Message::Error { message }) if message.contains("target peer ID mismatch")),
        "{error:?}"
    );
    assert!(device.next_raw().await.is_none(), "then the server closes");
    server.stop().await;
}

#[tokio::test]
async fn a_text_frame_ends_the_connection() {
    let server = SamodServer::start().await;
    let mut device = joined(&server).await;
    device
        .send_raw(WsMessage::text(r#"{"type":"leave"}"#))
        .await;
    assert!(device.next_raw().await.is_none());
    server.stop().await;
}
