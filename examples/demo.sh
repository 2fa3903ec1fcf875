#!/bin/sh
# weft's demo: records a small traced example in the default store (./.weft)
# and then queries it back. Run from the repository root after building.
set -eu
weft=${WEFT:-"$(dirname "$0")/../build/weft"}
export WEFT_PROJECT=${WEFT_PROJECT:-demo/pipeline}

echo "== storing a config object, a dataset table and a file"
config=$("$weft" obj create --name config --val '{"model": "tiny", "lr": 0.1}')
echo "obj create      -> $config"
table=$("$weft" table create --rows '[{"q": "2+2", "a": "4"}, {"q": "3*3", "a": "9"}]')
echo "table create    -> $table"
digest=$(printf '%s' "$table" | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/')
"$weft" obj create --name dataset --val "{\"rows\": \"weave:///$WEFT_PROJECT/table/$digest\"}" >/dev/null
file=$(echo "hello from the demo" | "$weft" file create --name notes.txt --content-file -)
echo "file create     -> $file"

echo "== querying it back"
"$weft" --pretty objs query --latest
"$weft" refs read-batch "weave:///$WEFT_PROJECT/object/dataset:latest/attr/rows"
"$weft" table query --digest "$digest" --limit 1
