//! [`Remedy`]: the one thing a user can do about a failure, which a view offers as a button.

use super::{ApiError, ErrorKind, words};

/// What fixes a failure, as one action a view can offer as a button beside the error's
/// sentence: [`label`](Remedy::label) words the button in the language in use, and the app
/// maps it to a command (`Remedy::command` in `app::problem`).
///
/// A refusal of the prompt is [`ChangePrompt`](Remedy::ChangePrompt), never a retry: the same
/// prompt would be refused again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Remedy {
    /// Send the same request again now: the failure may not happen twice (a broken
    /// connection, an answer that could not be read, a cancelled request).
    Retry,
    /// Send it again after a while: the service is busy or in trouble, or the account needs
    /// credit first. The error's sentence says how long to wait when the service said.
    RetryLater,
    /// Change the prompt: the safety system refused it, or it is empty or too long.
    ChangePrompt,
    /// Change a setting of the request (size, format, model…) that the endpoint refused.
    ChangeSettings,
    /// Check or replace the API key.
    CheckKey,
    /// Check Easel's settings: the endpoint's address, the library folder.
    CheckSettings,
}

impl Remedy {
    /// The button's words, in the language in use: "Try again", "Change the prompt"…
    pub fn label(self) -> &'static str {
        match self {
            Remedy::Retry => words::REMEDY_RETRY(),
            Remedy::RetryLater => words::REMEDY_RETRY_LATER(),
            Remedy::ChangePrompt => words::REMEDY_CHANGE_PROMPT(),
            Remedy::ChangeSettings => words::REMEDY_CHANGE_SETTINGS(),
            Remedy::CheckKey => words::REMEDY_CHECK_KEY(),
            Remedy::CheckSettings => words::REMEDY_CHECK_SETTINGS(),
        }
    }
}

impl ErrorKind {
    /// What fixes a failure of this kind.
    pub fn remedy(self) -> Remedy {
        match self {
            ErrorKind::Moderation => Remedy::ChangePrompt,
            ErrorKind::Quota | ErrorKind::RateLimit | ErrorKind::Server | ErrorKind::Timeout => Remedy::RetryLater,
            ErrorKind::Key => Remedy::CheckKey,
            // The fix is a setting: previews keep the connection alive (the advice says so).
            ErrorKind::BadSetting | ErrorKind::GatewayGaveUp => Remedy::ChangeSettings,
            ErrorKind::Account | ErrorKind::WrongAddress | ErrorKind::NoEdits | ErrorKind::Insecure => {
                Remedy::CheckSettings
            }
            ErrorKind::Network
            | ErrorKind::Unreadable
            | ErrorKind::NoImage
            | ErrorKind::Cancelled
            | ErrorKind::StreamCut => Remedy::Retry,
        }
    }
}

impl ApiError {
    /// What fixes this failure (see [`Remedy`]).
    pub fn remedy(&self) -> Remedy {
        // The wait the service asked for is over (or it asked for none): now is the time.
        if self.kind == ErrorKind::RateLimit && self.retry_after.is_some_and(|w| w.is_zero()) {
            return Remedy::Retry;
        }
        self.kind.remedy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    #[test]
    fn a_refused_prompt_is_changed_not_retried() {
        let refused = super::super::classify_status(
            400,
            br#"{"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","code":"moderation_blocked"}}"#,
            None,
        );
        assert_eq!(refused.remedy(), Remedy::ChangePrompt);
        let safety = super::super::classify_status(
            400,
            br#"{"error":{"message":"This request has been blocked by our safety system"}}"#,
            None,
        );
        assert_eq!(safety.remedy(), Remedy::ChangePrompt);
        assert_eq!(with(Lang::En, || refused.remedy().label()), "Change the prompt");
        assert_eq!(with(Lang::ZhCn, || refused.remedy().label()), "修改提示词");
    }

    #[test]
    fn each_failure_has_its_remedy() {
        let cases = [
            (401, r#"{"error":{"code":"invalid_api_key"}}"#, Remedy::CheckKey),
            (429, r#"{"error":{"code":"rate_limit_exceeded"}}"#, Remedy::RetryLater),
            (429, r#"{"error":{"code":"insufficient_quota"}}"#, Remedy::RetryLater),
            (400, r#"{"error":{"code":"invalid_value","param":"size"}}"#, Remedy::ChangeSettings),
            (404, r#"{"error":{"message":"Invalid URL"}}"#, Remedy::CheckSettings),
            (502, "<html></html>", Remedy::RetryLater),
        ];
        for (status, body, remedy) in cases {
            assert_eq!(
                super::super::classify_status(status, body.as_bytes(), None).remedy(),
                remedy,
                "{status} {body}"
            );
        }
        assert_eq!(ApiError::new(ErrorKind::Network).remedy(), Remedy::Retry);
        assert_eq!(with(Lang::En, || Remedy::CheckKey.label()), "Check the key");
        assert_eq!(with(Lang::En, || Remedy::Retry.label()), "Try again");
    }
}
