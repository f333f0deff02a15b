// Runs once before the test suites: installs the system packages they need (Dovecot, Chromium), so that parallel
// test files never race each other for apt's lock on a fresh machine.
import { ensureChromium } from '../test/e2e/e2eTools';
import { ensureDovecotInstalled } from '../test/servers/installDovecot';

ensureDovecotInstalled();
ensureChromium((line) => console.log(`test setup: ${line}`));
console.log('test setup: Dovecot and Chromium are installed');
