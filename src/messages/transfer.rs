//! Files in and out: import, restore and export errors.

pub fn cannot_open(e: &str) -> String {
    tr!("cannot open: {e}", "无法打开：{e}")
}
pub fn cannot_read_reason(e: &str) -> String {
    tr!("cannot read: {e}", "无法读取：{e}")
}
pub fn cannot_create(e: &str) -> String {
    tr!("cannot create: {e}", "无法创建：{e}")
}
pub fn cannot_write(e: &str) -> String {
    tr!("cannot write: {e}", "无法写入：{e}")
}
pub fn at_line(line: u64, message: &str) -> String {
    tr!("line {line}: {message}", "第 {line} 行：{message}")
}
pub fn row_error(line: u64, field: &str, message: &str) -> String {
    tr!(
        "line {line}: {field}: {message}",
        "第 {line} 行：{field}：{message}"
    )
}
pub fn restore_emptied(line: u64, error: &str) -> String {
    tr!(
        "writing the records up to line {line}: {error}; the database was emptied again",
        "写入到第 {line} 行的记录时：{error}；数据库已重新清空"
    )
}
pub fn inside_database(database: &str) -> String {
    tr!(
        "is inside the database at {database}; write it outside that directory",
        "位于 {database} 的数据库目录内；请写到该目录之外"
    )
}
pub fn empty_file(columns: &str) -> String {
    tr!(
        "the file is empty: the first line must name the columns ({columns} …)",
        "文件是空的：第一行必须是列名（{columns} …）"
    )
}
pub fn no_name_column(columns: &str) -> String {
    tr!(
        "line 1: no firm name column ({columns})",
        "第 1 行：没有企业名称列（{columns}）"
    )
}
pub fn missing_columns(missing: &str) -> String {
    tr!("line 1: no {missing} column", "第 1 行：没有 {missing} 列")
}
pub fn or_list(items: &[&str]) -> String {
    items.join(super::Msg::new(" or ", " 或 ").get())
}
pub fn header_has(found: &str) -> String {
    tr!("; the header has: {found}", "；表头有：{found}")
}
pub fn and_more(count: usize) -> String {
    tr!(" … and {count} more", " … 另有 {count} 个")
}
pub fn looks_tab_separated() -> String {
    tr!(
        " (the columns look separated by tabs or semicolons; save the file as comma-separated CSV)",
        "（各列似乎用制表符或分号分隔；请另存为逗号分隔的 CSV）"
    )
}
pub fn duplicate_column(first: &str, second: &str) -> String {
    tr!(
        "line 1: the columns {first} and {second} are the same field; keep one of them",
        "第 1 行：{first} 和 {second} 两列是同一字段；请只保留一列"
    )
}
pub fn invalid_bytes(line: u64, encoding: &str) -> String {
    tr!(
        "line {line}: bytes that are not valid {encoding}",
        "第 {line} 行：有不合 {encoding} 编码的字节"
    )
}
pub fn neither_encoding(utf8_line: u64, gb18030_line: u64) -> String {
    tr!(
        "the file is neither UTF-8 (invalid bytes on line {utf8_line}) nor GB18030 (invalid bytes on line {gb18030_line}); save it as \"CSV UTF-8\"",
        "文件既不是 UTF-8（第 {utf8_line} 行有无效字节）也不是 GB18030（第 {gb18030_line} 行有无效字节）；请另存为“CSV UTF-8”"
    )
}
pub fn utf16() -> String {
    tr!(
        "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" or plain CSV",
        "文件是 UTF-16（“Unicode 文本”）；请另存为“CSV UTF-8”或普通 CSV"
    )
}
pub fn bom_not_gb18030() -> String {
    tr!(
        "the file starts with a UTF-8 byte order mark, so it is not GB18030; use --encoding utf8 or auto",
        "文件以 UTF-8 字节顺序标记开头，所以不是 GB18030；请用 --encoding utf8 或 auto"
    )
}
