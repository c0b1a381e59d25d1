//! `t` on the Issues tab: the tags of the selected item, or of the marked ones. For one item
//! the line holds its tags and Enter leaves it with exactly those typed; for several it starts
//! empty, and the tags typed are added to each, a `-` in front taking one off.

use super::actions::{triage, Triage};
use crate::app::form::{Form, FormKind};
use crate::app::App;
use crate::app::Overlay;
use crate::messages as msg;
use crate::model::{clean_tag, split_tags, Field};
use crate::store::StoreError;

pub(in crate::app) fn ask_tags(app: &mut App) {
    let targets = app.issues.targets();
    if targets.is_empty() {
        return;
    }
    let current = match targets.as_slice() {
        [_] => app
            .issues
            .selected()
            .map(|r| r.tags.join("、"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let form = Form::single(
        FormKind::SetTags,
        Field::Tags,
        msg::LABEL_TAGS.get(),
        &current,
    );
    app.overlay = Overlay::Form(form.acting_on(targets));
}

/// Enter in the tags form: a bad tag stays in the form, named.
pub(in crate::app) fn submit_tags(app: &mut App, mut form: Form) -> Result<(), StoreError> {
    let exact = form.targets.len() == 1;
    let (mut add, mut remove) = (Vec::new(), Vec::new());
    for word in split_tags(form.text(Field::Tags)) {
        let (list, tag) = match word.strip_prefix(['-', '−']) {
            Some(tag) => (&mut remove, tag.trim().to_string()),
            None => (&mut add, word),
        };
        match clean_tag(&tag) {
            Ok(tag) => list.push(tag),
            Err(e) => {
                form.show_error(&e);
                app.overlay = Overlay::Form(form);
                return Ok(());
            }
        }
    }
    app.close_overlay();
    triage(app, form.targets, Triage::Tags { add, remove, exact })
}
