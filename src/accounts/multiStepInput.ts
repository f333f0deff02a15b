// A small driver for multi-step QuickInput flows with a Back button: each step is a function that asks one
// question and returns the next step; Back re-runs the previous step with what was entered so far.
import * as vscode from 'vscode';
import { safeItems } from '../util/quickPick';

export class InputFlowAction {
  static readonly back = new InputFlowAction();
  static readonly cancel = new InputFlowAction();
}

export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

interface CommonOptions {
  title: string;
  step: number;
  totalSteps: number;
}

export interface TextOptions extends CommonOptions {
  value: string;
  prompt: string;
  placeholder?: string;
  password?: boolean;
  /** Returns an error message, or undefined when the value is acceptable. */
  validate: (value: string) => string | undefined;
}

export interface PickOptions<T extends vscode.QuickPickItem> extends CommonOptions {
  items: T[];
  active?: T;
  placeholder: string;
}

export interface LoadingPickOptions<T extends vscode.QuickPickItem> extends CommonOptions {
  /** Shown while loading; `say` replaces it as the loading goes on. */
  placeholder: string;
  /** Offered while loading (a way to skip the wait). */
  initial: T[];
  /** The items, and the placeholder to show with them. */
  load(say: (text: string) => void): Promise<{ items: T[]; placeholder: string }>;
}

export class MultiStepInput {
  private readonly steps: InputStep[] = [];
  private current: vscode.QuickInput | undefined;

  static async run(start: InputStep): Promise<boolean> {
    return new MultiStepInput().execute(start);
  }

  /** True when the flow ran to its end, false when the user cancelled. */
  private async execute(start: InputStep): Promise<boolean> {
    let step: InputStep | void = start;
    try {
      while (step) {
        this.steps.push(step);
        try {
          step = await step(this);
        } catch (error) {
          if (error === InputFlowAction.back) {
            this.steps.pop();
            step = this.steps.pop();
          } else if (error === InputFlowAction.cancel) {
            return false;
          } else {
            throw error;
          }
        }
      }
      return true;
    } finally {
      this.current?.dispose();
    }
  }

  showText(options: TextOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.step = options.step;
    box.totalSteps = options.totalSteps;
    box.value = options.value;
    box.prompt = options.prompt;
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    box.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    return this.show(box, (resolve, reject) => [
      box.onDidTriggerButton(() => reject(InputFlowAction.back)),
      box.onDidAccept(() => {
        const problem = options.validate(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        resolve(box.value);
      }),
      box.onDidChangeValue(() => {
        box.validationMessage = undefined;
      }),
    ]);
  }

  showPick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.placeholder = options.placeholder;
    pick.items = safeItems(options.items);
    const items = pick.items;
    pick.ignoreFocusOut = true;
    if (options.active) pick.activeItems = [items[options.items.indexOf(options.active)]];
    pick.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    return this.show(pick, (resolve, reject) => [
      pick.onDidTriggerButton(() => reject(InputFlowAction.back)),
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen) resolve(options.items[items.indexOf(chosen)]);
      }),
    ]);
  }

  /** A pick whose items take a while to find (a lookup): busy until they come; Back works meanwhile. */
  showLoadingPick<T extends vscode.QuickPickItem>(options: LoadingPickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.step = options.step;
    pick.totalSteps = options.totalSteps;
    pick.placeholder = options.placeholder;
    pick.busy = true;
    pick.ignoreFocusOut = true;
    pick.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
    let loaded: T[] = options.initial;
    pick.items = safeItems(loaded);
    let shown: readonly T[] = pick.items;
    void options
      .load((text) => (pick.placeholder = text))
      // A failed lookup still leaves what was offered from the start (the manual steps).
      .catch(() => ({ items: options.initial, placeholder: 'The lookup failed: enter the settings yourself' }))
      .then((result) => {
        loaded = result.items;
        pick.items = safeItems(result.items);
        shown = pick.items;
        pick.placeholder = result.placeholder;
        pick.busy = false;
      });
    return this.show(pick, (resolve, reject) => [
      pick.onDidTriggerButton(() => reject(InputFlowAction.back)),
      pick.onDidAccept(() => {
        const [chosen] = pick.selectedItems;
        if (chosen) resolve(loaded[shown.indexOf(chosen)]);
      }),
    ]);
  }

  private show<T>(
    input: vscode.QuickInput,
    wire: (resolve: (value: T) => void, reject: (reason: unknown) => void) => vscode.Disposable[],
  ): Promise<T> {
    const previous = this.current;
    this.current = input;
    return new Promise<T>((resolve, reject) => {
      const listeners: vscode.Disposable[] = [];
      // Listeners go as soon as the step is answered; the input stays visible until the next one replaces it.
      const finish = (settle: () => void) => {
        listeners.forEach((listener) => listener.dispose());
        settle();
      };
      listeners.push(
        ...wire(
          (value) => finish(() => resolve(value)),
          (reason) => finish(() => reject(reason)),
        ),
        input.onDidHide(() => finish(() => reject(InputFlowAction.cancel))),
      );
      input.show();
      previous?.dispose();
    });
  }
}
