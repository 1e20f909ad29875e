#!/usr/bin/env bash
# Formats every Swift file in place; with --lint, fails when formatting would change something.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.swift')
if [[ "${1:-}" == "--lint" ]]; then
    swift format lint --strict $files
else
    swift format --in-place $files
fi
