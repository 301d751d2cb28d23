//! `client_id_load_or_create(None)` uses `$XDG_CONFIG_HOME/plexauth/client_id`.
//! In a test binary of its own: it sets an environment variable, which must not
//! race with other tests' threads reading the environment.

use std::os::unix::fs::PermissionsExt;

#[test]
fn the_default_path_is_under_xdg_config_home() {
    let dir = std::env::temp_dir().join(format!("plexauth-rust-xdg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::env::set_var("XDG_CONFIG_HOME", &dir);

    let id = plexauth::client_id_load_or_create(None).unwrap();
    let file = dir.join("plexauth/client_id");
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), id);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(plexauth::client_id_load_or_create(None).unwrap(), id);
    assert_eq!(plexauth::client_id_load_or_create(Some(&file)).unwrap(), id);

    std::fs::remove_dir_all(&dir).unwrap();
}
