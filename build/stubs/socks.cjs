// Stand-in for the SOCKS client imapflow uses for proxies: Letterbox connects through its own transport and never
// configures a proxy, so this is never called; leaving it out saves about 70 KB.
'use strict';
module.exports.SocksClient = {
  createConnection() {
    return Promise.reject(new Error('Letterbox does not support connecting through a SOCKS proxy'));
  },
};
