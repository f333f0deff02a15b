// One generic channel over postMessage for both sides: events, requests with typed replies, and (on the extension
// side) everything held back until the webview said it is ready.
import {
  isWireMessage,
  REPLY_TIMEOUT_MS,
  type PanelEvent,
  type PanelRequest,
  type PanelRequestType,
  type ReplyTo,
  type RequestOf,
  type WireMessage,
} from './panelMessages';

export interface ChannelTransport {
  post(message: WireMessage): void;
}

/** One handler per request type, each returning that request's reply: a missing one does not compile. */
export type PanelHandlers = { [T in PanelRequestType]: (request: RequestOf<T>) => Promise<ReplyTo<T>> };

/** The extension's end: sends events, answers requests. */
export class ExtensionChannel {
  private ready = false;
  private held: WireMessage[] = [];
  /** Bumped when the page is replaced: replies meant for the old page are dropped, never sent to the new one. */
  private generation = 0;

  constructor(
    private readonly transport: ChannelTransport,
    private readonly handlers: PanelHandlers,
  ) {}

  sendEvent(event: PanelEvent): void {
    this.send({ kind: 'event', event });
  }

  /** A new page load (the webview's HTML was replaced) must say ready again before it gets anything. */
  reset(): void {
    this.ready = false;
    this.held = [];
    this.generation++;
  }

  async receive(raw: unknown): Promise<void> {
    if (!isWireMessage(raw)) return;
    if (raw.kind === 'ready') {
      this.ready = true;
      const held = this.held.splice(0);
      held.forEach((message) => this.transport.post(message));
      return;
    }
    if (raw.kind !== 'request') return;
    const generation = this.generation;
    let reply: WireMessage;
    try {
      const handler = this.handlers[raw.request.type] as (request: PanelRequest) => Promise<unknown>;
      if (!handler) throw new Error(`unknown request ${String(raw.request.type)}`);
      reply = { kind: 'reply', id: raw.id, value: await handler(raw.request) };
    } catch (error) {
      reply = { kind: 'reply', id: raw.id, error: error instanceof Error ? error.message : String(error) };
    }
    if (generation === this.generation) this.send(reply);
  }

  private send(message: WireMessage): void {
    if (this.ready) this.transport.post(message);
    else this.held.push(message);
  }
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** The webview's end: says ready, sends requests and awaits their typed replies, receives events. */
export class WebviewChannel {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();

  constructor(
    private readonly transport: ChannelTransport,
    private readonly onEvent: (event: PanelEvent) => void,
    private readonly timeouts = REPLY_TIMEOUT_MS,
  ) {}

  announceReady(): void {
    this.transport.post({ kind: 'ready' });
  }

  sendRequest<T extends PanelRequestType>(request: RequestOf<T>): Promise<ReplyTo<T>> {
    const id = this.nextId++;
    return new Promise<ReplyTo<T>>((resolve, reject) => {
      const waiter: Waiter = { resolve: (value) => resolve(value as ReplyTo<T>), reject };
      const timeoutMs = this.timeouts[request.type];
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiting.delete(id);
          reject(new Error(`Letterbox did not answer within ${Math.round(timeoutMs / 1000)} s; try again`));
        }, timeoutMs);
      }
      this.waiting.set(id, waiter);
      this.transport.post({ kind: 'request', id, request });
    });
  }

  /** Rejects every request still waiting (the message on show was replaced, say). */
  rejectPending(reason: string): void {
    for (const [id, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
      this.waiting.delete(id);
    }
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
    clearTimeout(waiter.timer);
    if (raw.error) waiter.reject(new Error(raw.error));
    else waiter.resolve(raw.value);
  }
}
