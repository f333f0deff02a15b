// Test only, a helper extension installed beside Letterbox in e2e: the made-up domain of e2e 16 exists on this
// machine. Host names listed in LETTERBOX_E2E_NAMES resolve to 127.0.0.1, a listed port of a name (its
// autoconfig's 443) leads to the test server's own port, and the test authority in LETTERBOX_E2E_CA is trusted as
// if it were in the system's store (VS Code's fetch brings its own list of authorities, so NODE_EXTRA_CA_CERTS is
// not enough). The product's code is unchanged: it asks for autoconfig.<domain> on 443 and checks the
// certificate of that name, exactly as it would on the internet.
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS extension, loaded by VS Code as it is */
'use strict';
const { readFileSync } = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');

const names = JSON.parse(process.env.LETTERBOX_E2E_NAMES || '{}');

function loopbackLookup(hostname, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options !== null && options.all;
  process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
}

/** The connect options with this machine's answer for a listed name: loopback, and its mapped port. */
function routed(options) {
  if (!options || typeof options !== 'object') return options;
  const host = String(options.host || '').toLowerCase();
  const ports = names[host];
  if (!ports) return options;
  const port = ports[String(options.port)] || options.port;
  return { ...options, port, lookup: loopbackLookup };
}

// Every TCP connection (https, tls, net; imapflow's and the POP3 client's too) passes through Socket#connect.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0])) args[0] = routed(args[0]);
  return connect.apply(this, args);
};

// Every TLS context, whatever authorities it was given, also trusts the test authority.
const authority = process.env.LETTERBOX_E2E_CA ? readFileSync(process.env.LETTERBOX_E2E_CA, 'utf8') : undefined;
const createSecureContext = tls.createSecureContext;
tls.createSecureContext = function (...args) {
  const context = createSecureContext.apply(this, args);
  if (authority) context.context.addCACert(authority);
  return context;
};

// Installed into code-server as a test-only extension: VS Code does not pass NODE_OPTIONS to its extension host,
// and every extension shares that host's node:net, so patching it here reaches Letterbox's connections too.
exports.activate = () => undefined;
