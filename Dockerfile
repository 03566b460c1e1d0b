# syntax=docker/dockerfile:1
# The DLQ Console's production images, built from one Dockerfile:
#   docker build --target web    -t dlq-console-web .     # Next.js standalone server, port 3000
#   docker build --target worker -t dlq-console-worker .  # the worker; also runs migrations and the CLI
# Both run as the unprivileged `node` user. docker-compose.yml shows them wired together.
ARG NODE_IMAGE=node:20-bookworm-slim

# Every dependency, and the generated Prisma client (postinstall runs `prisma generate`).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

# The Next.js build, as a standalone server (next.config.js reads NEXT_OUTPUT).
FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN npm run build
# The worker, built ahead of time into plain JavaScript (scripts/build-worker.mjs), into a
# plain folder: the image runs one build, so it needs no shared-build link.
RUN node scripts/build-worker.mjs --out-dir .worker-build

# Runtime dependencies only, for the worker (the built worker imports them; migrations and the
# CLI run TypeScript with tsx, a runtime dependency).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS web
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 KEEP_ALIVE_TIMEOUT=65000
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/.next/static ./.next/static
COPY --from=build --chown=node:node /app/public ./public
# Readiness compares the applied migrations with these.
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server.js"]

FROM ${NODE_IMAGE} AS worker
WORKDIR /app
ENV NODE_ENV=production
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=deps --chown=node:node /app/lib/db/generated ./lib/db/generated
COPY --chown=node:node package.json tsconfig.json prisma.config.ts ./
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node lib ./lib
COPY --from=build --chown=node:node /app/.worker-build ./.worker-build
USER node
# WORKER_METRICS_PORT=9464 WORKER_METRICS_HOST=0.0.0.0 to let Prometheus scrape it.
EXPOSE 9464
# As `npm run worker` runs it (package.json): the build, by node alone, with its heap cap.
CMD ["node", "--max-old-space-size=512", ".worker-build/main.js"]
