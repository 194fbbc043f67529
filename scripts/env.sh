# Sourced by the scripts: tools installed by ensure-tools.sh on PATH.
export PATH="$HOME/.cargo/bin:$PWD/.tools/node_modules/.bin:$PATH"
