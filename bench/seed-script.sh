#!/usr/bin/env bash
# What the seed project's deploy script did, for the hello-world service: test, build, push,
# helm upgrade --install --wait. The bench runs it against the same service, chart, registry and
# cluster double as Harbormaster, in a fresh copy of the source (as a CI checkout would be).
#
# usage: seed-script.sh SOURCE_DIR IMAGE TAG RELEASE NAMESPACE CHART VALUES_FILE
# env:   DOCKER_HOST, KUBECONFIG, HELM_BIN (default helm), BASE_IMAGE
set -euo pipefail
source_dir=$1 image=$2 tag=$3 release=$4 namespace=$5 chart=$6 values=$7
helm_bin=${HELM_BIN:-helm}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir"/. "$work"/
rm -rf "$work/node_modules"
cd "$work"

# Each step's wall time, for the bench to set beside Harbormaster's stages.
step() {
  local name=$1 started=$EPOCHREALTIME
  shift
  "$@"
  echo "seed-step $name $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')"
}

step npm-ci npm ci --no-audit --no-fund
step npm-test npm test
step docker-build docker build --network host --build-arg "BASE_IMAGE=${BASE_IMAGE:-node:24-slim}" -t "$image:$tag" .
step docker-push docker push "$image:$tag"
step helm "$helm_bin" upgrade --install "$release" "$chart" \
  --namespace "$namespace" --create-namespace --kubeconfig "$KUBECONFIG" \
  -f "$values" --set-string "image.repository=$image" --set-string "image.tag=$tag" \
  --wait --timeout 5m
