import * as vscode from 'vscode';
import type { Logger } from '../mail/logger';

/** Adapts the one "Letterbox" LogOutputChannel to the Logger the layers below the UI use. */
export function outputChannelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (message) => channel.trace(message),
    debug: (message) => channel.debug(message),
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message) => channel.error(message),
    // The channel's level follows "Developer: Set Log Level…" while running.
    tracing: () => channel.logLevel === vscode.LogLevel.Trace,
  };
}
