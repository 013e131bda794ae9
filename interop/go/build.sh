#!/usr/bin/env bash
# Builds interop/go/echopeer against Go libchan HEAD in a throwaway GOPATH (Go 1.19+, git, network
# to github.com). libchan predates Go modules; spdystream's HEAD imports itself as moby/spdystream.
# Usage: interop/go/build.sh [OUT]   (default OUT: /tmp/echopeer)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/echopeer}
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
src=$gopath/src/github.com
clone() { # repo commit
  git clone -q "https://github.com/$1" "$src/$1"
  git -C "$src/$1" checkout -q "$2"
}
clone docker/libchan 0328dcec840a0659448faf08af087135fffb7fde      # 2016-05-12, master
clone docker/spdystream dbc715126c0e3fa07721879c6d265b2b82c71e5b   # 2021-01-27, master
clone dmcgowan/msgpack 7b62bc929e75dbc4ae8b640dc69e1bea70a7c283    # 2016-09-09
mkdir -p "$src/moby" && cp -r "$src/docker/spdystream" "$src/moby/spdystream"
mkdir -p "$gopath/src/echopeer" && cp "$here/echopeer/main.go" "$gopath/src/echopeer/"
(cd "$gopath/src/echopeer" && GO111MODULE=off GOPATH="$gopath" go build -o "$out" .)
echo "built $out"
