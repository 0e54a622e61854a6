#!/bin/sh
# deps.sh - make sure the Debian packages Pathway builds and tests with are
# installed: apt-get when root, otherwise a clear message naming them.
# Usage: tools/deps.sh PACKAGE...
set -u
missing=""
for p in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "pathway: not a Debian system; install the equivalents of:$missing" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "pathway: installing missing packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends $missing >/dev/null; then
		apt-get update -q >/dev/null &&
			apt-get install -y -q --no-install-recommends $missing >/dev/null ||
			{ echo "pathway: could not install:$missing" >&2; exit 1; }
	fi
	exit 0
fi
echo "pathway: missing Debian packages:$missing" >&2
echo "pathway: install them with: sudo apt-get install$missing" >&2
exit 1
