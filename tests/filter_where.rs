//! A filter's mistake is said at the character where it is: `prio>=hi` points at `hi`, as
//! `prio:hi` and `status:打开` point at their values.

use liaison::query::parse;

fn position(text: &str) -> usize {
    parse(text).expect_err(text).position
}

#[test]
fn an_unknown_lowest_priority_is_pointed_at() {
    assert_eq!(position("prio:hi"), position("prio>=hi") - 1);
    assert_eq!(position("prio>=hi"), 6);
    assert_eq!(position("用地 -prio>=hi"), 10);
    assert_eq!(position("优先级>=很高"), 5);
    let empty = parse("prio>=").unwrap_err();
    assert_eq!(empty.position, 6);
    assert!(!empty.message.contains("unknown"), "{}", empty.message);
}
