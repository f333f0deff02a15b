// The small Disposable base used by every class that owns listeners or resources (the same thirty lines as in
// VS Code's extension samples and the hex editor): register on creation, release everything once.
export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private readonly disposables: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected _register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Last registered first, like a stack of acquired resources.
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
