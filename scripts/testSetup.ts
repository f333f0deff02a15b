// Runs once before the test suites and installs what they need on a fresh machine: Dovecot and Chromium from
// Debian, Node 24 and code-server from npm (into the ignored .cache/e2e). Done here, outside any test timeout, so
// that parallel test files never race each other for apt's lock or for the same install.
import { ensureE2eTools } from '../test/e2e/e2eTools';
import { ensureDovecotInstalled } from '../test/setup/installDovecot';

const log = (line: string) => console.log(`test setup: ${line}`);
ensureDovecotInstalled();
ensureE2eTools(log);
log('Dovecot, Chromium, Node 24 and code-server are ready');
