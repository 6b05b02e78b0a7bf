#!/usr/bin/env bash
# arbiter quick start: install what is missing, build, then run the flagship job or the whole test suite.
#
#   bash scripts/quickstart.sh run    # Release build + the flagship ensemble -> out/<scenario>.results.sqlite
#   bash scripts/quickstart.sh test   # Release build + ctest, then the ASan+UBSan build + ctest
#
# Made for Debian 12 (bookworm) as root, also on a fresh minimal system (no compiler, git or CA
# certificates). Safe to run again: installed packages are skipped and the build directories
# (build/release, build/sanitize) are reused. CI=true turns compiler warnings into errors.
set -Eeuo pipefail

# The Debian 12 packages the build needs (every find_package in CMakeLists.txt), plus sqlite3 so
# users can open the results file.
readonly PACKAGES=(
  g++ cmake ninja-build pkg-config
  libyaml-cpp-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libsqlite3-dev
  librandom123-dev libeigen3-dev libboost-dev libtbb-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  sqlite3
)
readonly FLAGSHIP=scenarios/karabakh/karabakh.yaml
readonly FALLBACK=examples/two_rivals.yaml

step_started=0
step() { step_started=$SECONDS; printf '\n==> %s\n' "$*"; }
done_step() { printf '    done in %ds\n' "$((SECONDS - step_started))"; }
die() { printf '\nquickstart: error: %s\n' "$*" >&2; exit 1; }
trap 'printf "\nquickstart: error: command failed (line %d): %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

usage() {
  cat <<'EOF'
Usage: bash scripts/quickstart.sh run|test

  run   install missing Debian packages, build Release (build/release) and run the flagship
        ensemble, printing its summary table and writing the results file under out/
  test  install missing Debian packages, build Release and run `ctest --preset release`, then
        build the ASan+UBSan preset (build/sanitize) and run `ctest --preset sanitize`

Environment: CI=true builds with -DARBITER_WARNINGS_AS_ERRORS=ON; JOBS=N overrides the number of
parallel build and test jobs (default: all cores).
EOF
}

# ---------------------------------------------------------------------------------------------------
# Set-up: Debian packages

is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

install_packages() {
  step "Checking Debian packages (${#PACKAGES[@]} needed)"
  command -v dpkg-query >/dev/null 2>&1 ||
    die "dpkg-query not found: this script installs packages on Debian 12 only. Install the equivalents of: ${PACKAGES[*]}"
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    is_installed "$package" || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    echo "    all installed"
    return
  fi
  echo "    missing: ${missing[*]}"

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "packages are missing and you are not root; run as root or install sudo"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive

  # Refresh the package lists only if they are absent, older than a day, or lack a missing package.
  local lists=/var/lib/apt/lists need_update=0
  if ! compgen -G "$lists/*_Packages" >/dev/null || [[ -n "$(find "$lists" -maxdepth 1 -name '*_Packages' -mmin +1440 -print -quit)" ]]; then
    need_update=1
  else
    for package in "${missing[@]}"; do
      apt-cache show "$package" >/dev/null 2>&1 || { need_update=1; break; }
    done
  fi
  if ((need_update)); then
    step "apt-get update"
    "${sudo[@]}" apt-get update -q || die "apt-get update failed (network or /etc/apt/sources.list?)"
    done_step
  fi

  step "Installing ${#missing[@]} package(s): ${missing[*]}"
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null ||
    die "apt-get install failed for: ${missing[*]}"
  done_step
}

# ---------------------------------------------------------------------------------------------------
# Build and test

warnings_as_errors() {
  case "${CI:-}" in "" | 0 | false | False | FALSE | no) echo OFF ;; *) echo ON ;; esac
}

# build_preset PRESET [TARGET...]: configure and build (all targets unless some are named).
build_preset() {
  local preset=$1; shift
  local targets=()
  (($# == 0)) || targets=(--target "$@")
  step "Configuring preset '$preset' (build/$preset, warnings as errors: $(warnings_as_errors))"
  cmake --preset "$preset" -DARBITER_WARNINGS_AS_ERRORS="$(warnings_as_errors)" >/dev/null ||
    die "cmake --preset $preset failed (see the messages above)"
  done_step
  step "Building preset '$preset'${1:+ (target: $*)} with $JOBS jobs"
  cmake --build --preset "$preset" --parallel "$JOBS" "${targets[@]}" || die "build of preset $preset failed"
  done_step
}

test_preset() {
  local preset=$1
  step "Running the test suite: ctest --preset $preset"
  ctest --preset "$preset" --parallel "$JOBS" </dev/null || die "tests of preset $preset failed (output above)"
  done_step
}

run_flagship() {
  local scenario=$FLAGSHIP
  if [[ ! -f "$scenario" ]]; then
    echo "    note: $FLAGSHIP is not in this checkout yet; running $FALLBACK instead"
    scenario=$FALLBACK
  fi
  local stem results
  stem=$(basename "$scenario" .yaml)
  results=out/$stem.results.sqlite
  mkdir -p out
  step "Running the ensemble: build/release/arbiter run $scenario --out $results --force"
  build/release/arbiter run "$scenario" --out "$results" --force </dev/null || die "arbiter run $scenario failed"
  done_step
  cat <<EOF

Results file: $results
  export to CSV:   build/release/arbiter export $results --csv out/$stem-csv
  export to JSON:  build/release/arbiter export $results --json out/$stem.json
  inspect:         sqlite3 $results .tables
EOF
}

# ---------------------------------------------------------------------------------------------------

main() {
  local command=${1:-}
  case "$command" in
    run | test) ;;
    -h | --help | help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  [[ -f CMakePresets.json ]] || die "cannot find the repository root (no CMakePresets.json in $PWD)"
  echo "arbiter quickstart '$command' in $PWD"

  local started=$SECONDS
  install_packages
  JOBS=${JOBS:-$(nproc)}
  if [[ $command == run ]]; then
    build_preset release arbiter
    run_flagship
  else
    build_preset release
    test_preset release
    build_preset sanitize
    test_preset sanitize
    printf '\nAll tests passed (Release and ASan+UBSan).\n'
  fi
  printf 'quickstart %s finished in %dm%02ds\n' "$command" "$(((SECONDS - started) / 60))" "$(((SECONDS - started) % 60))"
}

main "$@"
