// Stand-in for imapflow's default logger in the bundle: Letterbox always passes imapflow a logger of its own
// (protocols/imap/imapConnection.ts), so pino is never called; leaving it out saves about 50 KB.
'use strict';
function pino() {
  throw new Error('Letterbox bundles no default imapflow logger: pass a logger');
}
module.exports = pino;
module.exports.default = pino;
