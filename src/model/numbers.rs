//! Lists of item numbers as people type them: `7`, `#7`, `1,4,9-12`.

/// The most numbers one list may name: a typo such as `1-100000000` is refused, not expanded.
pub const MAX_LISTED: usize = 10_000;

/// The numbers in the order given, each once. On a bad part, `Err` holds that part as typed.
pub fn parse_numbers(text: &str) -> Result<Vec<u32>, String> {
    let mut numbers = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for part in text
        .split([',', '，', ' '])
        .filter(|p| !p.trim().is_empty())
    {
        let bad = || part.trim().to_string();
        let one = |t: &str| {
            let t = t.trim();
            t.strip_prefix('#').unwrap_or(t).parse::<u32>().ok()
        };
        let (first, last) = match part.split_once('-') {
            Some((a, b)) => (one(a).ok_or_else(bad)?, one(b).ok_or_else(bad)?),
            None => {
                let n = one(part).ok_or_else(bad)?;
                (n, n)
            }
        };
        if first == 0 || last < first || (last - first) as usize >= MAX_LISTED {
            return Err(bad());
        }
        for n in first..=last {
            if seen.insert(n) {
                numbers.push(n);
            }
        }
        if numbers.len() > MAX_LISTED {
            return Err(bad());
        }
    }
    if numbers.is_empty() {
        return Err(text.trim().to_string());
    }
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges_expand_in_order_once_each() {
        assert_eq!(parse_numbers("7"), Ok(vec![7]));
        assert_eq!(parse_numbers("#3"), Ok(vec![3]));
        assert_eq!(parse_numbers("1,4,9-12"), Ok(vec![1, 4, 9, 10, 11, 12]));
        assert_eq!(parse_numbers("4, 2，4"), Ok(vec![4, 2]));
    }

    #[test]
    fn a_bad_part_is_named() {
        assert_eq!(parse_numbers("1,x,3"), Err("x".into()));
        assert_eq!(parse_numbers("12-9"), Err("12-9".into()));
        assert_eq!(parse_numbers("0"), Err("0".into()));
        assert_eq!(parse_numbers("1-99999999"), Err("1-99999999".into()));
        assert_eq!(parse_numbers(" "), Err("".into()));
    }
}
