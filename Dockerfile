# Accord: one image for every instance. Built in two stages so the native SQLite module
# (better-sqlite3, compiled by `npm ci` with python3, make and g++) never needs a compiler at run time.
# The build runs the same install CI runs (.ci/run: `npm ci --no-audit --no-fund`, whose `prepare`
# step builds dist/); the tests run in CI, not here.

FROM node:20-bookworm-slim AS builder
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY config ./config
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    DATABASE_URL=sqlite:/app/data/accord.db
WORKDIR /app
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY package.json app.yml ./
COPY config ./config
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM lets running jobs finish (within 30 s); give the container that long to stop.
STOPSIGNAL SIGTERM
CMD ["node", "--optimize-for-size", "dist/server.js"]
