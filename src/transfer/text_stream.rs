//! A file's bytes as UTF-8 text, a buffer at a time, for imports too large to hold in memory.
//!
//! `decode` reads a whole file; this reads the same encodings with the same rules while the
//! file streams through: encoding_rs's `Decoder` carries a character split between two reads
//! over to the next, so the input can be cut anywhere. We do not use `encoding_rs_io`: it
//! replaces invalid bytes with U+FFFD, and an import must instead refuse them and say on which
//! line they are, as `decode` does.
//!
//! The reader also notes where each line break of its output lies, for `LineCounter`: the
//! csv crate's own line numbers are wrong after blank lines.

use super::{Encoding, EncodingError, TextEncoding, UTF8_BOM};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::rc::Rc;

/// Input bytes decoded per step; bounds the output buffer.
const STEP: usize = 32 * 1024;

/// Offsets (in the decoded text) and bytes of the `\r` and `\n` not yet passed by the
/// records read. Shared by the reader, which adds them, and the counter, which takes them.
type LineBreaks = Rc<RefCell<VecDeque<(u64, u8)>>>;

/// The `EncodingError` inside an I/O error returned by `TextReader`, if that is what it is.
pub(crate) fn encoding_error(error: &io::Error) -> Option<&EncodingError> {
    error.get_ref()?.downcast_ref::<EncodingError>()
}

fn invalid(error: EncodingError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

fn line_feeds(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Decodes `input` to UTF-8 without a byte order mark; invalid bytes end the stream with an
/// `EncodingError` (see `encoding_error`).
pub(crate) struct TextReader<R> {
    input: R,
    decoder: encoding_rs::Decoder,
    encoding: TextEncoding,
    out: Vec<u8>,
    out_start: usize,
    /// The 1-based line of the next input byte, for error messages.
    line: u64,
    /// Bytes of text produced so far: the offset of the next one.
    produced: u64,
    at_start: bool,
    finished: bool,
    breaks: LineBreaks,
}

impl<R: BufRead> TextReader<R> {
    pub(crate) fn new(input: R, encoding: TextEncoding) -> TextReader<R> {
        let decoder = match encoding {
            TextEncoding::Utf8 => encoding_rs::UTF_8.new_decoder_without_bom_handling(),
            TextEncoding::Gb18030 => encoding_rs::GB18030.new_decoder_without_bom_handling(),
        };
        TextReader {
            input,
            decoder,
            encoding,
            out: Vec::new(),
            out_start: 0,
            line: 1,
            produced: 0,
            at_start: true,
            finished: false,
            breaks: LineBreaks::default(),
        }
    }

    /// Counts the lines of the records a CSV reader reads from this text.
    pub(crate) fn line_counter(&self) -> LineCounter {
        LineCounter {
            breaks: Rc::clone(&self.breaks),
            line: 1,
        }
    }

    fn decode_step(&mut self) -> io::Result<()> {
        let input = self.input.fill_buf()?;
        let last = input.is_empty();
        let src = &input[..input.len().min(STEP)];
        let room = self
            .decoder
            .max_utf8_buffer_length_without_replacement(src.len())
            .unwrap_or(STEP * 4);
        self.out.clear();
        self.out.resize(room, 0);
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(src, &mut self.out, last);
        if let encoding_rs::DecoderResult::Malformed(bad, extra) = result {
            let start = read.saturating_sub(usize::from(bad) + usize::from(extra));
            return Err(invalid(EncodingError::Invalid {
                encoding: self.encoding,
                line: self.line + line_feeds(&src[..start]),
            }));
        }
        self.line += line_feeds(&src[..read]);
        self.input.consume(read);
        self.out.truncate(written);
        self.out_start = 0;
        if self.at_start && written > 0 {
            self.at_start = false;
            // Both encodings can carry U+FEFF as a byte order mark; it is not text.
            if self.out.starts_with(UTF8_BOM) {
                self.out_start = UTF8_BOM.len();
            }
        }
        let mut breaks = self.breaks.borrow_mut();
        for (i, &byte) in self.out[self.out_start..].iter().enumerate() {
            if byte == b'\n' || byte == b'\r' {
                breaks.push_back((self.produced + i as u64, byte));
            }
        }
        self.produced += (self.out.len() - self.out_start) as u64;
        // At the end the decoder has flushed (the buffer had room for everything), or
        // reported a cut-off character above.
        self.finished = last;
        Ok(())
    }
}

impl<R: BufRead> Read for TextReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out.len() {
            if self.finished {
                return Ok(0);
            }
            self.decode_step()?;
        }
        let n = buf.len().min(self.out.len() - self.out_start);
        buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

/// Line numbers of CSV records, counted from the line breaks the `TextReader` saw: the
/// record's byte offset as csv reports it may point at the line breaks before it (blank
/// lines, the end of the previous row), so the record begins after those.
pub(crate) struct LineCounter {
    breaks: LineBreaks,
    line: u64,
}

impl LineCounter {
    pub(crate) fn line_of(&mut self, record: &csv::StringRecord) -> u64 {
        let reported = record.position().map_or(0, |p| p.byte());
        let mut breaks = self.breaks.borrow_mut();
        let mut start = reported;
        while let Some(&(at, byte)) = breaks.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            if byte == b'\n' {
                self.line += 1;
            }
            breaks.pop_front();
        }
        self.line
    }
}

/// The encoding to read a file with. `Auto` is UTF-8 when a byte order mark says so or when
/// every byte is valid UTF-8, else GB18030 when every byte is valid GB18030 (what Excel on a
/// Chinese Windows saves as "CSV") — the rule `decode` applies, found by reading the file
/// through once. Leaves `input` at its start.
pub(crate) fn detect_encoding<R: Read + Seek>(
    input: &mut R,
    wanted: Encoding,
) -> io::Result<TextEncoding> {
    let mut start = [0u8; 3];
    let mut filled = 0;
    while filled < start.len() {
        match input.read(&mut start[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    let start = &start[..filled];
    input.seek(SeekFrom::Start(0))?;
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") {
        return Err(invalid(EncodingError::Utf16));
    }
    let has_bom = start.starts_with(UTF8_BOM);
    match wanted {
        Encoding::Utf8 => Ok(TextEncoding::Utf8),
        Encoding::Gb18030 if has_bom => Err(invalid(EncodingError::Utf8BomAsGb18030)),
        Encoding::Gb18030 => Ok(TextEncoding::Gb18030),
        Encoding::Auto if has_bom => Ok(TextEncoding::Utf8),
        Encoding::Auto => {
            let utf8_line = match first_invalid_line(input, TextEncoding::Utf8)? {
                None => return Ok(TextEncoding::Utf8),
                Some(line) => line,
            };
            match first_invalid_line(input, TextEncoding::Gb18030)? {
                None => Ok(TextEncoding::Gb18030),
                Some(gb18030_line) => Err(invalid(EncodingError::Unknown {
                    utf8_line,
                    gb18030_line,
                })),
            }
        }
    }
}

/// Reads the whole input in `encoding` and rewinds it: the line of the first invalid bytes,
/// if any.
fn first_invalid_line<R: Read + Seek>(
    input: &mut R,
    encoding: TextEncoding,
) -> io::Result<Option<u64>> {
    let mut text = TextReader::new(BufReader::new(&mut *input), encoding);
    let result = io::copy(&mut text, &mut io::sink());
    drop(text);
    input.seek(SeekFrom::Start(0))?;
    match result {
        Ok(_) => Ok(None),
        Err(e) => match encoding_error(&e) {
            Some(EncodingError::Invalid { line, .. }) => Ok(Some(*line)),
            _ => Err(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Reads through a buffer of `capacity` bytes, so that characters straddle reads.
    fn read_all(bytes: &[u8], encoding: TextEncoding, capacity: usize) -> io::Result<String> {
        let mut text = String::new();
        TextReader::new(BufReader::with_capacity(capacity, bytes), encoding)
            .read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn text_comes_through_whole_however_the_input_is_cut() {
        let text = "企业名称,诉求\n中山生物工程有限公司,新厂房用电增容\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        for capacity in [1, 2, 3, 5, 4096] {
            assert_eq!(
                read_all(&gb, TextEncoding::Gb18030, capacity).unwrap(),
                text
            );
            let with_bom = [UTF8_BOM, text.as_bytes()].concat();
            assert_eq!(
                read_all(&with_bom, TextEncoding::Utf8, capacity).unwrap(),
                text
            );
        }
    }

    #[test]
    fn invalid_bytes_stop_the_stream_with_their_line() {
        let bytes = b"name\nok\nbad \xFF here\n";
        for encoding in [TextEncoding::Utf8, TextEncoding::Gb18030] {
            let error = read_all(bytes, encoding, 2).unwrap_err();
            assert_eq!(
                encoding_error(&error),
                Some(&EncodingError::Invalid { encoding, line: 3 })
            );
        }
        // A GB18030 lead byte cut off by the end of the file.
        let error = read_all(b"name\n\n\xD6", TextEncoding::Gb18030, 4096).unwrap_err();
        assert_eq!(
            encoding_error(&error),
            Some(&EncodingError::Invalid {
                encoding: TextEncoding::Gb18030,
                line: 3
            })
        );
    }

    #[test]
    fn auto_detection_follows_the_rules_of_decode() {
        let text = "企业名称\n中山\n";
        let detect = |bytes: Vec<u8>, wanted| detect_encoding(&mut Cursor::new(bytes), wanted);
        assert_eq!(
            detect(text.as_bytes().to_vec(), Encoding::Auto).unwrap(),
            TextEncoding::Utf8
        );
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(
            detect(gb.to_vec(), Encoding::Auto).unwrap(),
            TextEncoding::Gb18030
        );
        let error = detect(b"name\nok\nbad \xFF here\n".to_vec(), Encoding::Auto).unwrap_err();
        assert_eq!(
            encoding_error(&error),
            Some(&EncodingError::Unknown {
                utf8_line: 3,
                gb18030_line: 3
            })
        );
        let error = detect(b"\xFF\xFEn\x00".to_vec(), Encoding::Utf8).unwrap_err();
        assert_eq!(encoding_error(&error), Some(&EncodingError::Utf16));
        let error = detect(b"\xEF\xBB\xBFname".to_vec(), Encoding::Gb18030).unwrap_err();
        assert_eq!(
            encoding_error(&error),
            Some(&EncodingError::Utf8BomAsGb18030)
        );
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on() {
        let text = "h1,h2\r\na,1\n\n\nb,2\r\n\r\nc,\"x\ny\"\nd,4\n";
        let reader = TextReader::new(
            BufReader::with_capacity(3, text.as_bytes()),
            TextEncoding::Utf8,
        );
        let mut lines = reader.line_counter();
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let mut record = csv::StringRecord::new();
        let mut found = Vec::new();
        while csv.read_record(&mut record).unwrap() {
            found.push((record[0].to_string(), lines.line_of(&record)));
        }
        let expected = [("a", 2), ("b", 5), ("c", 7), ("d", 9)];
        assert_eq!(
            found,
            expected
                .map(|(name, line)| (name.to_string(), line))
                .to_vec()
        );
    }
}
