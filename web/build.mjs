// Builds web/src into web/dist: one stylesheet and one script for every page of every service.
// Output names carry no hash; the pages add ?v=<content hash> (shared/web/pages/assets.py).
import * as esbuild from "esbuild";

await esbuild.build({
  entryPoints: ["src/portal.js", "src/portal.css", "src/print.css"],
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari15"],
  outdir: "dist",
  entryNames: "[name]",
  logLevel: "info",
});
