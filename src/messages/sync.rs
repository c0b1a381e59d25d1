//! `liaison sync` and `liaison conflicts` (issue 14): what they report and refuse.

pub fn sync_wrote(ops: usize, ledger: &str, file: &str) -> String {
    tr!(
        "wrote {ops} operation(s) of ledger {ledger} to {file}",
        "已将台账 {ledger} 的 {ops} 项操作写入 {file}"
    )
}

pub fn sync_imported(
    ledger: &str,
    new_ops: usize,
    records: usize,
    arose: usize,
    stand: usize,
) -> String {
    tr!(
        "from ledger {ledger}: {new_ops} new operation(s), {records} record(s) changed, \
         {arose} conflict(s) arose; {stand} conflict(s) stand",
        "来自台账 {ledger}：新操作 {new_ops} 项，改动记录 {records} 条，新冲突 {arose} 处；\
         现有冲突 {stand} 处"
    )
}

pub fn sync_no_peer(text: &str) -> String {
    tr!(
        "--for: no ledger {text} is known here (`liaison sync status` lists them)",
        "--for：本机不认识台账 {text}（`liaison sync status` 列出已知台账）"
    )
}

pub fn sync_this_ledger(code: &str, actor: &str) -> String {
    tr!(
        "this ledger: {code} (actor {actor})",
        "本台账：{code}（标识 {actor}）"
    )
}

pub fn sync_held(ops: usize, conflicts: usize) -> String {
    tr!(
        "{ops} operation(s) held, {conflicts} conflict(s) stand",
        "已存操作 {ops} 项，现有冲突 {conflicts} 处"
    )
}

pub fn sync_actor_line(code: &str, seq: u64, mine: bool) -> String {
    match mine {
        true => tr!(
            "  {code}  {seq} operation(s) (this ledger)",
            "  {code}  {seq} 项操作（本台账）"
        ),
        false => tr!("  {code}  {seq} operation(s)", "  {code}  {seq} 项操作"),
    }
}

pub fn sync_peer_line(code: &str, total: u64) -> String {
    tr!(
        "  {code} last sent a bundle having seen {total} operation(s)",
        "  {code} 上次发来同步包时已见 {total} 项操作"
    )
}

pub fn sync_no_duplicates() -> String {
    tr!("no two firms share a name", "没有同名的企业")
}

pub fn sync_likely_one_firm(records: usize) -> String {
    tr!(
        "likely one firm ({records} records):",
        "可能是同一家企业（{records} 条记录）："
    )
}

pub fn sync_firm_line(id: &str, name: &str, visits: usize, items: usize) -> String {
    tr!(
        "  {id}  {name}  {visits} visit(s), {items} item(s)",
        "  {id}  {name}  走访 {visits} 次，事项 {items} 件"
    )
}

pub fn conflicts_none() -> String {
    tr!("no conflicts", "没有冲突")
}

pub fn conflict_item(id: &str) -> String {
    tr!("item {id}", "事项 {id}")
}

pub fn conflict_firm(name: &str) -> String {
    tr!("firm {name}", "企业 {name}")
}

/// Who set a value: `李晓, ledger K7QF2, 2026-12-03 10:12`.
pub fn conflicts_name_one_item() -> String {
    tr!("N: name one item", "N：请指明一件事项")
}

pub fn conflicts_none_on(number: u32, field: &str) -> String {
    tr!(
        "#{number} has no conflict on {field} (`liaison conflicts list`)",
        "#{number} 的 {field} 没有冲突（`liaison conflicts list`）"
    )
}

pub fn conflicts_say_which() -> String {
    tr!(
        "say which value to keep: --take VALUE, --mine or --theirs",
        "请说明保留哪个值：--take 值、--mine 或 --theirs"
    )
}

pub fn conflicts_no_value(field: &str, here: bool) -> String {
    match here {
        true => tr!(
            "no value of {field} was set on this ledger",
            "本台账没有设置过 {field} 的值"
        ),
        false => tr!(
            "no value of {field} was set on another ledger",
            "其他台账没有设置过 {field} 的值"
        ),
    }
}

pub fn conflicts_kept(number: u32, field: &str, stand: usize) -> String {
    tr!(
        "#{number} {field}: kept; {stand} conflict(s) stand",
        "#{number} {field}：已保留；现有冲突 {stand} 处"
    )
}

pub fn conflicts_take_no_department(text: &str) -> String {
    tr!("--take: no department {text}", "--take：没有部门 {text}")
}

pub fn conflicts_take_no_category(text: &str) -> String {
    tr!("--take: no category {text}", "--take：没有类别 {text}")
}
