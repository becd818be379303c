//! Where the key lives: the OS keyring (Keychain, Credential Manager, Secret Service), with
//! `EASEL_API_KEY` in the environment taking precedence, and a memory-only fallback where no
//! keyring works. The key is never written to a file.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// The keyring service name under which Easel stores keys.
pub const SERVICE: &str = "easel";
/// The environment variable that overrides the keyring.
pub const ENV_KEY: &str = "EASEL_API_KEY";

/// An API key. Its `Debug` and `Display` never show it; read it only with [`ApiKey::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// Why pasted text is not a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    /// Spaces, line breaks or other invisible characters inside.
    Whitespace,
    /// Characters keys never have: letters with accents, curly quotes, other scripts.
    NotAscii,
    /// Far longer than any key ([`MAX_KEY_CHARS`]): a whole document pasted, say.
    TooLong,
}

/// The longest key taken: ten times the longest keys services give (a few hundred characters).
pub const MAX_KEY_CHARS: usize = 4096;

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyError::Empty => words::NO_KEY_GIVEN(),
            KeyError::Whitespace => words::NOT_A_KEY(),
            KeyError::NotAscii => words::NOT_A_KEY_ASCII(),
            KeyError::TooLong => words::KEY_TOO_LONG(),
        })
    }
}

impl std::error::Error for KeyError {}

/// `EASEL_API_KEY` is set to something that is not a key, so it is not used: said, not taken for
/// "no key".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvKeyError(pub KeyError);

impl std::fmt::Display for EnvKeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.0 {
            KeyError::NotAscii => words::ENV_KEY_NOT_ASCII(),
            KeyError::TooLong => words::ENV_KEY_TOO_LONG(),
            KeyError::Empty | KeyError::Whitespace => words::ENV_KEY_WHITESPACE(),
        };
        f.write_str(&words::env_not_a_key(ENV_KEY, why))
    }
}

impl std::error::Error for EnvKeyError {}

/// Why `EASEL_API_KEY` is set but not used, if it is: it holds something that is not a key (a
/// line break inside, a character keys never have, text that is not Unicode). Unset or empty,
/// it is simply not there.
pub fn env_key_problem() -> Option<EnvKeyError> {
    match std::env::var(ENV_KEY) {
        Ok(v) if v.trim().is_empty() => None,
        Ok(v) => ApiKey::parse(&v).err().map(EnvKeyError),
        Err(std::env::VarError::NotUnicode(_)) => Some(EnvKeyError(KeyError::NotAscii)),
        Err(std::env::VarError::NotPresent) => None,
    }
}

impl ApiKey {
    /// Wraps a key, trimming the whitespace a paste brings along; `None` if it is not a key.
    pub fn new(text: &str) -> Option<ApiKey> {
        ApiKey::parse(text).ok()
    }

    /// Like [`ApiKey::new`], saying why the text is not a key. A key with characters inside
    /// that cannot go in an HTTP header would be refused later with a misleading message.
    pub fn parse(text: &str) -> Result<ApiKey, KeyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(KeyError::Empty);
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(KeyError::Whitespace);
        }
        if !t.is_ascii() {
            return Err(KeyError::NotAscii);
        }
        if t.len() > MAX_KEY_CHARS {
            return Err(KeyError::TooLong);
        }
        Ok(ApiKey(t.to_string()))
    }

    /// The key itself, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `EASEL_API_KEY`.
    Environment,
    /// The OS keyring.
    Keyring,
    /// Memory only, until Easel closes (no keyring works here).
    Session,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeySource::Environment => words::FROM_ENVIRONMENT(),
            KeySource::Keyring => words::FROM_KEYRING(),
            KeySource::Session => words::FROM_MEMORY(),
        })
    }
}

/// Where a stored key went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// In the OS keyring: it will be there next time.
    Keyring,
    /// In memory only, because no keyring works here; the reason is in [`Secrets::keyring_problem`].
    SessionOnly,
}

/// A keyring failure that is not "no keyring here".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretsError {
    Keyring(KeyringTrouble),
}

impl std::fmt::Display for SecretsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let SecretsError::Keyring(why) = self;
        f.write_str(&words::keyring_refused(&why.to_string()))
    }
}

/// What went wrong with the keyring, kept as a value and worded when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyringTrouble {
    NoKeyring,
    NotRunning,
    Locked,
    KeyDamaged,
    Other,
}

impl std::fmt::Display for KeyringTrouble {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeyringTrouble::NoKeyring => words::NO_KEYRING(),
            KeyringTrouble::NotRunning => words::KEYRING_NOT_RUNNING(),
            KeyringTrouble::Locked => words::KEYRING_LOCKED(),
            KeyringTrouble::KeyDamaged => words::KEY_DAMAGED(),
            KeyringTrouble::Other => words::KEYRING_ERROR(),
        })
    }
}

impl std::error::Error for SecretsError {}

/// Installs the platform's keyring as the default store. Call once at start-up, before any
/// [`Secrets`] is used; a test that set its own store first keeps it.
pub fn init_platform_store() {
    if keyring_core::get_default_store().is_none() {
        // What it reports is asked again, per key, when a key is stored or read.
        let status = keyring::Entry::store_status();
        log::debug!("keyring: {status:?}");
    }
}

/// The key store for one run of Easel.
#[derive(Default)]
pub struct Secrets {
    /// Keys kept for this session only, by account, where no keyring works.
    session: Mutex<HashMap<String, ApiKey>>,
    /// Why the keyring is not used, once a call found it missing: the words, not a sentence
    /// made from them, so the note follows the language.
    problem: Mutex<Option<KeyringTrouble>>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets").field("keyring_problem", &self.keyring_problem()).finish_non_exhaustive()
    }
}

/// Whether a keyring error means "there is no usable keyring here" (as opposed to a refusal).
fn means_no_keyring(e: &keyring_core::Error) -> bool {
    matches!(
        e,
        keyring_core::Error::NoDefaultStore
            | keyring_core::Error::PlatformFailure(_)
            | keyring_core::Error::NoStorageAccess(_)
    )
}

/// What a keyring error means for the user (its own text goes to the log).
fn describe(e: &keyring_core::Error) -> KeyringTrouble {
    log::debug!("keyring: {e}");
    match e {
        keyring_core::Error::NoDefaultStore => KeyringTrouble::NoKeyring,
        keyring_core::Error::PlatformFailure(_) => KeyringTrouble::NotRunning,
        keyring_core::Error::NoStorageAccess(_) => KeyringTrouble::Locked,
        keyring_core::Error::BadEncoding(_) => KeyringTrouble::KeyDamaged,
        _ => KeyringTrouble::Other,
    }
}

impl Secrets {
    /// A store with nothing kept in memory yet.
    pub fn new() -> Secrets {
        Secrets::default()
    }

    /// Why keys are kept in memory only, if they are (known once the keyring was asked).
    pub fn keyring_trouble(&self) -> Option<KeyringTrouble> {
        *self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Why keys are kept in memory only, if they are: a sentence for a visible note.
    pub fn keyring_problem(&self) -> Option<String> {
        let problem = *self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        problem.map(|trouble| trouble.to_string())
    }

    fn note_problem(&self, e: &keyring_core::Error) {
        *self.problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(describe(e));
    }

    fn entry(&self, account: &str) -> Result<keyring_core::Entry, keyring_core::Error> {
        keyring_core::Entry::new(SERVICE, account)
    }

    /// The key for `account` and where it came from: the environment first, then the keyring,
    /// then this session's memory.
    pub fn load(&self, account: &str) -> Option<(ApiKey, KeySource)> {
        if let Some(k) = std::env::var(ENV_KEY).ok().and_then(|v| ApiKey::new(&v)) {
            return Some((k, KeySource::Environment));
        }
        match self.entry(account).and_then(|e| e.get_password()) {
            Ok(p) => match ApiKey::parse(&p) {
                Ok(k) => return Some((k, KeySource::Keyring)),
                // The key screen asks for a new one; why the stored one was passed over is logged.
                Err(e) => log::warn!("the key stored for {account} is not a key ({e:?}); it is not used"),
            },
            Err(e) if means_no_keyring(&e) => self.note_problem(&e),
            Err(e) => log::warn!("the keyring could not give the key for {account}: {e}"),
        }
        let session = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        session.get(account).map(|k| (k.clone(), KeySource::Session))
    }

    /// Stores the key for `account`: in the keyring, or in memory when no keyring works.
    pub fn store(&self, account: &str, key: &ApiKey) -> Result<Stored, SecretsError> {
        match self.entry(account).and_then(|e| e.set_password(key.expose())) {
            Ok(()) => {
                self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(account);
                Ok(Stored::Keyring)
            }
            Err(e) if means_no_keyring(&e) => {
                self.note_problem(&e);
                self.session
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(account.to_string(), key.clone());
                Ok(Stored::SessionOnly)
            }
            Err(e) => Err(SecretsError::Keyring(describe(&e))),
        }
    }

    /// Forgets the key for `account` everywhere Easel keeps it. `Ok(true)` if one was there.
    pub fn delete(&self, account: &str) -> Result<bool, SecretsError> {
        let in_session =
            self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(account).is_some();
        match self.entry(account).and_then(|e| e.delete_credential()) {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(in_session),
            Err(e) if means_no_keyring(&e) => {
                self.note_problem(&e);
                Ok(in_session)
            }
            Err(e) => Err(SecretsError::Keyring(describe(&e))),
        }
    }
}

/// Every word about keys, in every language.
mod words {
    crate::texts! { FIXED;
        NO_KEY_GIVEN => "No key was given.", "没有填写密钥。";
        NOT_A_KEY => "That does not look like a key: it has spaces, line breaks or other invisible characters inside. Copy the key again, on its own.",
            "这看起来不像密钥：里面有空格、换行或其他看不见的字符。请单独重新复制密钥。";
        NOT_A_KEY_ASCII => "That does not look like a key: it has characters keys never have (letters with accents, curly quotes, other scripts). Copy the key again, on its own.",
            "这看起来不像密钥：里面有密钥中不会出现的字符（带重音的字母、弯引号或其他文字）。请单独重新复制密钥。";
        KEY_TOO_LONG => "That is far longer than any key. Copy the key again, on its own.",
            "这比任何密钥都长得多。请单独重新复制密钥。";
        ENV_KEY_TOO_LONG => "it is far longer than any key", "它比任何密钥都长得多";
        ENV_KEY_WHITESPACE => "it has spaces, line breaks or other invisible characters inside",
            "其中有空格、换行或其他看不见的字符";
        ENV_KEY_NOT_ASCII => "it has characters keys never have (letters with accents, curly quotes, other scripts)",
            "其中有密钥中不会出现的字符（带重音的字母、弯引号或其他文字）";
        // Where a key came from: "The key comes from …".
        FROM_ENVIRONMENT => "the EASEL_API_KEY environment variable", "环境变量 EASEL_API_KEY";
        FROM_KEYRING => "the system keyring", "系统密钥环";
        FROM_MEMORY => "memory, until Easel closes", "内存（直到 Easel 关闭）";
        // Why the keyring is not used, or refused a key.
        NO_KEYRING => "this system has no keyring Easel can use", "此系统没有 Easel 可用的密钥环";
        KEYRING_NOT_RUNNING => "the system keyring is not running", "系统密钥环没有运行";
        KEYRING_LOCKED => "the system keyring is locked or not reachable", "系统密钥环已锁定或无法访问";
        KEY_DAMAGED => "the stored key is damaged", "保存的密钥已损坏";
        KEYRING_ERROR => "the system keyring reported an error", "系统密钥环报告了一个错误";
    }

    crate::formats! { WITH_VALUES;
        keyring_refused(why: &str) => "The system keyring refused the key: {why}. Unlock your keyring (or log in again) and try once more.",
            "系统密钥环拒绝了这个密钥：{why}。请解锁密钥环（或重新登录）后再试一次。";
        env_not_a_key(name: &str, why: &str) => "{name} is set, but what it holds is not a key: {why}. Easel does not use it: set it to the key alone, or unset it to use the key saved in Easel.",
            "已设置 {name}，但其内容不是密钥：{why}。Easel 不会使用它：请把它设为单独的密钥，或取消设置以使用保存在 Easel 中的密钥。";
    }

    crate::translated!(FIXED, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_prints() {
        let k = ApiKey::new("  sk-secret-123456789 \n").unwrap();
        assert_eq!(k.expose(), "sk-secret-123456789");
        assert!(!format!("{k:?} {k}").contains("secret"));
        assert!(ApiKey::new(" \n").is_none());
        assert_eq!(ApiKey::parse("sk-abc def"), Err(KeyError::Whitespace));
        assert_eq!(ApiKey::parse("sk-abc\ndef"), Err(KeyError::Whitespace));
        assert_eq!(ApiKey::parse("sk-abcé"), Err(KeyError::NotAscii));
        assert_eq!(ApiKey::parse(&"k".repeat(90_000)), Err(KeyError::TooLong));
    }
}
