// The one event type below the UI (account sessions, the tree's model, later the mailbox core): VS Code's own shape,
// `event(listener)` returning something to dispose, so views subscribe to both worlds alike, without
// vscode.EventEmitter (which would tie these layers to VS Code) or hand-rolled listener sets.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Whether anyone listens (work that only serves listeners can be skipped). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  fire(value: T): void {
    // A copy: a listener may dispose itself (or another) while being told.
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
