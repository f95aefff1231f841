# The SPE platform's image: the REST API, every job worker and the outbox relay in one process (platform/main.ts),
# run from its compiled JavaScript (dist/server, transpiled in the image by esbuild, which tsx brings as a runtime
# dependency) with the same Node memory flags as `npm start`. Point it at Camunda 8, PostgreSQL and RabbitMQ with
# ZEEBE_REST_ADDRESS, DATABASE_URL and AMQP_URL (docker-compose.camunda.yml, docs/deploy.md). Without
# ZEEBE_REST_ADDRESS the embedded engine runs inside the container on loopback only, its generated credential in
# the volume (ENGINE_DATA_DIR/credentials.env, 0600); `data/` and `.env` never enter the image (.dockerignore).
# The web app (web/), built in a stage of its own with the development dependencies (Vite); only dist/web goes on.
FROM node:20-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
RUN npm run build:web

FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ENGINE_DATA_DIR=/app/data/engine \
    PERMIT_DATA_DIR=/app/data/permits \
    NOTIFICATION_OUTBOX_DIR=/app/data/outbox \
    WORKSPACE_MANIFESTS_DIR=/app/data/workspaces \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# Dependencies first (cached while only the sources change). tsx is a runtime dependency, so the development
# ones (linters, test runners, benchmarks) stay out of the image.
COPY package.json package-lock.json ./
# `prepare` (web/prepare.mjs) skips the web build here: Vite is a development dependency; the app comes from the web stage.
COPY web/prepare.mjs ./web/prepare.mjs
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node . .
COPY --from=web --chown=node:node /app/dist/web ./dist/web
# The server's JavaScript (dist/server) and the embedded database's template, as `npm ci` builds them on a laptop.
RUN node platform/build-server.mjs && mkdir -p /app/data && chown -R node:node /app/data /app/dist

USER node
EXPOSE 3000
VOLUME ["/app/data"]

# /api/health answers 200 while the process serves HTTP (/api/ready also checks the database and the engine).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# platform/run-compiled.mjs runs dist/server; were it missing or older than a source, it would run the sources through tsx.
CMD ["node", "--v8-pool-size=1", "--max-semi-space-size=4", "--heap-growing-percent=50", "platform/run-compiled.mjs", "platform/main.ts"]
