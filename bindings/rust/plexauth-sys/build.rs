//! Finds libplexauth, in this order:
//!
//! 1. `PLEXAUTH_LIB_DIR`: the folder holding `libplexauth.so` (linked dynamically);
//! 2. pkg-config: `plexauth.pc` of this crate's ABI (linked dynamically);
//! 3. with the `bundled` feature only: builds the library from its C++ sources with CMake (the
//!    `cmake` crate) and links the archive `libplexauth.a` statically, so the program needs no
//!    `libplexauth.so` (nor `LD_LIBRARY_PATH`) at run time; it still loads the system's libcurl.
//!
//! The sources are `PLEXAUTH_SOURCE_DIR` when set, else `vendor/plexauth` in this crate (where a
//! published crate would carry a copy), else the repository this crate lives in (`../../..`).

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
    // Only a library with this ABI will do (docs/design.md: during 0.x every minor may break it),
    // so that `bundled` builds the sources rather than link an installed library of another ABI.
    let version = env!("CARGO_PKG_VERSION");
    let probe = pkg_config::Config::new().range_version(version..next_abi(version).as_str()).probe("plexauth");
    match probe {
        Ok(lib) => {
            if let Some(dir) = lib.link_paths.first() {
                println!("cargo:lib_dir={}", dir.display());
            }
        }
        Err(e) if cfg!(feature = "bundled") => {
            println!("cargo:warning=libplexauth not found ({}); building the bundled sources", first_line(&e));
            bundled::build();
        }
        Err(e) => panic!(
            "libplexauth not found. Set PLEXAUTH_LIB_DIR to the folder holding libplexauth.so, \
             or make plexauth.pc visible to pkg-config (PKG_CONFIG_PATH), or enable this crate's \
             `bundled` feature to build it from source. pkg-config said: {e}"
        ),
    }
}

/// The first version with another ABI: the next minor during 0.x, else the next major.
fn next_abi(version: &str) -> String {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().expect("a numeric version"));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if major == 0 {
        format!("0.{}", minor + 1)
    } else {
        format!("{}", major + 1)
    }
}

fn first_line(e: &pkg_config::Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

#[cfg(feature = "bundled")]
mod bundled {
    use std::env;
    use std::path::PathBuf;

    /// The library's sources: a folder holding its top-level `CMakeLists.txt`.
    fn source_dir() -> PathBuf {
        println!("cargo:rerun-if-env-changed=PLEXAUTH_SOURCE_DIR");
        let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
        let candidates: Vec<PathBuf> = env::var_os("PLEXAUTH_SOURCE_DIR")
            .map(PathBuf::from)
            .into_iter()
            .chain([manifest.join("vendor/plexauth"), manifest.join("../../..")])
            .collect();
        for dir in &candidates {
            if dir.join("CMakeLists.txt").is_file() && dir.join("include/plexauth/plexauth.h").is_file() {
                return dir.canonicalize().unwrap_or_else(|_| dir.clone());
            }
        }
        panic!(
            "plexauth-sys (bundled): the libplexauth sources are not in any of {candidates:?}; \
             set PLEXAUTH_SOURCE_DIR to a checkout of the plexauth repository"
        )
    }

    pub fn build() {
        let src = source_dir();
        // (cargo scans a directory named here for changes to anything in it)
        for sub in ["CMakeLists.txt", "cmake", "include", "capi", "src"] {
            println!("cargo:rerun-if-changed={}", src.join(sub).display());
        }
        // Only the archive: no tests, CLI, benchmarks or -Werror (the installing compiler may
        // warn about things ours does not). The cmake crate picks Debug/Release from the profile.
        let dst = cmake::Config::new(&src)
            .define("PLEXAUTH_BUILD_STATIC", "ON")
            .define("PLEXAUTH_BUILD_TESTS", "OFF")
            .define("PLEXAUTH_BUILD_CLI", "OFF")
            .define("PLEXAUTH_BUILD_BENCH", "OFF")
            .define("PLEXAUTH_WERROR", "OFF")
            .build_target("plexauth_static")
            .build();
        // build_target skips the install step: the archive is in the build tree.
        let build = dst.join("build");
        println!("cargo:rustc-link-search=native={}", build.display());
        println!("cargo:rustc-link-lib=static=plexauth");
        // What libplexauth.a needs (as plexauth-static.pc says): libcurl, expat, libcrypto
        // (device keys, JWTs) and the C++ runtime.
        println!("cargo:rustc-link-lib=dylib=curl");
        println!("cargo:rustc-link-lib=dylib=expat");
        println!("cargo:rustc-link-lib=dylib=crypto");
        println!("cargo:rustc-link-lib=dylib=stdc++");
        println!("cargo:include={}", src.join("include").display());
        println!("cargo:bundled=1");
    }
}

#[cfg(not(feature = "bundled"))]
mod bundled {
    pub fn build() {
        unreachable!("only called with the bundled feature")
    }
}
