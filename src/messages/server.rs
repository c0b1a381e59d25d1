//! The zone server (issue 15): the status line's words and what a sync brought.

texts! {
    KEY_SYNC = "sync with the zone server now", "立即与园区服务器同步";
    /// The built-in view of a department's desk (`settings --department`).
    VIEW_HANDED_TO_US = "Handed to us", "交办给我们的";
}

/// Said when a sync brought changes made on other ledgers.
pub fn sync_arrived(new: u64, responses: u64, conflicts: u64) -> String {
    let mut text = tr!(
        "sync: {new} changes from other ledgers",
        "同步：来自其他台账的 {new} 项改动"
    );
    if responses > 0 {
        text += &tr!(", {responses} new responses", "，{responses} 条新答复");
    }
    if conflicts > 0 {
        text += &tr!(
            ", {conflicts} new conflicts (Conflicts view)",
            "，{conflicts} 处新冲突（见冲突视图）"
        );
    }
    text
}

/// The sync's part of the status line.
pub fn sync_status(status: &crate::app::server_sync::SyncStatus) -> String {
    use crate::app::server_sync::SyncStatus;
    match status {
        SyncStatus::Syncing => tr!("syncing…", "正在同步…"),
        SyncStatus::Synced {
            minutes: 0,
            to_send: 0,
        } => tr!("synced just now", "刚刚已同步"),
        SyncStatus::Synced {
            minutes,
            to_send: 0,
        } => tr!("synced {minutes} min ago", "{minutes} 分钟前已同步"),
        SyncStatus::Synced { to_send, .. } => tr!("{to_send} to send", "{to_send} 项待发送"),
        SyncStatus::Offline(reason) => tr!("offline: {reason}", "离线：{reason}"),
    }
}

/// The status line's count of values set on two ledgers at once.
pub fn conflicts_count(count: u64) -> String {
    tr!("⚠ {count} conflict(s)", "⚠ {count} 处冲突")
}
