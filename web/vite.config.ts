import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// `npm run web` (dev server) and `npm run build:web` (static site in web/dist).
// `base: "./"` makes every URL relative, so the built site works from any static
// file server, under any path, offline.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // d3 + yaml + zod + the whole model: one chunk is simpler to serve offline than many.
    chunkSizeWarningLimit: 2000,
    // Rolldown warns when plugins take most of the build time: bundling the two workers does,
    // more so on a loaded machine. That is about build speed, not the site; the browser tests
    // require a build without warnings, so they would fail on the machine's load.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
});
