// Builds the page that `npm run render:models` opens in headless Chromium: bpmn-js (NavigatedViewer) and the
// form-js viewer bundled by esbuild from node_modules into one HTML document, so rendering needs no network.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('./page-entry.js', import.meta.url));

/** One self-contained HTML page (script and styles inline) that defines `window.renderModels`. */
export async function buildViewerPage(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    // esbuild needs an output folder to name the CSS file beside the script; nothing is written.
    outdir: '/render-models-bundle',
    // Fonts and pictures the stylesheets reference go inline too.
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    logLevel: 'silent',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text;
  const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  if (!script) throw new Error('esbuild produced no script for the viewer page');
  // `</script>` inside the bundle would end the inline script early.
  const safeScript = script.replace(/<\/script/gi, '<\\/script');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>render-models</title>',
    `<style>html,body{margin:0;padding:0;background:#fff;font-family:sans-serif}${css}</style>`,
    '</head><body>',
    `<script>${safeScript}</script>`,
    '</body></html>',
  ].join('\n');
}
