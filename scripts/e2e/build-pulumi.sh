#!/usr/bin/env bash
# Builds the real Pulumi CLI (and the language hosts the Go module proxy serves) from Go module sources,
# pinned to one release, into a cache that later runs reuse:
#   ${SECURE_AZUREML_E2E_CACHE:-~/.cache/secure-azureml-e2e}/pulumi-<version>/bin
# Skips the build when the pinned binaries are already there (prints where). See scripts/e2e/README.md.
#
# Why from sources: the machines reach the Go module proxy but not Pulumi's download site.
# Why not `go install github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v3.276.0`: pkg/go.mod has
# `replace github.com/pulumi/pulumi/sdk/v3 => ../sdk`, and `go install pkg@version` refuses modules with
# replace directives, so pkg/v3 and sdk/v3 are copied side by side (as in the pulumi repository) and
# pkg/cmd/pulumi is built there.
#
# Built stripped (-s -w): 117 MiB for pulumi instead of 162 MiB.
# Options: --rebuild (ignore the cache), --probe-hosts (ask the proxy again for the nodejs/python/go
# language hosts even when pulumi is cached).
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-v3.276.0}"
# pulumi-language-yaml is a tagged module of its own (github.com/pulumi/pulumi-yaml); v1.25.0 builds
# against pulumi sdk v3.206.0 and speaks the same language-host protocol.
PULUMI_YAML_VERSION="${PULUMI_YAML_VERSION:-v1.25.0}"
CACHE_ROOT="${SECURE_AZUREML_E2E_CACHE:-$HOME/.cache/secure-azureml-e2e}"
ROOT="$CACHE_ROOT/pulumi-$PULUMI_VERSION"
BIN="$ROOT/bin"
SRC="$ROOT/src"

# The language hosts are modules of their own inside the pulumi repository that are never tagged, so
# they can only be fetched by commit (pseudo-version). The proxy answered 403 "This module version is
# not available." for each of them (see scripts/e2e/README.md); --probe-hosts asks again.
LANGUAGE_HOSTS=(
    "pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
    "pulumi-language-python github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
    "pulumi-language-go github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3"
)

rebuild=0
probe=0
for arg in "$@"; do
    case "$arg" in
        --rebuild) rebuild=1 ;;
        --probe-hosts) probe=1 ;;
        -h | --help)
            sed -n '2,15p' "$0"
            exit 0
            ;;
        *)
            echo "build-pulumi.sh: unknown argument '$arg' (known: --rebuild, --probe-hosts)" >&2
            exit 2
            ;;
    esac
done

say() { echo "build-pulumi.sh: $*" >&2; }

report() {
    say "binaries in $BIN:"
    local f
    for f in pulumi pulumi-language-yaml pulumi-language-nodejs pulumi-language-python pulumi-language-go; do
        if [[ -x "$BIN/$f" ]]; then
            say "  $f ($(du -m "$BIN/$f" | cut -f1) MiB)"
        else
            say "  $f: missing"
        fi
    done
    say "use: export PATH=\"$BIN:\$PATH\""
}

cached() {
    [[ -x "$BIN/pulumi" ]] && [[ "$("$BIN/pulumi" version 2>/dev/null)" == "$PULUMI_VERSION" ]]
}

if [[ $rebuild -eq 0 && $probe -eq 0 ]] && cached; then
    say "cached: pulumi $PULUMI_VERSION already built, nothing to do (--rebuild to build again)"
    report
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    say "'go' is not on PATH: the Pulumi CLI $PULUMI_VERSION is built from its Go module sources and needs"
    say "Go >= 1.26.6 (pkg/go.mod's go line). Install Go (e.g. the golang-go Debian package if recent enough,"
    say "or a Go toolchain on PATH) and run this script again."
    exit 3
fi

# GOTOOLCHAIN=local: fail clearly on an old Go rather than try to download a toolchain.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$BIN" "$SRC" "$ROOT/fetch"
exec 9>"$ROOT/.lock"
flock 9

# `go mod download -json` needs a module to run in; prints the module's extracted directory.
module_dir() {
    (cd "$ROOT/fetch" && { [[ -f go.mod ]] || printf 'module fetch\n\ngo 1.21\n' >go.mod; } &&
        go mod download -json "$1@$2" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
}

# Copies a module from the read-only module cache to a writable place.
copy_module() {
    rm -rf "$2"
    cp -r "$1" "$2"
    chmod -R u+w "$2"
}

if [[ $rebuild -eq 1 ]] || ! cached; then
    start=$(date +%s)
    if [[ ! -f "$SRC/.sources-$PULUMI_VERSION" ]]; then
        say "fetching github.com/pulumi/pulumi/pkg/v3 and sdk/v3 $PULUMI_VERSION from the Go module proxy"
        pkg_dir=$(module_dir github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION")
        sdk_dir=$(module_dir github.com/pulumi/pulumi/sdk/v3 "$PULUMI_VERSION")
        [[ -n "$pkg_dir" && -n "$sdk_dir" ]] || {
            say "could not fetch pulumi $PULUMI_VERSION modules"
            exit 4
        }
        copy_module "$pkg_dir" "$SRC/pkg"
        copy_module "$sdk_dir" "$SRC/sdk"
        touch "$SRC/.sources-$PULUMI_VERSION"
    fi
    say "building pulumi $PULUMI_VERSION (cold ≈11 min on 2 cores, warm Go build cache ≈45 s)"
    (cd "$SRC/pkg" && go build -trimpath -tags osusergo,grpcnotrace \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
        -o "$BIN/pulumi" ./cmd/pulumi)

    if [[ ! -x "$BIN/pulumi-language-yaml" || $rebuild -eq 1 ]]; then
        say "building pulumi-language-yaml $PULUMI_YAML_VERSION"
        if yaml_dir=$(module_dir github.com/pulumi/pulumi-yaml "$PULUMI_YAML_VERSION") && [[ -n "$yaml_dir" ]]; then
            copy_module "$yaml_dir" "$SRC/pulumi-yaml"
            (cd "$SRC/pulumi-yaml" && go build -trimpath -tags osusergo,grpcnotrace \
                -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$PULUMI_YAML_VERSION" \
                -o "$BIN/pulumi-language-yaml" ./cmd/pulumi-language-yaml) ||
                say "pulumi-language-yaml did not build (optional; the CLI is built)"
        else
            say "pulumi-language-yaml $PULUMI_YAML_VERSION could not be fetched (optional)"
        fi
    fi
    say "built in $(($(date +%s) - start)) s"
fi

# Language hosts: one try each by the release's version; a pseudo-version needs the release commit,
# which the proxy's .info for sdk/v3 does not carry.
for entry in "${LANGUAGE_HOSTS[@]}"; do
    name=${entry%% *}
    mod=${entry#* }
    [[ -x "$BIN/$name" ]] && continue
    if out=$(cd "$ROOT/fetch" && timeout 120 go mod download -json "$mod@$PULUMI_VERSION" 2>&1); then
        dir=$(sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p' <<<"$out")
        say "building $name from $mod@$PULUMI_VERSION"
        copy_module "$dir" "$SRC/$name"
        (cd "$SRC/$name" && go build -trimpath -tags osusergo,grpcnotrace \
            -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
            -o "$BIN/$name" .) || say "$name did not build"
    else
        say "$name: not served by the Go module proxy ($(grep -o '[0-9]\{3\} [A-Za-z ]*' <<<"$out" | head -1 || true)):"
        say "  $(head -c 400 <<<"$out" | tr '\n' ' ')"
    fi
done

report
