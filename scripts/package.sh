#!/usr/bin/env bash
# Builds Easel's installers into target/package/ from a clean checkout:
#   bash scripts/package.sh                 # this system's default: .deb / .dmg / NSIS .exe
#   bash scripts/package.sh deb appimage    # the formats named (deb appimage dmg app nsis wix)
#   PACKAGE_TARGET=x86_64-apple-darwin bash scripts/package.sh dmg   # another target triple
# The binary is built with Cargo.toml's `dist` profile; cargo-packager (installed here if
# missing) makes every format from the [package.metadata.packager] tables in Cargo.toml.
# An AppImage needs linuxdeploy, which cargo-packager downloads from GitHub: the release
# workflow builds it; this machine's CI cannot.
# With EASEL_GITHUB_REPOSITORY=owner/name (the release workflow sets it), the AppStream
# metainfo gets the homepage and the screenshots in docs/screenshots/ at EASEL_GIT_REF.
set -euo pipefail
cd "$(dirname "$0")/.."

packager_version=0.11.8
target=${PACKAGE_TARGET:-}
formats=("$@")
if [ ${#formats[@]} -eq 0 ]; then
  case "$(uname -s)" in
    Linux) formats=(deb) ;;
    Darwin) formats=(dmg) ;;
    *) formats=(nsis) ;;
  esac
fi

if ! cargo packager --version 2>/dev/null | grep -q "$packager_version"; then
  echo "Installing cargo-packager $packager_version (once)"
  cargo install --locked cargo-packager --version "$packager_version"
fi

target_args=()
[ -n "$target" ] && target_args=(--target "$target")
cargo build --locked --profile dist --bin easel ${target_args[@]+"${target_args[@]}"}

# The metainfo of the .deb and the AppImage (with the screenshots when the address is known).
meta=target/package/metainfo/ai.easel.Easel.metainfo.xml
bash packaging/metainfo.sh "$meta"
if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net "$meta"; fi
if command -v desktop-file-validate >/dev/null; then desktop-file-validate packaging/easel.desktop; fi

formats_arg=$(IFS=,; echo "${formats[*]}")
cargo packager --profile dist --formats "$formats_arg" ${target_args[@]+"${target_args[@]}"}

echo
echo "Packages in target/package/:"
find target/package -maxdepth 1 -type f \( -name '*.deb' -o -name '*.AppImage' -o -name '*.dmg' \
  -o -name '*.exe' -o -name '*.msi' \) -exec ls -l {} \;
