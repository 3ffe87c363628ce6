// Bundles the extension into dist/extension.js (vscode stays external: VS Code
// provides it), and compiles the modules that do not need VS Code into out/ for the
// tests, which run under plain Node.
import * as esbuild from "esbuild";

const common = { platform: "node", format: "cjs", target: "node18", logLevel: "warning" };

await esbuild.build({
  ...common,
  entryPoints: ["src/extension.ts"],
  bundle: true,
  external: ["vscode"],
  outfile: "dist/extension.js",
  minify: process.argv.includes("--minify"),
  sourcemap: !process.argv.includes("--minify"),
});

await esbuild.build({
  ...common,
  entryPoints: ["src/settings.ts", "src/discovery.ts", "src/protocol.ts"],
  outdir: "out",
});
