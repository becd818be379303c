//! Where the key lives. Through keyring-core's mock store here; the `#[ignore]`d tests run
//! against a real Secret Service (gnome-keyring) in `.ci/run`.

use easel::secrets::{ApiKey, KeySource, Secrets, Stored};
use std::sync::Once;

fn mock_store() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap()));
}

#[test]
fn store_load_delete_through_the_keyring() {
    mock_store();
    let s = Secrets::new();
    let account = "https://mock-a.example";
    assert!(s.load(account).is_none());
    let key = ApiKey::new("sk-mock-1234567890").unwrap();
    assert_eq!(s.store(account, &key).unwrap(), Stored::Keyring);
    let (loaded, source) = Secrets::new().load(account).unwrap();
    assert_eq!(loaded.expose(), "sk-mock-1234567890");
    assert_eq!(source, KeySource::Keyring);
    assert!(s.keyring_problem().is_none());
    assert!(s.delete(account).unwrap());
    assert!(s.load(account).is_none());
    assert!(!s.delete(account).unwrap(), "deleting twice is fine");
}

#[test]
fn each_endpoint_keeps_its_own_key() {
    mock_store();
    let s = Secrets::new();
    s.store("https://one.example", &ApiKey::new("key-one-xxxxxxxx").unwrap()).unwrap();
    s.store("https://two.example", &ApiKey::new("key-two-xxxxxxxx").unwrap()).unwrap();
    assert_eq!(s.load("https://one.example").unwrap().0.expose(), "key-one-xxxxxxxx");
    assert_eq!(s.load("https://two.example").unwrap().0.expose(), "key-two-xxxxxxxx");
}

#[test]
fn a_failing_keyring_falls_back_to_memory_and_says_so() {
    mock_store();
    let account = "https://broken.example";
    let entry = keyring_core::Entry::new(easel::secrets::SERVICE, account).unwrap();
    let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::NoStorageAccess(Box::new(std::io::Error::other("locked"))));
    let s = Secrets::new();
    let key = ApiKey::new("sk-session-only-123").unwrap();
    assert_eq!(s.store(account, &key).unwrap(), Stored::SessionOnly);
    let problem = s.keyring_problem().unwrap();
    assert!(problem.contains("locked"), "{problem}");
    let (loaded, source) = s.load(account).unwrap();
    assert_eq!((loaded.expose(), source), ("sk-session-only-123", KeySource::Session));
    assert!(!format!("{s:?}").contains("sk-session"), "Debug shows the key");
}

/// Against the real Secret Service: run by `.ci/run` under dbus-run-session with gnome-keyring.
#[test]
#[ignore = "needs a running, unlocked Secret Service (see .ci/run)"]
fn real_secret_service_round_trip() {
    easel::secrets::init_platform_store();
    assert!(keyring::Entry::store_status().is_ok(), "no Secret Service: {:?}", keyring::Entry::store_status());
    let s = Secrets::new();
    let account = "https://secret-service-test.example";
    let key = ApiKey::new("sk-real-keyring-abcdef123456").unwrap();
    assert_eq!(s.store(account, &key).unwrap(), Stored::Keyring, "{:?}", s.keyring_problem());
    // An independent reader: libsecret's secret-tool sees the same item.
    let out = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "easel", "username", account])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "sk-real-keyring-abcdef123456");
    assert_eq!(Secrets::new().load(account).unwrap().1, KeySource::Keyring);
    assert!(s.delete(account).unwrap());
    let out = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "easel", "username", account])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty(), "the key is still in the keyring after delete");
}
