// Renders the marketplace icon (media/icon.svg -> media/icon.png, 128x128) with resvg, an npm package that
// ships its renderer: `npm run package` runs this first, so the PNG always matches the drawing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const media = join(__dirname, '..', 'media');
const png = new Resvg(readFileSync(join(media, 'icon.svg'), 'utf8'), { fitTo: { mode: 'width', value: 128 } })
  .render()
  .asPng();
writeFileSync(join(media, 'icon.png'), png);
console.log(`media/icon.png: ${png.length} bytes`);
