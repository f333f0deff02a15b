// The only way Letterbox shows a notification or a modal message. Every text goes through plainText (no link,
// no icon), because most of them quote a server, a mail or a hand-edited setting; ESLint forbids calling
// vscode.window.show*Message anywhere else.
import * as vscode from 'vscode';
import { plainText } from './plainText';

type Options = vscode.MessageOptions;

function safeOptions(options: Options | undefined): Options | undefined {
  return options?.detail ? { ...options, detail: plainText(options.detail) } : options;
}

/* eslint-disable no-restricted-syntax -- this module is the one sanctioned caller */
export function showError(message: string, ...items: string[]): Thenable<string | undefined>;
export function showError(message: string, options: Options, ...items: string[]): Thenable<string | undefined>;
export function showError(message: string, ...rest: Array<string | Options>): Thenable<string | undefined> {
  const [options, items] = split(rest);
  return options
    ? vscode.window.showErrorMessage(plainText(message), safeOptions(options)!, ...items)
    : vscode.window.showErrorMessage(plainText(message), ...items);
}

export function showWarning(message: string, ...items: string[]): Thenable<string | undefined>;
export function showWarning(message: string, options: Options, ...items: string[]): Thenable<string | undefined>;
export function showWarning(message: string, ...rest: Array<string | Options>): Thenable<string | undefined> {
  const [options, items] = split(rest);
  return options
    ? vscode.window.showWarningMessage(plainText(message), safeOptions(options)!, ...items)
    : vscode.window.showWarningMessage(plainText(message), ...items);
}

export function showInfo(message: string, ...items: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(plainText(message), ...items);
}
/* eslint-enable no-restricted-syntax */

function split(rest: Array<string | Options>): [Options | undefined, string[]] {
  const [first, ...others] = rest;
  if (first !== undefined && typeof first !== 'string') return [first, others as string[]];
  return [undefined, rest as string[]];
}
