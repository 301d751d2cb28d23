//! Finds libplexauth: `PLEXAUTH_LIB_DIR` first, then pkg-config (`plexauth.pc`).

use std::env;

fn main() {
    println!("cargo:rerun-if-env-changed=PLEXAUTH_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");

    if let Some(dir) = env::var_os("PLEXAUTH_LIB_DIR") {
        let dir = dir.to_string_lossy();
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-lib=dylib=plexauth");
        // Exposed to dependents as DEP_PLEXAUTH_LIB_DIR.
        println!("cargo:lib_dir={dir}");
        return;
    }

    // The crates share the library's version (codegen writes it into the workspace Cargo.toml).
    match pkg_config::Config::new().atleast_version(env!("CARGO_PKG_VERSION")).probe("plexauth") {
        Ok(lib) => {
            if let Some(dir) = lib.link_paths.first() {
                println!("cargo:lib_dir={}", dir.display());
            }
        }
        Err(e) => panic!(
            "libplexauth not found. Set PLEXAUTH_LIB_DIR to the folder holding libplexauth.so, \
             or make plexauth.pc visible to pkg-config (PKG_CONFIG_PATH). pkg-config said: {e}"
        ),
    }
}
