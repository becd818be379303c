//! The endpoint's own list of image models: read from `GET {base}/models` off the UI thread,
//! once a run per endpoint and no more than daily, kept between runs per endpoint, for the
//! model picker to offer beside the models Easel knows.

use super::App;
use super::background::reply;
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// An endpoint's image models as last read, and when (seconds since 1970, UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub ids: Vec<String>,
    pub read_at: u64,
}

/// A list younger than this is not read again.
const FRESH_FOR_SECS: u64 = 24 * 60 * 60;

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl App {
    /// Reads the endpoint's list when it is due: not yet asked this run, and the list kept is
    /// a day old or missing. Cheap when not due: called each frame.
    pub(super) fn ask_models_if_due(&mut self) {
        // Cheapest first: most frames end here.
        if self.key_account.as_ref().is_none_or(|a| self.models_asked.contains(a)) {
            return;
        }
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let account = endpoint.key_account();
        if self.key_account.as_deref() != Some(account.as_str()) {
            return;
        }
        let Some(key) = self.key.as_ref().map(|k| k.0.clone()) else { return };
        self.models_asked.insert(account.clone());
        let kept = self.state.listed_models.get(&account);
        if kept.is_some_and(|l| now().saturating_sub(l.read_at) < FRESH_FOR_SECS) {
            return;
        }
        let client = worker.client();
        self.background_async(|_| (), async move {
            let cancel = tokio_util::sync::CancellationToken::new();
            let listed = match client.get().await {
                Ok(client) => client.list_models(&endpoint.base_url, key.expose(), &cancel).await,
                Err(e) => Err(e),
            };
            reply(move |app, _| app.models_read(account, listed))
        });
    }

    fn models_read(&mut self, account: String, listed: Result<Vec<String>, crate::api::ApiError>) {
        match listed {
            Ok(ids) => {
                let ids = crate::api::models::image_models(&ids);
                self.state.listed_models.insert(account, Listed { ids, read_at: now() });
            }
            // The picker offers the models Easel knows; nothing to say to the user.
            Err(e) => log::info!("the endpoint's models could not be read: {e}"),
        }
    }
}
