// Runs once before the test suites: installs the system packages they need (Dovecot), so that parallel test
// files never race each other for apt's lock on a fresh machine.
import { ensureDovecotInstalled } from '../test/servers/installDovecot';

ensureDovecotInstalled();
console.log('test setup: Dovecot is installed');
