//! The key screen's commands: storing, testing, forgetting and replacing the key. The keyring
//! and the test request never run on the UI thread.

use super::background::{nothing_to_end, reply};
use super::{App, Command, KeyMessage, KeyScreen, Message, Modal, Problem};
use crate::secrets::{ApiKey, KeySource, SecretsError, Stored};

impl App {
    /// Runs a command of the key screen.
    pub(super) fn run_key(&mut self, command: Command) {
        match command {
            Command::SaveKey => self.save_key(),
            Command::TestKey => self.test_key(),
            Command::ForgetKey => self.forget_key(),
            Command::ReplaceKey => {
                self.key_screen = KeyScreen { replacing: true, ..KeyScreen::default() };
                self.close_modal_if(|m| matches!(m, Modal::Settings));
            }
            Command::CancelReplaceKey => self.key_screen = KeyScreen::default(),
            _ => {}
        }
    }

    fn save_key(&mut self) {
        let endpoint = match self.endpoint() {
            Ok(e) => e,
            Err(e) => {
                self.key_screen.message = Some(super::KeyMessage::Failed(e.into()));
                return;
            }
        };
        let key = match crate::secrets::ApiKey::parse(&self.key_screen.input) {
            Ok(k) => k,
            Err(e) => {
                self.key_screen.message = Some(super::KeyMessage::Failed(e.into()));
                return;
            }
        };
        // The keyring may be slow or ask to be unlocked: never on the UI thread.
        let secrets = self.secrets.clone();
        let account = endpoint.key_account();
        self.key_screen.message = None;
        let crashed = |app: &mut App| app.key_screen.message = Some(KeyMessage::Failed(Problem::Internal));
        self.background(crashed, move || {
            let result = secrets.store(&account, &key).map(|stored| (key, stored));
            reply(move |app, _| app.key_saved(&account, result))
        });
    }

    fn test_key(&mut self) {
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let typed = crate::secrets::ApiKey::parse(&self.key_screen.input).ok();
        let Some(key) = typed.or_else(|| self.key.as_ref().map(|k| k.0.clone())) else {
            self.key_screen.message = Some(super::KeyMessage::Failed(crate::secrets::KeyError::Empty.into()));
            return;
        };
        self.key_screen.testing = true;
        self.key_screen.message = None;
        let tested = self.key_screen.input.trim().to_string();
        let client = worker.client();
        let crashed = |app: &mut App| app.key_tested("", Err(Problem::Internal));
        self.background_async(crashed, async move {
            let cancel = tokio_util::sync::CancellationToken::new();
            let checked = match client.get().await {
                Ok(client) => client.check_key(&endpoint.base_url, key.expose(), &cancel).await,
                Err(e) => Err(e),
            };
            reply(move |app, _| app.key_tested(&tested, checked.map_err(Problem::from)))
        });
    }

    fn forget_key(&mut self) {
        let Ok(e) = self.endpoint() else { return };
        let secrets = self.secrets.clone();
        let account = e.key_account();
        self.background(nothing_to_end, move || {
            let deleted = secrets.delete(&account).map(|_| ());
            // An EASEL_API_KEY in the environment still applies after the keyring's is gone.
            let key = secrets.load(&account);
            reply(move |app, _| {
                if app.key_account.as_deref() == Some(account.as_str()) {
                    app.key = key;
                }
                if let Err(e) = deleted {
                    app.say(Message::Failed(e.into()));
                }
            })
        });
    }

    fn key_saved(&mut self, account: &str, result: Result<(ApiKey, Stored), SecretsError>) {
        match result {
            Ok((key, stored)) => {
                if self.key_account.as_deref() == Some(account) {
                    let source = if stored == Stored::Keyring { KeySource::Keyring } else { KeySource::Session };
                    self.key = Some((key, source));
                }
                self.key_screen = KeyScreen::default();
                if stored == Stored::SessionOnly {
                    self.say(Message::KeySessionOnly);
                }
            }
            Err(e) => self.key_screen.message = Some(KeyMessage::Failed(e.into())),
        }
    }

    /// The key's test is over: it works, or why not.
    /// The test of the key typed as `tested` (empty: the key in use) is over.
    fn key_tested(&mut self, tested: &str, result: Result<(), Problem>) {
        self.key_screen.testing = false;
        let refused = matches!(&result, Err(Problem::Api(e)) if e.kind == crate::api::ErrorKind::Key);
        self.key_screen.refused = (refused && !tested.is_empty()).then(|| tested.to_string());
        self.key_screen.message = Some(match result {
            Ok(()) => KeyMessage::Works,
            Err(e) => KeyMessage::Failed(e),
        });
    }
}
