// DOM-only entry of the message panel. It announces itself so the extension can start sending.
import type { WebviewToExtension } from '../contract/panelMessages';

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

acquireVsCodeApi().postMessage({ type: 'panel/ready' });
