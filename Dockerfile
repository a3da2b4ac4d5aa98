# The connector's image, as the Airbyte platform runs it:
#   sh -c "$AIRBYTE_ENTRYPOINT read --config … --catalog … [--state …]"   (often as uid 1000, no capabilities)
# or by hand:
#   docker build -t source-performance-management:dev .
#   docker run --rm -v "$PWD/secrets:/secrets:ro" source-performance-management:dev check --config /secrets/config.json
# Without an image registry, a local stand-in for the base image must exist first (.ci/run makes one),
# then `docker build --network host …`. Keep to what the official slim image has: no apt-get, no bash.

# --- build: every dependency, TypeScript compiled to dist/ (tests excluded by tsconfig.build.json)
FROM node:24-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build
COPY docker ./docker
# The executable bit is set here so the image never depends on how the checkout stored it.
RUN chmod 0755 docker/entrypoint.sh && chmod 0644 docker/heap.sh docker/node-flags
# The entrypoint's Node flags must exist in this Node: an unknown one would stop every command.
RUN node $(cat docker/node-flags) -e 0

# --- production dependencies only, resolved from the same lockfile; npm's cache stays in this stage
FROM node:24-bookworm-slim AS deps
WORKDIR /deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: node, the compiled connector and its three runtime dependencies; nothing is writable
# but /tmp (files are root's, the process is node's), so `--read-only --tmpfs /tmp` works.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    TMPDIR=/tmp
WORKDIR /airbyte/integration_code
COPY package.json ./
COPY --from=deps /deps/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY --from=build /build/docker/entrypoint.sh /build/docker/heap.sh /build/docker/node-flags ./

# The platform ignores ENTRYPOINT and runs `sh -c "$AIRBYTE_ENTRYPOINT <command> …"`: keep both equal.
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/entrypoint.sh"
ENTRYPOINT ["/airbyte/integration_code/entrypoint.sh"]
CMD ["spec"]

# Equal to dockerRepository and dockerImageTag in metadata.yaml (an acceptance test checks).
LABEL io.airbyte.name="airbyte/source-performance-management" \
      io.airbyte.version="0.1.0"

USER node
