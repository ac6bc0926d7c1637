#!/usr/bin/env bash
# npm run build: compiles the server and the CLI to JavaScript in dist/
# (tsconfig.build.json: .ts imports rewritten to .js) and copies what tsc does
# not emit — the SQL migrations. `make run` and bin/booking-ledger run dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p tsconfig.build.json
rm -rf dist/infra/postgres/migrations
mkdir -p dist/infra/postgres/migrations
cp infra/postgres/migrations/*.sql dist/infra/postgres/migrations/
# A stamp newer than every input: `make run` rebuilds when a source is newer.
touch dist/.built
