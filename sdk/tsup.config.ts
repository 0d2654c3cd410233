import { defineConfig } from 'tsup';

export default defineConfig([
  // The package: the SDK and the element classes, for Node and bundlers (lit stays a dependency).
  {
    entry: { index: 'src/index.ts', elements: 'src/elements/index.ts', react: 'src/elements/react.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'neutral',
    target: 'es2022',
    outDir: 'dist',
    silent: true,
    sourcemap: true,
  },
  // The one-script-tag module the server serves at /embed/relais-elements.js: everything inlined.
  {
    entry: { 'relais-elements': 'src/elements/browser.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    outDir: 'dist/browser',
    noExternal: [/.*/],
    minify: true,
    silent: true,
    sourcemap: true,
  },
]);
