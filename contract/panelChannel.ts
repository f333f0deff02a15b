// One generic channel over postMessage for both sides: events, requests with replies, and (on the extension side)
// everything held back until the webview said it is ready.
import { isWireMessage, type PanelEvent, type PanelRequest, type WireMessage } from './panelMessages';

export interface ChannelTransport {
  post(message: WireMessage): void;
}

/** The extension's end: sends events, answers requests. */
export class ExtensionChannel {
  private ready = false;
  private held: WireMessage[] = [];

  constructor(private readonly transport: ChannelTransport, private readonly handle: (request: PanelRequest) => Promise<void>, private readonly onReady: () => void = () => undefined) {}

  sendEvent(event: PanelEvent): void {
    this.send({ kind: 'event', event });
  }

  /** A new page load (the webview's HTML was replaced) must say ready again before it gets anything. */
  reset(): void {
    this.ready = false;
    this.held = [];
  }

  async receive(raw: unknown): Promise<void> {
    if (!isWireMessage(raw)) return;
    if (raw.kind === 'ready') {
      this.ready = true;
      const held = this.held.splice(0);
      held.forEach((message) => this.transport.post(message));
      this.onReady();
      return;
    }
    if (raw.kind !== 'request') return;
    try {
      await this.handle(raw.request);
      this.send({ kind: 'reply', id: raw.id });
    } catch (error) {
      this.send({ kind: 'reply', id: raw.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  private send(message: WireMessage): void {
    if (this.ready) this.transport.post(message);
    else this.held.push(message);
  }
}

/** The webview's end: says ready, sends requests and awaits their replies, receives events. */
export class WebviewChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  constructor(private readonly transport: ChannelTransport, private readonly onEvent: (event: PanelEvent) => void) {}

  announceReady(): void {
    this.transport.post({ kind: 'ready' });
  }

  sendRequest(request: PanelRequest): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.transport.post({ kind: 'request', id, request });
    });
  }

  receive(raw: unknown): void {
    if (!isWireMessage(raw)) return;
    if (raw.kind === 'event') {
      this.onEvent(raw.event);
      return;
    }
    if (raw.kind !== 'reply') return;
    const waiter = this.waiting.get(raw.id);
    this.waiting.delete(raw.id);
    if (!waiter) return;
    if (raw.error) waiter.reject(new Error(raw.error));
    else waiter.resolve();
  }
}
