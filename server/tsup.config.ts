import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';

const require = createRequire(import.meta.url);

export default defineConfig({
  entry: { main: 'src/main.ts', cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  silent: true,
  sourcemap: true,
  splitting: false,
  // Dependencies stay external (installed by npm); the migrations and the generated spec are bundled.
  async onSuccess() {
    await mkdir('dist/assets', { recursive: true });
    await copyFile(require.resolve('redoc/bundles/redoc.standalone.js'), 'dist/assets/redoc.standalone.js');
    // The web components' module (the SDK workspace builds first), served at /embed/.
    await copyFile('../sdk/dist/browser/relais-elements.js', 'dist/assets/relais-elements.js');
  },
});
