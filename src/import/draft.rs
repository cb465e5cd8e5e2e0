//! The importer's guesses, each tied to the report field it is about, so
//! that the output can carry it as a `# check:` comment at that field.

/// A guess the importer made and was unsure of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The report field (`sections[1].photos[0]`, `headline`); empty for
    /// the whole report.
    pub field: String,
    /// What was guessed, and what to do if it is wrong.
    pub message: String,
}

/// Guesses collected while reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes(pub Vec<Check>);

impl Notes {
    /// Adds a guess about a field.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Check {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Adds guesses made about something whose field is known only now
    /// (a section's notes, once sections are numbered).
    pub fn add_all(&mut self, field: &str, messages: &[String]) {
        for message in messages {
            self.add(field, message.clone());
        }
    }
}
