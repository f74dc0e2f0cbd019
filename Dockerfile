# One image for the api, the worker and the CLI (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
# Unicode fonts the report PDFs embed (Noto for every script, a whole-script CJK file).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
CMD ["node", "dist/apps/api/src/main.js"]
