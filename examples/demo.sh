#!/bin/sh
# weft's demo: traces a small pipeline into the default store (./.weft),
# stores a config object and a dataset, then shows them back.
# Run from the repository root after building.
set -eu
bin=$(cd "$(dirname "$0")/../build" && pwd)
PATH="$bin:$PATH"
export WEFT_PROJECT=${WEFT_PROJECT:-demo/pipeline}

echo "== a traced pipeline: weft exec around each step; the steps nest by themselves"
weft exec --op pipeline -- sh -c '
  weft exec --op fetch -- sh -c "echo fetching; sleep 0.1"
  weft exec --op build --inputs "{\"target\": \"all\"}" -- sh -c "echo building; sleep 0.2"
  weft exec --op test -- sh -c "echo one test failed >&2; exit 1" || true
'

echo "== versioned objects and a dataset table"
weft obj create --name config --val '{"model": "tiny", "lr": 0.1}'
table=$(weft table create --rows '[{"q": "2+2", "a": "4"}, {"q": "3*3", "a": "9"}]')
digest=$(printf '%s' "$table" | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/')
weft obj create --name dataset --val "{\"rows\": \"weave:///$WEFT_PROJECT/table/$digest\"}"

echo "== the trace, as a tree"
weft calls tree
echo "== the calls, as a table"
weft --format table calls query --limit 10
echo "== the dataset's rows, through its ref"
weft refs read-batch "weave:///$WEFT_PROJECT/object/dataset:latest/attr/rows"
weft --format table table query --digest "$digest"
