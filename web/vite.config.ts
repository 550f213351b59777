import { defineConfig } from "vitest/config";

// The dev server proxies the API and the WebSocket to a running `evapo serve`
// (EVAPO_DEV_BACKEND, default http://127.0.0.1:8000) so `npm run dev` talks to the real backend.
const backend = process.env.EVAPO_DEV_BACKEND ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  build: { outDir: "dist", target: "es2022", sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      "/api": backend,
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
    },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.ts"] },
});
