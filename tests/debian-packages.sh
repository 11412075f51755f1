# Sourced by tests/run.sh and benchmarks/e2e-common.sh (not run by itself).
# Usage: install_debian_packages command:package [command:package ...] — installs, in one apt-get call, the Debian
# package of every command that is missing. A "command" with a slash is a file the package installs (for packages
# without a command, such as a library's bindings): the package is installed when that file is missing.
install_debian_packages() {
  local missing=()
  for entry in "$@"; do
    local command=${entry%%:*} package=${entry##*:}
    if [[ $command == */* ]]; then
      [[ -e $command ]] || missing+=("$package")
    else
      command -v "$command" >/dev/null 2>&1 || missing+=("$package")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
