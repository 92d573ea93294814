#!/usr/bin/env bash
# The machine packages huhang needs on one Debian machine, installed with apt-get when missing.
#
#   deploy/local/packages.sh          install what is missing (as root), or say what is missing and exit 1
#   deploy/local/packages.sh --check  only say what is missing (exit 1 if anything is)
#
# Each package is checked by what it provides (a command or a file), never by dpkg, so a JDK or a
# nginx installed some other way counts:
#   java           openjdk-17-jre-headless   the Kafka broker (deploy/local/kafka.sh)
#   mvn            maven                     fetches the broker's jars
#   initdb         postgresql                DB=postgres and the integration tests (deploy/local/postgres.sh)
#   make           make                      the Makefile
#   curl           curl                      up.sh and proxy.sh wait on HTTP with it
#   nginx          nginx-light               the front door (deploy/local/proxy.sh)
#   chromium       chromium                  browser tests of the web portal
#   Noto CJK       fonts-noto-cjk            Chinese text in the browser and in PDFs (宋/黑 of shared/documents)
#   AR PL UKai     fonts-arphic-ukai         楷体 of shared/documents (二级标题)
#   libpangoft2    libpangoft2-1.0-0         WeasyPrint lays out PDFs with Pango (shared/documents/pdf.py)
#   pdftoppm       poppler-utils             PDF checks (pages rendered to images)
#   npm            npm                       builds the web assets
set -euo pipefail

log() { printf 'packages.sh: %s\n' "$*" >&2; }

have_cmd() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }  # sbin: nginx, for non-root users

missing=()
have_cmd java || missing+=(openjdk-17-jre-headless)
have_cmd mvn || missing+=(maven)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
have_cmd make || missing+=(make)
have_cmd curl || missing+=(curl)
have_cmd nginx || missing+=(nginx-light)
have_cmd chromium || missing+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc \
  >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
ls /usr/share/fonts/truetype/arphic/ukai.ttc >/dev/null 2>&1 || missing+=(fonts-arphic-ukai)
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep 'libpangoft2-1\.0\.so\.0' >/dev/null || missing+=(libpangoft2-1.0-0)
have_cmd pdftoppm || missing+=(poppler-utils)
have_cmd npm || missing+=(npm)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "packages: all present"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "packages: missing ${missing[*]}"
  exit 1
fi
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  log "missing: ${missing[*]}"
  log "install them as root: apt-get install -y ${missing[*]}"
  exit 1
fi
echo "packages: installing ${missing[*]}"
apt-get update -qq
# nginx-light's post-install starts the system nginx on port 80; huhang never uses it (its door
# runs out of var/proxy/), so stop it from starting: policy-rc.d exit 101 means "do not start".
policy="/usr/sbin/policy-rc.d"
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
echo "packages: installed ${missing[*]}"
