#!/usr/bin/env bash
# Writes the AppStream metainfo the packages carry to $1: packaging/ai.easel.Easel.metainfo.xml,
# plus the homepage and the screenshots of docs/screenshots/ when the repository's address is
# known (EASEL_GITHUB_REPOSITORY=owner/name, at EASEL_GIT_REF or this commit; the release
# workflow sets both). Nothing is invented when it is not known.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
mkdir -p "$(dirname "$out")"
if [ -z "${EASEL_GITHUB_REPOSITORY:-}" ]; then
  cp packaging/ai.easel.Easel.metainfo.xml "$out"
  exit 0
fi
ref=${EASEL_GIT_REF:-$(git rev-parse HEAD)}
raw="https://raw.githubusercontent.com/$EASEL_GITHUB_REPOSITORY/$ref/docs/screenshots"
extra=$(mktemp)
trap 'rm -f "$extra"' EXIT
shot() { # type caption file
  printf '    <screenshot%s>\n      <caption>%s</caption>\n      <image>%s/%s</image>\n    </screenshot>\n' "$1" "$2" "$raw" "$3"
}
{
  printf '  <url type="homepage">https://github.com/%s</url>\n' "$EASEL_GITHUB_REPOSITORY"
  printf '  <screenshots>\n'
  shot ' type="default"' "Pictures by day, the form beside them" main-en.png
  shot '' "Qualities compared side by side" comparison-en.png
  shot '' "Changing a painted area of a picture" change-en.png
  printf '  </screenshots>\n'
} >"$extra"
# Before <content_rating>, in the order the specification lists the elements.
awk -v extra="$extra" '/<content_rating/ { while ((getline line < extra) > 0) print line } { print }' \
  packaging/ai.easel.Easel.metainfo.xml >"$out"
