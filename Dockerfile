# One image for every role (DESIGN.md, "Services"): SERVICES picks what a container does; by
# default it serves the SPA and the API. Non-root, and fine on a read-only root filesystem
# (writes go to DATA_DIR and /tmp only).
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ libsqlite3-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY e2e/package.json e2e/
# The running SHA-1's addon is compiled by npm ci: its sources are needed then.
COPY packages/resumable-sha1/ packages/resumable-sha1/
# sqlite3 builds against Debian's libsqlite3 (no prebuilt binary is downloaded); the SHA-1 addon
# against the image's own Node headers in /usr/local/include/node (no header download).
RUN npm_config_sqlite=/usr npm_config_nodedir=/usr/local npm ci --no-audit --no-fund
COPY . .
# The built entries (apps/api/dist) need no TypeScript loader: tsx and the other dev
# dependencies stay in this stage.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends libsqlite3-0 \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /data && chown node:node /data
WORKDIR /app
# What runs: the root scripts (serve, worker, migrate), the API's build and runtime packages, the
# SPA's static files. No sources, no tests, no build tools.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/node_modules apps/api/node_modules
COPY --from=build /app/apps/api/dist apps/api/dist
# node_modules/@filestore/resumable-sha1 links here; the compiled addon is in build/Release.
COPY --from=build /app/packages/resumable-sha1/package.json /app/packages/resumable-sha1/index.js packages/resumable-sha1/
COPY --from=build /app/packages/resumable-sha1/build/Release/resumable_sha1.node packages/resumable-sha1/build/Release/
COPY --from=build /app/apps/web/dist apps/web/dist
# npm writes its cache and logs under HOME; with a read-only root only /tmp is writable.
ENV NODE_ENV=production DATA_DIR=/data PORT=8080 \
  npm_config_cache=/tmp/.npm npm_config_update_notifier=false
VOLUME /data
EXPOSE 8080
USER node
HEALTHCHECK --interval=15s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "run", "serve"]
