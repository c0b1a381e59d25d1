//! The firm directory as a person works it: moving to a listed firm by its row.

use super::Screen;

impl Screen {
    /// Moves the directory's selection to the firm `name` (it must be listed): to the top,
    /// then down row by row, as the keys would.
    pub fn select_listed_firm(&mut self, name: &str) -> &mut Self {
        let pos = self
            .app
            .firms
            .shown
            .iter()
            .position(|(i, _)| self.app.firms.all[*i].name == name)
            .unwrap();
        self.keys("g");
        for _ in 0..pos {
            self.keys("j");
        }
        self
    }
}
