//! Properties over arbitrary input: the value envelope round-trips and never panics on bytes
//! it did not write; the date parser, the filter language, the CSV import and the backup reader
//! never panic.
//! `scripts/fuzz.sh` runs the same properties with many more cases.

use liaison::model::when::{parse_date, parse_duration, parse_time, parse_when};
use liaison::query::parse;
use liaison::store::codec::{decode, encode};
use proptest::prelude::*;

fn now() -> liaison::model::LocalTime {
    chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:00+08:00").unwrap()
}

/// Text that looks like what people type: Chinese, digits, separators, and some noise.
fn typed() -> impl Strategy<Value = String> {
    prop::string::string_regex("[0-9a-z中山生物明天下午点周五年月日:/+\\-. ，,>=!]{0,24}").unwrap()
}

proptest! {
    #[test]
    fn the_envelope_round_trips(title in ".{0,64}", number in any::<u32>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let value = (title, number, bytes);
        let encoded = encode(&value);
        let decoded: (String, u32, Vec<u8>) = decode(&encoded).unwrap();
        prop_assert_eq!(decoded, value);
    }

    #[test]
    fn arbitrary_bytes_never_decode_by_accident_or_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        // A value not written by us is refused (or, by a tiny chance, happens to be valid):
        // never a panic.
        let _ = decode::<(String, u32)>(&bytes);
        let _ = decode::<liaison::model::Issue>(&bytes);
    }

    #[test]
    fn a_flipped_bit_is_always_caught(title in ".{1,64}", at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut encoded = encode(&title);
        let i = at.index(encoded.len());
        encoded[i] ^= 1 << bit;
        prop_assert!(decode::<String>(&encoded).is_err());
    }

    #[test]
    fn dates_and_times_never_panic(text in typed(), any_text in ".{0,40}") {
        let today = now().date_naive();
        for t in [&text, &any_text] {
            let _ = parse_date(t, today);
            let _ = parse_time(t);
            let _ = parse_when(t, now());
            let _ = parse_duration(t);
        }
    }

    #[test]
    fn a_parsed_date_is_what_it_says(y in 2000i32..2100, m in 1u32..=12, d in 1u32..=28) {
        let text = format!("{y}-{m:02}-{d:02}");
        let parsed = parse_date(&text, now().date_naive()).unwrap();
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn the_filter_language_never_panics_and_errors_point_inside(text in ".{0,60}", typed in "[a-z:>=, 发改局-]{0,30}") {
        for t in [&text, &typed] {
            if let Err(e) = parse(t) {
                prop_assert!(e.position <= t.chars().count(), "{} in {:?}", e.position, t);
            }
        }
    }

}

proptest! {
    // A database per case is slow in debug builds; the fuzz script raises the count.
    #![proptest_config(ProptestConfig::with_cases(std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)))]
    #[test]
    fn csv_import_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        let store = liaison::store::Store::open(dir.path()).unwrap();
        let options = liaison::transfer::ImportOptions { dry_run: true, ..Default::default() };
        let _ = liaison::transfer::import_firms(&store, &bytes, &options, now());
    }

    #[test]
    fn the_backup_reader_never_panics_and_a_refused_file_writes_nothing(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        // Arbitrary bytes, and the demo's backup with one byte changed and cut short.
        let mut damaged = demo_backup().to_vec();
        let i = at.index(damaged.len());
        damaged[i] = byte;
        damaged.truncate(cut.index(damaged.len()) + 1);
        for input in [&bytes, &damaged] {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("backup.jsonl");
            std::fs::write(&file, input).unwrap();
            let store = liaison::store::Store::open(&dir.path().join("db")).unwrap();
            if liaison::transfer::backup::restore_backup(&store, &file).is_err() {
                prop_assert!(store.accepts_restore().unwrap());
                prop_assert_eq!(store.counts().unwrap(), Default::default());
            }
            prop_assert!(store.check().unwrap().is_ok());
        }
    }
}

/// The demo ledger's backup, made once.
fn demo_backup() -> &'static [u8] {
    static BACKUP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BACKUP.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = liaison::store::Store::open(dir.path()).unwrap();
        liaison::demo::seed(&store, &liaison::demo::DemoOptions::default(), now()).unwrap();
        let mut out = Vec::new();
        liaison::transfer::backup::write_backup(&store, &mut out).unwrap();
        out
    })
}
