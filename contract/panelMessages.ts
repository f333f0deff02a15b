// The typed contract between the extension and the message panel's webview, imported by both sides.
// Every message is a discriminated union on a readable `type`; the panel grows it (see the panel issue).

/** Sent by the webview once its script runs; the extension holds every message until then. */
export interface PanelReady {
  type: 'panel/ready';
}

export type WebviewToExtension = PanelReady;
