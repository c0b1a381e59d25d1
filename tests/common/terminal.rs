//! A test backend that erases as a terminal does: a character written over either half of a
//! wide one blanks the whole wide one, and a wide one blanks the cell its second half covers.
//! ratatui's TestBackend only stores the cells it is sent, so a cell the app forgot to
//! resend would still read right there, while a person sees a hole.

use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

pub struct TerminalLike(pub TestBackend);

impl TerminalLike {
    fn width_at(&self, x: u16, y: u16) -> usize {
        let buffer = self.0.buffer();
        if x >= buffer.area.width || y >= buffer.area.height {
            return 1;
        }
        buffer[(x, y)].symbol().width()
    }

    fn put(&mut self, x: u16, y: u16, cell: &Cell) {
        if x < self.0.buffer().area.width {
            let _ = self.0.draw(std::iter::once((x, y, cell)));
        }
    }
}

impl Backend for TerminalLike {
    type Error = <TestBackend as Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let blank = Cell::default();
        for (x, y, cell) in content {
            if self.width_at(x, y) > 1 {
                self.put(x + 1, y, &blank);
            }
            if x > 0 && self.width_at(x - 1, y) > 1 {
                self.put(x - 1, y, &blank);
            }
            self.put(x, y, cell);
            for hidden in 1..cell.symbol().width() as u16 {
                self.put(x + hidden, y, &blank);
            }
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}
