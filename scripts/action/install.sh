#!/usr/bin/env bash
# Installs a prebuilt rebrand release binary for the GitHub Action (action.yml): no compile.
# Downloads the release archive for the runner's platform and its SHA-256 checksum file,
# refuses an archive whose checksum differs, unpacks the binary into
# $RUNNER_TEMP/rebrand-<version>/ and puts that folder on the job's PATH ($GITHUB_PATH).
#
# Environment (the Action sets it; every variable can be set by hand to run this elsewhere):
#   REBRAND_VERSION      the release tag to install (`v0.2.0`); required
#   REBRAND_REPOSITORY   the GitHub repository that publishes the releases (`owner/rebrand`);
#                        required unless REBRAND_RELEASE_URL is set
#   REBRAND_RELEASE_URL  where the release's files are (default:
#                        https://github.com/$REBRAND_REPOSITORY/releases/download/$REBRAND_VERSION);
#                        a mirror, or a file:// folder for tests
#   RUNNER_OS, RUNNER_ARCH  the runner's platform (Linux|macOS|Windows, X64|ARM64), as GitHub
#                        sets them; default: this machine's (uname)
#   RUNNER_TEMP          where to unpack (default: a new temporary folder)
#   GITHUB_PATH          the file the folder is appended to (default: none, the folder printed)
#
# The archive of a release (.github/workflows/release.yml) is
# rebrand-<version>-<target>.tar.gz (Windows: .zip) holding the folder rebrand-<version>-<target>/
# with the binary in it (or the binary at its top), beside it <archive>.sha256 (`sha256sum`
# format). Targets: x86_64-unknown-linux-musl,
# aarch64-unknown-linux-musl, x86_64-apple-darwin, aarch64-apple-darwin,
# x86_64-pc-windows-msvc.
#
# Exit status: 0 installed; 1 download or checksum failed; 2 usage error (no version, an
# unsupported platform).
set -euo pipefail

die() { echo "rebrand-install: $2" >&2; exit "$1"; }

version="${REBRAND_VERSION:-}"
[ -n "$version" ] || die 2 "REBRAND_VERSION is not set (the release tag to install, e.g. v0.2.0)"
case "$version" in v*) ;; *) version="v$version" ;; esac
base="${REBRAND_RELEASE_URL:-}"
if [ -z "$base" ]; then
    [ -n "${REBRAND_REPOSITORY:-}" ] || die 2 "REBRAND_REPOSITORY is not set (owner/name of the repository that publishes the releases)"
    base="https://github.com/$REBRAND_REPOSITORY/releases/download/$version"
fi

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
case "$os/$arch" in
    Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    *) die 2 "no release binary for $os/$arch (build from source: cargo install --locked rebrand)" ;;
esac
ext=tar.gz
exe=rebrand
if [ "$target" = x86_64-pc-windows-msvc ]; then ext=zip; exe=rebrand.exe; fi
archive="rebrand-$version-$target.$ext"

temp="${RUNNER_TEMP:-$(mktemp -d)}"
dest="$temp/rebrand-$version"
work="$(mktemp -d "$temp/rebrand-download.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fetch() { curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"; }
echo "rebrand-install: $base/$archive"
fetch "$base/$archive" "$work/$archive" || die 1 "cannot download $base/$archive"
fetch "$base/$archive.sha256" "$work/$archive.sha256" || die 1 "cannot download $base/$archive.sha256"

expected="$(awk '{print $1; exit}' "$work/$archive.sha256")"
if command -v sha256sum >/dev/null 2>&1; then
    actual="$(sha256sum "$work/$archive" | awk '{print $1}')"
else
    actual="$(shasum -a 256 "$work/$archive" | awk '{print $1}')"
fi
[ -n "$expected" ] && [ "$expected" = "$actual" ] \
    || die 1 "checksum mismatch for $archive: expected ${expected:-nothing}, got $actual"

mkdir -p "$work/unpacked" "$dest"
case "$ext" in
    tar.gz) tar -xzf "$work/$archive" -C "$work/unpacked" ;;
    zip) unzip -q -o "$work/$archive" -d "$work/unpacked" ;;
esac
folder="rebrand-$version-$target"
if [ -f "$work/unpacked/$folder/$exe" ]; then
    mv "$work/unpacked/$folder/$exe" "$dest/$exe"
elif [ -f "$work/unpacked/$exe" ]; then
    mv "$work/unpacked/$exe" "$dest/$exe"
else
    die 1 "$archive holds no $folder/$exe"
fi
chmod +x "$dest/$exe"
if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$dest" >>"$GITHUB_PATH"
fi
echo "rebrand-install: installed $("$dest/$exe" --version) into $dest"
