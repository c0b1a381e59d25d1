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

// ---- `liaison server` and `liaison sync --server` (issue 11) ------------------------------

pub fn server_bad_url(m: &str) -> String {
    tr!("bad server URL: {m}", "服务器地址有误：{m}")
}

pub fn server_refused(m: &str) -> String {
    tr!("the server refused: {m}", "服务器拒绝：{m}")
}

pub fn server_ledger_failed(m: &str) -> String {
    tr!("the ledger: {m}", "台账：{m}")
}

pub fn server_connection_closed() -> String {
    tr!("the connection was closed", "连接已关闭")
}

pub fn server_none(env: &str) -> String {
    tr!(
        "no server: give --server URL, set one with `liaison settings --server URL`, or set \
         {env} (bundles: `liaison sync export|import`)",
        "没有服务器：请给出 --server URL，或用 `liaison settings --server URL` 设置，或设置 \
         {env}（离线同步包：`liaison sync export|import`）"
    )
}

pub fn server_offline(e: &str, server: &str) -> String {
    tr!("offline: {e} ({server})", "无法连接：{e}（{server}）")
}

pub fn server_synced(server: &str, sent: u64, received: u64, new: u64, conflicts: u64) -> String {
    tr!(
        "synced with {server}: {sent} sent, {received} received ({new} new, {conflicts} new \
         conflicts)",
        "已与 {server} 同步：发送 {sent} 项，收到 {received} 项（新 {new} 项，新冲突 {conflicts} 处）"
    )
}

pub fn server_rejected(count: u64) -> String {
    tr!(
        "{count} received operations were refused: they do not say the actor the server filed \
         them under",
        "收到的 {count} 项操作被拒收：它们的标识与服务器登记的不符"
    )
}

pub fn server_conflicts_stand(count: usize) -> String {
    tr!(
        "{count} values in conflict: `liaison conflicts list`",
        "{count} 个值有冲突：`liaison conflicts list`"
    )
}

pub fn server_flag(e: &str) -> String {
    tr!("--server: {e}", "--server：{e}")
}

pub fn server_url_password(server: &str) -> String {
    tr!(
        "--server: {server} holds a password; Liaison never stores one: put it in ~/.pgpass",
        "--server：{server} 含有密码；Liaison 从不保存密码：请写在 ~/.pgpass 里"
    )
}

pub fn server_setting(url: Option<&str>, env: &str) -> String {
    match url {
        Some(url) => tr!("zone server: {url}", "园区服务器：{url}"),
        None => tr!(
            "zone server: none (`settings --server URL`, or {env})",
            "园区服务器：未设置（`settings --server URL`，或 {env}）"
        ),
    }
}

pub fn server_desk(department: &str) -> String {
    tr!(
        "this desk answers for: {department}",
        "本席位负责：{department}"
    )
}

pub fn server_already_zone(server: &str, version: i32) -> String {
    tr!(
        "{server}: already a Liaison zone (schema version {version}); nothing changed",
        "{server}：已是 Liaison 园区库（结构版本 {version}）；未作改动"
    )
}

pub fn server_created_database(name: &str) -> String {
    tr!("created database {name}", "已创建数据库 {name}")
}

pub fn server_zone_ready(server: &str, version: i32) -> String {
    tr!(
        "{server}: zone ready (schema version {version}); add people with `liaison server \
         add-user NAME --url …`",
        "{server}：园区库已就绪（结构版本 {version}）；用 `liaison server add-user 名字 --url …` \
         添加人员"
    )
}

pub fn server_department_needed() -> String {
    tr!(
        "--department: a name is needed",
        "--department：需要一个名称"
    )
}

/// `created role "li": an officer, member of zone liaison`.
pub fn server_role(name: &str, created: bool, department: Option<&str>, zone: &str) -> String {
    let what = match department {
        None => tr!("an officer", "联络员"),
        Some(d) => tr!("the desk of {d}", "{d} 的席位"),
    };
    match created {
        true => tr!(
            "created role {name:?}: {what}, member of zone {zone}",
            "已创建角色 {name:?}：{what}，属于园区库 {zone}"
        ),
        false => tr!(
            "role {name:?}: {what}, member of zone {zone}",
            "角色 {name:?}：{what}，属于园区库 {zone}"
        ),
    }
}

pub fn server_password_hint() -> String {
    tr!(
        "Liaison never stores a password. Give this role one, as the admin:",
        "Liaison 从不保存密码。请以管理员身份为该角色设置密码："
    )
}

pub fn server_pgpass_hint(name: &str) -> String {
    tr!(
        "then, on {name}'s computer, one line in ~/.pgpass (chmod 600 ~/.pgpass):",
        "然后在 {name} 的电脑上，往 ~/.pgpass 写一行（chmod 600 ~/.pgpass）："
    )
}

pub fn server_settings_hint() -> String {
    tr!(
        "and the server in Liaison's settings:",
        "再在 Liaison 的设置里填上服务器："
    )
}
