# syntax=docker/dockerfile:1
# The registration API image: compiled JavaScript and production dependencies only, run as a
# non-root user. Built for linux/amd64 (what the Fargate task runs) by `pulumi up`, or by hand:
#   docker build --platform linux/amd64 -t ecom-api .

# --- build: all dependencies, TypeScript compiled to dist/ ---------------------------------------
FROM --platform=linux/amd64 node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: dev dependencies include Pulumi packages whose install scripts download
# provider plugins, and this npm may ignore package.json's allowScripts.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY shared/src shared/src
COPY api/src api/src
COPY api/migrations api/migrations
RUN npm run build

# --- runtime: what the task runs --------------------------------------------------------------
FROM --platform=linux/amd64 node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# RDS requires TLS and the API verifies the server certificate (DB_SSL=verify) against AWS's
# global RDS bundle, fetched at build time so new RDS CAs arrive with the next image.
ADD --chmod=644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/rds-global-bundle.pem
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's unprivileged `node` user; the root filesystem can stay read-only (nothing is written).
USER node
# Inside a container the API must listen beyond loopback (its default, for `npm start`, is 127.0.0.1).
ENV HOST=0.0.0.0
ENV PORT=3000
EXPOSE 3000
# The API never migrates: it stops if a migration is pending (the deploy's migrator function
# applies them; `node dist/api/src/migrate.js` does with the owner's credentials). SIGTERM (sent by
# ECS) drains requests before exit. No npm wrapper, so the signal reaches node directly.
# --max-semi-space-size=16: V8 sizes its young generation from the memory the process may use,
# which in a task is the task's. In a 1 GiB task it picks 4 MB semi-spaces, and under load the
# API then ran three and a half times the scavenges of 16 MB ones, at a fifth more CPU per request,
# for ~30 MB less peak RSS (docs/benchmarks.md, "Memory and the task's size").
CMD ["node", "--max-semi-space-size=16", "dist/api/src/main.js"]
